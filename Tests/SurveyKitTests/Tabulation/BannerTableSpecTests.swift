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

    @Test(
      "the sample's spec: defaults, eight tables, nets in both forms, means, a filter, a recode")
    func sample() throws {
      let spec = try BannerTableSpec(
        contentsOf: packagePath("codebooks/citizen-survey-2019-tables.yaml"), codebook: codebook)
      #expect(spec.title?.english == "Citizen survey (synthetic data), cross tabulations")
      #expect(spec.options.strictAlpha == 0.01 && spec.options.alpha == 0.05)
      #expect(spec.options.smallBase == 30 && spec.options.suppressBelow == 10)
      #expect(spec.tables.count == 8)
      #expect(spec.tables[7].by == ["F1 > AGE3"] && spec.tables[7].hideEmpty)
      #expect(spec.recodes.map(\.name) == ["AGE3"])
      #expect(spec.tables[6].by == ["AGE3"] && spec.tables[6].order == ["Q5": [5, 4, 3, 2, 1]])
      let first = spec.tables[0]
      #expect(first.rows == ["Q5"] && first.by == ["F1", "F2"])
      #expect(first.nets["Q5"]?.map(\.codes) == [[1, 2], [4, 5]])
      #expect(
        first.nets["Q5"]?.first?.label == LocalizedText(japanese: "住みやすい計", english: "Good (1 + 2)")
      )
      #expect(first.means == ["Q5": .reversed])
      #expect(first.cells == [.column, .row, .n])
      #expect(spec.tables[1...].allSatisfy { $0.cells == [.column] })
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

    @Test("cells: the figures of each cell, column first; mistakes located")
    func cells() throws {
      let read = try spec(
        """
        tables:
          - rows: [Q5]
            by: [F1]
            cells: [column, row, total, n]
          - rows: [Q5]
        """)
      #expect(read.tables.map(\.cells) == [[.column, .row, .total, .n], [.column]])
      #expect(
        problems(
          """
          tables:
            - rows: [Q5]
              cells: [column, rows, n, n]
          """) == [
            "t.yaml:3:21: error: table 1: cells: \"rows\" is not one of column, row, total, n",
            "t.yaml:3:30: error: table 1: cells: n is listed twice",
          ])
      #expect(
        problems(
          """
          tables:
            - rows: [Q5]
              cells: [row, column]
          """) == [
            "t.yaml:3:12: error: table 1: cells must start with column (the column percentage is "
              + "always shown)"
          ])
    }

    @Test("recodes and order: read, usable in rows and by; mistakes located")
    func recodesAndOrder() throws {
      let read = try spec(
        """
        recodes:
          AGE3:
            from: F2
            label: {ja: 年齢3区分, en: Age (3 groups)}
            groups:
              - {label: {ja: 18～39歳}, codes: [1, 2]}
              - {label: {ja: 40～59歳}, codes: [3, 4]}
              - {label: {ja: 60歳以上}, codes: [5, 6]}
        tables:
          - rows: [Q5, AGE3]
            by: [AGE3]
            order: {Q5: [5, 4], AGE3: [3]}
        """)
      #expect(read.recodes.map(\.name) == ["AGE3"])
      #expect(read.recodes[0].source == "F2")
      #expect(read.recodes[0].groups.map(\.codes) == [[1, 2], [3, 4], [5, 6]])
      #expect(read.recodes[0].label?.english == "Age (3 groups)")
      #expect(read.tables[0].by == ["AGE3"])
      #expect(read.tables[0].order == ["Q5": [5, 4], "AGE3": [3]])
      #expect(
        problems(
          """
          recodes:
            F1: {from: F2, groups: [{label: a, codes: [1]}]}
            A: {from: F9, groups: [{label: a, codes: [1]}]}
            B: {from: Q3, groups: [{label: a, codes: [1]}]}
            C: {from: F2, groups: [{label: a, codes: [1, 7]}]}
            D: {from: F2, groups: [{label: a, codes: [1, 2]}, {label: b, codes: [3, 2]}]}
          tables:
            - rows: [Q5]
              by: [C]
              order: {Q5: [6, 1], Q3: [1], F1: [1]}
          """) == [
            "t.yaml:2:3: error: recodes: F1: F1 is already a variable of the codebook; choose "
              + "another name",
            "t.yaml:3:13: error: recodes: A: from: F9 is not a variable of the codebook",
            "t.yaml:4:13: error: recodes: B: from: Q3 is a multi variable; only single-choice and "
              + "numeric variables can be recoded",
            "t.yaml:5:48: error: recodes: C: a: 7 is not a code of F2 (1–6; 9 = 無回答)",
            "t.yaml:6:75: error: recodes: D: b: code 2 is already in a",
            "t.yaml:9:10: error: table 1: by: C is not a variable of the codebook",
            "t.yaml:10:18: error: table 1: order: Q5: 6 is not a code of Q5 (1–5; 9 = 無回答)",
            "t.yaml:10:25: error: table 1: order: Q3 is not one of the table's rows or breaks",
            "t.yaml:10:34: error: table 1: order: F1 is not one of the table's rows or breaks",
          ])
      #expect(
        problems(
          """
          recodes:
            A: {from: F2, groups: [{label: a, codes: [1]}]}
            A: {from: F2, groups: [{label: b, codes: [2]}]}
          tables: [{rows: [A]}]
          """
        ).count == 1)
    }

    @Test("nested breaks: F1>F2 read as F1 > F2, order of either; mistakes located")
    func nestedBreaks() throws {
      let spec = try spec(
        """
        tables:
          - rows: Q5
            by: [F1>F2, DISTRICT]
            order: {F2: [6, 5]}
        """)
      #expect(spec.tables[0].by == ["F1 > F2", "DISTRICT"])
      #expect(spec.tables[0].order == ["F2": [6, 5]])
      #expect(
        problems(
          """
          tables:
            - rows: Q5
              by: [F1 > Q7, F1 > F2 > F3, F1 > F1, F1 > Q99, F1>F2, F1 > F2]
          """) == [
            "t.yaml:3:10: error: table 1: by: Q7 is a multi variable; only single-choice questions "
              + "and recodes can be nested in a banner (F1 > F2)",
            "t.yaml:3:19: error: table 1: by: \"F1 > F2 > F3\" is not a nested break; write two "
              + "single-choice variables joined by >, such as F1 > F2",
            "t.yaml:3:33: error: table 1: by: F1 cannot be nested in itself",
            "t.yaml:3:42: error: table 1: by: Q99 is not a variable of the codebook",
            "t.yaml:3:59: error: table 1: by: F1 > F2 is listed twice",
          ])
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
