/// The indicators (KPI, 評価指標) of a strategy (総合戦略) and how each is judged: read from a KPI
/// definitions file (docs/kpi.md).
public struct KPIDefinitions: Sendable, Equatable {
  /// The file's name as given, for messages.
  public var file: String
  /// The strategy the indicators belong to (第1期総合戦略).
  public var strategy: LocalizedText?
  /// The basic goals (基本目標), numbered as in the strategy.
  public var goals: [KPIGoal]
  /// The indicators, in file order.
  public var indicators: [KPIDefinition]

  public init(
    file: String, strategy: LocalizedText? = nil, goals: [KPIGoal] = [],
    indicators: [KPIDefinition] = []
  ) {
    self.file = file
    self.strategy = strategy
    self.goals = goals
    self.indicators = indicators
  }

  /// The indicator with this id.
  public func indicator(_ id: String) -> KPIDefinition? {
    indicators.first { $0.id == id }
  }
}

/// A basic goal (基本目標) of the strategy.
public struct KPIGoal: Sendable, Equatable {
  public var number: Int
  public var name: LocalizedText

  public init(number: Int, name: LocalizedText) {
    self.number = number
    self.name = name
  }
}

/// A value in a year: a baseline (基準値) or a target (目標値).
public struct KPIYearValue: Sendable, Equatable {
  /// The Western (Gregorian) year: fiscal or calendar, as the strategy counts it.
  public var year: Int
  public var value: Double

  public init(year: Int, value: Double) {
    self.year = year
    self.value = value
  }
}

/// One indicator (評価指標) of the strategy.
public struct KPIDefinition: Sendable, Equatable {
  /// Whether a larger value is better (転入者数) or a smaller one (待機児童数).
  public enum Direction: String, Sendable, CaseIterable {
    case higher
    case lower
  }

  /// How the achievement rate (達成状況) is computed from the latest actual.
  public enum Rule: String, Sendable, CaseIterable {
    /// actual ÷ target (target ÷ actual when lower is better): the seed's rule.
    case ratio
    /// (actual − baseline) ÷ (target − baseline): the share of the planned change achieved.
    case progress
  }

  /// How a survey-based indicator is estimated from a survey wave.
  public struct SurveySource: Sendable, Equatable {
    public enum Statistic: Sendable, Equatable {
      /// The share of valid answers with one of these codes (top box {1}, top-2 {1, 2}).
      case share(codes: [Int])
      /// The mean of the codes, reversed (min + max − code, 6 − code on 1–5) when the
      /// questionnaire codes 1 = best.
      case mean(reversed: Bool)
    }

    /// The question (a single-choice variable of the codebook).
    public var question: String
    public var statistic: Statistic
    /// A share is multiplied by this to give the indicator's unit (100 for %).
    public var scale: Double
    /// A weighting targets file to weight the wave with, relative to the definitions file; nil
    /// uses the design weights.
    public var weightingTargets: String?

    public init(
      question: String, statistic: Statistic, scale: Double = 100,
      weightingTargets: String? = nil
    ) {
      self.question = question
      self.statistic = statistic
      self.scale = scale
      self.weightingTargets = weightingTargets
    }
  }

  /// A short id, used on the command line and in the ledger (`livability`).
  public var id: String
  public var name: LocalizedText
  /// The number of its basic goal (基本目標).
  public var goal: Int
  /// The unit shown after values (%, 人, 件, 万人); nil for a pure number (合計特殊出生率).
  public var unit: LocalizedText?
  public var direction: Direction
  /// A running total (【累計】): the actual of a year is the total so far.
  public var cumulative: Bool
  public var baseline: KPIYearValue?
  public var target: KPIYearValue
  public var rule: Rule
  /// The highest rate counted (1.2 = 120%, the seed's cap).
  public var cap: Double
  /// Decimals the values are shown with.
  public var decimals: Int
  /// Entered values outside this range are refused as implausible (a decimal point in the wrong
  /// place: 15.6 for 1.56). nil: within a factor of 5 of the baseline, or of the target.
  public var plausible: ClosedRange<Double>?
  /// How a survey wave gives the value; nil for an indicator entered by hand (転入者数).
  public var survey: SurveySource?
  /// The achievement rate as a published document printed it (1.10 for 110%), checked against
  /// the recomputed one.
  public var publishedRate: Double?
  /// Where the indicator starts in its file.
  public var line: Int

  public init(
    id: String, name: LocalizedText, goal: Int, unit: LocalizedText? = nil,
    direction: Direction = .higher, cumulative: Bool = false, baseline: KPIYearValue? = nil,
    target: KPIYearValue, rule: Rule = .ratio, cap: Double = 1.2, decimals: Int = 1,
    plausible: ClosedRange<Double>? = nil, survey: SurveySource? = nil,
    publishedRate: Double? = nil, line: Int = 1
  ) {
    self.id = id
    self.name = name
    self.goal = goal
    self.unit = unit
    self.direction = direction
    self.cumulative = cumulative
    self.baseline = baseline
    self.target = target
    self.rule = rule
    self.cap = cap
    self.decimals = decimals
    self.plausible = plausible
    self.survey = survey
    self.publishedRate = publishedRate
    self.line = line
  }
}
