import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// The banner-table scores: the default, which takes the stub rows a PSU has no entry for from
  /// the PSU's weights, against every stub row's scores on every PSU (`denseScores`), on the
  /// reference designs (strata, clusters, fpc, lonely PSUs), with overlapping columns, nets, a
  /// mean row and rows outside the base.
  @Suite("Cross-tabulation: sparse scores")
  struct CrossTabulationScoresTests {
    /// Stub: the categories of `awards`, a net of both, and the mean of api00 (none where
    /// `meals` > 80, out of the base). Banner: Total, stype, and two overlapping indicators.
    static func tables(_ data: ReferenceDataset, _ design: SurveyDesign) throws -> (
      CrossTabulation, CrossTabulation
    ) {
      guard case .factor(_, let awards) = try data.variable("awards"),
        case .factor(_, let stype) = try data.variable("stype")
      else { throw ReferenceError("awards or stype is not a factor") }
      let api00 = try data.numbers("api00")
      let meals = try data.numbers("meals")
      let yearRound = try data.condition("yr.rnd == \"Yes\"")
      let growth = try data.condition("api00 > 700")
      let categories = awards.levels.count
      let entries: [[(row: Int, value: Double)]?] = (0..<design.rowCount).map { row in
        guard meals[row] <= 80, let code = awards.codes[row] else { return nil }
        return [(code, 1), (categories, 1), (categories + 1, api00[row])]
      }
      let c = 1 + stype.levels.count + 2
      let columns: [[Int]] = (0..<design.rowCount).map { row in
        var list = [0]
        if let code = stype.codes[row] { list.append(1 + code) }
        if yearRound[row] == true { list.append(1 + stype.levels.count) }
        if growth[row] == true { list.append(2 + stype.levels.count) }
        return list
      }
      let stub = CrossTabulation.Stub(rowCount: categories + 2, entries: entries)
      let banner = CrossTabulation.Banner(columnCount: c, columns: columns)
      return (
        try CrossTabulation(design: design, stub: stub, banner: banner, order: nil),
        try CrossTabulation(
          design: design, stub: stub, banner: banner, order: nil, denseScores: true)
      )
    }

    static func compare(_ design: SurveyDesign, data: ReferenceDataset, label: String) throws {
      let (sparse, dense) = try tables(data, design)
      let c = sparse.columnCount
      for row in 0..<sparse.stubRows {
        let scale = (0..<c).map { abs(dense.covariance(row: row, $0, $0)) }.max() ?? 0
        for a in 0..<c {
          for b in 0..<c {
            let x = sparse.covariance(row: row, a, b)
            let y = dense.covariance(row: row, a, b)
            #expect(
              x == y || (x.isNaN && y.isNaN)
                || abs(x - y) <= 1e-12 * max(abs(x), abs(y), scale),
              "\(label) row \(row) [\(a), \(b)]: \(x) vs \(y)")
          }
        }
        for column in 0..<c {
          #expect(
            sparse.cells[row][column].estimate.isNaN
              || sparse.cells[row][column].estimate
                == dense.cells[row][column].estimate
          )
        }
      }
    }

    @Test("The same covariances as every score", arguments: referenceDesignFiles)
    func designs(file: String) throws {
      let fixture = try DesignFixture(file)
      try Self.compare(fixture.design, data: fixture.data, label: file)
    }

    @Test("The same under every lonely-PSU policy", arguments: referenceLonelyFiles)
    func lonely(file: String) throws {
      let json = try JSONNode.load(file)
      let data = try ReferenceDataset(name: try #require(json["dataset"].string))
      for caseNode in json["cases"].array {
        let call = try DesignCall(try #require(caseNode["design_call"].string))
        for policy in [LonelyPSUPolicy.remove, .certainty, .adjust, .average] {
          let design = try call.make(data, lonelyPSU: policy)
          try Self.compare(design, data: data, label: "\(file) \(policy)")
        }
      }
    }
  }
}
