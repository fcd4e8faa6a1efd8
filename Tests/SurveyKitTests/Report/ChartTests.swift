import Testing

@testable import SurveyKit

/// The one chart model of the reports, from the sample's banner tables, and the appendix of
/// sampling errors.
@Suite("Charts and the sampling-error table")
struct ChartTests {
  @Test("a 5-point scale is stacked by banner column, a multi-response question is horizontal")
  func kinds() throws {
    let report = try CouncilReportFixture.sample()
    let charts = report.tables.tables.flatMap { report.charts(of: $0) }
    #expect(!charts.isEmpty)
    let livability = try #require(charts.first { $0.title.hasPrefix("Q5 ") })
    #expect(livability.kind == .stackedPercent)
    #expect(livability.series.count == 5)
    #expect(livability.series.first?.name == "住みやすい")
    let first = try #require(livability.series.first?.values.first ?? nil)
    // Total column, top box, weighted by the raking: 32.8% (33.1% design-weighted).
    #expect(abs(first - 32.8) < 0.05)
    // Every segment of a bar sums to 100%.
    for column in livability.categories.indices {
      let sum = livability.series.compactMap { $0.values[column] }.reduce(0, +)
      #expect(abs(sum - 100) < 1e-9)
    }
    let policies = try #require(charts.first { $0.title.hasPrefix("Q4 ") })
    #expect(policies.kind == .horizontalBar)
    #expect(policies.series.count == 1)
    #expect(policies.baseNote?.hasPrefix("n = ") == true)
  }

  @Test("±1.96·√((N − n)/(N − 1)·p(1 − p)/n) in points")
  func samplingErrors() {
    let table = SamplingErrorTable.standard(population: 145_000, respondents: 1_200)
    #expect(table.bases == [50, 100, 200, 300, 500, 700, 1000, 1200, 1500, 2000])
    // √(143,800/144,999 · 0.25/1,200) · 1.96 · 100 = 2.8173 points.
    #expect(abs(table.error(base: 1_200, proportion: 0.5) - 2.8173) < 5e-4)
    #expect(abs(table.error(base: 100, proportion: 0.1) - 5.8781) < 5e-4)
    let infinite = SamplingErrorTable(population: nil, bases: [400])
    #expect(abs(infinite.error(base: 400, proportion: 0.5) - 4.9) < 1e-9)
  }
}
