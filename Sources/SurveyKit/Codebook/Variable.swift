/// One question or design variable of a codebook.
public struct Variable: Sendable, Hashable {
  public var name: String
  public var type: VariableType
  public var label: LocalizedText?
  public var question: LocalizedText?
  public var unit: LocalizedText?
  /// Valid codes with their labels, in codebook order (single, multi, numeric labels, strata).
  public var values: [ValueLabel]
  /// Codes that stand for a kind of non-answer; never part of a percentage base.
  public var missing: [MissingCode]
  /// The valid range of a numeric question, both ends included.
  public var range: ClosedRange<Double>?
  /// How a multi-response answer is laid out in the export; nil for other types.
  public var shape: MultiResponseShape?
  public var maximumChoices: Int?
  /// Codes that may only be chosen alone ("特にない").
  public var exclusive: [Int]
  /// When the question was asked; nil means everyone was asked.
  public var filter: FilterExpression?
  /// Whether a value may appear in one row only (always true for the id).
  public var isUnique: Bool
  /// Whether leaving the question blank is normal (free text is optional by default).
  public var isOptional: Bool

  public init(
    name: String, type: VariableType, label: LocalizedText? = nil, question: LocalizedText? = nil,
    unit: LocalizedText? = nil, values: [ValueLabel] = [], missing: [MissingCode] = [],
    range: ClosedRange<Double>? = nil, shape: MultiResponseShape? = nil,
    maximumChoices: Int? = nil, exclusive: [Int] = [], filter: FilterExpression? = nil,
    isUnique: Bool = false, isOptional: Bool = false
  ) {
    self.name = name
    self.type = type
    self.label = label
    self.question = question
    self.unit = unit
    self.values = values
    self.missing = missing
    self.range = range
    self.shape = shape
    self.maximumChoices = maximumChoices
    self.exclusive = exclusive
    self.filter = filter
    self.isUnique = isUnique
    self.isOptional = isOptional
  }

  /// The header columns that hold this variable, in order.
  public var columns: [String] {
    switch shape {
    case .dichotomy(let columns)?, .spread(let columns)?: return columns
    case .delimited(let column)?: return [column]
    case nil: return [name]
    }
  }

  /// The value label of `code`, if the codebook gives one.
  public func valueLabel(of code: Int) -> ValueLabel? {
    values.first { $0.code == code }
  }

  /// The missing code `code`, if it is one.
  public func missingCode(_ code: Int) -> MissingCode? {
    missing.first { $0.code == code }
  }

  /// The codes in the form used in messages: `1–5; 9 = 無回答`, or `1, 3, 7; 9 = 無回答`.
  public var codeSummary: String {
    let codes = values.map(\.code)
    var text: String
    if codes.isEmpty {
      text = "no codes"
    } else if codes == Array(codes[0]...codes[0] + codes.count - 1) && codes.count > 2 {
      text = "\(codes[0])–\(codes[codes.count - 1])"
    } else {
      text = codes.map(String.init).joined(separator: ", ")
    }
    if !missing.isEmpty {
      text += "; " + missing.map { "\($0.code) = \($0.label.japanese)" }.joined(separator: ", ")
    }
    return text
  }
}

/// What a variable holds: its role in the design or the kind of question.
public enum VariableType: String, Sendable, Hashable, CaseIterable, Codable {
  /// The respondent id; unique, never blank.
  case id
  /// One code from a list (単一回答, S.A.).
  case single
  /// Any number of codes from a list (複数回答, M.A.).
  case multi
  /// A number, such as the ideal number of children.
  case numeric
  /// Free text.
  case text
  /// The design (sampling) weight.
  case weight
  /// The sampling stratum.
  case stratum
  /// The primary sampling unit (cluster).
  case cluster
  /// The finite population correction: the stratum's population size or sampling fraction.
  case fpc
}

/// A valid code and its label.
public struct ValueLabel: Sendable, Hashable, Codable {
  public var code: Int
  public var label: LocalizedText

  public init(code: Int, label: LocalizedText) {
    self.code = code
    self.label = label
  }
}

/// A code that stands for a non-answer, with what kind of non-answer it is.
public struct MissingCode: Sendable, Hashable, Codable {
  public var code: Int
  public var meaning: MissingMeaning
  public var label: LocalizedText

  public init(code: Int, meaning: MissingMeaning, label: LocalizedText? = nil) {
    self.code = code
    self.meaning = meaning
    self.label = label ?? meaning.defaultLabel
  }
}

/// The kinds of non-answer a questionnaire distinguishes.
public enum MissingMeaning: String, Sendable, Hashable, CaseIterable, Codable {
  /// 無回答: the respondent was asked and did not answer.
  case noAnswer = "no-answer"
  /// 非該当: the question did not apply (it was not asked).
  case notApplicable = "not-applicable"
  /// わからない: the respondent answered that they do not know.
  case dontKnow = "dont-know"

  public var defaultLabel: LocalizedText {
    switch self {
    case .noAnswer: return LocalizedText(japanese: "無回答", english: "No answer")
    case .notApplicable: return LocalizedText(japanese: "非該当", english: "Not applicable")
    case .dontKnow: return LocalizedText(japanese: "わからない", english: "Don't know")
    }
  }
}

/// The three layouts of a multi-response answer in an export; all give the same table.
public enum MultiResponseShape: Sendable, Hashable {
  /// One 0/1 column per code, in the order of the variable's values (Q7_1 … Q7_8).
  case dichotomy(columns: [String])
  /// Columns holding the chosen codes from the left, blanks after (Q7_1 … Q7_3).
  case spread(columns: [String])
  /// One cell with the codes separated by `;`, `,`, `、` or `，` ("1;3;5", "１、３").
  case delimited(column: String)

  public var name: String {
    switch self {
    case .dichotomy: return "dichotomy"
    case .spread: return "spread"
    case .delimited: return "delimited"
    }
  }
}
