/// The 単純集計 of one question: each answer's unweighted n, weighted count and design-based
/// percentage with its standard error, confidence interval and design effect, the base, the
/// missing answers as rows of their own, and for scales and numbers the mean.
///
/// ```text
/// Q5 住みやすさ（単一回答）
/// 苫小牧は住みやすいまちだと思いますか。
///                                   n   推計数      %  標準誤差  95%信頼区間  deff
///   住みやすい                    392   47,632   33.1      1.37    30.5–35.8  1.02
///   …
///   合計（基数）                1,191  143,910  100.0
/// * 無回答                          9    1,090
///   平均（1～5のコード） 2.14（標準誤差 0.032、95%信頼区間 2.08–2.20、deff 1.03、n 1,191）
/// ```
/// Made by `FrequencyTableBuilder`; shown by a `ReportFormat` (`report.render(.text())`).
public struct FrequencyTable: Sendable, Hashable {
  /// The question's variable name (`Q5`).
  public var variable: String
  public var type: QuestionType
  public var label: LocalizedText?
  public var question: LocalizedText?
  /// The rows in display order: the base's categories first, then the rows outside the base.
  public var rows: [FrequencyRow]
  /// The respondents in the percentage base and their weighted count.
  public var base: Count
  /// Multi-response: every choice made by the respondents in the base (the base of the
  /// percentages of responses).
  public var responses: Count?
  /// The mean of a numeric question, or of a rating scale's codes (see `MeanSummary`).
  public var mean: MeanSummary?
  /// The median of a numeric question, when quantiles are available.
  public var median: TableEstimate?
  public var status: Status
  /// A numeric question with too many different values for a table: how many there were.
  public var omittedDistinctValues: Int?
  /// Warnings from the variance estimation (a domain with one PSU in a stratum).
  public var warnings: [String]

  public init(
    variable: String, type: QuestionType, label: LocalizedText? = nil,
    question: LocalizedText? = nil, rows: [FrequencyRow] = [], base: Count = Count(),
    responses: Count? = nil, mean: MeanSummary? = nil, median: TableEstimate? = nil,
    status: Status = .tabulated, omittedDistinctValues: Int? = nil, warnings: [String] = []
  ) {
    self.variable = variable
    self.type = type
    self.label = label
    self.question = question
    self.rows = rows
    self.base = base
    self.responses = responses
    self.mean = mean
    self.median = median
    self.status = status
    self.omittedDistinctValues = omittedDistinctValues
    self.warnings = warnings
  }

  /// The kinds of question a frequency table is made for.
  public enum QuestionType: String, Sendable, Hashable, Codable {
    /// 単一回答 (S.A.).
    case single
    /// 複数回答 (M.A.): percentages of respondents may add up to more than 100.
    case multi
    /// A number, tabulated over its labelled and observed values, with its mean.
    case numeric
  }

  /// Whether the table could be estimated.
  public enum Status: String, Sendable, Hashable, Codable {
    case tabulated
    /// Nobody is in the base (every answer is missing): counts only, no percentages.
    case noRespondents = "no-respondents"
    /// The base has respondents but their weights add up to 0: counts only.
    case zeroWeight = "zero-weight"
  }

  /// An unweighted and a weighted count.
  public struct Count: Sendable, Hashable {
    public var respondents: Int
    public var weighted: Double

    public init(respondents: Int = 0, weighted: Double = 0) {
      self.respondents = respondents
      self.weighted = weighted
    }
  }

  /// The rows inside the percentage base, in order.
  public var baseRows: [FrequencyRow] { rows.filter(\.isInBase) }

  /// The rows outside the base (missing answers), in order.
  public var missingRows: [FrequencyRow] { rows.filter { !$0.isInBase } }
}

/// One row of a frequency table: an answer category, or a kind of missing answer.
public struct FrequencyRow: Sendable, Hashable {
  public var kind: Kind
  /// The code of a category or a declared missing code; nil for the other rows.
  public var code: Int?
  /// The value of a numeric question's category.
  public var value: Double?
  public var label: LocalizedText
  /// Whether the row is part of the percentage base (a category, or a declared missing code
  /// with `includeMissing`).
  public var isInBase: Bool
  /// Unweighted count.
  public var respondents: Int
  /// Σ w over the row's respondents: the estimated number in the population.
  public var weightedCount: Double
  /// The share of the base, 0…1 (multi-response: of the respondents); nil outside the base.
  public var share: TableEstimate?
  /// Multi-response: the share of all choices, 0…1.
  public var shareOfResponses: TableEstimate?

  public init(
    kind: Kind, code: Int? = nil, value: Double? = nil, label: LocalizedText, isInBase: Bool,
    respondents: Int, weightedCount: Double, share: TableEstimate? = nil,
    shareOfResponses: TableEstimate? = nil
  ) {
    self.kind = kind
    self.code = code
    self.value = value
    self.label = label
    self.isInBase = isInBase
    self.respondents = respondents
    self.weightedCount = weightedCount
    self.share = share
    self.shareOfResponses = shareOfResponses
  }

  public enum Kind: String, Sendable, Hashable, Codable {
    /// A valid answer (a code, a multi-response option, a value of a number).
    case category
    /// A declared missing code (無回答, わからない, 非該当 as a code).
    case missingCode = "missing-code"
    /// The question's filter says it was not asked (非該当).
    case notAsked = "not-asked"
    /// The cell was empty, or its value was set missing by a rule of `survey check`.
    case blankOrInvalid = "blank-or-invalid"
  }
}

/// An estimate as a table shows it; the parts that cannot be computed are nil, never NaN.
public struct TableEstimate: Sendable, Hashable {
  public var estimate: Double
  public var standardError: Double?
  public var confidenceInterval: ConfidenceInterval?
  /// R's `deff = TRUE`.
  public var designEffect: Double?

  public init(
    estimate: Double, standardError: Double? = nil,
    confidenceInterval: ConfidenceInterval? = nil, designEffect: Double? = nil
  ) {
    self.estimate = estimate
    self.standardError = standardError.flatMap { $0.isFinite ? $0 : nil }
    self.confidenceInterval = confidenceInterval.flatMap {
      $0.lower.isFinite && $0.upper.isFinite ? $0 : nil
    }
    self.designEffect = designEffect.flatMap { $0.isFinite ? $0 : nil }
  }
}

/// The mean shown under a table.
public struct MeanSummary: Sendable, Hashable {
  public var scale: Scale
  public var estimate: TableEstimate
  /// The respondents the mean is taken over (valid answers only, never missing codes).
  public var base: FrequencyTable.Count

  public init(scale: Scale, estimate: TableEstimate, base: FrequencyTable.Count) {
    self.scale = scale
    self.estimate = estimate
    self.base = base
  }

  public enum Scale: Sendable, Hashable {
    /// The mean of a numeric question's values.
    case values
    /// The mean of a rating scale's codes as they are (`lowest…highest`).
    case codes(lowest: Int, highest: Int)
    /// The mean on the reversed scale, `lowest + highest − code` (6 − code on a 1–5 scale).
    case reversedCodes(lowest: Int, highest: Int)
  }
}
