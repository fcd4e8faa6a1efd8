import Foundation

/// Which of the two significance levels of a banner table a difference reaches.
public enum SignificanceLevel: String, Sendable, Hashable, CaseIterable, Codable {
  /// p below the stricter α (e.g. 0.01): an upper-case letter, ▲ or ▼ against the rest.
  case stricter
  /// p below the looser α only (e.g. 0.05): a lower-case letter, △ or ▽ against the rest.
  case looser
}

/// How the p-values of one stub row are adjusted for the number of comparisons in that row
/// before they are compared with the two levels.
///
/// ```swift
/// PValueAdjustment.bonferroni.adjust([0.01, 0.04, 0.03, 0.005])         // [0.04, 0.16, 0.12, 0.02]
/// PValueAdjustment.benjaminiHochberg.adjust([0.01, 0.04, 0.03, 0.005])  // [0.02, 0.04, 0.04, 0.02]
/// ```
///
/// The family is one row: the pairs of columns tested in it (or, for the tests against the rest
/// of the sample, the columns tested in it); m is the number of those that could be tested, so a
/// suppressed or untestable pair neither counts nor gets an adjusted p-value. IBM SPSS Custom
/// Tables offers the same two choices for its column proportions and column means tests (IBM SPSS
/// Statistics documentation, "Custom Tables: Test Statistics tab"), and SPSS reports a
/// Bonferroni-adjusted p as the raw p times the number of comparisons, capped at 1. The adjusted
/// p-values are R's `p.adjust(p, "bonferroni")` and `p.adjust(p, "BH")`:
///
///     Bonferroni:          p̃_i = min(1, m · p_i)
///     Benjamini–Hochberg:  p̃_(k) = min(1, min_{j ≥ k} m/j · p_(j))   (p_(1) ≤ … ≤ p_(m))
///
/// Comparing the BH-adjusted p̃ with α is the step-up procedure of Benjamini & Hochberg (1995,
/// *JRSS B* 57:289–300) at false discovery rate α.
public enum PValueAdjustment: String, Sendable, Hashable, CaseIterable, Codable {
  case none
  case bonferroni
  /// Benjamini–Hochberg (R's `"BH"`, alias `"fdr"`).
  case benjaminiHochberg = "bh"

  /// The adjusted p-values, in the order given.
  public func adjust(_ pValues: [Double]) -> [Double] {
    let m = Double(pValues.count)
    switch self {
    case .none:
      return pValues
    case .bonferroni:
      return pValues.map { min(1, m * $0) }
    case .benjaminiHochberg:
      // As R: o <- order(p, decreasing = TRUE); pmin(1, cummin(n/i * p[o]))[order(o)].
      let order = pValues.indices.sorted { pValues[$0] > pValues[$1] }
      var adjusted = [Double](repeating: 0, count: pValues.count)
      var running = Double.infinity
      for (position, index) in order.enumerated() {
        let rank = Double(pValues.count - position)
        running = min(running, m / rank * pValues[index])
        adjusted[index] = min(1, running)
      }
      return adjusted
    }
  }

  /// Adjusts the p-values that exist; nil (an untested pair) stays nil and is not counted.
  func adjust(_ pValues: [Double?]) -> [Double?] {
    let present = pValues.indices.filter { pValues[$0] != nil }
    let adjusted = adjust(present.map { pValues[$0]! })
    var result = [Double?](repeating: nil, count: pValues.count)
    for (index, value) in zip(present, adjusted) { result[index] = value }
    return result
  }
}

/// How a column's base is classified before testing.
public enum BaseClass: String, Sendable, Hashable, CaseIterable, Codable {
  /// Large enough: tested, shown plainly.
  case normal
  /// Small: tested, but its figures carry a mark.
  case flagged
  /// Too small: its figures are suppressed and it takes no part in any test.
  case suppressed

  /// The mark beside a small base: `*` flagged, `**` suppressed (the Dimensions convention for a
  /// small base and for a base below the minimum), "" otherwise.
  public var symbol: String {
    switch self {
    case .normal: return ""
    case .flagged: return "*"
    case .suppressed: return "**"
    }
  }
}

/// The thresholds below which a base is flagged or suppressed.
///
/// ```swift
/// let policy = SmallBasePolicy()     // flag below 30, suppress below 10, on respondents
/// policy.classify(45)  // .normal
/// policy.classify(29)  // .flagged
/// policy.classify(9)   // .suppressed
/// ```
///
/// SPSS Dimensions has the same two thresholds (a "minimum base", default 30, below which a
/// column test is not carried out and `**` is shown, and a "small base", default 100, below which
/// it is carried out with `*`: UNICOM Intelligence, "Minimum base and small base values in
/// statistical tests"); quantipy's `flag_bases = [minimum, small]` copies them. The defaults here
/// are the ones DOMAIN.md gives for city reports (`*` below 30, suppressed below 10), on the
/// unweighted number of respondents, the n that Japanese reports print beside every base; the
/// weighted or the effective base can be chosen instead.
public struct SmallBasePolicy: Sendable, Hashable {
  /// Which base the thresholds apply to.
  public enum Measure: String, Sendable, Hashable, CaseIterable, Codable {
    /// Unweighted respondents (n).
    case respondents
    /// Σw.
    case weighted
    /// Kish's (Σw)²/Σw².
    case effective
  }

  /// A base below this is flagged.
  public var flagBelow: Double
  /// A base below this is suppressed (and not tested).
  public var suppressBelow: Double
  public var measure: Measure

  public init(flagBelow: Double = 30, suppressBelow: Double = 10, measure: Measure = .respondents) {
    self.flagBelow = flagBelow
    self.suppressBelow = suppressBelow
    self.measure = measure
  }

  /// No flags and no suppression.
  public static let off = SmallBasePolicy(flagBelow: 0, suppressBelow: 0)

  /// The class of a base measured as `measure` says.
  public func classify(_ base: Double) -> BaseClass {
    if !(base >= suppressBelow) { return .suppressed }
    if base < flagBelow { return .flagged }
    return .normal
  }

  /// The class of a column's base.
  public func classify(_ column: ColumnSummary) -> BaseClass {
    switch measure {
    case .respondents: return classify(Double(column.respondents))
    case .weighted: return classify(column.weightedBase)
    case .effective: return classify(column.effectiveBase)
    }
  }
}

/// The levels, the adjustment and the small-base thresholds of a table's column tests.
public struct ColumnTestOptions: Sendable, Hashable {
  /// The stricter α (upper-case letters): 0.01 by default.
  public var stricterLevel: Double
  /// The looser α (lower-case letters): 0.05 by default.
  public var looserLevel: Double
  public var adjustment: PValueAdjustment
  public var smallBases: SmallBasePolicy

  /// Levels given the wrong way round are swapped: the smaller α is always the stricter.
  public init(
    stricterLevel: Double = 0.01, looserLevel: Double = 0.05,
    adjustment: PValueAdjustment = .none, smallBases: SmallBasePolicy = SmallBasePolicy()
  ) {
    self.stricterLevel = min(stricterLevel, looserLevel)
    self.looserLevel = max(stricterLevel, looserLevel)
    self.adjustment = adjustment
    self.smallBases = smallBases
  }

  /// The level an (adjusted) p-value reaches: below the stricter α, below the looser α only, or
  /// neither (nil). A p-value equal to α is not significant (Dimensions: "less than the
  /// significance level").
  public func level(of pValue: Double) -> SignificanceLevel? {
    if pValue < stricterLevel { return .stricter }
    if pValue < looserLevel { return .looser }
    return nil
  }
}

/// Significance letters for one stub row of a banner: every pair of columns tested, and for each
/// column the letters of the columns it is significantly higher than — upper case at the stricter
/// level, lower case at the looser (the SPSS convention: the letter sits on the larger value).
///
/// ```swift
/// // Four columns A–D of one row (weighted bases of 200 each; Σw² 250, 240, 260, 230):
/// // 30.0 %, 42.0 %, 49.0 %, 36.0 %.
/// let row = ColumnLetters(columns: columns, statistic: .proportion)
/// row.marks   // ["", "a", "Ad", ""]: C is above A at 1 %, above D at 5 %; B above A at 5 %.
/// let bonferroni = ColumnLetters(columns: columns, statistic: .proportion,
///                                options: ColumnTestOptions(adjustment: .bonferroni))
/// bonferroni.marks  // ["", "", "A", ""]
/// ```
///
/// A column whose base `SmallBasePolicy` suppresses takes no part: its pairs are
/// `.notTestable(.smallBase)`, it gets no letters and is nobody's letter. A flagged column is
/// tested (its class is in `baseClasses` for the renderer's `*`). The adjustment (none,
/// Bonferroni, Benjamini–Hochberg) runs over the pairs of this row that could be tested.
///
/// Columns that belong to different break variables of a banner (sex, age group) are tested in
/// separate groups: make one `ColumnLetters` per group and give it that group's letters, so that
/// letters stay unique across the banner.
public struct ColumnLetters: Sendable, Hashable {
  /// One pair of columns, `first` < `second` (indices into the row's columns).
  public struct Pair: Sendable, Hashable {
    public var first: Int
    public var second: Int
    /// The test of `first` against `second` (statistic positive when `first` is higher).
    public var outcome: ColumnTestOutcome
    /// The p-value after the row's adjustment; nil when the pair was not tested.
    public var adjustedPValue: Double?
    /// The level the adjusted p-value reaches; nil when not significant or not tested.
    public var level: SignificanceLevel?

    /// The column that is significantly higher, when the difference is significant.
    public var higherColumn: Int? {
      guard level != nil, let comparison = outcome.comparison else { return nil }
      switch comparison.direction {
      case .higher: return first
      case .lower: return second
      case .equal: return nil
      }
    }
  }

  /// One letter in a column's cell: the column it is higher than, at which level.
  public struct Mark: Sendable, Hashable {
    public var column: Int
    public var level: SignificanceLevel
  }

  /// The letter of each column (A, B, C… unless given).
  public let letters: [String]
  /// Each column's base class under the options' small-base policy.
  public let baseClasses: [BaseClass]
  /// Every pair i < j in the order (0,1), (0,2), …, (1,2), …
  public let pairs: [Pair]
  /// For each column, the columns it is significantly higher than, in column order.
  public let higherThan: [[Mark]]

  /// Tests every pair of `columns` with `statistic`'s test and assigns the letters.
  public init(
    columns: [ColumnSummary], statistic: ColumnStatistic, overlap: ColumnOverlap = .none,
    letters: [String]? = nil, options: ColumnTestOptions = ColumnTestOptions()
  ) {
    let count = columns.count
    let letters = letters ?? Self.standardLetters(count: count)
    precondition(letters.count == count, "one letter per column")
    self.letters = letters
    baseClasses = columns.map { options.smallBases.classify($0) }
    var pairs: [Pair] = []
    pairs.reserveCapacity(count * (count - 1) / 2)
    for i in 0..<count {
      for j in (i + 1)..<max(i + 1, count) {
        let outcome: ColumnTestOutcome =
          baseClasses[i] == .suppressed || baseClasses[j] == .suppressed
          ? .notTestable(.smallBase)
          : statistic.compare(columns[i], columns[j], overlap: overlap[i, j])
        pairs.append(Pair(first: i, second: j, outcome: outcome))
      }
    }
    let adjusted = options.adjustment.adjust(pairs.map(\.outcome.pValue))
    var higherThan = [[Mark]](repeating: [], count: count)
    for index in pairs.indices {
      pairs[index].adjustedPValue = adjusted[index]
      pairs[index].level = adjusted[index].flatMap { options.level(of: $0) }
      let pair = pairs[index]
      if let higher = pair.higherColumn, let level = pair.level {
        let lower = higher == pair.first ? pair.second : pair.first
        higherThan[higher].append(Mark(column: lower, level: level))
      }
    }
    self.pairs = pairs
    self.higherThan = higherThan.map { $0.sorted { $0.column < $1.column } }
  }

  /// Each column's letters: the letter of every column it is significantly higher than, upper
  /// case at the stricter level and lower case at the looser, in column order ("Ad").
  public var marks: [String] {
    higherThan.map { marks in
      marks.map { mark in
        mark.level == .stricter ? letters[mark.column] : letters[mark.column].lowercased()
      }.joined()
    }
  }

  /// The pair of columns i and j, in either order.
  public func pair(_ i: Int, _ j: Int) -> Pair? {
    pairs.first { $0.first == min(i, j) && $0.second == max(i, j) }
  }

  /// A, B, …, Z, AA, AB, … (as spreadsheet columns), starting at `offset`.
  public static func standardLetters(count: Int, offset: Int = 0) -> [String] {
    (offset..<(offset + count)).map { index in
      var number = index + 1
      var letters = ""
      while number > 0 {
        let remainder = (number - 1) % 26
        letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
        number = (number - 1) / 26
      }
      return letters
    }
  }
}

/// Each banner column of a stub row tested against the rest of the sample (Total without the
/// column), with a marker when it is significantly higher or lower.
///
/// ```swift
/// let total = ColumnSummary.proportion(count: 314, base: 800, sumOfSquaredWeights: 980,
///                                      respondents: 715)
/// let tests = TotalComparison.test(columns, against: total, statistic: .proportion)
/// tests.map(\.symbol)  // ["▼", "", "▲", ""]
/// ```
///
/// **Rest of the sample, not the Total column.** A column is part of Total, so a test of column
/// against Total compares a sample with itself in part: without the overlap correction it is
/// wrong, and with it (e0 = the column's own effective base) the Dimensions formula pools a p̄
/// that counts the column twice. The column and the rest of the sample (everyone in the Total
/// base who is not in the column) share no respondent — for single- and multi-response banners
/// alike — so the ordinary two-sample test applies with e0 = 0, and p̄ is the Total proportion
/// itself. The two questions have the same answer in direction: the Total is the weighted average
/// of the column and the rest, so p_column − p_total = (w_rest/w_total)·(p_column − p_rest); and
/// with equal weights the overlap-corrected column-vs-Total variance, p̄(1 − p̄)(1/n_c − 1/n_T),
/// is the column-vs-rest variance scaled by that same factor squared. quantipy's
/// `Test(test_total=True)` tests against the Total column (with the overlap term only for
/// multi-response banners); SPSS Dimensions has no such test. The rest's figures are Total's
/// minus the column's (Σw, Σw², counts and sums of disjoint sets subtract).
///
/// The p-values of a row's columns are adjusted together (the family is this row's tests
/// against the rest) with the options' adjustment; a suppressed column, or an empty rest, is not
/// tested.
public struct TotalComparison: Sendable, Hashable {
  /// Index of the column in the row.
  public var column: Int
  /// The column's base class.
  public var baseClass: BaseClass
  /// The column tested against the rest of the sample (statistic positive when the column is
  /// higher).
  public var outcome: ColumnTestOutcome
  /// The p-value after the row's adjustment; nil when not tested.
  public var adjustedPValue: Double?
  /// The level reached; nil when not significant or not tested.
  public var level: SignificanceLevel?

  /// The column's direction when the difference is significant.
  public var direction: ColumnComparison.Direction? {
    guard level != nil, let direction = outcome.comparison?.direction, direction != .equal
    else { return nil }
    return direction
  }

  /// ▲ / ▼ higher / lower than the rest at the stricter level, △ / ▽ at the looser level, ""
  /// when not significant (the triangles of Japanese cross-tab reports; a renderer may map the
  /// `direction` and `level` to other marks).
  public var symbol: String {
    switch (direction, level) {
    case (.higher, .stricter): return "▲"
    case (.higher, .looser): return "△"
    case (.lower, .stricter): return "▼"
    case (.lower, .looser): return "▽"
    default: return ""
    }
  }

  /// Tests each of `columns` against `total` without it.
  ///
  /// - Parameter total: the Total column of the same row (every column's respondents are in it).
  public static func test(
    _ columns: [ColumnSummary], against total: ColumnSummary, statistic: ColumnStatistic,
    options: ColumnTestOptions = ColumnTestOptions()
  ) -> [TotalComparison] {
    var results = columns.indices.map { index in
      let column = columns[index]
      let baseClass = options.smallBases.classify(column)
      let outcome: ColumnTestOutcome =
        baseClass == .suppressed
        ? .notTestable(.smallBase)
        : statistic.compare(column, total.removing(column))
      return TotalComparison(column: index, baseClass: baseClass, outcome: outcome)
    }
    let adjusted = options.adjustment.adjust(results.map(\.outcome.pValue))
    for index in results.indices {
      results[index].adjustedPValue = adjusted[index]
      results[index].level = adjusted[index].flatMap { options.level(of: $0) }
    }
    return results
  }
}
