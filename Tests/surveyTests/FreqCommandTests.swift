import Foundation
import Testing

/// End-to-end tests of `survey freq`: the built executable runs on the bundled sample and on tiny
/// fixtures (Golden/freq-fixtures/), and its whole output is compared with golden files.
@Suite("survey freq")
struct FreqCommandTests {
  static let codebook = "codebooks/citizen-survey-2019.yaml"
  static let sample = "samples/citizen-survey-2019.csv"
  static let fixtures = "Tests/surveyTests/Golden/freq-fixtures"
  static let tinyCodebook = "\(fixtures)/tiny.yaml"

  static func freq(_ arguments: [String]) async throws -> SurveyCLI.Result {
    try await SurveyCLI.run(["freq", sample, "--codebook", codebook] + arguments)
  }

  /// The words of a text, lowercased (to look for a stray "nan" or "inf").
  static func words(_ text: String) -> Set<String> {
    Set(text.lowercased().split { !$0.isLetter }.map(String.init))
  }

  /// Compares with a golden file whose numbers are unrounded (CSV, JSON): the text must be the
  /// same, and every number the same to a relative 1e-12, so that a change in the last bits of
  /// a sum (the order of additions in the variance) does not fail the test. Byte-for-byte when
  /// the goldens are being updated.
  static func expectGoldenFigures(
    _ actual: Data, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = SurveyCLI.goldenFolder.appendingPathComponent(name)
    if !SurveyCLI.updatingGoldens, let expected = try? Data(contentsOf: url),
      figuresAgree(
        String(decoding: expected, as: UTF8.self), String(decoding: actual, as: UTF8.self))
    {
      return
    }
    SurveyCLI.expectGolden(actual, name, sourceLocation: sourceLocation)
  }

  /// Whether two texts are the same apart from numbers that agree to a relative 1e-12.
  static func figuresAgree(_ expected: String, _ actual: String) -> Bool {
    let a = tokens(expected)
    let b = tokens(actual)
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where x != y {
      guard let u = Double(x), let v = Double(y), abs(u - v) <= 1e-12 * max(abs(u), abs(v), 1e-300)
      else { return false }
    }
    return true
  }

  /// The text split into numbers (`-12.5e-3`) and the runs of other characters between them.
  static func tokens(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = ""
    var inNumber = false
    let scalars = Array(text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      let isDigit = ("0"..."9").contains(scalar)
      let next = index + 1 < scalars.count ? scalars[index + 1] : " "
      let startsNumber = isDigit || (scalar == "-" && ("0"..."9").contains(next))
      let continuesNumber =
        isDigit || scalar == "." || scalar == "e" || scalar == "E"
        || ((scalar == "-" || scalar == "+") && (current.hasSuffix("e") || current.hasSuffix("E")))
      if inNumber && continuesNumber {
        current.unicodeScalars.append(scalar)
      } else if !inNumber && startsNumber {
        if !current.isEmpty { tokens.append(current) }
        current = String(scalar)
        inNumber = true
      } else {
        if inNumber {
          tokens.append(current)
          current = ""
          inNumber = false
        }
        current.unicodeScalars.append(scalar)
      }
    }
    if !current.isEmpty { tokens.append(current) }
    return tokens
  }

  // MARK: The sample, in every format

  struct GoldenCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var golden: String
    var testDescription: String {
      arguments.isEmpty ? "all questions" : arguments.joined(separator: " ")
    }
  }

  static let goldenCases: [GoldenCase] = [
    .init(arguments: [], golden: "freq-sample.txt"),
    .init(
      arguments: ["Q1", "Q3", "Q4", "Q5", "Q6", "--format", "json"], golden: "freq-sample.json"),
    .init(arguments: ["--format", "markdown"], golden: "freq-sample.md"),
    .init(arguments: ["--lang", "en"], golden: "freq-sample-en.txt"),
    .init(arguments: ["--include-missing", "Q6"], golden: "freq-include-missing-q6.txt"),
    .init(
      arguments: ["Q5", "Q6", "--reverse", "Q6", "--ci-method", "beta", "--confidence", "0.9"],
      golden: "freq-reverse-beta-90.txt"),
  ]

  @Test("the sample's tables: exit status 0, nothing on stderr", arguments: goldenCases)
  func sample(_ example: GoldenCase) async throws {
    let result = try await Self.freq(example.arguments)
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    #expect(Self.words(result.stdoutText).isDisjoint(with: ["nan", "inf", "infinity"]))
    Self.expectGoldenFigures(result.stdout, example.golden)
  }

  @Test("--format csv: the table on stdout, the row accounting on stderr")
  func csv() async throws {
    let result = try await Self.freq(["--format", "csv"])
    #expect(result.status == 0)
    #expect(
      result.stderrText
        == "\(Self.sample): rows read 1,200 = 1,200 accepted + 0 rejected; 0 errors, 0 warnings\n")
    let lines = result.stdoutText.split(separator: "\n")
    // Every line has the header's 20 fields (labels of the sample hold no commas).
    #expect(
      lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 20 })
    Self.expectGoldenFigures(result.stdout, "freq-sample.csv")
  }

  @Test("the JSON document parses and follows docs/freq-json.md's required keys")
  func jsonShape() async throws {
    let result = try await Self.freq(["--format", "json"])
    #expect(result.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    #expect(document["schema"] as? String == "surveykit-freq/1")
    for key in [
      "survey", "file", "codebook", "language", "rows", "errors", "warnings", "design",
      "confidenceLevel", "intervalMethod", "includeMissing", "tables",
    ] {
      #expect(document[key] != nil, "missing key \(key)")
    }
    let tables = try #require(document["tables"] as? [[String: Any]])
    #expect(
      tables.map { $0["variable"] as? String ?? "" } == [
        "F1", "F2", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7",
      ])
  }

  // MARK: The seed's published figures

  /// DOMAIN.md: the figures the synthetic sample reproduces once weighted, rounded to one decimal
  /// as published. The satisfaction KPI is the mean on the reversed scale, `--reverse Q6`.
  @Test("the published figures: 55.3, 32.5; 62.8, 20.4, 17.7; 56.8, 42.4, 37.0; 33.1; 2.9")
  func publishedFigures() async throws {
    let result = try await Self.freq([
      "Q1", "Q3", "Q4", "Q5", "Q6", "--reverse", "Q6", "--format", "json",
    ])
    #expect(result.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let tables = try #require(document["tables"] as? [[String: Any]])
    func table(_ name: String) -> [String: Any] {
      tables.first { $0["variable"] as? String == name } ?? [:]
    }
    /// The rounded percentage of the row with `code`.
    func percent(_ name: String, _ code: Int) -> Double? {
      let rows = table(name)["rows"] as? [[String: Any]] ?? []
      let row = rows.first { $0["code"] as? Int == code && $0["kind"] as? String == "category" }
      let estimate = (row?["percent"] as? [String: Any])?["estimate"] as? Double
      return estimate.map { ($0 * 10).rounded() / 10 }
    }
    #expect(percent("Q1", 2) == 55.3)
    #expect(percent("Q1", 3) == 32.5)
    #expect(percent("Q3", 1) == 62.8)
    #expect(percent("Q3", 2) == 20.4)
    #expect(percent("Q3", 3) == 17.7)
    #expect(percent("Q4", 1) == 56.8)
    #expect(percent("Q4", 2) == 42.4)
    #expect(percent("Q4", 3) == 37.0)
    #expect(percent("Q5", 1) == 33.1)
    let mean = try #require(table("Q6")["mean"] as? [String: Any])
    #expect(mean["scale"] as? String == "reversed-codes")
    #expect((mean["estimate"] as? Double).map { ($0 * 10).rounded() / 10 } == 2.9)

    // The same figures in the text a person reads, each on its row.
    let text = try await Self.freq(["Q1", "Q3", "Q4", "Q5", "Q6", "--reverse", "Q6"])
    let lines = text.stdoutText.split(separator: "\n").map(String.init)
    func row(_ label: String) -> [String] {
      let line = lines.first { $0.hasPrefix("  \(label) ") } ?? ""
      return line.split(separator: " ").map(String.init)
    }
    #expect(row("2人").dropFirst(3).first == "55.3")
    #expect(row("3人").dropFirst(3).first == "32.5")
    #expect(row("お金がかかりすぎる").dropFirst(3).first == "62.8")
    #expect(row("心理的・肉体的負担が大きい").dropFirst(3).first == "20.4")
    #expect(row("手助けする人がいない").dropFirst(3).first == "17.7")
    #expect(row("経済的負担の軽減").dropFirst(3).first == "56.8")
    #expect(row("安定した雇用の確保").dropFirst(3).first == "42.4")
    #expect(row("職場環境の整備").dropFirst(3).first == "37.0")
    #expect(row("住みやすい").dropFirst(3).first == "33.1")
    #expect(lines.contains { $0.hasPrefix("  平均（逆転尺度：6−コード） 2.90（") })
  }

  // MARK: Other exports

  @Test("the CP932 sample gives the same tables as the UTF-8 one")
  func cp932() async throws {
    let utf8 = try await Self.freq([])
    let cp932 = try await SurveyCLI.run([
      "freq", "samples/citizen-survey-2019-cp932.csv", "--codebook", Self.codebook,
    ])
    #expect(cp932.status == 0)
    #expect(
      cp932.stdoutText.replacingOccurrences(of: "-cp932.csv", with: ".csv") == utf8.stdoutText)
  }

  @Test("the dirty sample: rejected rows are left out and the header says so")
  func dirty() async throws {
    let result = try await SurveyCLI.run([
      "freq", "samples/citizen-survey-2019-dirty.csv", "--codebook", Self.codebook, "Q5",
    ])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    let accounting =
      "rows read 1,200 = 1,193 accepted + 7 rejected; 15 errors, 3 warnings"
      + "（除外された行は集計に含まない。詳細は survey check）"
    #expect(result.stdoutText.split(separator: "\n").dropFirst(2).first == Substring(accounting))
  }

  @Test("zero weights rejected by the check: a note, the rest tabulated; an all-missing question")
  func zeroWeight() async throws {
    let result = try await SurveyCLI.run([
      "freq", "\(Self.fixtures)/zero-weight.csv", "--codebook", Self.tinyCodebook,
    ])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    #expect(result.stdoutText.contains("rows read 8 = 6 accepted + 2 rejected; 2 errors"))
    #expect(result.stdoutText.contains("回答者なし"))
    SurveyCLI.expectGolden(result.stdout, "freq-zero-weight.txt")
  }

  @Test("--lonely-psu certainty makes a design with a lonely PSU usable")
  func lonelyCertainty() async throws {
    let result = try await SurveyCLI.run([
      "freq", "\(Self.fixtures)/lonely.csv", "--codebook", Self.tinyCodebook, "Q1",
      "--lonely-psu", "certainty", "--lang", "en",
    ])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, "freq-lonely-certainty.txt")
  }

  // MARK: Designs that cannot be used (exit status 2)

  struct BadDesign: Sendable, CustomTestStringConvertible {
    var name: String
    var fixture: String
    var golden: String
    var testDescription: String { name }
  }

  static let badDesigns: [BadDesign] = [
    .init(
      name: "a stratum with one PSU under fail", fixture: "lonely",
      golden: "freq-error-lonely-psu.txt"),
    .init(
      name: "a PSU in two strata", fixture: "psu-two-strata",
      golden: "freq-error-psu-two-strata.txt"),
    .init(
      name: "a population smaller than the sample", fixture: "fpc-small",
      golden: "freq-error-fpc-small.txt"),
  ]

  @Test(
    "a design that cannot be used: one sentence on stderr, nothing on stdout", arguments: badDesigns
  )
  func badDesign(_ example: BadDesign) async throws {
    let result = try await SurveyCLI.run([
      "freq", "\(Self.fixtures)/\(example.fixture).csv", "--codebook", Self.tinyCodebook,
    ])
    #expect(result.status == 2)
    #expect(result.stdoutText == "")
    #expect(result.stderrText.split(separator: "\n").count == 1)
    SurveyCLI.expectGolden(result.stderr, example.golden)
  }

  @Test("a weight that is missing on a row: the variable and the line are named")
  func missingWeight() async throws {
    let result = try await Self.freq(["Q5", "--weight", "Q1"])
    #expect(result.status == 2)
    #expect(result.stdoutText == "")
    #expect(
      result.stderrText
        == "\(Self.sample): error: the design cannot be used: Q1 has no weight on line 497; "
        + "every row of the design needs one (let survey check reject such rows)\n")
  }

  @Test("a missing export or codebook: exit status 2")
  func missingFiles() async throws {
    let export = try await SurveyCLI.run(["freq", "samples/nope.csv", "--codebook", Self.codebook])
    #expect(export.status == 2)
    #expect(export.stderrText == "samples/nope.csv: error: no such file\n")
    let codebook = try await SurveyCLI.run(["freq", Self.sample, "--codebook", "nope.yaml", "Q1"])
    #expect(codebook.status == 2)
    #expect(codebook.stderrText == "nope.yaml: error: no such file\n")
  }

  // MARK: Usage errors (exit status 64)

  @Test(
    "a usage error names the problem, before the export is read",
    arguments: [
      (["Q99"], "Error: Q99 is not a variable of the codebook.\n"),
      (
        ["Q8"],
        "Error: Q8 is a text variable; only single, multi and numeric questions have frequency tables.\n"
      ),
      (
        ["--reverse", "Q3"],
        "Error: Q3 cannot be reversed: only a single question whose codes are consecutive whole "
          + "numbers (a rating scale such as 1–5) can.\n"
      ),
      (["--strata", "AREA"], "Error: AREA is not a variable of the codebook.\n"),
      (
        ["--confidence", "95"],
        "Error: The confidence level must be between 0 and 1 (such as 0.95), not 95.0.\n"
      ),
      (
        ["--ci-method", "exact"],
        "Error: The value 'exact' is invalid for '--ci-method <ci-method>'. Please provide one of 'wald', 'logit', 'beta', 'wilson' or 'asin'.\n"
      ),
    ])
  func usageError(extra: [String], firstLine: String) async throws {
    // A missing export shows that names are checked first.
    let result = try await SurveyCLI.run(
      ["freq", "samples/nope.csv", "--codebook", Self.codebook] + extra)
    #expect(result.status == 64)
    #expect(result.stdoutText == "")
    #expect(result.stderrText.hasPrefix(firstLine))
    #expect(
      result.stderrText.contains("\nUsage: survey freq [<options>] <export> --codebook <codebook>"))
  }

  // MARK: Help

  @Test("--help shows the discussion, the examples and the options")
  func help() async throws {
    let result = try await SurveyCLI.run(["freq", "--help"])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, "help-freq.txt")
  }
}
