import Foundation

/// What banner tables to make: a list of tables (stub questions × break variables, with a base
/// filter, nets, means and hidden empty rows) and the settings they share. Read from a YAML spec
/// file (`BannerTableSpec(contentsOf:codebook:)`, documented in docs/tables.md) or made from the
/// command line's `--rows` and `--by`.
///
/// ```yaml
/// defaults: {alpha: [0.01, 0.05], small_base: 30, suppress_below: 10}
/// tables:
///   - title: 住みやすさ（性別・年齢別）
///     rows: [Q5]
///     by: [F1, F2]
///     nets: {Q5: {住みやすい計: [1, 2], 住みにくい計: [4, 5]}}
///     mean: reversed
/// ```
public struct BannerTableSpec: Sendable, Hashable {
  /// The report's title; nil uses the survey's.
  public var title: LocalizedText?
  public var options: BannerOptions
  public var tables: [Table]
  /// New groupings of variables, usable in every table's `rows` and `by` by their names.
  public var recodes: [Recode]

  public init(
    title: LocalizedText? = nil, options: BannerOptions = .init(), tables: [Table],
    recodes: [Recode] = []
  ) {
    self.title = title
    self.options = options
    self.tables = tables
    self.recodes = recodes
  }

  /// One table of the spec.
  public struct Table: Sendable, Hashable {
    public var title: LocalizedText?
    /// The stub questions, in order (single, multi or numeric).
    public var rows: [String]
    /// The break variables, in banner order after Total (single, multi, numeric with labelled
    /// values, or the stratum); an item may be a nested pair of single-choice variables,
    /// `F1 > F2` (every combination of their categories, outer first).
    public var by: [String]
    /// The base filter: rows for which it is not true are outside every base.
    public var filter: FilterExpression?
    /// The filter as written (shown in reports); nil uses the expression's own text.
    public var filterText: String?
    /// Nets of each stub question, shown after its categories.
    public var nets: [String: [Net]]
    /// The mean row of each stub question (single questions with consecutive codes; numeric
    /// questions always have one).
    public var means: [String: MeanRow]
    /// Leave out categories that nobody in the base chose.
    public var hideEmpty: Bool
    /// The figures shown in each cell of a category or net row (column % always first).
    public var cells: [CellFigure]
    /// The order of a single question's categories (rows or columns): these codes first, in
    /// this order, then the rest in codebook order.
    public var order: [String: [Int]]

    public init(
      title: LocalizedText? = nil, rows: [String], by: [String], filter: FilterExpression? = nil,
      filterText: String? = nil, nets: [String: [Net]] = [:], means: [String: MeanRow] = [:],
      hideEmpty: Bool = false, cells: [CellFigure] = [.column], order: [String: [Int]] = [:]
    ) {
      self.title = title
      self.rows = rows
      self.by = by
      self.filter = filter
      self.filterText = filterText
      self.nets = nets
      self.means = means
      self.hideEmpty = hideEmpty
      self.cells = cells
      self.order = order
    }
  }

  /// A figure of a cell (`cells: [column, row, total, n]`).
  public enum CellFigure: String, Sendable, Hashable, CaseIterable, Codable {
    /// The column percentage (the row's share of the column's base); always shown.
    case column
    /// The row percentage: the share of the stub row's weighted count that falls in this
    /// column, within its break (a single-choice break's columns add up to 100; Total is 100).
    case row
    /// The total percentage: the cell's weighted count over its break's whole weighted base.
    case total
    /// The unweighted number of respondents in the cell.
    case n
  }

  /// A net row: the respondents who gave any of `codes` (住みやすい計 = 1 + 2).
  public struct Net: Sendable, Hashable {
    public var label: LocalizedText
    public var codes: [Int]

    public init(label: LocalizedText, codes: [Int]) {
      self.label = label
      self.codes = codes
    }
  }

  /// The mean row of a single-choice question.
  public enum MeanRow: String, Sendable, Hashable, Codable {
    /// The mean of the codes as they are.
    case codes
    /// The mean of lowest + highest − code (a 1 = 満足 questionnaire on a 5 = best KPI scale).
    case reversed
  }
}

/// How banner tables are tested and shown; the spec's `defaults`.
public struct BannerOptions: Sendable, Hashable {
  /// The level of the cells' confidence intervals (0.95).
  public var confidenceLevel: Double
  /// How intervals of percentages are made (logit, as `survey freq`).
  public var intervalMethod: ProportionIntervalMethod
  /// The stricter significance level (upper-case letters, ▲ ▼), 0.01 by default; nil for one
  /// level only.
  public var strictAlpha: Double?
  /// The looser significance level (lower-case letters, △ ▽), 0.05 by default.
  public var alpha: Double
  /// How the p-values of a row are adjusted for its many comparisons.
  public var adjustment: PValueAdjustment
  /// Test each column against the rest of the sample too (▲ ▼).
  public var testAgainstTotal: Bool
  /// Column tests as SPSS does (pooled on effective bases, with the overlap correction), or with
  /// the design-based variance of the difference.
  public var testMethod: TestMethod
  /// A base below this many respondents is flagged `*` (30).
  public var smallBase: Int
  /// A base below this many respondents shows no percentages or means (10).
  public var suppressBelow: Int
  /// Make the column tests and their letters.
  public var columnTests: Bool
  /// Make the Rao–Scott test of every single-choice stub against every single-choice break.
  public var independenceTests: Bool

  public init(
    confidenceLevel: Double = 0.95, intervalMethod: ProportionIntervalMethod = .logit,
    strictAlpha: Double? = 0.01, alpha: Double = 0.05, adjustment: PValueAdjustment = .none,
    testAgainstTotal: Bool = true, testMethod: TestMethod = .pooled, smallBase: Int = 30,
    suppressBelow: Int = 10, columnTests: Bool = true, independenceTests: Bool = true
  ) {
    self.confidenceLevel = confidenceLevel
    self.intervalMethod = intervalMethod
    self.strictAlpha = strictAlpha
    self.alpha = alpha
    self.adjustment = adjustment
    self.testAgainstTotal = testAgainstTotal
    self.testMethod = testMethod
    self.smallBase = smallBase
    self.suppressBelow = suppressBelow
    self.columnTests = columnTests
    self.independenceTests = independenceTests
  }

  /// How two columns are compared.
  public enum TestMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// SPSS Dimensions / quantipy: pooled proportion on Kish effective bases, with the overlap
    /// correction for multi-response banners.
    case pooled = "spss"
    /// The difference of the two estimates with its Taylor variance (strata, PSUs and the
    /// covariance of overlapping columns honoured), t on the design degrees of freedom.
    case design
  }
}

extension BannerOptions {
  /// The options of the column tests (`ColumnLetters`, `TotalComparison`).
  public var columnTestOptions: ColumnTestOptions {
    ColumnTestOptions(
      stricterLevel: strictAlpha ?? alpha, looserLevel: alpha, adjustment: adjustment,
      smallBases: SmallBasePolicy(
        flagBelow: Double(smallBase), suppressBelow: Double(suppressBelow)))
  }
}

extension BannerTableSpec {
  /// A `by` item's variable names: one for a plain break, the outer and the inner variable for
  /// a nested pair (`F1 > F2`); any other count, or an empty name, is not a break.
  public static func breakParts(_ item: String) -> [String] {
    item.split(separator: ">", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
  }

  /// A `by` item written the one way tables name it: `F1`, or `F1 > F2`.
  public static func normalizedBreak(_ item: String) -> String {
    breakParts(item).joined(separator: " > ")
  }
}
