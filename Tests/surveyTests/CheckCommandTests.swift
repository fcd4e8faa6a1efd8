import Foundation
import Testing

/// End-to-end tests of `survey check`: the built executable runs on the sample exports and its
/// whole output and exit status are compared with golden files in `Golden/`.
@Suite("survey check")
struct CheckCommandTests {
  static let codebook = "codebooks/citizen-survey-2019.yaml"
  static let cleanUTF8 = "samples/citizen-survey-2019.csv"
  static let cleanCP932 = "samples/citizen-survey-2019-cp932.csv"
  static let dirty = "samples/citizen-survey-2019-dirty.csv"
  static let answerKey = "samples/citizen-survey-2019-dirty-defects.csv"

  // MARK: Clean exports

  @Test(
    "a clean export passes with exit status 0",
    arguments: [
      (cleanUTF8, "check-clean-utf8.txt"),
      (cleanCP932, "check-clean-cp932.txt"),
    ])
  func cleanExport(export: String, golden: String) async throws {
    let result = try await SurveyCLI.run(["check", export, "--codebook", Self.codebook])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, golden)
  }

  // MARK: The dirty export

  @Test("the dirty export: every defect as text, exit status 1")
  func dirtyText() async throws {
    let result = try await SurveyCLI.run(["check", Self.dirty, "--codebook", Self.codebook])
    #expect(result.status == 1)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, "check-dirty.txt")
  }

  @Test("the dirty export: every defect as JSON, exit status 1")
  func dirtyJSON() async throws {
    let result = try await SurveyCLI.run([
      "check", Self.dirty, "--codebook", Self.codebook, "--format", "json",
    ])
    #expect(result.status == 1)
    #expect(result.stderrText == "")
    #expect(
      (try? JSONSerialization.jsonObject(with: result.stdout)) != nil,
      "stdout is not a JSON document")
    SurveyCLI.expectGolden(result.stdout, "check-dirty.json")
  }

  @Test("--rejects writes the rejected rows, replacing an existing file, with no temporary left")
  func dirtyRejects() async throws {
    let folder = try SurveyCLI.makeTemporaryFolder()
    defer { SurveyCLI.removeTemporaryFolder(folder) }
    let rejects = folder.appendingPathComponent("rejects.csv")
    try Data("stale content of an earlier run\n".utf8).write(to: rejects)

    let result = try await SurveyCLI.run([
      "check", Self.dirty, "--codebook", Self.codebook, "--rejects", rejects.path,
    ])
    #expect(result.status == 1)
    #expect(result.stderrText == "")
    let lastLine = "rejected rows written to \(rejects.path)\n"
    #expect(result.stdoutText.hasSuffix(lastLine))
    // The temporary folder's path is not deterministic; the golden file has <tmp> in its place.
    SurveyCLI.expectGolden(
      result.stdoutText.replacingOccurrences(of: folder.path, with: "<tmp>"),
      "check-dirty-rejects.txt")
    SurveyCLI.expectGolden(try Data(contentsOf: rejects), "check-dirty-rejects.csv")

    // Written through a temporary sibling that is renamed over the target: nothing else is left.
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(leftovers == ["rejects.csv"], "files left next to the rejects file: \(leftovers)")
  }

  @Test("--rejects with --format json: stdout is only the JSON document")
  func dirtyRejectsJSON() async throws {
    let folder = try SurveyCLI.makeTemporaryFolder()
    defer { SurveyCLI.removeTemporaryFolder(folder) }
    let rejects = folder.appendingPathComponent("rejects.csv")
    let result = try await SurveyCLI.run([
      "check", Self.dirty, "--codebook", Self.codebook, "--rejects", rejects.path,
      "--format", "json",
    ])
    #expect(result.status == 1)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, "check-dirty.json")
    SurveyCLI.expectGolden(try Data(contentsOf: rejects), "check-dirty-rejects.csv")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(leftovers == ["rejects.csv"], "files left next to the rejects file: \(leftovers)")
  }

  /// One defect as the answer key and the JSON output both locate it.
  struct Defect: Hashable, Comparable, CustomStringConvertible {
    var line: Int?
    var column: Int?
    var columnName: String?
    var id: String?
    var rule: String

    static func < (a: Defect, b: Defect) -> Bool {
      (a.line ?? 0, a.column ?? 0, a.rule, a.columnName ?? "", a.id ?? "")
        < (b.line ?? 0, b.column ?? 0, b.rule, b.columnName ?? "", b.id ?? "")
    }

    var description: String {
      "line \(line.map(String.init) ?? "-"), column \(column.map(String.init) ?? "-") "
        + "(\(columnName ?? "-")), id \(id ?? "-"): \(rule)"
    }
  }

  struct CheckDocument: Decodable {
    struct Rows: Decodable {
      var read: Int
      var accepted: Int
      var rejected: Int
    }
    struct Entry: Decodable {
      var severity: String
      var rule: String
      var line: Int?
      var column: Int?
      var columnName: String?
      var id: String?
      var message: String
    }
    var file: String
    var rows: Rows
    var errors: Int
    var warnings: Int
    var diagnostics: [Entry]
  }

  static func readAnswerKey() throws -> [Defect] {
    let url = SurveyCLI.packageRoot.appendingPathComponent(answerKey)
    let lines = try String(contentsOf: url, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: true)
    #expect(lines.first == "line,column,column_name,id,kind")
    return try lines.dropFirst().map { line in
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 5, let number = Int(fields[0]) else {
        throw SurveyCLI.LookupError(description: "malformed answer key line: \(line)")
      }
      func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
      return Defect(
        line: number, column: optional(fields[1]).flatMap { Int($0) },
        columnName: optional(fields[2]), id: optional(fields[3]), rule: fields[4])
    }
  }

  @Test("the dirty export: the JSON diagnostics are exactly the sample's answer key")
  func dirtyMatchesAnswerKey() async throws {
    let expected = try Self.readAnswerKey().sorted()
    #expect(expected.count == 18)

    let result = try await SurveyCLI.run([
      "check", Self.dirty, "--codebook", Self.codebook, "--format", "json",
    ])
    #expect(result.status == 1)
    let document = try JSONDecoder().decode(CheckDocument.self, from: result.stdout)
    let actual = document.diagnostics.map {
      Defect(line: $0.line, column: $0.column, columnName: $0.columnName, id: $0.id, rule: $0.rule)
    }.sorted()

    // Compared as sorted lists, so a defect reported twice counts as an extra one.
    let missing = Set(expected).subtracting(actual).sorted()
    let extra = Set(actual).subtracting(expected).sorted()
    #expect(missing.isEmpty, "defects of the answer key not reported: \(missing)")
    #expect(extra.isEmpty, "diagnostics that are not in the answer key: \(extra)")
    #expect(actual == expected)

    // The summary adds up.
    #expect(document.file == Self.dirty)
    #expect(document.rows.read == document.rows.accepted + document.rows.rejected)
    #expect(document.errors + document.warnings == document.diagnostics.count)
    #expect(document.errors == document.diagnostics.filter { $0.severity == "error" }.count)
    #expect(document.warnings == document.diagnostics.filter { $0.severity == "warning" }.count)
    #expect(document.diagnostics.allSatisfy { !$0.message.isEmpty && !$0.message.contains("\n") })
  }

  // MARK: Encodings

  @Test(
    "--encoding cp932 (any spelling) reads the CP932 sample like detection does",
    arguments: ["cp932", "CP932", "shift_jis", "sjis", "Windows-31J"])
  func explicitCP932(spelling: String) async throws {
    let detected = try await SurveyCLI.run(["check", Self.cleanCP932, "--codebook", Self.codebook])
    let requested = try await SurveyCLI.run([
      "check", Self.cleanCP932, "--codebook", Self.codebook, "--encoding", spelling,
    ])
    #expect(requested.status == 0)
    #expect(requested.stderrText == "")
    #expect(detected.stdoutText.contains("CP932 (detected)"))
    #expect(requested.stdoutText.contains("CP932 (as requested)"))
    #expect(
      requested.stdoutText.replacingOccurrences(of: "(as requested)", with: "(detected)")
        == detected.stdoutText)
  }

  @Test("--encoding utf-8 on the CP932 sample: undecodable bytes, exit status 1")
  func cp932ReadAsUTF8() async throws {
    let arguments = ["check", Self.cleanCP932, "--codebook", Self.codebook, "--encoding", "utf-8"]
    let text = try await SurveyCLI.run(arguments)
    #expect(text.status == 1)
    #expect(text.stderrText == "")
    SurveyCLI.expectGolden(text.stdout, "check-cp932-as-utf8.txt")

    let json = try await SurveyCLI.run(arguments + ["--format", "json"])
    #expect(json.status == 1)
    let document = try JSONDecoder().decode(CheckDocument.self, from: json.stdout)
    #expect(!document.diagnostics.isEmpty)
    #expect(document.diagnostics.allSatisfy { $0.rule == "undecodable-bytes" })
    #expect(document.errors == document.diagnostics.count)
    #expect(document.rows.read == 1200)
  }

  /// A diagnostic is one line (`file:line: severity: sentence [id=…]`), even when the value it
  /// quotes spans several lines of the file, as the free-text comments of the samples do.
  @Test("each text diagnostic is one line, even for a value with line breaks")
  func diagnosticsAreSingleLines() async throws {
    let result = try await SurveyCLI.run([
      "check", Self.cleanCP932, "--codebook", Self.codebook, "--encoding", "utf-8",
    ])
    // Split the bytes at LF (a Swift String keeps CR LF together as one Character).
    let lines = result.stdout.split(separator: 0x0A, omittingEmptySubsequences: false)
      .map { String(decoding: $0, as: UTF8.self) }
    let diagnostics = lines.prefix { !$0.isEmpty }
    #expect(diagnostics.count > 100)
    let broken = diagnostics.filter {
      !$0.hasPrefix("\(Self.cleanCP932):") || $0.unicodeScalars.contains("\r")
    }
    let count = broken.count
    let example = String(reflecting: String(broken.first?.prefix(100) ?? ""))
    #expect(count == 0, "\(count) lines are not a whole diagnostic, e.g. \(example)")
  }

  /// Diagnostic.line is documented as the physical line where the offending field starts. In the
  /// CP932 sample, record 10013 is on line 14 and its comment (Q8) starts there and spans two lines.
  @Test("a value spanning several lines is located on the line where its field starts")
  func multiLineValueLocation() async throws {
    let result = try await SurveyCLI.run([
      "check", Self.cleanCP932, "--codebook", Self.codebook, "--encoding", "utf-8",
      "--format", "json",
    ])
    let document = try JSONDecoder().decode(CheckDocument.self, from: result.stdout)
    let comment = try #require(document.diagnostics.first { $0.id == "10013" })
    #expect(comment.columnName == "Q8")
    #expect(comment.line == 14)
  }

  // MARK: Could not run (exit status 2)

  struct CouldNotRun: Sendable, CustomTestStringConvertible {
    var name: String
    var export: String
    var codebook: String
    var golden: String
    var testDescription: String { name }
  }

  static let couldNotRunCases: [CouldNotRun] = [
    .init(
      name: "missing export", export: "samples/nope.csv", codebook: codebook,
      golden: "error-missing-export.txt"),
    .init(
      name: "export is a folder", export: "samples", codebook: codebook,
      golden: "error-export-is-folder.txt"),
    .init(
      name: "missing codebook", export: cleanUTF8, codebook: "codebooks/nope.yaml",
      golden: "error-missing-codebook.txt"),
    .init(
      name: "unknown variable type", export: cleanUTF8,
      codebook: "Tests/surveyTests/Golden/codebooks/unknown-type.yaml",
      golden: "error-codebook-unknown-type.txt"),
    .init(
      name: "filter names an undefined variable", export: cleanUTF8,
      codebook: "Tests/surveyTests/Golden/codebooks/filter-unknown-variable.yaml",
      golden: "error-codebook-filter-unknown-variable.txt"),
    .init(
      name: "filter syntax error", export: cleanUTF8,
      codebook: "Tests/surveyTests/Golden/codebooks/filter-syntax-error.yaml",
      golden: "error-codebook-filter-syntax-error.txt"),
    .init(
      name: "YAML syntax error", export: cleanUTF8,
      codebook: "Tests/surveyTests/Golden/codebooks/yaml-syntax-error.yaml",
      golden: "error-codebook-yaml-syntax-error.txt"),
    .init(
      name: "several problems in one codebook", export: cleanUTF8,
      codebook: "Tests/surveyTests/Golden/codebooks/several-problems.yaml",
      golden: "error-codebook-several-problems.txt"),
  ]

  @Test(
    "the check cannot run: exit status 2, the reason on stderr, nothing on stdout",
    arguments: couldNotRunCases)
  func couldNotRun(_ example: CouldNotRun) async throws {
    let result = try await SurveyCLI.run([
      "check", example.export, "--codebook", example.codebook,
    ])
    #expect(result.status == 2)
    #expect(result.stdoutText == "")
    SurveyCLI.expectGolden(result.stderr, example.golden)
  }

  /// A problem in one variable should not make the variables that refer to it report errors too.
  @Test("a filter naming a broken variable adds no second error")
  func noCascadeFromBrokenVariable() async throws {
    let path = "Tests/surveyTests/Golden/codebooks/filter-on-broken-variable.yaml"
    let result = try await SurveyCLI.run(["check", Self.cleanUTF8, "--codebook", path])
    #expect(result.status == 2)
    #expect(result.stdoutText == "")
    #expect(result.stderrText.hasPrefix("\(path):12:11: error: Q1: type \"count\" is not one of "))
    #expect(result.stderrText.split(separator: "\n").count == 1, "\(result.stderrText)")
  }

  // MARK: Usage errors

  @Test(
    "a usage error: ArgumentParser's exit status 64, the reason and the usage on stderr",
    arguments: [
      (
        ["--encoding", "latin1"],
        "Error: The encoding \"latin1\" is not known; use auto, utf-8 or cp932.\n"
      ),
      (
        ["--format", "xml"],
        "Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'.\n"
      ),
    ])
  func usageError(extra: [String], firstLine: String) async throws {
    let result = try await SurveyCLI.run(
      ["check", Self.cleanUTF8, "--codebook", Self.codebook] + extra)
    #expect(result.status == 64)
    #expect(result.stdoutText == "")
    #expect(result.stderrText.hasPrefix(firstLine))
    #expect(result.stderrText.contains("\nUsage: survey check <export> --codebook <codebook>"))
    #expect(result.stderrText.hasSuffix("  See 'survey check --help' for more information.\n"))
  }

  // MARK: Help

  @Test(
    "--help shows the overview, the examples and the options",
    arguments: [
      (["--help"], "help.txt"),
      (["check", "--help"], "help-check.txt"),
      (["help", "check"], "help-check.txt"),
    ])
  func help(arguments: [String], golden: String) async throws {
    let result = try await SurveyCLI.run(arguments)
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, golden)
  }
}
