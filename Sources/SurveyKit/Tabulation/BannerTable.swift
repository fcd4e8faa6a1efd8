/// A banner table (クロス集計): one or more stub questions (the rows) against a banner of columns,
/// Total first and then the categories of each break variable side by side.
///
/// ```text
/// 表1 住みやすさ（性別・年齢別）
/// Q5 住みやすさ（単一回答）
///                               全体      性別            年齢
///                                         男性    女性    18～29歳  …
///                                         A       B       A         …
///   基数（n）                    1,191     556     635       98     …
///   住みやすい                    33.1    31.2    34.7     25.4     …
/// ```
/// Made by `BannerTableBuilder`; every cell of a stub comes from one `CrossTabulation` (one scan
/// for the estimates, one for the linearisation scores). Shown by a `ReportFormat`.
public struct BannerTable: Sendable, Hashable {
  /// The table's title from the spec; nil for a table made from `--rows`/`--by`.
  public var title: LocalizedText?
  /// The base filter (rows failing it are outside every base), as written.
  public var filter: String?
  /// The banner columns: Total (index 0), then each break's categories.
  public var columns: [BannerColumn]
  /// The break variables, in banner order, with the columns each one owns.
  public var breaks: [BannerBreak]
  /// One block per stub question, in the order of the spec's `rows`.
  public var blocks: [BannerBlock]
  /// The figures the spec asks to show in each cell (`[.column]` by default).
  public var cellFigures: [BannerTableSpec.CellFigure]

  public init(
    title: LocalizedText? = nil, filter: String? = nil, columns: [BannerColumn],
    breaks: [BannerBreak], blocks: [BannerBlock],
    cellFigures: [BannerTableSpec.CellFigure] = [.column]
  ) {
    self.title = title
    self.filter = filter
    self.columns = columns
    self.breaks = breaks
    self.blocks = blocks
    self.cellFigures = cellFigures
  }
}

/// One banner column: Total, or one category of a break variable.
public struct BannerColumn: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Every respondent of the base (全体).
    case total
    /// The respondents in one category of a break variable.
    case category
  }

  public var kind: Kind
  /// The break's position in `BannerTable.breaks`; nil for Total.
  public var breakIndex: Int?
  /// The category's code (numeric breaks: its value, when whole).
  public var code: Int?
  public var label: LocalizedText
  /// The column's letter within its break (`A`, `B`, …), used by the significance letters; in a
  /// nested break, within its outer category (each outer category starts again at `A`).
  public var letter: String?
  /// In a nested break (`F1 > F2`): the outer category's code (`code` and `label` are the inner
  /// category's); nil otherwise.
  public var outerCode: Int?
  /// In a nested break: the outer category's label; nil otherwise.
  public var outerLabel: LocalizedText?

  public init(
    kind: Kind, breakIndex: Int? = nil, code: Int? = nil, label: LocalizedText,
    letter: String? = nil, outerCode: Int? = nil, outerLabel: LocalizedText? = nil
  ) {
    self.kind = kind
    self.breakIndex = breakIndex
    self.code = code
    self.label = label
    self.letter = letter
    self.outerCode = outerCode
    self.outerLabel = outerLabel
  }
}

/// A break variable of the banner, or a nested pair of single-choice variables (`F1 > F2`: a
/// column for every combination of an outer and an inner category, outer first).
public struct BannerBreak: Sendable, Hashable {
  /// The break variable; for a nested break, the outer one.
  public var variable: String
  public var type: FrequencyTable.QuestionType
  /// The variable's label; for a nested break, the outer variable's.
  public var label: LocalizedText?
  /// The break's columns in `BannerTable.columns`.
  public var columns: Range<Int>
  /// For a nested break, the inner variable; nil otherwise.
  public var innerVariable: String?
  /// For a nested break, the inner variable's label.
  public var innerLabel: LocalizedText?
  /// For a nested break, the columns of each outer category shown, in order (the groups the
  /// column tests compare within); empty otherwise.
  public var groups: [Range<Int>]

  public init(
    variable: String, type: FrequencyTable.QuestionType, label: LocalizedText?,
    columns: Range<Int>, innerVariable: String? = nil, innerLabel: LocalizedText? = nil,
    groups: [Range<Int>] = []
  ) {
    self.variable = variable
    self.type = type
    self.label = label
    self.columns = columns
    self.innerVariable = innerVariable
    self.innerLabel = innerLabel
    self.groups = groups
  }

  /// Whether a respondent can be in several of its columns (a multi-response break).
  public var columnsOverlap: Bool { type == .multi }

  /// Whether the break is a nested pair (`F1 > F2`).
  public var isNested: Bool { innerVariable != nil }

  /// The break as a spec names it: `F1`, or `F1 > F2` for a nested break.
  public var name: String { innerVariable.map { "\(variable) > \($0)" } ?? variable }

  /// The sets of columns the column tests compare among: each outer category's columns for a
  /// nested break, all of its columns otherwise.
  public var testGroups: [Range<Int>] { isNested ? groups : [columns] }
}

/// One stub question of a banner table: its base in every column, its rows and its tests.
public struct BannerBlock: Sendable, Hashable {
  public var variable: String
  public var type: FrequencyTable.QuestionType
  public var label: LocalizedText?
  public var question: LocalizedText?
  /// The percentage base of every column.
  public var bases: [BannerBase]
  /// The rows in display order: categories, nets, the mean, then the rows outside the base.
  public var rows: [BannerRow]
  /// Rao–Scott tests of the stub against each single-choice break (single-choice stubs only).
  public var independenceTests: [BannerIndependenceTest]
  /// Warnings from the variance estimation.
  public var warnings: [String]
  /// A numeric stub with too many distinct values for a distribution: how many there were.
  public var omittedDistinctValues: Int?

  public init(
    variable: String, type: FrequencyTable.QuestionType, label: LocalizedText? = nil,
    question: LocalizedText? = nil, bases: [BannerBase], rows: [BannerRow],
    independenceTests: [BannerIndependenceTest] = [], warnings: [String] = [],
    omittedDistinctValues: Int? = nil
  ) {
    self.variable = variable
    self.type = type
    self.label = label
    self.question = question
    self.bases = bases
    self.rows = rows
    self.independenceTests = independenceTests
    self.warnings = warnings
    self.omittedDistinctValues = omittedDistinctValues
  }

  /// The rows inside the base (categories, nets, the mean).
  public var baseRows: [BannerRow] { rows.filter(\.isInBase) }
  /// The rows outside the base (declared missing codes, not asked, blank or invalid).
  public var missingRows: [BannerRow] { rows.filter { !$0.isInBase } }
}

/// A column's percentage base for one stub: the respondents of the column with an answer.
public struct BannerBase: Sendable, Hashable {
  /// How a report treats figures on this base.
  public enum Size: String, Sendable, Hashable, Codable {
    /// Large enough.
    case adequate
    /// Below the small-base threshold (30 by default): figures flagged `*`.
    case small
    /// Below the suppression threshold (10 by default): percentages and means not shown.
    case suppressed
    /// Nobody in the base.
    case empty
  }

  public var respondents: Int
  public var weighted: Double
  /// Kish's effective base (Σw)²/Σw².
  public var effective: Double
  public var size: Size

  public init(respondents: Int, weighted: Double, effective: Double, size: Size) {
    self.respondents = respondents
    self.weighted = weighted
    self.effective = effective
    self.size = size
  }
}

/// One row of a block: a category, a net, the mean, or a kind of missing answer.
public struct BannerRow: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// A category of the stub (a code, an option, a value of a number).
    case category
    /// A net: respondents with any of `codes` (住みやすい計 = 1 + 2).
    case net
    /// The mean of the codes, of the reversed codes, or of a number's values.
    case mean
    /// A declared missing code (無回答, わからない), outside the base.
    case missingCode = "missing-code"
    /// Not asked (the question's filter), outside the base.
    case notAsked = "not-asked"
    /// Empty or set missing by a rule, outside the base.
    case blankOrInvalid = "blank-or-invalid"
  }

  public var kind: Kind
  /// The code of a category or missing code.
  public var code: Int?
  /// The value of a numeric stub's category.
  public var value: Double?
  /// The codes of a net.
  public var codes: [Int]
  public var label: LocalizedText
  /// For a mean row: how the codes are scored.
  public var meanScale: MeanSummary.Scale?
  /// One cell per banner column.
  public var cells: [BannerCell]

  public init(
    kind: Kind, code: Int? = nil, value: Double? = nil, codes: [Int] = [],
    label: LocalizedText, meanScale: MeanSummary.Scale? = nil, cells: [BannerCell] = []
  ) {
    self.kind = kind
    self.code = code
    self.value = value
    self.codes = codes
    self.label = label
    self.meanScale = meanScale
    self.cells = cells
  }

  public var isInBase: Bool { kind == .category || kind == .net || kind == .mean }
}

/// One cell: a stub row in a banner column.
public struct BannerCell: Sendable, Hashable {
  /// Respondents (unweighted) of the column in the row; for a mean row, the column's base.
  public var respondents: Int
  /// Σw over them (for a mean row: the column's weighted base).
  public var weighted: Double
  /// The column share (0…1) or the column mean; nil outside the base, or without respondents.
  public var estimate: TableEstimate?
  /// The significance letters within the column's break: the letters of the columns this one is
  /// significantly higher than, upper case at the stricter level, lower case at the looser one.
  public var letters: String
  /// Every test of this column against the other columns of its break, in column order.
  public var comparisons: [BannerComparison]
  /// The test of this column against the rest of the sample (pooled tests) or against Total
  /// (design-based tests); nil for Total, or when tests against Total are off.
  public var versusTotal: BannerComparison?
  /// The row share (0…1): this cell's weighted count over the stub row's weighted count in the
  /// columns of its break (1 for Total when the row has anyone); nil for a multi-response break,
  /// a mean row, a row outside the base, or a row nobody in the break is in. A point estimate.
  public var rowShare: Double?
  /// The total share (0…1): this cell's weighted count over its break's whole weighted base (for
  /// Total, the column share); nil for a multi-response break, a mean row, a row outside the
  /// base, or a break nobody is in. A point estimate.
  public var totalShare: Double?

  public init(
    respondents: Int, weighted: Double, estimate: TableEstimate? = nil, letters: String = "",
    comparisons: [BannerComparison] = [], versusTotal: BannerComparison? = nil,
    rowShare: Double? = nil, totalShare: Double? = nil
  ) {
    self.rowShare = rowShare
    self.totalShare = totalShare
    self.respondents = respondents
    self.weighted = weighted
    self.estimate = estimate
    self.letters = letters
    self.comparisons = comparisons
    self.versusTotal = versusTotal
  }

  /// ▲ / ▼ significantly higher / lower than the rest (or Total) at the stricter level, △ / ▽ at
  /// the looser one; "" otherwise.
  public var totalSymbol: String {
    guard let test = versusTotal, let level = test.level, test.difference != 0 else { return "" }
    switch (test.difference > 0, level) {
    case (true, .stricter): return "▲"
    case (true, .looser): return "△"
    case (false, .stricter): return "▼"
    case (false, .looser): return "▽"
    }
  }
}

/// One column test of a cell: the column it is compared with, the difference, the test
/// statistic with its degrees of freedom, the p-value before and after the adjustment for
/// multiple comparisons, and the level reached.
public struct BannerComparison: Sendable, Hashable {
  /// The other column (0 = Total or, for pooled tests against Total, the rest of the sample).
  public var column: Int
  /// This column's estimate minus the other's (shares in 0…1); against Total with pooled tests,
  /// minus the rest of the sample's. NaN when an estimate does not exist (an empty base).
  public var difference: Double
  public var standardError: Double?
  /// t = difference / standardError.
  public var statistic: Double?
  public var degreesOfFreedom: Double?
  /// The two-sided p-value; nil when the pair could not be tested (`refusal` says why).
  public var pValue: Double?
  /// The p-value after the row's adjustment (equal to `pValue` without one).
  public var adjustedPValue: Double?
  /// The level the adjusted p-value reaches; nil when not significant or not tested.
  public var level: SignificanceLevel?
  /// Why the pair was not tested.
  public var refusal: ColumnTestRefusal?

  public init(
    column: Int, difference: Double, standardError: Double? = nil, statistic: Double? = nil,
    degreesOfFreedom: Double? = nil, pValue: Double? = nil, adjustedPValue: Double? = nil,
    level: SignificanceLevel? = nil, refusal: ColumnTestRefusal? = nil
  ) {
    self.column = column
    self.difference = difference
    self.standardError = standardError
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pValue = pValue
    self.adjustedPValue = adjustedPValue
    self.level = level
    self.refusal = refusal
  }
}

/// The Rao–Scott test of independence of a single-choice stub and a single-choice break.
public struct BannerIndependenceTest: Sendable, Hashable {
  /// The break's position in `BannerTable.breaks`.
  public var breakIndex: Int
  /// The test; nil when it cannot be made (`reason` says why).
  public var test: RaoScottTest?
  public var reason: String?

  public init(breakIndex: Int, test: RaoScottTest?, reason: String? = nil) {
    self.breakIndex = breakIndex
    self.test = test
    self.reason = reason
  }
}
