import Testing

@testable import SurveyKit

/// Achievement rates (達成状況) as the seed computes them, the other rules, caps, rounding and the
/// plausibility check on entered values.
@Suite("KPI achievement")
struct KPIAchievementTests {
  static func indicator(
    baseline: Double? = 23.3, target: Double = 30.3, direction: KPIDefinition.Direction = .higher,
    rule: KPIDefinition.Rule = .ratio, cap: Double = 1.2, cumulative: Bool = false
  ) -> KPIDefinition {
    KPIDefinition(
      id: "test", name: LocalizedText(japanese: "テスト"), goal: 1, direction: direction,
      cumulative: cumulative, baseline: baseline.map { KPIYearValue(year: 2014, value: $0) },
      target: KPIYearValue(year: 2019, value: target), rule: rule, cap: cap)
  }

  static func percent(_ definition: KPIDefinition, _ actual: Double) -> Int? {
    definition.achievement(of: KPIYearValue(year: 2019, value: actual))?.percent
  }

  @Test("the seed's ten rates: latest actual ÷ target, rounded half up")
  func seedRates() {
    let cases: [(actual: Double, target: Double, percent: Int)] = [
      (282, 300, 94), (44.27, 60, 74), (1.56, 1.60, 98), (2.9, 3.30, 88), (60.6, 66.7, 91),
      (6166, 6500, 95), (222.5, 218, 102), (33.1, 30.3, 109), (17, 20, 85), (2, 10, 20),
    ]
    for item in cases {
      #expect(Self.percent(Self.indicator(target: item.target), item.actual) == item.percent)
    }
    // Binary noise below a half is taken as the printed half and rounded up.
    #expect(roundHalfUp(97.49999999999999) == 98)
    #expect(roundHalfUp(97.4999) == 97)
    #expect(roundHalfUp(0.29 * 100) == 29)
  }

  @Test("lower is better: target ÷ actual; progress: the share of the planned change")
  func otherRules() throws {
    #expect(Self.percent(Self.indicator(target: 50, direction: .lower), 40) == 120)
    let lower = try #require(
      Self.indicator(target: 50, direction: .lower).achievement(
        of: KPIYearValue(year: 2019, value: 40)))
    #expect(lower.rate == 1.25)
    #expect(lower.isCapped)
    #expect(lower.cappedRate == 1.2)
    #expect(Self.percent(Self.indicator(target: 50, direction: .lower), 62.5) == 80)
    #expect(
      Self.percent(Self.indicator(baseline: 23.3, target: 30.3, rule: .progress), 33.1) == 120)
    #expect(Self.percent(Self.indicator(baseline: 20, target: 30, rule: .progress), 25) == 50)
    #expect(Self.percent(Self.indicator(baseline: 20, target: 30, rule: .progress), 18) == -20)
    #expect(
      Self.indicator(baseline: nil, rule: .progress).achievement(
        of: KPIYearValue(year: 2019, value: 1)) == nil)
    #expect(
      Self.indicator(target: 5, direction: .lower).achievement(
        of: KPIYearValue(year: 2019, value: 0)) == nil)
  }

  @Test("the cap: 120% by default, or the indicator's")
  func caps() {
    #expect(Self.percent(Self.indicator(target: 100), 150) == 120)
    #expect(Self.percent(Self.indicator(target: 100, cap: 1.0), 150) == 100)
    #expect(Self.percent(Self.indicator(target: 100, cap: 2), 150) == 150)
  }

  @Test("plausibility: a factor of 5 around the baseline, or the indicator's range")
  func plausibility() {
    let birthRate = KPIDefinition(
      id: "birth-rate", name: LocalizedText(japanese: "合計特殊出生率"), goal: 2,
      baseline: KPIYearValue(year: 2014, value: 1.51), target: KPIYearValue(year: 2019, value: 1.6),
      decimals: 2)
    #expect(birthRate.implausibility(of: 1.56) == nil)
    #expect(
      birthRate.implausibility(of: 15.6)
        == "15.6 for birth-rate is outside the range 0.302–7.55 around its baseline 1.51; check the decimal point"
    )
    var ranged = birthRate
    ranged.plausible = 0.5...3
    #expect(
      ranged.implausibility(of: 15.6)
        == "15.6 for birth-rate is outside the plausible range 0.5–3; check the decimal point")
    let cumulative = Self.indicator(baseline: nil, target: 300, cumulative: true)
    #expect(cumulative.implausibility(of: 0) == nil)
    #expect(cumulative.implausibility(of: 1400) == nil)
    #expect(cumulative.implausibility(of: 1501) != nil)
  }

  @Test("a change's SE is √(se₁² + se₂²); a published baseline is fixed")
  func changes() throws {
    let change = KPIChange(
      reference: .previous, fromYear: 2018, from: 30, fromStandardError: 1.2, toYear: 2019,
      to: 33.1, toStandardError: 1.6, fixedReference: false)
    #expect(change.standardError == 2)
    #expect(change.z == (33.1 - 30) / 2)
    #expect(change.isSignificant == false)
    let fromBaseline = KPIChange(
      reference: .baseline, fromYear: 2014, from: 23.3, fromStandardError: nil, toYear: 2019,
      to: 33.1, toStandardError: 1.37, fixedReference: true)
    #expect(fromBaseline.standardError == 1.37)
    #expect(fromBaseline.isSignificant == true)
    let untested = KPIChange(
      reference: .previous, fromYear: 2018, from: 2.9, fromStandardError: nil, toYear: 2019,
      to: 2.95, toStandardError: 0.03, fixedReference: false)
    #expect(untested.standardError == nil)
    #expect(untested.isSignificant == nil)
  }
}
