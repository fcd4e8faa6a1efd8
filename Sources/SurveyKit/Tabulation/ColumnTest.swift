import Foundation

// Banner-table column tests in the form of SPSS Dimensions (IBM SPSS Data Collection, now UNICOM
// Intelligence) "column proportions" and "column means" tests, on Kish effective bases with the
// overlap correction for multi-response banners.
//
// Sources, for every formula in this file:
// - UNICOM Intelligence (formerly IBM SPSS Data Collection / Dimensions) Professional, Table
//   scripting › Statistical tests: "Statistical formula for the column proportions test"
//   (support.unicomsi.com/manuals/intelligence/751/Desktop%20User%20Guides/TableScripting.048.100.html;
//   the same page in the SPSS MR Reporter help, sr.ipsosinteractive.com/SPSSMR/Reporter/doc/en/help/
//   tom_statisticalformulae_colprops.htm) and "Statistical formula for the column means test"
//   (…/TableScripting.048.106.html): the notation (weighted base, sum of squared weights, the
//   overlap's base), when a test is not performed, DF = e1 + e2 − e0 − 2, and the two-sided p of
//   |t| on those degrees of freedom compared with the requested level.
// - quantipy (github.com/Quantipy/quantipy), `quantipy/core/quantify/engine.py`, class `Test`,
//   whose default `mimic='Dim'` reproduces the Dimensions algorithm: `_se_prop_pooled` and
//   `_se_mean_pooled` (the pooled standard errors written out below), `_overlap` (e0 as the Kish
//   base of the respondents in both columns), `_convert_statistic` (two-sided p from Student's t
//   on e1 + e2 − e0 − 2 degrees of freedom, none when those are ≤ 1).
// - Kish (1965) *Survey Sampling*, §11.7: the effective base (Σw)²/Σw².
// - The project's DOMAIN.md, which states the proportion formula.

/// What a column test needs to know about one banner column in one stub row: the column's base and
/// its weights' squares (for the Kish effective base), and either the weighted count of the row's
/// category (a proportion) or the weighted sum and sum of squares of a value (a mean).
///
/// ```swift
/// // 60 of a weighted base of 150 (Σw² = 200, so e = 150²/200 = 112.5), 120 respondents.
/// let a = ColumnSummary.proportion(count: 60, base: 150, sumOfSquaredWeights: 200, respondents: 120)
/// a.proportion     // 0.4
/// a.effectiveBase  // 112.5
/// ```
///
/// For a mean, the base, the squared weights and the respondents are those of the cases that
/// contribute to the mean (the column's respondents with a valid answer), as in the Dimensions
/// column means test.
public struct ColumnSummary: Sendable, Hashable {
  /// Unweighted respondents in the column's base (used to classify small bases).
  public var respondents: Int
  /// Σw over the column's base.
  public var weightedBase: Double
  /// Σw² over the column's base.
  public var sumOfSquaredWeights: Double
  /// Σw over the base's respondents in the row's category (proportion tests).
  public var weightedCount: Double
  /// Σw·x over the base (mean tests).
  public var weightedSum: Double
  /// Σw·x² over the base (mean tests).
  public var weightedSumOfSquares: Double

  public init(
    respondents: Int, weightedBase: Double, sumOfSquaredWeights: Double,
    weightedCount: Double = 0, weightedSum: Double = 0, weightedSumOfSquares: Double = 0
  ) {
    self.respondents = respondents
    self.weightedBase = weightedBase
    self.sumOfSquaredWeights = sumOfSquaredWeights
    self.weightedCount = weightedCount
    self.weightedSum = weightedSum
    self.weightedSumOfSquares = weightedSumOfSquares
  }

  /// A column of a proportion row: `count` of a weighted `base`.
  public static func proportion(
    count: Double, base: Double, sumOfSquaredWeights: Double, respondents: Int
  ) -> ColumnSummary {
    ColumnSummary(
      respondents: respondents, weightedBase: base, sumOfSquaredWeights: sumOfSquaredWeights,
      weightedCount: count)
  }

  /// A column of a mean row: Σw·x = `sum` and Σw·x² = `sumOfSquares` over a weighted `base`.
  public static func mean(
    sum: Double, sumOfSquares: Double, base: Double, sumOfSquaredWeights: Double,
    respondents: Int
  ) -> ColumnSummary {
    ColumnSummary(
      respondents: respondents, weightedBase: base, sumOfSquaredWeights: sumOfSquaredWeights,
      weightedSum: sum, weightedSumOfSquares: sumOfSquares)
  }

  /// Kish's effective base (Σw)²/Σw² (Kish 1965, §11.7); 0 when Σw² is not positive.
  public static func kishEffectiveBase(weightedBase: Double, sumOfSquaredWeights: Double)
    -> Double
  {
    sumOfSquaredWeights > 0 ? weightedBase * weightedBase / sumOfSquaredWeights : 0
  }

  /// Kish's effective base of the column, (Σw)²/Σw².
  public var effectiveBase: Double {
    Self.kishEffectiveBase(weightedBase: weightedBase, sumOfSquaredWeights: sumOfSquaredWeights)
  }

  /// The column proportion, weighted count / weighted base (NaN for an empty base).
  public var proportion: Double { weightedBase > 0 ? weightedCount / weightedBase : .nan }

  /// The column mean, Σw·x / Σw (NaN for an empty base).
  public var mean: Double { weightedBase > 0 ? weightedSum / weightedBase : .nan }

  /// The rest of the sample: this summary (the Total column) without `column`, whose respondents
  /// are all in it. Sums of disjoint sets add, so every figure is a difference.
  func removing(_ column: ColumnSummary) -> ColumnSummary {
    ColumnSummary(
      respondents: max(0, respondents - column.respondents),
      weightedBase: weightedBase - column.weightedBase,
      sumOfSquaredWeights: sumOfSquaredWeights - column.sumOfSquaredWeights,
      weightedCount: weightedCount - column.weightedCount,
      weightedSum: weightedSum - column.weightedSum,
      weightedSumOfSquares: weightedSumOfSquares - column.weightedSumOfSquares)
  }

  /// Every figure is finite and the counts are not negative.
  var isWellFormed: Bool {
    respondents >= 0
      && [
        weightedBase, sumOfSquaredWeights, weightedCount, weightedSum, weightedSumOfSquares,
      ].allSatisfy(\.isFinite)
  }
}

/// The overlap effective bases e0 of the pairs of a banner's columns: the Kish base
/// (Σw)²/Σw² of the respondents who are in both columns. Zero for every pair of a banner whose
/// columns do not share respondents (a single-response break); non-zero only where a
/// multi-response break puts a respondent in several columns.
///
/// ```swift
/// // Columns 0 and 1 share respondents with Σw = 50, Σw² = 62.5: e0 = 50²/62.5 = 40.
/// let overlap = ColumnOverlap(columnCount: 3) { i, j in (i, j) == (0, 1) ? 40 : 0 }
/// overlap[1, 0]  // 40
/// ```
///
/// The e0 of the Dimensions formula, as quantipy's `Test._overlap` computes it with effective
/// bases (its Σ over the overlap of (w + w)², halved, is (Σw)²/Σw² of the overlap).
public struct ColumnOverlap: Sendable, Hashable {
  /// `matrix[i][j]` for i < j; nil when no pair overlaps.
  private let matrix: [[Double]]?

  private init(matrix: [[Double]]?) { self.matrix = matrix }

  /// No two columns share a respondent.
  public static let none = ColumnOverlap(matrix: nil)

  /// From a square matrix of e0 values; only the entries above the diagonal are read (the
  /// overlap is symmetric).
  public init(effectiveBases: [[Double]]) {
    self.matrix = effectiveBases
  }

  /// From the e0 of each pair i < j.
  public init(columnCount: Int, effectiveBase: (Int, Int) -> Double) {
    var matrix = [[Double]](
      repeating: [Double](repeating: 0, count: columnCount), count: columnCount)
    for i in 0..<columnCount {
      for j in (i + 1)..<max(i + 1, columnCount) { matrix[i][j] = effectiveBase(i, j) }
    }
    self.matrix = matrix
  }

  /// The e0 of columns i and j, in either order; 0 for a column with itself or outside the
  /// matrix.
  public subscript(_ i: Int, _ j: Int) -> Double {
    guard let matrix, i != j else { return 0 }
    let (low, high) = (min(i, j), max(i, j))
    guard low >= 0, low < matrix.count, high < matrix[low].count else { return 0 }
    return matrix[low][high]
  }
}

/// Why a pair of columns was not tested (shown as no letter, and as null p-values in JSON).
public enum ColumnTestRefusal: String, Sendable, Hashable, CaseIterable, Codable {
  /// A summary holds a NaN or infinite figure, a negative count of respondents or a negative
  /// overlap base.
  case invalidSummary
  /// A column's weighted base or sum of squared weights is not positive (Dimensions: w ≤ 0 or
  /// q ≤ 0).
  case emptyBase
  /// A column's effective base is 1 or less.
  case effectiveBaseTooSmall
  /// e1 + e2 − e0 − 2 is 1 or less (quantipy leaves such pairs untested).
  case tooFewDegreesOfFreedom
  /// Nothing varies: the pooled proportion is 0 or 1, or the pooled variance of a mean is 0.
  case noVariation
  /// The overlap is so large that 1/e1 + 1/e2 − 2·e0/(e1·e2) is not positive.
  case overlapTooLarge
  /// A column's base is below the suppression threshold (`SmallBasePolicy`).
  case smallBase
}

/// The result of testing column a against column b: a t statistic, its degrees of freedom and the
/// two-sided p-value, with the direction of the difference.
public struct ColumnComparison: Sendable, Hashable {
  /// Which way column a differs from column b.
  public enum Direction: String, Sendable, Hashable, CaseIterable, Codable {
    /// a's estimate is above b's.
    case higher
    /// a's estimate is below b's.
    case lower
    /// The estimates are equal (t = 0, p = 1).
    case equal
  }

  /// a's estimate minus b's (proportions as shares in 0…1).
  public var difference: Double
  /// The standard error of the difference under the null hypothesis.
  public var standardError: Double
  /// t = difference / standardError.
  public var statistic: Double
  /// e1 + e2 − e0 − 2.
  public var degreesOfFreedom: Double
  /// 2·P(T ≤ −|t|) on `degreesOfFreedom`, as R's `2 * pt(-abs(t), df)`.
  public var pValue: Double
  public var direction: Direction

  public init(
    difference: Double, standardError: Double, statistic: Double, degreesOfFreedom: Double,
    pValue: Double, direction: Direction
  ) {
    self.difference = difference
    self.standardError = standardError
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pValue = pValue
    self.direction = direction
  }
}

/// A pair of columns either tested or not testable, with the reason.
public enum ColumnTestOutcome: Sendable, Hashable {
  case tested(ColumnComparison)
  case notTestable(ColumnTestRefusal)

  /// The comparison when the pair was tested.
  public var comparison: ColumnComparison? {
    if case .tested(let comparison) = self { return comparison }
    return nil
  }

  /// The two-sided p-value when the pair was tested.
  public var pValue: Double? { comparison?.pValue }
}

/// Which column test a stub row gets: proportions for a category (or a net), means for a
/// numeric or scale row.
public enum ColumnStatistic: String, Sendable, Hashable, CaseIterable, Codable {
  case proportion
  case mean

  /// Tests column a against column b with the test of this statistic.
  public func compare(_ a: ColumnSummary, _ b: ColumnSummary, overlap: Double = 0)
    -> ColumnTestOutcome
  {
    switch self {
    case .proportion: return ColumnProportionTest.compare(a, b, overlap: overlap)
    case .mean: return ColumnMeanTest.compare(a, b, overlap: overlap)
    }
  }
}

/// The checks and the t step shared by the two tests: effective bases, degrees of freedom, the
/// overlap factor 1/e1 + 1/e2 − 2·e0/(e1·e2), and the two-sided p from Student's t.
private enum ColumnTestCore {
  /// The effective bases, the overlap factor and the degrees of freedom, or why there are none.
  static func design(_ a: ColumnSummary, _ b: ColumnSummary, overlap e0: Double)
    -> Result<(factor: Double, degreesOfFreedom: Double), Refusal>
  {
    guard a.isWellFormed, b.isWellFormed, e0.isFinite, e0 >= 0 else {
      return .failure(Refusal(.invalidSummary))
    }
    guard a.weightedBase > 0, a.sumOfSquaredWeights > 0, b.weightedBase > 0,
      b.sumOfSquaredWeights > 0
    else { return .failure(Refusal(.emptyBase)) }
    let e1 = a.effectiveBase
    let e2 = b.effectiveBase
    guard e1 > 1, e2 > 1 else { return .failure(Refusal(.effectiveBaseTooSmall)) }
    let degreesOfFreedom = e1 + e2 - e0 - 2
    guard degreesOfFreedom > 1 else { return .failure(Refusal(.tooFewDegreesOfFreedom)) }
    let factor = 1 / e1 + 1 / e2 - 2 * e0 / (e1 * e2)
    guard factor > 0 else { return .failure(Refusal(.overlapTooLarge)) }
    return .success((factor, degreesOfFreedom))
  }

  /// t = difference / √(variance · factor) and its two-sided p on `degreesOfFreedom`.
  static func outcome(
    difference: Double, variance: Double, factor: Double, degreesOfFreedom: Double
  ) -> ColumnTestOutcome {
    let standardError = (variance * factor).squareRoot()
    guard standardError > 0, standardError.isFinite, difference.isFinite else {
      return .notTestable(.noVariation)
    }
    let statistic = difference / standardError
    let pValue = min(
      1, 2 * Distribution.tProbability(-abs(statistic), degreesOfFreedom: degreesOfFreedom))
    let direction: ColumnComparison.Direction =
      difference > 0 ? .higher : difference < 0 ? .lower : .equal
    return .tested(
      ColumnComparison(
        difference: difference, standardError: standardError, statistic: statistic,
        degreesOfFreedom: degreesOfFreedom, pValue: pValue, direction: direction))
  }

  struct Refusal: Error {
    let reason: ColumnTestRefusal
    init(_ reason: ColumnTestRefusal) { self.reason = reason }
  }
}

/// The column proportions test of SPSS Dimensions (IBM SPSS Data Collection), as quantipy's
/// `Test` with `mimic='Dim'`.
///
/// ```swift
/// let a = ColumnSummary.proportion(count: 60, base: 150, sumOfSquaredWeights: 200, respondents: 120)
/// let b = ColumnSummary.proportion(count: 45, base: 160, sumOfSquaredWeights: 256, respondents: 130)
/// ColumnProportionTest.compare(a, b).comparison
/// // t = 1.8256626306048571, df = 210.5, p = 0.069318004698794691, direction .higher
/// ```
///
/// For columns 1 and 2 of one row, with weighted counts x, weighted bases w, Σw² = q and the
/// overlap's effective base e0 (0 unless a multi-response banner puts respondents in both):
///
///     p_i = x_i / w_i                      e_i = w_i² / q_i   (Kish)
///     p̄  = (x1 + x2) / (w1 + w2)           (pooled from the weighted counts, not the effective)
///     SE = √( p̄(1 − p̄) · (1/e1 + 1/e2 − 2·e0/(e1·e2)) )
///     t  = (p1 − p2) / SE                  DF = e1 + e2 − e0 − 2
///     p  = 2·P(T_DF ≤ −|t|)
///
/// Sources: UNICOM Intelligence (IBM SPSS Data Collection) "Statistical formula for the column
/// proportions test" (notation, DF, the two-sided t probability, no test when a base or a sum of
/// squared weights is not positive); quantipy `Test._se_prop_pooled` and `_convert_statistic`
/// (the pooled SE with the overlap term, degrees of freedom ≤ 1 untested); DOMAIN.md.
///
/// Not testable (never NaN, never a trap): an empty base, an effective base ≤ 1, DF ≤ 1, p̄ = 0
/// or 1, or an overlap so large that the factor in the SE is not positive. Dimensions also skips
/// a pair whose proportions are identical; here such a pair is tested and gets t = 0 and p = 1
/// (no letter either way, but its p-value is in the output). The Quantum/Quanvert variant (DF one
/// larger) and the continuity correction are not offered.
public enum ColumnProportionTest {
  /// Tests column a against column b; `overlap` is the e0 of the pair.
  public static func compare(_ a: ColumnSummary, _ b: ColumnSummary, overlap: Double = 0)
    -> ColumnTestOutcome
  {
    let design: (factor: Double, degreesOfFreedom: Double)
    switch ColumnTestCore.design(a, b, overlap: overlap) {
    case .failure(let refusal): return .notTestable(refusal.reason)
    case .success(let value): design = value
    }
    let pooled = (a.weightedCount + b.weightedCount) / (a.weightedBase + b.weightedBase)
    guard pooled > 0, pooled < 1 else { return .notTestable(.noVariation) }
    return ColumnTestCore.outcome(
      difference: a.proportion - b.proportion, variance: pooled * (1 - pooled),
      factor: design.factor, degreesOfFreedom: design.degreesOfFreedom)
  }
}

/// The column means test of SPSS Dimensions (IBM SPSS Data Collection), as quantipy's `Test`
/// with `mimic='Dim'`: a pooled-variance t test on effective bases.
///
/// ```swift
/// let a = ColumnSummary.mean(sum: 180, sumOfSquares: 740, base: 50, sumOfSquaredWeights: 62.5,
///                            respondents: 45)
/// let b = ColumnSummary.mean(sum: 120, sumOfSquares: 420, base: 40, sumOfSquaredWeights: 50,
///                            respondents: 36)
/// ColumnMeanTest.compare(a, b).comparison
/// // t = 1.9194297398747866, df = 70, p = 0.059006690727761775, direction .higher
/// ```
///
/// For columns 1 and 2, with Σw = w, Σw² = q, Σw·x = s and Σw·x² = S over the cases that
/// contribute to the mean:
///
///     m_i  = s_i / w_i                        e_i = w_i² / q_i
///     SS_i = S_i − s_i²/w_i                   (= Σw(x − m_i)²)
///     d_i  = w_i − q_i/w_i                    (= n_i − 1 when every weight is 1)
///     s²   = (SS1 + SS2) / (d1 + d2)          (the pooled variance)
///     SE   = √( s² · (1/e1 + 1/e2 − 2·e0/(e1·e2)) )
///     t    = (m1 − m2) / SE                   DF = e1 + e2 − e0 − 2
///
/// With every weight 1 and no overlap this is Student's pooled two-sample t test (R's
/// `t.test(x, y, var.equal = TRUE)`).
///
/// Sources: UNICOM Intelligence (IBM SPSS Data Collection) "Statistical formula for the column
/// means test" (notation, sample variances pooled over the two columns, DF); quantipy
/// `Test._se_mean_pooled` (the pooled variance Σ sd²(w − 1) / Σ (w − q/w) with quantipy's
/// weighted sd² = SS/(w − 1), and the overlap term); IBM SPSS Custom Tables, "Test Statistics
/// tab": for multi-response banners the variance comes from just the two columns compared.
/// Not testable as for proportions, with "no variation" when the pooled variance is 0.
public enum ColumnMeanTest {
  /// Tests column a's mean against column b's; `overlap` is the e0 of the pair.
  public static func compare(_ a: ColumnSummary, _ b: ColumnSummary, overlap: Double = 0)
    -> ColumnTestOutcome
  {
    let design: (factor: Double, degreesOfFreedom: Double)
    switch ColumnTestCore.design(a, b, overlap: overlap) {
    case .failure(let refusal): return .notTestable(refusal.reason)
    case .success(let value): design = value
    }
    // Σw(x − m)² by the shortcut formula; what is left of it after cancellation at the level of
    // rounding (1e-12 of Σw·x²) is taken as 0, so that a column of equal values has no variance.
    func squares(_ c: ColumnSummary) -> Double {
      let value = c.weightedSumOfSquares - c.weightedSum * c.weightedSum / c.weightedBase
      return value > 1e-12 * abs(c.weightedSumOfSquares) ? value : 0
    }
    func divisor(_ c: ColumnSummary) -> Double {
      c.weightedBase - c.sumOfSquaredWeights / c.weightedBase
    }
    let denominator = divisor(a) + divisor(b)
    guard denominator > 0 else { return .notTestable(.effectiveBaseTooSmall) }
    let variance = (squares(a) + squares(b)) / denominator
    guard variance > 0, variance.isFinite else { return .notTestable(.noVariation) }
    return ColumnTestCore.outcome(
      difference: a.mean - b.mean, variance: variance, factor: design.factor,
      degreesOfFreedom: design.degreesOfFreedom)
  }
}
