import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// The SPSS Dimensions column proportions and column means tests (formula in DOMAIN.md and in
  /// the doc comments of `ColumnProportionTest` and `ColumnMeanTest`), worked by hand, with the
  /// p-values from R 4.2.2 (`Rscript`, the call beside each value). R is not needed to run these
  /// tests.
  @Suite("Column tests and significance letters")
  struct ColumnTestTests {
    /// |a − b| ≤ 1e-12 · max(1, |b|).
    func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-12) -> Bool {
      guard let a else { return false }
      return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// R's ct(): the published formula, used to make every reference value below.
    ///
    ///     ct <- function(x1, w1, q1, x2, w2, q2, e0 = 0) {
    ///       e1 <- w1^2/q1; e2 <- w2^2/q2; pbar <- (x1 + x2)/(w1 + w2)
    ///       se <- sqrt(pbar*(1 - pbar)*(1/e1 + 1/e2 - 2*e0/(e1*e2)))
    ///       t <- (x1/w1 - x2/w2)/se; df <- e1 + e2 - e0 - 2
    ///       c(t = t, df = df, p = 2*pt(-abs(t), df), se = se) }
    ///
    /// Column A: 60 of a weighted base of 150, Σw² = 200; column B: 45 of 160, Σw² = 256.
    let a = ColumnSummary.proportion(
      count: 60, base: 150, sumOfSquaredWeights: 200, respondents: 120)
    let b = ColumnSummary.proportion(
      count: 45, base: 160, sumOfSquaredWeights: 256, respondents: 130)

    @Test("proportions, two independent columns, by hand")
    func proportionsByHand() throws {
      // p1 = 60/150 = 0.4, p2 = 45/160 = 0.28125, difference 0.11875 = 19/160.
      // e1 = 150²/200 = 112.5, e2 = 160²/256 = 100 (Kish).
      #expect(a.proportion == 0.4)
      #expect(b.proportion == 0.28125)
      #expect(a.effectiveBase == 112.5)
      #expect(b.effectiveBase == 100)
      // p̄ = (60 + 45)/(150 + 160) = 105/310 = 21/62 (from the weighted counts, not e).
      // p̄(1 − p̄) = 21·41/62² = 861/3844.
      // 1/e1 + 1/e2 = 8/900 + 9/900 = 17/900.
      // SE² = 861/3844 · 17/900 = 14637/3459600, SE = 0.065044876314665628.
      // t = (19/160)/SE = 1.8256626306048571; DF = 112.5 + 100 − 0 − 2 = 210.5.
      // p: Rscript -e 'options(digits=17); t <- (19/160)/sqrt(14637/3459600);
      //    2*pt(-abs(t), 210.5)'  →  0.069318004698794691
      let comparison = try #require(ColumnProportionTest.compare(a, b).comparison)
      #expect(close(comparison.difference, 19.0 / 160))
      #expect(close(comparison.standardError, (14637.0 / 3_459_600).squareRoot()))
      #expect(close(comparison.standardError, 0.065044876314665628))
      #expect(close(comparison.statistic, (19.0 / 160) / (14637.0 / 3_459_600).squareRoot()))
      #expect(close(comparison.statistic, 1.8256626306048571))
      #expect(comparison.degreesOfFreedom == 210.5)
      #expect(close(comparison.pValue, 0.069318004698794691))
      #expect(comparison.direction == .higher)

      // The other way round: t changes sign, p does not.
      let reversed = try #require(ColumnProportionTest.compare(b, a).comparison)
      #expect(close(reversed.statistic, -1.8256626306048571))
      #expect(close(reversed.pValue, 0.069318004698794691))
      #expect(reversed.direction == .lower)
    }

    @Test("proportions, overlapping multi-response columns (e0 > 0), by hand")
    func proportionsWithOverlap() throws {
      // A multi-response banner: the respondents in both A and B have Σw = 50, Σw² = 62.5, so
      // e0 = 50²/62.5 = 40.
      let e0 = ColumnSummary.kishEffectiveBase(weightedBase: 50, sumOfSquaredWeights: 62.5)
      #expect(e0 == 40)
      // 1/e1 + 1/e2 − 2·e0/(e1·e2) = 17/900 − 80/11250 = 85/4500 − 32/4500 = 53/4500.
      // SE² = 861/3844 · 53/4500 = 45633/17298000, SE = 0.051361957144297775 (smaller than the
      // 0.065 of independent columns: the shared respondents make the two shares covary).
      // t = (19/160)/SE = 2.3120224890648213; DF = 112.5 + 100 − 40 − 2 = 170.5.
      // p: Rscript -e 'options(digits=17); t <- (19/160)/sqrt(45633/17298000);
      //    2*pt(-abs(t), 170.5)'  →  0.021972108090142196
      let comparison = try #require(ColumnProportionTest.compare(a, b, overlap: e0).comparison)
      #expect(close(comparison.standardError, (45633.0 / 17_298_000).squareRoot()))
      #expect(close(comparison.standardError, 0.051361957144297775))
      #expect(close(comparison.statistic, 2.3120224890648213))
      #expect(comparison.degreesOfFreedom == 170.5)
      #expect(close(comparison.pValue, 0.021972108090142196))

      // The same through a ColumnOverlap (symmetric, 0 elsewhere) in a letter row: at 5 % the
      // overlap makes A's 40 % significantly above B's 28.1 %; without it, it is not.
      let overlap = ColumnOverlap(columnCount: 2) { _, _ in e0 }
      #expect(overlap[1, 0] == 40)
      #expect(overlap[0, 0] == 0)
      #expect(ColumnOverlap.none[0, 1] == 0)
      #expect(ColumnOverlap(effectiveBases: [[0, 40], [40, 0]])[1, 0] == 40)
      let letters = ColumnLetters(columns: [a, b], statistic: .proportion, overlap: overlap)
      #expect(letters.marks == ["b", ""])
      #expect(close(letters.pair(1, 0)?.outcome.pValue, 0.021972108090142196))
      let independent = ColumnLetters(columns: [a, b], statistic: .proportion)
      #expect(independent.marks == ["", ""])
    }

    @Test("proportions with unit weights: t² is prop.test's uncorrected X²")
    func unweightedProportions() throws {
      // 30/100 against 45/100, every weight 1 (Σw² = Σw = n = e).
      // p̄ = 75/200 = 0.375; SE² = 0.375·0.625·(2/100); t = −0.15/SE = −2.1908902300206647.
      // Rscript -e 'prop.test(c(30, 45), c(100, 100), correct = FALSE)$statistic'  →  4.8
      // Dimensions takes p from t on 198 DF, not from the normal:
      // Rscript -e 'options(digits=17); 2*pt(-2.190890230020664742, 198)'  →  0.029627030032352265
      let x = ColumnSummary.proportion(
        count: 30, base: 100, sumOfSquaredWeights: 100, respondents: 100)
      let y = ColumnSummary.proportion(
        count: 45, base: 100, sumOfSquaredWeights: 100, respondents: 100)
      let comparison = try #require(ColumnProportionTest.compare(x, y).comparison)
      #expect(close(comparison.statistic * comparison.statistic, 4.8))
      #expect(comparison.degreesOfFreedom == 198)
      #expect(close(comparison.pValue, 0.029627030032352265))
    }

    @Test("means, pooled variance on effective bases, by hand")
    func meansByHand() throws {
      // Column A: Σw = 50, Σw² = 62.5, Σw·x = 180, Σw·x² = 740; column B: 40, 50, 120, 420.
      let first = ColumnSummary.mean(
        sum: 180, sumOfSquares: 740, base: 50, sumOfSquaredWeights: 62.5, respondents: 45)
      let second = ColumnSummary.mean(
        sum: 120, sumOfSquares: 420, base: 40, sumOfSquaredWeights: 50, respondents: 36)
      // m1 = 180/50 = 3.6, m2 = 120/40 = 3.0, difference 0.6.
      // SS1 = 740 − 180²/50 = 740 − 648 = 92; SS2 = 420 − 120²/40 = 420 − 360 = 60.
      // d1 = 50 − 62.5/50 = 48.75; d2 = 40 − 50/40 = 38.75.
      // s² = (92 + 60)/(48.75 + 38.75) = 152/87.5 = 1.7371428571428571.
      // e1 = 50²/62.5 = 40, e2 = 40²/50 = 32; 1/40 + 1/32 = 9/160.
      // SE² = 152/87.5 · 9/160 = 0.097714285714285714, SE = 0.31259284335103660.
      // t = 0.6/SE = 1.9194297398747866; DF = 40 + 32 − 2 = 70.
      // p: Rscript -e 'options(digits=17); 2*pt(-0.6/sqrt(152/87.5*9/160), 70)'
      //    →  0.059006690727761775
      #expect(first.mean == 3.6)
      #expect(second.mean == 3)
      let comparison = try #require(ColumnMeanTest.compare(first, second).comparison)
      #expect(close(comparison.difference, 0.6))
      #expect(close(comparison.standardError, (152.0 / 87.5 * 9 / 160).squareRoot()))
      #expect(close(comparison.standardError, 0.31259284335103660))
      #expect(close(comparison.statistic, 1.9194297398747866))
      #expect(comparison.degreesOfFreedom == 70)
      #expect(close(comparison.pValue, 0.059006690727761775))
      #expect(comparison.direction == .higher)

      // With an overlap of e0 = 8: factor 9/160 − 16/1280 = 0.05625 − 0.0125 = 0.04375, DF 62.
      // Rscript -e 'options(digits=17); t <- 0.6/sqrt(152/87.5*0.04375); c(t, 2*pt(-t, 62))'
      //    →  2.176428750330035  0.033341139497251877
      let overlapping = try #require(ColumnMeanTest.compare(first, second, overlap: 8).comparison)
      #expect(close(overlapping.standardError, (152.0 / 87.5 * 0.04375).squareRoot()))
      #expect(close(overlapping.statistic, 2.176428750330035))
      #expect(overlapping.degreesOfFreedom == 62)
      #expect(close(overlapping.pValue, 0.033341139497251877))
    }

    @Test("means with unit weights are Student's pooled t test (R t.test, var.equal = TRUE)")
    func unweightedMeans() throws {
      // x = 3 4 5 2 4 5 3 (Σ 26, Σx² 104), y = 2 3 2 4 1 3 (Σ 15, Σy² 43).
      // Rscript -e 'options(digits=17); r <- t.test(c(3,4,5,2,4,5,3), c(2,3,2,4,1,3),
      //    var.equal = TRUE); c(r$statistic, r$parameter, r$p.value)'
      //    →  2.0132371126889654  11  0.0692150812843189
      let x = ColumnSummary.mean(
        sum: 26, sumOfSquares: 104, base: 7, sumOfSquaredWeights: 7, respondents: 7)
      let y = ColumnSummary.mean(
        sum: 15, sumOfSquares: 43, base: 6, sumOfSquaredWeights: 6, respondents: 6)
      let comparison = try #require(ColumnMeanTest.compare(x, y).comparison)
      #expect(close(comparison.statistic, 2.0132371126889654))
      #expect(comparison.degreesOfFreedom == 11)
      #expect(close(comparison.pValue, 0.0692150812843189))
    }

    /// Four columns of one row: 30 %, 42 %, 49 %, 36 % of weighted bases of 200.
    ///
    ///     Rscript: cnt <- c(60,84,98,72); n <- rep(200,4); q <- c(250,240,260,230)
    ///     apply(combn(4,2), 2, function(ij) ct(cnt[ij[1]], n[ij[1]], q[ij[1]],
    ///                                          cnt[ij[2]], n[ij[2]], q[ij[2]]))
    static let fourColumns = [
      ColumnSummary.proportion(count: 60, base: 200, sumOfSquaredWeights: 250, respondents: 180),
      ColumnSummary.proportion(count: 84, base: 200, sumOfSquaredWeights: 240, respondents: 175),
      ColumnSummary.proportion(count: 98, base: 200, sumOfSquaredWeights: 260, respondents: 190),
      ColumnSummary.proportion(count: 72, base: 200, sumOfSquaredWeights: 230, respondents: 170),
    ]

    /// The pairs AB, AC, AD, BC, BD, CD: (t, DF, p) from R's ct() above.
    static let fourColumnReference: [(t: Double, df: Double, p: Double)] = [
      (-2.2587697572631278, 324.66666666666663, 0.02456083118685017941),
      (-3.4420904108039614, 311.84615384615381, 0.00065602128418198818),
      (-1.1648399474265809, 331.91304347826087, 0.24492028617309413718),
      (-1.2573004877849738, 318.51282051282050, 0.20956596589018994248),
      (1.1348412045643879, 338.57971014492750, 0.25724461896550510076),
      (2.3760026494553195, 325.75919732441469, 0.01807920973351051161),
    ]

    @Test("letters for a four-column row at 1 % (upper case) and 5 % (lower case)")
    func fourColumnLetters() throws {
      let row = ColumnLetters(columns: Self.fourColumns, statistic: .proportion)
      #expect(row.letters == ["A", "B", "C", "D"])
      #expect(row.pairs.map { "\($0.first)\($0.second)" } == ["01", "02", "03", "12", "13", "23"])
      for (pair, reference) in zip(row.pairs, Self.fourColumnReference) {
        let comparison = try #require(pair.outcome.comparison)
        #expect(close(comparison.statistic, reference.t))
        #expect(close(comparison.degreesOfFreedom, reference.df))
        #expect(close(comparison.pValue, reference.p))
        #expect(pair.adjustedPValue == comparison.pValue)
      }
      // AC p = 0.00066 < 0.01: C gets "A". AB p = 0.0246 and CD p = 0.0181 are below 0.05 only:
      // B gets "a", C gets "d". The letter goes to the higher column.
      #expect(row.marks == ["", "a", "Ad", ""])
      #expect(
        row.higherThan[2] == [.init(column: 0, level: .stricter), .init(column: 3, level: .looser)])
      #expect(row.pair(2, 0)?.higherColumn == 2)
      #expect(row.pair(0, 3)?.higherColumn == nil)
      #expect(row.baseClasses == [.normal, .normal, .normal, .normal])

      // Levels are configurable: at 10 % and 2 %, CD (0.018) is upper case, AB (0.025) lower.
      let other = ColumnLetters(
        columns: Self.fourColumns, statistic: .proportion,
        letters: ["E", "F", "G", "H"],
        options: ColumnTestOptions(stricterLevel: 0.02, looserLevel: 0.10))
      #expect(other.marks == ["", "e", "EH", ""])
    }

    @Test("Bonferroni and Benjamini–Hochberg within the row, against R's p.adjust")
    func adjustedLetters() throws {
      // m = 6 pairs. Bonferroni: 6·p, capped at 1.
      // Rscript -e 'options(digits=17); p.adjust(p, "bonferroni")' with p the six p-values:
      let bonferroniReference = [
        0.1473649871211010765, 0.0039361277050919286, 1, 1, 1, 0.1084752584010630627,
      ]
      let bonferroni = ColumnLetters(
        columns: Self.fourColumns, statistic: .proportion,
        options: ColumnTestOptions(adjustment: .bonferroni))
      for (pair, reference) in zip(bonferroni.pairs, bonferroniReference) {
        #expect(close(pair.adjustedPValue, reference))
      }
      // Only AC survives (0.0039 < 0.01).
      #expect(bonferroni.marks == ["", "", "A", ""])

      // BH: sorted p: AC 0.000656 (k=1), CD 0.01808 (2), AB 0.02456 (3), BC 0.2096 (4),
      // AD 0.2449 (5), BD 0.2572 (6). m/k·p: 0.003936, 0.05424, 0.04912, 0.3143, 0.2939, 0.2572;
      // running minimum from k = 6 down: 0.2572, 0.2572, 0.2572, 0.04912, 0.04912, 0.003936.
      // Rscript -e 'options(digits=17); p.adjust(p, "BH")':
      let bhReference = [
        0.0491216623737003588, 0.0039361277050919286, 0.2572446189655051008,
        0.2572446189655051008, 0.2572446189655051008, 0.0491216623737003588,
      ]
      let bh = ColumnLetters(
        columns: Self.fourColumns, statistic: .proportion,
        options: ColumnTestOptions(adjustment: .benjaminiHochberg))
      for (pair, reference) in zip(bh.pairs, bhReference) {
        #expect(close(pair.adjustedPValue, reference))
      }
      // BH keeps AB and CD at 5 % (0.0491 < 0.05), which Bonferroni loses.
      #expect(bh.marks == ["", "a", "Ad", ""])
    }

    @Test("the adjustments on a small worked example")
    func adjustmentsByHand() {
      let p = [0.01, 0.04, 0.03, 0.005]
      #expect(PValueAdjustment.none.adjust(p) == p)
      // Bonferroni, m = 4: 0.04, 0.16, 0.12, 0.02.
      let bonferroni = PValueAdjustment.bonferroni.adjust(p)
      for (value, expected) in zip(bonferroni, [0.04, 0.16, 0.12, 0.02]) {
        #expect(close(value, expected, tolerance: 1e-15))
      }
      #expect(PValueAdjustment.bonferroni.adjust([0.3, 0.6]) == [0.6, 1])
      // BH: sorted 0.005 (k=1), 0.01 (2), 0.03 (3), 0.04 (4); m/k·p = 0.02, 0.02, 0.04, 0.04;
      // running minimum from the largest: 0.04, 0.04, 0.02, 0.02.
      // Rscript -e 'p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH")'  →  0.02 0.04 0.04 0.02
      let bh = PValueAdjustment.benjaminiHochberg.adjust(p)
      for (value, expected) in zip(bh, [0.02, 0.04, 0.04, 0.02]) {
        #expect(close(value, expected, tolerance: 1e-15))
      }
      // Untested pairs (nil) are not counted: m = 2 here.
      let partial = PValueAdjustment.bonferroni.adjust([0.01, nil, 0.02] as [Double?])
      #expect(partial[0] == 0.02)
      #expect(partial[1] == nil)
      #expect(partial[2] == 0.04)
      #expect(PValueAdjustment.benjaminiHochberg.adjust([Double]()) == [])
    }

    @Test("small bases: flagged columns are tested, suppressed ones take no part")
    func smallBases() throws {
      let policy = SmallBasePolicy()
      #expect(policy.classify(30) == .normal)
      #expect(policy.classify(29) == .flagged)
      #expect(policy.classify(10) == .flagged)
      #expect(policy.classify(9) == .suppressed)
      #expect(policy.classify(0) == .suppressed)
      #expect(policy.classify(.nan) == .suppressed)
      #expect(SmallBasePolicy.off.classify(0) == .normal)
      #expect(BaseClass.flagged.symbol == "*")
      #expect(BaseClass.suppressed.symbol == "**")
      // On the effective base: 200²/250 = 160 → flagged under (flag below 200, suppress below 100).
      let effective = SmallBasePolicy(flagBelow: 200, suppressBelow: 100, measure: .effective)
      #expect(effective.classify(Self.fourColumns[0]) == .flagged)
      #expect(SmallBasePolicy(measure: .weighted).classify(Self.fourColumns[0]) == .normal)

      // A fifth column of 8 respondents (suppressed) and a sixth of 25 (flagged).
      let tiny = ColumnSummary.proportion(count: 7, base: 8, sumOfSquaredWeights: 8, respondents: 8)
      let small = ColumnSummary.proportion(
        count: 5, base: 25, sumOfSquaredWeights: 25, respondents: 25)
      let row = ColumnLetters(
        columns: Self.fourColumns + [tiny, small], statistic: .proportion,
        options: ColumnTestOptions(adjustment: .bonferroni))
      #expect(row.baseClasses == [.normal, .normal, .normal, .normal, .suppressed, .flagged])
      for other in 0..<6 where other != 4 {
        #expect(row.pair(4, other)?.outcome == .notTestable(.smallBase))
        #expect(row.pair(4, other)?.adjustedPValue == nil)
      }
      // The flagged column is tested: 20 % against C's 49 % is significant.
      #expect(row.pair(2, 5)?.outcome.comparison != nil)
      // The suppressed column is nobody's letter and has none, though 87.5 % is far above all;
      // m = 10 (15 pairs less the 5 of the suppressed column) for Bonferroni.
      #expect(row.marks[4] == "")
      #expect(!row.marks.joined().contains("E") && !row.marks.joined().contains("e"))
      let ac = try #require(row.pair(0, 2)?.outcome.pValue)
      #expect(close(row.pair(0, 2)?.adjustedPValue, min(1, 10 * ac)))
    }

    @Test("each column against the rest of the sample, with ▲△▼▽")
    func againstTotal() throws {
      // Total = the four columns together: 314 of 800, Σw² = 980, 715 respondents.
      // A against the rest: rest = 314 − 60 = 254 of 800 − 200 = 600, Σw² = 980 − 250 = 730.
      // p̄ = 314/800 = 0.3925 (the Total share); e_A = 200²/250 = 160, e_rest = 600²/730.
      // SE² = 0.3925·0.6075·(1/160 + 730/360000); t = (0.3 − 254/600)/SE = −2.7760712985154674;
      // DF = 160 + 493.15068493150685 − 2 = 651.15068493150685.
      // Rscript: sapply(1:4, function(i) ct(cnt[i], n[i], q[i], sum(cnt) - cnt[i],
      //                                      sum(n) - n[i], sum(q) - q[i]))
      let total = ColumnSummary.proportion(
        count: 314, base: 800, sumOfSquaredWeights: 980, respondents: 715)
      let reference: [(t: Double, df: Double, p: Double)] = [
        (-2.77607129851546741, 651.15068493150693, 0.0056601109162646591),
        (0.83662475377788237, 651.15315315315320, 0.4031104472970497010),
        (2.88762582882275565, 651.84615384615381, 0.0040102785317552301),
        (-1.00266492343138647, 651.91304347826087, 0.3163945744427052453),
      ]
      let tests = TotalComparison.test(Self.fourColumns, against: total, statistic: .proportion)
      for (test, expected) in zip(tests, reference) {
        let comparison = try #require(test.outcome.comparison)
        #expect(close(comparison.statistic, expected.t))
        #expect(close(comparison.degreesOfFreedom, expected.df))
        #expect(close(comparison.pValue, expected.p))
      }
      let first = try #require(tests[0].outcome.comparison)
      let se = (0.3925 * 0.6075 * (1.0 / 160 + 730.0 / 360_000)).squareRoot()
      #expect(close(first.standardError, se))
      #expect(close(first.statistic, (0.3 - 254.0 / 600) / se))
      #expect(tests.map(\.symbol) == ["▼", "", "▲", ""])
      #expect(tests.map(\.direction) == [.lower, nil, .higher, nil])

      // Adjusted over the row's four tests: Bonferroni 0.0226, 1, 0.0160, 1 → ▽ and △;
      // BH 0.01132, 0.4031, 0.01132, 0.4031 (Rscript: p.adjust(p, "BH")).
      let bonferroni = TotalComparison.test(
        Self.fourColumns, against: total, statistic: .proportion,
        options: ColumnTestOptions(adjustment: .bonferroni))
      #expect(close(bonferroni[0].adjustedPValue, 0.022640443665058636))
      #expect(close(bonferroni[2].adjustedPValue, 0.016041114127020920))
      #expect(bonferroni.map(\.symbol) == ["▽", "", "△", ""])
      let bh = TotalComparison.test(
        Self.fourColumns, against: total, statistic: .proportion,
        options: ColumnTestOptions(adjustment: .benjaminiHochberg))
      #expect(close(bh[0].adjustedPValue, 0.011320221832529318))
      #expect(close(bh[1].adjustedPValue, 0.403110447297049701))
      #expect(bh.map(\.symbol) == ["▽", "", "△", ""])

      // A column that is the whole Total leaves an empty rest: not testable.
      let whole = TotalComparison.test([total], against: total, statistic: .proportion)
      #expect(whole[0].outcome == .notTestable(.emptyBase))
      #expect(whole[0].symbol == "")
    }

    @Test("degenerate columns are 'not testable', never NaN")
    func degenerate() {
      let empty = ColumnSummary(respondents: 0, weightedBase: 0, sumOfSquaredWeights: 0)
      #expect(ColumnProportionTest.compare(empty, a) == .notTestable(.emptyBase))
      #expect(ColumnProportionTest.compare(a, empty) == .notTestable(.emptyBase))
      #expect(ColumnMeanTest.compare(empty, empty) == .notTestable(.emptyBase))
      #expect(empty.proportion.isNaN && empty.mean.isNaN && empty.effectiveBase == 0)

      // p̄ = 0 (nobody in the category) and p̄ = 1 (everybody).
      let none1 = ColumnSummary.proportion(
        count: 0, base: 50, sumOfSquaredWeights: 60, respondents: 50)
      let none2 = ColumnSummary.proportion(
        count: 0, base: 40, sumOfSquaredWeights: 45, respondents: 40)
      #expect(ColumnProportionTest.compare(none1, none2) == .notTestable(.noVariation))
      let all1 = ColumnSummary.proportion(
        count: 50, base: 50, sumOfSquaredWeights: 60, respondents: 50)
      let all2 = ColumnSummary.proportion(
        count: 40, base: 40, sumOfSquaredWeights: 45, respondents: 40)
      #expect(ColumnProportionTest.compare(all1, all2) == .notTestable(.noVariation))

      // e ≤ 1: one respondent of weight 2 (e = 2²/4 = 1).
      let one = ColumnSummary.proportion(count: 2, base: 2, sumOfSquaredWeights: 4, respondents: 1)
      #expect(ColumnProportionTest.compare(one, a) == .notTestable(.effectiveBaseTooSmall))
      // e = 1 also when one respondent carries all the weight (Σw = 10, Σw² = 100).
      let skewed = ColumnSummary.proportion(
        count: 1, base: 10, sumOfSquaredWeights: 100, respondents: 5)
      #expect(ColumnProportionTest.compare(a, skewed) == .notTestable(.effectiveBaseTooSmall))

      // DF ≤ 1: e1 = e2 = 2 and e0 = 1 give DF = 1.
      let two1 = ColumnSummary.proportion(count: 1, base: 2, sumOfSquaredWeights: 2, respondents: 2)
      let two2 = ColumnSummary.proportion(count: 2, base: 2, sumOfSquaredWeights: 2, respondents: 2)
      #expect(ColumnProportionTest.compare(two1, two2).comparison != nil)
      #expect(
        ColumnProportionTest.compare(two1, two2, overlap: 1)
          == .notTestable(.tooFewDegreesOfFreedom))

      // An overlap as large as both columns: 1/100 + 1/100 − 2·100/(100·100) = 0.
      let c1 = ColumnSummary.proportion(
        count: 30, base: 100, sumOfSquaredWeights: 100, respondents: 100)
      let c2 = ColumnSummary.proportion(
        count: 40, base: 100, sumOfSquaredWeights: 100, respondents: 100)
      #expect(ColumnProportionTest.compare(c1, c2, overlap: 100) == .notTestable(.overlapTooLarge))
      #expect(ColumnProportionTest.compare(c1, c2, overlap: -1) == .notTestable(.invalidSummary))
      #expect(ColumnProportionTest.compare(c1, c2, overlap: .nan) == .notTestable(.invalidSummary))
      var broken = c1
      broken.weightedCount = .nan
      #expect(ColumnProportionTest.compare(broken, c2) == .notTestable(.invalidSummary))
      broken = c1
      broken.weightedBase = .infinity
      #expect(ColumnProportionTest.compare(c2, broken) == .notTestable(.invalidSummary))

      // Equal proportions are tested: t = 0, p = 1, no direction.
      let same = ColumnSummary.proportion(
        count: 60, base: 200, sumOfSquaredWeights: 230, respondents: 190)
      let equal = ColumnProportionTest.compare(Self.fourColumns[0], same).comparison
      #expect(equal?.statistic == 0)
      #expect(equal?.pValue == 1)
      #expect(equal?.direction == .equal)

      // Means: a column of equal values in both (no variance), and a single case (e = 1).
      let flat1 = ColumnSummary.mean(
        sum: 150, sumOfSquares: 450, base: 50, sumOfSquaredWeights: 60, respondents: 50)
      let flat2 = ColumnSummary.mean(
        sum: 120, sumOfSquares: 360, base: 40, sumOfSquaredWeights: 45, respondents: 40)
      #expect(ColumnMeanTest.compare(flat1, flat2) == .notTestable(.noVariation))
      let flat3 = ColumnSummary.mean(
        sum: 0.3 * 7, sumOfSquares: 0.09 * 7, base: 7, sumOfSquaredWeights: 7, respondents: 7)
      let flat4 = ColumnSummary.mean(
        sum: 0.3 * 3, sumOfSquares: 0.09 * 3, base: 3, sumOfSquaredWeights: 3, respondents: 3)
      #expect(ColumnMeanTest.compare(flat3, flat4) == .notTestable(.noVariation))
      let single = ColumnSummary.mean(
        sum: 4, sumOfSquares: 16, base: 1, sumOfSquaredWeights: 1, respondents: 1)
      #expect(ColumnMeanTest.compare(single, flat1) == .notTestable(.effectiveBaseTooSmall))

      // A row of empty columns, a row of one column, a row of none: no pairs with letters.
      let emptyRow = ColumnLetters(
        columns: [empty, empty, empty], statistic: .proportion,
        options: ColumnTestOptions(adjustment: .benjaminiHochberg, smallBases: .off))
      #expect(emptyRow.marks == ["", "", ""])
      #expect(emptyRow.pairs.allSatisfy { $0.adjustedPValue == nil && $0.level == nil })
      #expect(ColumnLetters(columns: [a], statistic: .mean).pairs.isEmpty)
      #expect(ColumnLetters(columns: [], statistic: .mean).marks.isEmpty)
      #expect(TotalComparison.test([], against: a, statistic: .mean).isEmpty)
    }

    @Test("letters A…Z, then AA, AB… as spreadsheet columns")
    func standardLetters() {
      #expect(ColumnLetters.standardLetters(count: 4) == ["A", "B", "C", "D"])
      #expect(ColumnLetters.standardLetters(count: 3, offset: 24) == ["Y", "Z", "AA"])
      #expect(ColumnLetters.standardLetters(count: 1, offset: 701) == ["ZZ"])
      #expect(ColumnLetters.standardLetters(count: 1, offset: 702) == ["AAA"])
      #expect(ColumnLetters.standardLetters(count: 0).isEmpty)
    }

    @Test("the statistic chooses the test; options order the two levels")
    func statisticAndOptions() {
      #expect(ColumnStatistic.proportion.compare(a, b) == ColumnProportionTest.compare(a, b))
      #expect(ColumnStatistic.mean.compare(a, b) == ColumnMeanTest.compare(a, b))
      let swapped = ColumnTestOptions(stricterLevel: 0.05, looserLevel: 0.01)
      #expect(swapped.stricterLevel == 0.01 && swapped.looserLevel == 0.05)
      #expect(swapped.level(of: 0.01) == .looser)
      #expect(swapped.level(of: 0.0099) == .stricter)
      #expect(swapped.level(of: 0.05) == nil)
    }
  }
}
