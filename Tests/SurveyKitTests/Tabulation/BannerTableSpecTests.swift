import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// Table specs: the sample's spec reads as docs/tables.md describes it, and every mistake is
  /// reported with its line and column.
  @Suite("Banner table specs")
  struct BannerTableSpecTests {
    let codebook: Codebook

    init() throws {
      codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    }

    func spec(_ yaml: String) throws -> BannerTableSpec {
      try BannerTableSpec(yaml: yaml, file: "t.yaml", codebook: codebook)
    }

    /// The messages of a broken spec, as printed.
    func problems(_ yaml: String) -> [String] {
      do {
        _ = try spec(yaml)
        return []
      } catch {
        return "\(error)".split(separator: "\n").map(String.init)
      }
    }

    @Test("the sample's spec: defaults, six tables, nets in both forms, means, a filter")
    func sample() throws {
      let spec = try BannerTableSpec(
        contentsOf: packagePath("codebooks/citizen-survey-2019-tables.yaml"), codebook: codebook)
      #expect(spec.title?.english == "Citizen survey (synthetic data), cross tabulations")
      #expect(spec.options.strictAlpha == 0.01 && spec.options.alpha == 0.05)
      #expect(spec.options.smallBase == 30 && spec.options.suppressBelow == 10)
      #expect(spec.tables.count == 6)
      let first = spec.tables[0]
      #expect(first.rows == ["Q5"] && first.by == ["F1", "F2"])
      #expect(first.nets["Q5"]?.map(\.codes) == [[1, 2], [4, 5]])
      #expect(
        first.nets["Q5"]?.first?.label == LocalizedText(japanese: "住みやすい計", english: "Good (1 + 2)")
      )
      #expect(first.means == ["Q5": .reversed])
      #expect(spec.tables[4].means == ["Q6": .reversed])
      #expect(spec.tables[5].filterText == "F1 == 2 and F2 <= 3")
      #expect(spec.tables[5].filter == (try FilterExpression(parsing: "F1 == 2 and F2 <= 3")))
    }

    @Test("short forms: a name for a list, label: codes nets, one alpha level, mean: true")
    func shortForms() throws {
      let spec = try spec(
        """
        defaults: {alpha: 0.1, adjust: bh, test: design, total_test: false}
        tables:
          - rows: Q5
            by: F1
            nets: {Q5: {住みやすい計: [1, 2]}}
            mean: true
            hide_empty: yes
        """)
      #expect(spec.options.strictAlpha == nil && spec.options.alpha == 0.1)
      #expect(spec.options.adjustment == .benjaminiHochberg)
      #expect(spec.options.testMethod == .design && !spec.options.testAgainstTotal)
      let table = spec.tables[0]
      #expect(table.rows == ["Q5"] && table.by == ["F1"] && table.hideEmpty)
      #expect(table.nets["Q5"] == [.init(label: LocalizedText(japanese: "住みやすい計"), codes: [1, 2])])
      #expect(table.means == ["Q5": .codes])
    }

    @Test("mistakes, each at its line and column")
    func mistakes() {
      #expect(
        problems(
          """
          tables:
            - rows: [Q5, Q99]
              by: [F1, Q8]
          """) == [
            "t.yaml:2:16: error: table 1: rows: Q99 is not a variable of the codebook",
            "t.yaml:3:14: error: table 1: by: Q8 is a text variable; only single, multi and "
              + "numeric questions and the stratum can be banner columns",
          ])
      #expect(
        problems(
          """
          tables:
            - rows: [Q5]
              filter: Q3 == 1
          """) == [
            "t.yaml:3:13: error: table 1: the filter refers to Q3, a multi variable; filters "
              + "compare single-choice and numeric answers"
          ])
      #expect(
        problems(
          """
          tables:
            - rows: [Q5]
              filter: F1 === 2
          """) == [
            "t.yaml:3:18: error: table 1: the filter \"F1 === 2\" cannot be read: expected a "
              + "variable name or a number, found \"=\""
          ])
      #expect(
        problems(
          """
          defaults: {alpha: [0.05, 0.05]}
          tables: []
          """) == [
            "t.yaml:1:19: error: defaults.alpha: the two levels must differ",
            "t.yaml:2:9: error: the list of tables is empty",
          ])
      #expect(
        problems(
          """
          tables:
            - rows: [Q3]
              nets: {Q3: {お金・負担: [1, 2, 12]}}
              mean: {Q3: true}
          """) == [
            "t.yaml:3:31: error: table 1: nets: Q3: お金・負担: 12 is not a code of Q3 (1–8)",
            "t.yaml:4:12: error: table 1: mean: Q3 has no mean: only a single question whose codes "
              + "are consecutive whole numbers (a rating scale such as 1–5) or a numeric question "
              + "has one",
          ])
    }
  }
}
