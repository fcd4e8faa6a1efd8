import Foundation
import Testing

@testable import SurveyKit

extension Estimation {
  /// Banner-table cells against R: `crosstabs[i].column_proportions` is
  /// `svyby(~row, ~column, design, svymean, deff = TRUE)`, the column percentages with SE and deff.
  @Suite("Cross-tabulation cells")
  struct CrossTabulationTests {
    static let files = [
      "apistrat_fpc", "apistrat_nofpc", "apiclus1_fpc", "apiclus1_nofpc", "apisrs_fpc",
      "apisrs_nofpc",
    ]

    /// The table of `rows` by Total + the levels of `columns` (Total is column 0).
    static func table(
      _ data: ReferenceDataset, _ design: SurveyDesign, rows: String, columns: String
    )
      throws -> (CrossTabulation, ReferenceFactor, ReferenceFactor)
    {
      let stubFactor = try data.variable("~\(rows)")
      let bannerFactor = try data.variable("~\(columns)")
      guard case .factor(_, let stub) = stubFactor, case .factor(_, let banner) = bannerFactor
      else {
        throw ReferenceError("\(rows) or \(columns) is not a factor")
      }
      let entries: [[(row: Int, value: Double)]?] = stub.codes.map { code in
        code.map { [(row: $0, value: 1)] }
      }
      let membership = banner.codes.map { code in [0] + (code.map { [$0 + 1] } ?? []) }
      let table = try CrossTabulation(
        design: design,
        stub: .init(rowCount: stub.levels.count, entries: entries),
        banner: .init(columnCount: banner.levels.count + 1, columns: membership))
      return (table, stub, banner)
    }

    @Test(arguments: files)
    func columnPercentagesAgreeWithR(_ file: String) throws {
      let json = try JSONNode.load(file)
      let data = try ReferenceDataset(name: json["dataset"].string ?? "")
      let design = try DesignCall(json["design_call"].string ?? "").make(data)
      let check = Checker(file: file, section: "crosstabs")
      for crosstab in json["crosstabs"].array {
        let rows = crosstab["rows"].string ?? ""
        let columns = crosstab["columns"].string ?? ""
        let (table, stub, banner) = try Self.table(data, design, rows: rows, columns: columns)
        for result in crosstab["column_proportions"]["results"].array {
          guard let level = result[columns].string, let term = result["term"].string,
            let column = banner.levels.firstIndex(of: level),
            let row = stub.levels.firstIndex(of: String(term.dropFirst(rows.count)))
          else {
            Issue.record("\(file) \(result.path): cannot place \(result[columns].string ?? "?")")
            continue
          }
          let cell = table.cells[row][column + 1]
          check.value(cell.estimate, result["estimate"])
          check.standardError(cell.standardError, result["se"], estimate: cell.estimate)
          check.designEffect(cell.designEffect, result["deff"])
        }
      }
      #expect(check.compared > 0)
    }

    /// The Total column equals the whole-sample shares, and the table's variance of a row's cell
    /// in one column equals its covariance with itself.
    @Test func totalColumnIsTheWholeSample() throws {
      let json = try JSONNode.load("apistrat_fpc")
      let data = try ReferenceDataset(name: "apistrat")
      let design = try DesignCall(json["design_call"].string ?? "").make(data)
      let (table, stub, _) = try Self.table(data, design, rows: "sch.wide", columns: "stype")
      let shares = try design.proportions(stub.codes, levels: stub.levels.count)
      for row in 0..<stub.levels.count {
        let cell = table.cells[row][0]
        #expect(abs(cell.estimate - shares.estimates[row].estimate) <= 1e-12)
        #expect(abs(cell.standardError - shares.estimates[row].standardError) <= 1e-12)
        #expect(
          abs(table.covariance(row: row, 0, 0) - cell.standardError * cell.standardError) <= 1e-15)
      }
      #expect(table.bases[0].respondents == data.rowCount)
    }

    /// The covariance of two columns' shares is what makes a design-based difference test: the
    /// variance of the difference computed from the table equals the variance of the linearised
    /// difference computed directly.
    @Test func columnCovarianceMatchesADirectLinearisation() throws {
      let json = try JSONNode.load("apiclus1_fpc")
      let data = try ReferenceDataset(name: "apiclus1")
      let design = try DesignCall(json["design_call"].string ?? "").make(data)
      let (table, stub, banner) = try Self.table(data, design, rows: "sch.wide", columns: "stype")
      // Direct: z_i = w_i [d_iE (y_i − p_E)/N_E − d_iM (y_i − p_M)/N_M] for y = sch.wide "Yes".
      let yes = stub.levels.firstIndex(of: "Yes")!
      let e = banner.levels.firstIndex(of: "E")!
      let m = banner.levels.firstIndex(of: "M")!
      let pE = table.cells[yes][e + 1].estimate
      let pM = table.cells[yes][m + 1].estimate
      let nE = table.bases[e + 1].weighted
      let nM = table.bases[m + 1].weighted
      var z = [Double](repeating: 0, count: data.rowCount)
      for row in 0..<data.rowCount {
        let y = stub.codes[row] == yes ? 1.0 : 0.0
        let w = design.weights[row]
        if banner.codes[row] == e { z[row] += w * (y - pE) / nE }
        if banner.codes[row] == m { z[row] -= w * (y - pM) / nM }
      }
      let direct = try design.covariance(
        z, columns: 1, active: Array(repeating: true, count: data.rowCount)
      ).covariance[0]
      let fromTable =
        table.covariance(row: yes, e + 1, e + 1) + table.covariance(row: yes, m + 1, m + 1)
        - 2 * table.covariance(row: yes, e + 1, m + 1)
      #expect(abs(fromTable - direct) <= 1e-12 * direct, "\(fromTable) vs \(direct)")
    }
  }
}
