/// The questionnaire's schema: the survey, its variables and how strictly to check an export.
///
/// Loaded from YAML (`Codebook(contentsOf:)`, documented in docs/codebook.md); every later stage
/// reads labels, missing codes and multi-response sets from here rather than from the data.
public struct Codebook: Sendable, Hashable {
  public var survey: SurveyInfo
  public var variables: [Variable]
  /// Actions the codebook sets for rules, overriding `Rule.defaultAction`.
  public var actions: [Rule: Action]

  public init(survey: SurveyInfo, variables: [Variable], actions: [Rule: Action] = [:]) {
    self.survey = survey
    self.variables = variables
    self.actions = actions
  }

  /// The action taken when `rule` is broken.
  public func action(for rule: Rule) -> Action {
    actions[rule] ?? rule.defaultAction
  }

  /// The variable named `name`.
  public func variable(named name: String) -> Variable? {
    variables.first { $0.name == name }
  }

  /// The first variable of `type` (the id, the weight, the stratum).
  public func variable(ofType type: VariableType) -> Variable? {
    variables.first { $0.type == type }
  }
}

/// What the survey is.
public struct SurveyInfo: Sendable, Hashable {
  public var id: String
  public var title: LocalizedText
  public var wave: String?
  /// The size of the population the sample was drawn from, if known.
  public var population: Double?
  public var note: String?

  public init(
    id: String, title: LocalizedText, wave: String? = nil, population: Double? = nil,
    note: String? = nil
  ) {
    self.id = id
    self.title = title
    self.wave = wave
    self.population = population
    self.note = note
  }
}
