import Testing

@testable import SurveyKit

extension Weighting {
  /// The banner engine on weighted designs agrees with the design's own domain estimates, which
  /// project full score vectors (and agree with R, WeightingReferenceTests): the one-step fast
  /// path (K moments per cell, K sums per PSU) for raking, post-stratification and calibration,
  /// with overlapping multi-response columns; and the full-vector path for a design calibrated
  /// twice.
  @Suite("Banner tables on weighted designs")
  struct WeightedBannerTests {
    let table: ResponseTable
    let design: SurveyDesign
    let targets: WeightingTargets

    init() throws {
      let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
      table = try SurveyReader(codebook: codebook).read(
        contentsOf: packagePath("samples/citizen-survey-2019.csv")
      ).table
      design = try SurveyDesign(table: table)
      targets = try WeightingTargets(
        contentsOf: packagePath("codebooks/citizen-survey-2019-targets.yaml"))
    }

    func codes(_ name: String) -> [Int?] {
      guard case .codes(let column) = table.column(named: name) else { return [] }
      return (0..<table.rowCount).map { column[$0].map { Int($0) } }
    }

    /// Stub Q5 (codes 1–5) against Total, F1 (1, 2), Q7 (six overlapping options) and F2 (1–6).
    func check(_ weighted: SurveyDesign) throws {
      let q5 = codes("Q5")
      let f1 = codes("F1")
      let f2 = codes("F2")
      guard case .multi(let q7) = table.column(named: "Q7") else {
        Issue.record("Q7 is not multi-response")
        return
      }
      let columns = (0..<table.rowCount).map { row -> [Int] in
        var list = [0]
        if let sex = f1[row] { list.append(sex) }
        if let bits = q7[row] {
          for option in 0..<6 where bits & (1 << option) != 0 { list.append(3 + option) }
        }
        if let age = f2[row] { list.append(8 + age) }
        return list
      }
      let stub = CrossTabulation.Stub(
        rowCount: 5, entries: q5.map { $0.map { [(row: $0 - 1, value: 1.0)] } })
      let banner = CrossTabulation.Banner(columnCount: 15, columns: columns)
      let tabulation = try CrossTabulation(design: weighted, stub: stub, banner: banner)
      var compared = 0
      for column in 0..<15 {
        let domain = columns.map { $0.contains(column) }
        for code in 1...5 {
          let indicator = q5.map { $0.map { $0 == code ? 1.0 : 0.0 } ?? .nan }
          let expected = try weighted.mean(indicator, domain: domain)
          let cell = tabulation.cells[code - 1][column]
          #expect(abs(cell.estimate - expected.estimate) <= 1e-12 * expected.estimate)
          #expect(
            abs(cell.standardError - expected.standardError) <= 1e-10 * expected.standardError,
            "Q5 = \(code), column \(column): \(cell.standardError) vs \(expected.standardError)")
          compared += 1
        }
      }
      #expect(compared == 75)
    }

    @Test("raking, post-stratification, calibration, trimmed raking: the fast path")
    func oneStep() throws {
      for options in [
        WeightingOptions(method: .rake),
        WeightingOptions(method: .calibrateLinear),
        WeightingOptions(method: .calibrateRaking, bounds: 0.5...2.25),
        WeightingOptions(method: .rake, trim: WeightingTargets.Trim(lower: 72, upper: 255.4)),
      ] {
        let weighted = try targets.apply(to: design, table: table, options: options).design
        #expect(weighted.calibrations.count == 1)
        try check(weighted)
      }
      let f1 = codes("F1")
      let sex = WeightingMargin(
        name: "F1", labels: ["1", "2", "9"], category: f1.map { ($0 ?? 3) - 1 },
        targets: [69314.4, 75090.6, 595])
      try check(try design.postStratified(sex))
    }

    @Test("a design calibrated twice: full score vectors")
    func twoSteps() throws {
      let f1 = codes("F1")
      let f2 = codes("F2")
      let sex = WeightingMargin(
        name: "F1", labels: ["1", "2", "9"], category: f1.map { ($0 ?? 3) - 1 },
        targets: [69314.4, 75090.6, 595])
      let age = WeightingMargin(
        name: "F2", labels: ["1", "2", "3", "4", "5", "6", "9"],
        category: f2.map { min(($0 ?? 7) - 1, 6) },
        targets: [20264.5, 20264.5, 24607, 23159.5, 24607, 31844.2, 253.3])
      let twice = try design.postStratified(sex).postStratified(age)
      #expect(twice.calibrations.count == 2)
      try check(twice)
    }
  }
}
