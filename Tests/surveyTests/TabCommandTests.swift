import Foundation
import Testing

/// End-to-end tests of `survey tab`: the built executable runs on the bundled sample with its
/// table spec and on tiny fixtures (Golden/tab-fixtures/), and its whole output is compared with
/// golden files.
@Suite("survey tab")
struct TabCommandTests {
  static let codebook = "codebooks/citizen-survey-2019.yaml"
  static let sample = "samples/citizen-survey-2019.csv"
  static let spec = "codebooks/citizen-survey-2019-tables.yaml"
  static let fixtures = "Tests/surveyTests/Golden/tab-fixtures"

  static func tab(_ arguments: [String]) async throws -> SurveyCLI.Result {
    try await SurveyCLI.run(["tab", sample, "--codebook", codebook] + arguments)
  }

  // MARK: The sample, in every format

  struct GoldenCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var golden: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let goldenCases: [GoldenCase] = [
    .init(arguments: ["--spec", spec], golden: "tab-sample.txt"),
    .init(arguments: ["--spec", spec, "--format", "markdown"], golden: "tab-sample.md"),
    .init(arguments: ["--spec", spec, "--format", "json"], golden: "tab-sample.json"),
    .init(arguments: ["--spec", spec, "--lang", "en"], golden: "tab-sample-en.txt"),
    .init(arguments: ["--rows", "Q5", "--by", "F1,F2"], golden: "tab-q5-by-f1-f2.txt"),
    .init(arguments: ["--rows", "Q5", "--by", "Q7"], golden: "tab-q5-by-q7.txt"),
    .init(
      arguments: [
        "--rows", "Q6", "--by", "F2", "--reverse", "Q6", "--test", "design", "--adjust", "bh",
        "--width", "200",
      ], golden: "tab-q6-design-bh.txt"),
    .init(
      arguments: ["--rows", "Q4", "--by", "F1,F2,DISTRICT", "--width", "60", "--lang", "en"],
      golden: "tab-q4-wrapped-60.txt"),
    .init(
      arguments: [
        "--rows", "Q1", "--by", "DISTRICT", "--filter", "F1 == 2 and F2 <= 2", "--alpha", "0.1",
        "--small-base", "50", "--suppress-below", "20",
      ], golden: "tab-q1-filter-small-bases.txt"),
    .init(
      arguments: ["--rows", "Q5", "--by", "F1", "--cells", "column,row,total,n", "--lang", "en"],
      golden: "tab-q5-cells-en.txt"),
    .init(arguments: ["--rows", "Q5", "--by", "F1>F2"], golden: "tab-q5-by-f1-nested-f2.txt"),
  ]

  @Test("the sample's tables: exit status 0, nothing on stderr", arguments: goldenCases)
  func sample(_ example: GoldenCase) async throws {
    let result = try await Self.tab(example.arguments)
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    #expect(FreqCommandTests.words(result.stdoutText).isDisjoint(with: ["nan", "inf", "infinity"]))
    FreqCommandTests.expectGoldenFigures(result.stdout, example.golden)
  }

  @Test("--format csv: UTF-8 with a BOM, one row per cell; the row accounting on stderr")
  func csv() async throws {
    let result = try await Self.tab(["--spec", Self.spec, "--format", "csv"])
    #expect(result.status == 0)
    #expect(
      result.stderrText
        == "\(Self.sample): rows read 1,200 = 1,200 accepted + 0 rejected; 0 errors, 0 warnings\n")
    #expect(Array(result.stdout.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let lines = result.stdoutText.dropFirst().split(separator: "\n")
    #expect(lines.first?.hasPrefix("table,title,filter,question,type,row,") == true)
    // Every line has the header's 32 fields (labels of the sample hold no commas).
    #expect(
      lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 34 })
    FreqCommandTests.expectGoldenFigures(result.stdout, "tab-sample.csv")
  }

  @Test("the JSON document parses, and every column comparison has its p-value")
  func jsonShape() async throws {
    let result = try await Self.tab(["--rows", "Q5", "--by", "F1,Q7", "--format", "json"])
    #expect(result.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(document["schema"] as? String == "surveykit-tab/1")
    for key in [
      "survey", "title", "file", "codebook", "spec", "language", "rows", "errors", "warnings",
      "design", "options", "tables",
    ] {
      #expect(document[key] != nil, "missing key \(key)")
    }
    let tables = try #require(document["tables"] as? [[String: Any]])
    let block = try #require((tables[0]["blocks"] as? [[String: Any]])?.first)
    let rows = try #require(block["rows"] as? [[String: Any]])
    let cells = try #require(rows[0]["cells"] as? [[String: Any]])
    // Every pair of a break's columns once: 男性–女性, and the 21 pairs of Q7's seven options.
    let pairs = try #require(rows[0]["comparisons"] as? [[String: Any]])
    let columns = pairs.map { ($0["columns"] as? [Int]) ?? [] }
    #expect(columns.first == [1, 2])
    #expect(pairs.count == 1 + 21)
    #expect(columns.dropFirst().allSatisfy { $0[0] >= 3 && $0[1] > $0[0] })
    #expect(pairs.allSatisfy { $0["pValue"] as? Double != nil })
    #expect((cells[1]["versusTotal"] as? [String: Any])?["pValue"] as? Double != nil)
    let tests = try #require(block["independenceTests"] as? [[String: Any]])
    #expect(tests.map { $0["break"] as? String } == ["F1"])
    // Without --cells: only the column %, so no row or total %.
    #expect(tables[0]["cells"] as? [String] == ["column"])
    #expect(cells.allSatisfy { $0["rowPercent"] is NSNull && $0["totalPercent"] is NSNull })
  }

  @Test("--cells: row % and total % in JSON, 100 for Total, a single break's row % adds to 100")
  func cellsInJSON() async throws {
    let result = try await Self.tab([
      "--rows", "Q5", "--by", "F1,Q7", "--cells", "column,row,total", "--format", "json",
    ])
    #expect(result.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let table = try #require((document["tables"] as? [[String: Any]])?.first)
    #expect(table["cells"] as? [String] == ["column", "row", "total"])
    let block = try #require((table["blocks"] as? [[String: Any]])?.first)
    let row = try #require((block["rows"] as? [[String: Any]])?.first)
    let cells = try #require(row["cells"] as? [[String: Any]])
    #expect(cells[0]["rowPercent"] as? Double == 100)
    let men = try #require(cells[1]["rowPercent"] as? Double)
    let women = try #require(cells[2]["rowPercent"] as? Double)
    #expect(abs(men + women - 100) < 1e-9)
    let total = try #require(cells[0]["totalPercent"] as? Double)
    let column = try #require((cells[0]["estimate"] as? [String: Any])?["estimate"] as? Double)
    #expect(abs(total - column) < 1e-9)
    // Q7 is multi-response: its columns overlap, so neither figure.
    #expect(cells[3...].allSatisfy { $0["rowPercent"] is NSNull && $0["totalPercent"] is NSNull })
  }

  @Test("the published KPI figures in the banner's Total column: 33.1 and 2.90")
  func publishedFigures() async throws {
    let result = try await Self.tab(["--spec", Self.spec])
    let lines = result.stdoutText.split(separator: "\n").map(String.init)
    func total(_ label: String) -> String? {
      let line = lines.first { $0.hasPrefix("  \(label) ") }
      return line?.split(separator: " ").dropFirst(label.split(separator: " ").count).first.map(
        String.init)
    }
    #expect(total("住みやすい") == "33.1")
    #expect(total("平均（逆転尺度：6−コード）") == "3.86")
    #expect(lines.contains { $0.hasPrefix("  平均（逆転尺度：6−コード）     2.90") })
  }

  // MARK: Multi-response shapes

  @Test(
    "the three multi-response shapes give the same tables, as rows and as columns",
    arguments: ["text", "json"])
  func shapes(format: String) async throws {
    var outputs: [String] = []
    for shape in ["dichotomy", "spread", "delimited"] {
      let result = try await SurveyCLI.run([
        "tab", "\(Self.fixtures)/shapes-\(shape).csv", "--codebook",
        "\(Self.fixtures)/shapes-\(shape).yaml", "--rows", "USE,SAT", "--by", "SEX,USE",
        "--small-base", "10", "--suppress-below", "5", "--format", format,
      ])
      #expect(result.status == 0)
      outputs.append(
        result.stdoutText.replacingOccurrences(of: "shapes-\(shape).", with: "shapes."))
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0] == outputs[2])
    if format == "text" { SurveyCLI.expectGolden(outputs[0], "tab-shapes.txt") }
  }

  // MARK: Broken specs (exit status 2)

  @Test(
    "a broken spec: every problem located, nothing on stdout",
    arguments: ["yaml-syntax-error", "unknown-variables", "several-problems", "no-tables"])
  func brokenSpec(_ name: String) async throws {
    let result = try await Self.tab(["--spec", "\(Self.fixtures)/spec-\(name).yaml"])
    #expect(result.status == 2)
    #expect(result.stdoutText == "")
    SurveyCLI.expectGolden(result.stderr, "tab-error-spec-\(name).txt")
  }

  @Test("the exact messages of a spec naming unknown variables")
  func unknownVariablesInSpec() async throws {
    let result = try await Self.tab(["--spec", "\(Self.fixtures)/spec-unknown-variables.yaml"])
    let spec = "\(Self.fixtures)/spec-unknown-variables.yaml"
    #expect(
      result.stderrText == """
        \(spec):3:16: error: table 1: rows: Q99 is not a variable of the codebook
        \(spec):4:14: error: table 1: by: AGE is not a variable of the codebook

        """)
  }

  @Test("a missing spec file: exit status 2")
  func missingSpec() async throws {
    let result = try await Self.tab(["--spec", "nope.yaml"])
    #expect(result.status == 2)
    #expect(result.stderrText == "nope.yaml: error: no such file\n")
  }

  // MARK: Usage errors (exit status 64)

  @Test(
    "a usage error names the problem, before the export is read",
    arguments: [
      (["--rows", "Q99", "--by", "F1"], "Error: Q99 is not a variable of the codebook.\n"),
      (["--rows", "Q5", "--by", "F1,F9"], "Error: F9 is not a variable of the codebook.\n"),
      (
        ["--rows", "Q8"],
        "Error: Q8 is a text variable; only single, multi and numeric questions and the stratum can be rows of a table.\n"
      ),
      (
        ["--rows", "Q5", "--by", "WEIGHT"],
        "Error: WEIGHT is a weight variable; only single, multi and numeric questions and the stratum can be banner columns.\n"
      ),
      (
        ["--rows", "Q3", "--mean", "Q3"],
        "Error: Q3 has no mean: only a single question whose codes are consecutive whole numbers (a rating scale such as 1–5) or a numeric question has one.\n"
      ),
      (
        ["--rows", "Q5", "--by", "F1>Q7"],
        "Error: Q7 is a multi variable; only single-choice questions and recodes can be nested in a banner (F1 > F2).\n"
      ),
      (
        ["--rows", "Q5", "--by", "F1>F2>Q6,DISTRICT"],
        "Error: \"F1 > F2 > Q6\" is not a nested break; write two single-choice variables joined by >, such as F1 > F2.\n"
      ),
      (
        ["--by", "F1"],
        "Error: Name the tables: --spec FILE, or --rows with the stub questions (and --by with the breaks).\n"
      ),
      (
        ["--spec", "x.yaml", "--rows", "Q5"],
        "Error: --rows cannot be combined with --spec; put the table in the spec file instead.\n"
      ),
      (
        ["--rows", "Q5", "--cells", "row,n"],
        "Error: --cells must start with column (the column percentage is always shown).\n"
      ),
      (
        ["--rows", "Q5", "--cells", "column,pct"],
        "Error: --cells: \"pct\" is not one of column, row, total, n.\n"
      ),
      (
        ["--rows", "Q5", "--alpha", "5%"],
        "Error: --alpha takes one or two levels between 0 and 1, such as 0.01,0.05, not \"5%\".\n"
      ),
      (
        ["--rows", "Q5", "--filter", "Q3 == 1"],
        "Error: The filter refers to Q3, a multi variable; filters compare single-choice and numeric answers.\n"
      ),
      (
        ["--rows", "Q5", "--filter", "F1 =="],
        "Error: The filter \"F1 ==\" cannot be read: the condition ends too early.\n"
      ),
    ])
  func usageError(extra: [String], firstLine: String) async throws {
    // A missing export shows that names are checked first.
    let result = try await SurveyCLI.run(
      ["tab", "samples/nope.csv", "--codebook", Self.codebook] + extra)
    #expect(result.status == 64)
    #expect(result.stdoutText == "")
    #expect(result.stderrText.hasPrefix(firstLine), "\(result.stderrText)")
    #expect(
      result.stderrText.contains("\nUsage: survey tab [<options>] <export> --codebook <codebook>"))
  }

  // MARK: Help

  @Test("--help shows the discussion, the examples and the options")
  func help() async throws {
    let result = try await SurveyCLI.run(["tab", "--help"])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, "help-tab.txt")
  }
}
