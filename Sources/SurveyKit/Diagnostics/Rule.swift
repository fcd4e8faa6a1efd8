/// A check that the ingest stage applies to a survey export, with the action it takes by default.
///
/// The raw value of each rule is the identifier used in codebooks (`rules:`), in JSON output and in
/// the dirty sample's defect list, e.g. `unknown-code`. docs/codebook.md lists every rule.
public enum Rule: String, CaseIterable, Sendable, Codable, Hashable {
  // The header row.
  case missingColumn = "missing-column"
  case duplicateColumn = "duplicate-column"
  case unknownColumn = "unknown-column"
  // The shape of a record.
  case blankLine = "blank-line"
  case tooFewFields = "too-few-fields"
  case tooManyFields = "too-many-fields"
  case malformedQuotes = "malformed-quotes"
  case undecodableBytes = "undecodable-bytes"
  // Values of questions.
  case notANumber = "not-a-number"
  case unknownCode = "unknown-code"
  case outOfRange = "out-of-range"
  case tooManyChoices = "too-many-choices"
  case repeatedChoice = "repeated-choice"
  case exclusiveChoice = "exclusive-choice"
  case notDichotomous = "not-dichotomous"
  case notAsked = "not-asked"
  case askedNotAnswered = "asked-not-answered"
  // Respondent identity and the sampling design.
  case missingID = "missing-id"
  case duplicateID = "duplicate-id"
  case duplicateValue = "duplicate-value"
  case missingWeight = "missing-weight"
  case nonNumericWeight = "non-numeric-weight"
  case nonPositiveWeight = "non-positive-weight"
  case unknownStratum = "unknown-stratum"
  case missingDesignValue = "missing-design-value"
  case invalidPopulationSize = "invalid-population-size"

  /// What happens to a row or cell that breaks the rule when the codebook does not say otherwise.
  public var defaultAction: Action {
    switch self {
    case .unknownColumn, .blankLine, .repeatedChoice, .askedNotAnswered:
      return .warn
    case .missingColumn, .duplicateColumn, .undecodableBytes, .notANumber, .unknownCode,
      .outOfRange, .tooManyChoices, .exclusiveChoice, .notDichotomous, .notAsked:
      return .setMissing
    case .tooFewFields, .tooManyFields, .malformedQuotes, .missingID, .duplicateID,
      .duplicateValue, .missingWeight, .nonNumericWeight, .nonPositiveWeight, .unknownStratum,
      .missingDesignValue, .invalidPopulationSize:
      return .reject
    }
  }

  /// The actions a codebook may choose. A design value (weight, stratum, population size) cannot
  /// be kept when it is unusable, so those rules offer `reject` and `set-missing` only.
  public var allowedActions: [Action] {
    switch self {
    case .missingWeight, .nonNumericWeight, .nonPositiveWeight, .unknownStratum,
      .missingDesignValue, .invalidPopulationSize:
      return [.reject, .setMissing]
    default:
      return isConfigurable ? Action.allCases : [defaultAction]
    }
  }

  /// Whether a codebook may change the rule's action. Rules about the file's structure and the
  /// header are fixed: a row whose fields cannot be aligned with the header can only be rejected.
  public var isConfigurable: Bool {
    switch self {
    case .missingColumn, .duplicateColumn, .unknownColumn, .blankLine, .tooFewFields,
      .tooManyFields, .malformedQuotes:
      return false
    default:
      return true
    }
  }
}

/// What the ingest stage does with a row or cell that breaks a rule.
public enum Action: String, CaseIterable, Sendable, Codable, Hashable {
  /// The whole row is left out of the table and written to the reject log.
  case reject
  /// The cell (or the whole multi-response answer) is kept as missing, marked as invalid.
  case setMissing = "set-missing"
  /// The value is kept and the problem reported as a warning.
  case warn

  /// Rejecting a row and blanking a cell change the data, so both are errors; a warning does not.
  public var severity: Severity { self == .warn ? .warning : .error }
}

/// How serious a diagnostic is; `error` makes `survey check` exit with status 1.
public enum Severity: String, Sendable, Codable, Hashable, Comparable {
  case warning
  case error

  public static func < (lhs: Severity, rhs: Severity) -> Bool {
    lhs == .warning && rhs == .error
  }
}
