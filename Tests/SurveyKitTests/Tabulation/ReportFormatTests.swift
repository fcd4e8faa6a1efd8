import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// The four formats on the tiny table of `FrequencyTableBuilderTests`: aligned by display
  /// width, "−" for what is 0 or cannot be computed, never "nan", and machine formats that parse.
  @Suite("Report formats")
  struct ReportFormatTests {
    let report: FrequencyReport

    init() throws {
      let codebook = try Codebook(
        yaml: FrequencyTableBuilderTests.codebookYAML, file: "tiny.yaml")
      let result = SurveyReader(codebook: codebook).read(
        bytes: Array(FrequencyTableBuilderTests.csv.utf8), file: "t.csv")
      let design = try SurveyDesign(table: result.table)
      let options = FrequencyOptions()
      let tables = try FrequencyTableBuilder(table: result.table, design: design, options: options)
        .frequencyTables()
      report = FrequencyReport(
        result: result, codebook: codebook, codebookPath: "tiny.yaml", design: design,
        designVariables: DesignVariables(codebookRolesOf: codebook.variables), options: options,
        tables: tables)
    }

    @Test("display width: a kanji or kana takes two cells, ASCII and ambiguous signs one")
    func widths() {
      #expect(TextWidth.of("住みやすい") == 10)
      #expect(TextWidth.of("2人") == 3)
      #expect(TextWidth.of("n = 1,200") == 9)
      #expect(TextWidth.of("ＡＢ") == 4)  // full-width forms
      #expect(TextWidth.of("ｱｲｳ") == 3)  // half-width katakana
      #expect(TextWidth.of("−–①") == 3)  // ambiguous: one cell
      #expect(TextWidth.of("が") == 2)  // か + combining dakuten is one character
      #expect(TextWidth.of("\u{304B}\u{3099}") == 2)
      #expect(TextWidth.of("𠮷野家") == 6)  // plane 2
      #expect(TextWidth.padding("2人", to: 6) == "2人   ")
      #expect(TextWidth.leftPadding("満足", to: 6) == "  満足")
    }

    @Test("text: every row of a table has the same cells before its figures")
    func textAlignment() {
      let text = report.render(.text())
      #expect(!text.lowercased().contains("nan"))
      let lines = text.split(separator: "\n").map(String.init)
      // In the KIDS table, the n column ends at the same cell on every row.
      guard let start = lines.firstIndex(where: { $0.hasPrefix("KIDS") }) else {
        Issue.record("no KIDS table in\n\(text)")
        return
      }
      let rows = lines[(start + 1)...].prefix { !$0.isEmpty }.filter {
        $0.contains("人") || $0.contains("なし") || $0.contains("合計")
      }
      #expect(rows.count == 6)
      let ends = rows.map { row -> Int in
        // Display width up to the end of the n column: label, two spaces, n.
        let words = row.split(separator: " ", omittingEmptySubsequences: true)
        let label = words[0] == "*" ? words[1] : words[0]
        let n = words[words[0] == "*" ? 2 : 1]
        let prefix = row.range(of: "\(label)")!.upperBound
        let rest = row[prefix...]
        let nEnd = rest.range(of: String(n))!.upperBound
        return TextWidth.of(row[..<prefix]) + TextWidth.of(rest[..<nEnd])
      }
      #expect(Set(ends).count == 1, "\(rows)")
    }

    @Test("text: 0 respondents and figures that cannot be computed are −")
    func dashes() {
      let text = report.render(.text())
      let empty = text.split(separator: "\n").first { $0.hasPrefix("  1人") }
      #expect(empty.map { $0.split(separator: " ").filter { $0 == "−" }.count } == 4)
      #expect(text.contains("回答者なし"))
    }

    @Test("CSV: every line has the header's number of fields; numbers unrounded")
    func csv() {
      let csv = report.render(.csv())
      let lines = csv.split(separator: "\n")
      #expect(lines.first == Substring(CSVFormat.columns.joined(separator: ",")))
      for line in lines {
        #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 20, "\(line)")
      }
      #expect(
        csv.contains("SAT,single,tabulated,category,1,,満足,true,2,4,percent,66.66666666666666"))
      #expect(!csv.lowercased().contains("nan"))
    }

    @Test("JSON: parses, has the schema tag, and writes null (never NaN) where nothing applies")
    func json() throws {
      let text = report.render(.json())
      let document = try #require(
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
      #expect(document["schema"] as? String == "surveykit-freq/1")
      let tables = try #require(document["tables"] as? [[String: Any]])
      #expect(tables.map { $0["variable"] as? String } == ["SAT", "NOBODY", "KIDS", "WHY"])
      #expect(tables[1]["status"] as? String == "no-respondents")
      let rows = try #require(tables[0]["rows"] as? [[String: Any]])
      let percent = try #require(rows[0]["percent"] as? [String: Any])
      #expect(percent["estimate"] as? Double == 2.0 / 3 * 100)  // 100 × the share, unrounded
      #expect(rows[2]["percent"] is NSNull)
    }

    @Test("the header: the accounting line, the design and how intervals are made")
    func header() throws {
      let lines = report.render(.text(language: .english)).split(separator: "\n").prefix(6)
      #expect(
        Array(lines) == [
          "Tiny survey: frequency tables",
          "data: t.csv (codebook tiny.yaml)",
          "rows read 4 = 4 accepted + 0 rejected; 0 errors, 0 warnings",
          "design: weights W; no strata; PSUs 4 (respondents); df 3; lonely PSUs fail",
          "confidence level 95%; intervals of percentages: logit; of means: t with 3 df",
          "* not in the base (missing); − no respondents, or cannot be computed",
        ])
      // Without a weight variable every row weighs 1, and the header says so.
      var unweighted = report
      unweighted.design.variables.weight = nil
      #expect(unweighted.render(.text()).contains("設計: ウェイトなし（全員 1）、層なし、"))
    }

    @Test("Markdown: one pipe table per question, missing rows marked")
    func markdown() {
      let markdown = report.render(.markdown(language: .english))
      #expect(markdown.hasPrefix("# Tiny survey: frequency tables\n"))
      #expect(markdown.contains("\n## SAT Satisfaction (single)\n"))
      #expect(markdown.contains("| \\* No answer | 1 | 2 |"))
      #expect(markdown.contains("| **Total (base)** | 3 | 6 | 100.0 |"))
    }
  }
}
