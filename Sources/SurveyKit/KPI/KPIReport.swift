import CRmath

/// The strategy's indicators as `survey kpi show` reports them (達成状況): per basic goal, each
/// indicator's baseline, actual of every year, target and achievement rate, the goal's mean of the
/// capped rates, the overall mean, the changes of survey-based indicators with their sampling
/// error, and the checks that caught a slip in a published figure.
public struct KPIReport: Sendable {
  /// One indicator's line.
  public struct Row: Sendable {
    public var definition: KPIDefinition
    /// The current value of each year.
    public var values: [Int: LedgerValue]
    /// The achievement of the latest value; nil without a value or when it cannot be computed.
    public var achievement: KPIAchievement?
    /// Changes of a survey-based indicator: since the previous wave and since the baseline.
    public var changes: [KPIChange]
    /// What looked wrong in a recorded or published figure, one sentence each.
    public var flags: [LocalizedText]
  }

  public struct Goal: Sendable {
    public var goal: KPIGoal
    public var rows: [Row]
    /// The mean of the rows' capped rates (those with one).
    public var meanRate: Double?
  }

  public var strategy: LocalizedText?
  public var definitionsPath: String
  public var ledgerPath: String
  /// The years with a value, a baseline or a target, ascending.
  public var years: [Int]
  public var goals: [Goal]
  /// The mean of every indicator's capped rate.
  public var meanRate: Double?
  /// Indicators with a rate / all indicators.
  public var ratedCount: Int
  public var indicatorCount: Int

  /// Builds the report from the definitions and the ledger's current values.
  public init(
    definitions: KPIDefinitions, values: [LedgerValue], definitionsPath: String, ledgerPath: String
  ) {
    strategy = definitions.strategy
    self.definitionsPath = definitionsPath
    self.ledgerPath = ledgerPath
    var years = Set<Int>()
    var byIndicator: [String: [Int: LedgerValue]] = [:]
    for value in values where value.supersededAt == nil {
      byIndicator[value.entry.kpi, default: [:]][value.entry.year] = value
      years.insert(value.entry.year)
    }
    var allRates: [Double] = []
    var goals: [Goal] = []
    let goalList =
      definitions.goals.isEmpty
      ? Array(Set(definitions.indicators.map(\.goal))).sorted().map {
        KPIGoal(number: $0, name: LocalizedText(japanese: "基本目標\($0)"))
      } : definitions.goals
    for goal in goalList {
      var rows: [Row] = []
      var rates: [Double] = []
      for definition in definitions.indicators where definition.goal == goal.number {
        let recorded = byIndicator[definition.id] ?? [:]
        if let baseline = definition.baseline { years.insert(baseline.year) }
        years.insert(definition.target.year)
        let row = Self.row(definition, recorded)
        if let rate = row.achievement?.cappedRate { rates.append(rate) }
        rows.append(row)
      }
      allRates += rates
      goals.append(
        Goal(
          goal: goal, rows: rows,
          meanRate: rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count)))
    }
    self.goals = goals
    self.years = years.sorted()
    meanRate = allRates.isEmpty ? nil : allRates.reduce(0, +) / Double(allRates.count)
    ratedCount = allRates.count
    indicatorCount = definitions.indicators.count
  }

  private static func row(_ definition: KPIDefinition, _ recorded: [Int: LedgerValue]) -> Row {
    var flags: [LocalizedText] = []
    let ordered = recorded.keys.sorted()
    let latest = ordered.last.flatMap { recorded[$0] }
    let achievement = latest.flatMap {
      definition.achievement(of: KPIYearValue(year: $0.entry.year, value: $0.entry.value))
    }
    for year in ordered {
      guard let value = recorded[year] else { continue }
      let entry = value.entry
      let figure = formatKPIValue(entry.value, decimals: definition.decimals)
      if let published = entry.publishedText, published != figure {
        flags.append(
          LocalizedText(
            japanese:
              "\(JapaneseYear.labelWithWestern(year)) の公表値「\(published)」は \(figure) として記録（\(entry.note ?? "訂正")）",
            english:
              "\(JapaneseYear.labelWithWestern(year)): published as \"\(published)\", recorded as \(figure) (\(entry.note ?? "corrected"))"
          ))
      }
      if let problem = definition.implausibility(of: entry.value) {
        flags.append(
          LocalizedText(
            japanese: "\(JapaneseYear.labelWithWestern(year)) の値が不自然: \(problem)",
            english: "\(JapaneseYear.labelWithWestern(year)): implausible value: \(problem)"))
      }
    }
    if let published = definition.publishedRate, let achievement {
      let publishedPercent = roundHalfUp(published * 100)
      if publishedPercent != achievement.percent {
        let actual = formatKPIValue(achievement.actual.value, decimals: definition.decimals)
        let target = formatKPIValue(definition.target.value, decimals: definition.decimals)
        let exact = Figures.fixed(achievement.rate * 100, 1)
        flags.append(
          LocalizedText(
            japanese:
              "公表された達成状況 \(publishedPercent)% は再計算では \(achievement.percent)%（\(actual) ÷ \(target) = \(exact)%）",
            english:
              "the published achievement \(publishedPercent)% recomputes to \(achievement.percent)% (\(actual) ÷ \(target) = \(exact)%)"
          ))
      }
    }
    return Row(
      definition: definition, values: recorded, achievement: achievement,
      changes: changes(definition, recorded), flags: flags)
  }

  /// Since the previous recorded value (a test only where both have SEs) and since the baseline
  /// (a published baseline without SE is taken as fixed), for a survey-based indicator.
  private static func changes(_ definition: KPIDefinition, _ recorded: [Int: LedgerValue])
    -> [KPIChange]
  {
    guard definition.survey != nil else { return [] }
    let ordered = recorded.keys.sorted()
    guard let lastYear = ordered.last, let last = recorded[lastYear]?.entry else { return [] }
    var result: [KPIChange] = []
    if ordered.count >= 2, let previous = recorded[ordered[ordered.count - 2]]?.entry {
      result.append(
        KPIChange(
          reference: .previous, fromYear: previous.year, from: previous.value,
          fromStandardError: previous.standardError, toYear: lastYear, to: last.value,
          toStandardError: last.standardError, fixedReference: false))
    }
    if let baseline = definition.baseline, baseline.year < lastYear {
      let recordedBaseline = recorded[baseline.year]?.entry
      result.append(
        KPIChange(
          reference: .baseline, fromYear: baseline.year,
          from: recordedBaseline?.value ?? baseline.value,
          fromStandardError: recordedBaseline?.standardError, toYear: lastYear, to: last.value,
          toStandardError: last.standardError,
          fixedReference: recordedBaseline?.standardError == nil))
    }
    return result
  }
}

/// A change of a survey-based indicator between two years, with its standard error
/// √(se₁² + se₂²) (independent samples) and a two-sided test at 5%.
public struct KPIChange: Sendable, Equatable {
  public enum Reference: String, Sendable { case previous, baseline }
  public var reference: Reference
  public var fromYear: Int
  public var from: Double
  public var fromStandardError: Double?
  public var toYear: Int
  public var to: Double
  public var toStandardError: Double?
  /// The earlier value has no SE (a published baseline) and is taken as a fixed number.
  public var fixedReference: Bool

  public var difference: Double { to - from }

  /// √(se₁² + se₂²); a fixed reference counts 0. Nil when a sampled value lacks an SE.
  public var standardError: Double? {
    guard let toSE = toStandardError else { return nil }
    if fixedReference { return toSE }
    guard let fromSE = fromStandardError else { return nil }
    return (fromSE * fromSE + toSE * toSE).squareRoot()
  }

  /// difference ÷ SE.
  public var z: Double? {
    guard let se = standardError, se > 0 else { return nil }
    return difference / se
  }

  /// |z| > the normal 97.5% point (1.96): significant at 5%, two-sided.
  public var isSignificant: Bool? {
    z.map { abs($0) > qnorm5(0.975, 0, 1, 1, 0) }
  }
}

/// A value with the indicator's decimals: `33.1`, `1.56`, `6,166`.
func formatKPIValue(_ value: Double, decimals: Int) -> String {
  let text = Figures.fixed(value, decimals)
  guard abs(value) >= 1000 else { return text }
  let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
  let negative = parts[0].hasPrefix("-")
  let digits = negative ? String(parts[0].dropFirst()) : parts[0]
  var grouped = ""
  for (index, character) in digits.enumerated() {
    if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
    grouped.append(character)
  }
  return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
}

extension KPIDefinition {
  /// A value as reports show it: the indicator's decimals plus `extraDecimals` (SEs get one more),
  /// thousands separated.
  public func formatted(_ value: Double, extraDecimals: Int = 0) -> String {
    formatKPIValue(value, decimals: decimals + extraDecimals)
  }
}

/// A confidence level as reports write it: `95%`.
public func confidenceLevelText(_ level: Double) -> String { Figures.level(level) }
