import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// The builder against R `survey` on the questionnaire item of the reference fixtures
  /// (Fixtures/reference/README.md, "Questionnaire item"): a 5-point satisfaction question
  /// q_sat on the stratified API sample with fpc, 1 = most satisfied, 9 = no answer, read through
  /// a codebook as an export would be.
  @Suite("Frequency tables agree with R")
  struct FrequencyTableReferenceTests {
    static let folder = "Tests/SurveyKitTests/Fixtures/reference"

    static let codebookYAML = """
      survey: {id: apistrat-item}
      variables:
        - {name: ID, type: id}
        - {name: S, type: stratum}
        - {name: W, type: weight}
        - {name: N, type: fpc}
        - name: QSAT
          type: single
          values: {1: 満足, 2: やや満足, 3: どちらともいえない, 4: やや不満, 5: 不満}
          missing: {9: no-answer}
      """

    let table: ResponseTable
    let design: SurveyDesign
    /// `questionnaire_item` of apistrat_fpc.json.
    let item: [String: Any]

    init() throws {
      let data = try String(
        contentsOfFile: packagePath("\(Self.folder)/api/apistrat.csv"), encoding: .utf8)
      let records = Self.records(data)
      let header = records[0]
      func column(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
          throw TabulationFixtureError(description: "apistrat.csv has no column \(name)")
        }
        return index
      }
      let (snum, stype, pw, fpc, api00) = (
        try column("snum"), try column("stype"), try column("pw"), try column("fpc"),
        try column("api00")
      )
      var csv = "ID,S,W,N,QSAT\n"
      for record in records.dropFirst() where record.count == header.count {
        let score = Double(record[api00])!
        let id = Int(record[snum])!
        var code = 1
        for cut in [775.0, 700, 625, 550] where score < cut { code += 1 }
        if id % 10 == 0 { code = 9 }
        // The weight as written, so that it reads to the same double as in R.
        csv += "\(id),\(record[stype]),\(record[pw]),\(record[fpc]),\(code)\n"
      }
      let codebook = try Codebook(yaml: Self.codebookYAML, file: "item.yaml")
      let result = SurveyReader(codebook: codebook).read(bytes: Array(csv.utf8), file: "item.csv")
      table = result.table
      design = try SurveyDesign(table: table)
      let json = try Data(
        contentsOf: URL(
          fileURLWithPath: packagePath("\(Self.folder)/r-survey/apistrat_fpc.json")))
      let document = try JSONSerialization.jsonObject(with: json) as? [String: Any]
      item = document?["questionnaire_item"] as? [String: Any] ?? [:]
    }

    /// Records of a CSV file whose quoted fields hold no line breaks.
    static func records(_ text: String) -> [[String]] {
      text.split(separator: "\n").map { line in
        var fields: [String] = []
        var field = ""
        var quoted = false
        for character in line {
          if character == "\"" {
            quoted.toggle()
          } else if character == "," && !quoted {
            fields.append(field)
            field = ""
          } else {
            field.append(character)
          }
        }
        fields.append(field)
        return fields
      }
    }

    /// The README's tolerance: relative 1e-9 (`relative` for the few documented exceptions).
    func agrees(_ actual: Double?, _ expected: Any?, relative: Double = 1e-9) -> Bool {
      guard let actual, let expected = expected as? Double else { return false }
      return abs(actual - expected) <= relative * abs(expected)
    }

    func svymean(_ index: Int) -> [[String: Any]] {
      let entries = item["svymean"] as? [[String: Any]] ?? []
      return entries.count > index ? entries[index]["terms"] as? [[String: Any]] ?? [] : []
    }

    func builder(_ options: FrequencyOptions = .init()) -> FrequencyTableBuilder {
      FrequencyTableBuilder(table: table, design: design, options: options)
    }

    @Test("the recode gives R's unweighted counts")
    func counts() throws {
      let frequency = try builder().frequencyTable(of: "QSAT")
      let counts = (item["unweighted_counts"] as? [String: Any])?["counts"] as? [String: Int]
      #expect(
        frequency.rows.map(\.respondents) == [1, 2, 3, 4, 5, 9].map { counts?[String($0)] ?? -1 })
    }

    @Test("shares over the valid answers: svymean(~q_sat_f, na.rm = TRUE, deff = TRUE)")
    func shares() throws {
      let frequency = try builder().frequencyTable(of: "QSAT")
      let terms = svymean(2)
      try #require(terms.count == 5)
      for (row, term) in zip(frequency.baseRows, terms) {
        #expect(agrees(row.share?.estimate, term["estimate"]), "\(term["term"] ?? "")")
        #expect(agrees(row.share?.standardError, term["se"]), "\(term["term"] ?? "")")
        #expect(agrees(row.share?.designEffect, term["deff"]), "\(term["term"] ?? "")")
      }
    }

    @Test("--include-missing: svymean(~q_sat_all, deff = TRUE), 無回答 as a category")
    func sharesWithMissing() throws {
      let frequency = try builder(.init(includeMissing: true)).frequencyTable(of: "QSAT")
      let terms = svymean(3)
      try #require(terms.count == 6 && frequency.baseRows.count == 6)
      for (row, term) in zip(frequency.baseRows, terms) {
        #expect(agrees(row.share?.estimate, term["estimate"]), "\(term["term"] ?? "")")
        #expect(agrees(row.share?.standardError, term["se"]), "\(term["term"] ?? "")")
        #expect(agrees(row.share?.designEffect, term["deff"]), "\(term["term"] ?? "")")
      }
    }

    @Test("the mean of the codes and the reversed mean, with t intervals on degf(design)")
    func means() throws {
      let plain = try #require(try builder().frequencyTable(of: "QSAT").mean)
      #expect(plain.scale == .codes(lowest: 1, highest: 5))
      let valid = try #require(svymean(1).first)
      #expect(agrees(plain.estimate.estimate, valid["estimate"]))
      #expect(agrees(plain.estimate.standardError, valid["se"]))
      #expect(agrees(plain.estimate.designEffect, valid["deff"]))
      let reversed = try #require(
        try builder(.init(reversed: ["QSAT"])).frequencyTable(of: "QSAT").mean)
      #expect(reversed.scale == .reversedCodes(lowest: 1, highest: 5))
      let rev = try #require(svymean(0).first)
      #expect(agrees(reversed.estimate.estimate, rev["estimate"]))
      #expect(agrees(reversed.estimate.standardError, rev["se"]))
      #expect(agrees(reversed.estimate.designEffect, rev["deff"]))
      let interval = rev["ci_wald_t"] as? [Double] ?? []
      try #require(interval.count == 2)
      #expect(agrees(reversed.estimate.confidenceInterval?.lower, interval[0]))
      #expect(agrees(reversed.estimate.confidenceInterval?.upper, interval[1]))
      // With --include-missing the mean still leaves 無回答 out (a separate pass).
      let withMissing = try #require(
        try builder(.init(includeMissing: true, reversed: ["QSAT"])).frequencyTable(of: "QSAT")
          .mean)
      #expect(agrees(withMissing.estimate.estimate, rev["estimate"]))
      #expect(agrees(withMissing.estimate.standardError, rev["se"]))
    }

    @Test(
      "the top box (code 1 = 5 reversed) by every interval method: svyciprop(na.rm = TRUE)",
      arguments: [
        (ProportionIntervalMethod.logit, "xlogit", 1e-9),
        (.logit, "logit", 1e-7),
        (.beta, "beta", 1e-9),
        (.wald, "mean", 1e-9),
        (.arcsine, "asin", 1e-9),
      ])
    func topBox(method: ProportionIntervalMethod, rMethod: String, tolerance: Double) throws {
      let frequency = try builder(.init(intervalMethod: method)).frequencyTable(of: "QSAT")
      let entries = (item["top_box"] as? [[String: Any]] ?? []).prefix(7)
      let entry = try #require(entries.first { $0["method"] as? String == rMethod })
      let interval = entry["ci"] as? [Double] ?? []
      try #require(interval.count == 2)
      let top = try #require(frequency.rows[0].share)
      #expect(agrees(top.estimate, entry["estimate"], relative: tolerance))
      #expect(agrees(top.standardError, entry["se"]))
      #expect(agrees(top.confidenceInterval?.lower, interval[0], relative: tolerance))
      #expect(agrees(top.confidenceInterval?.upper, interval[1], relative: tolerance))
    }

    @Test("Wilson's interval of the top box (R survey ≥ 4.5)")
    func topBoxWilson() throws {
      let frequency = try builder(.init(intervalMethod: .wilson)).frequencyTable(of: "QSAT")
      let entries = (item["top_box"] as? [[String: Any]] ?? []).prefix(7)
      let entry = try #require(entries.first { ($0["call"] as? String ?? "").contains("local(") })
      let interval = entry["ci"] as? [Double] ?? []
      try #require(interval.count == 2)
      #expect(agrees(frequency.rows[0].share?.confidenceInterval?.lower, interval[0]))
      #expect(agrees(frequency.rows[0].share?.confidenceInterval?.upper, interval[1]))
    }
  }
}

struct TabulationFixtureError: Error, CustomStringConvertible {
  var description: String
}
