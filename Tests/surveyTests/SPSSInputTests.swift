import Foundation
import Testing

/// End-to-end tests of SPSS and Stata input: `survey check`, `freq`, `tab` and `run` on the
/// bundled sample's .sav give what they give on its CSV, and `survey codebook import` turns the
/// .sav into a codebook (golden file).
@Suite("SPSS and Stata input")
struct SPSSInputTests {
  static let codebook = "codebooks/citizen-survey-2019.yaml"
  static let csv = "samples/citizen-survey-2019.csv"
  static let sav = "samples/citizen-survey-2019.sav"
  static let fixtures = "Tests/SurveyKitTests/Fixtures/sav/"

  @Test("survey check on a .sav, .zsav and .dta names the case and the variable")
  func check() async throws {
    var outputs = ""
    for file in ["small.sav", "small.zsav", "small.dta"] {
      let result = try await SurveyCLI.run([
        "check", Self.fixtures + file, "--codebook", Self.codebook,
      ])
      #expect(result.status == 1)
      #expect(result.stderrText == "")
      outputs += result.stdoutText
    }
    SurveyCLI.expectGolden(outputs, "spss-check-small.txt")
  }

  @Test("--format json gives a case's diagnostic a case key and no line")
  func checkJSON() async throws {
    let result = try await SurveyCLI.run([
      "check", Self.fixtures + "small.sav", "--codebook", Self.codebook, "--format", "json",
    ])
    #expect(result.status == 1)
    let document = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
    let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.map { $0["case"] as? Int } == [12, 15])
    #expect(diagnostics.allSatisfy { $0["line"] is NSNull })
  }

  @Test(
    "freq, tab and weight on the sample's .sav print what they print on its CSV",
    arguments: [
      ["freq"],
      ["tab", "--spec", "codebooks/citizen-survey-2019-tables.yaml"],
      ["weight", "--targets", "codebooks/citizen-survey-2019-targets.yaml"],
    ])
  func sameTables(command: [String]) async throws {
    let fromCSV = try await SurveyCLI.run(
      [command[0], Self.csv, "--codebook", Self.codebook] + command.dropFirst())
    let fromSAV = try await SurveyCLI.run(
      [command[0], Self.sav, "--codebook", Self.codebook] + command.dropFirst())
    #expect(fromCSV.status == 0, "\(fromCSV.stderrText)")
    #expect(fromSAV.status == fromCSV.status)
    #expect(fromSAV.stderrText == fromCSV.stderrText)
    #expect(!fromSAV.stdoutText.isEmpty)
    #expect(
      fromSAV.stdoutText.replacingOccurrences(of: Self.sav, with: Self.csv) == fromCSV.stdoutText)
  }

  @Test("survey run on the sample's .sav gives the CSV's report")
  func run() async throws {
    let fromCSV = try RunCommandTests.Job(export: Self.csv)
    let fromSAV = try RunCommandTests.Job(export: Self.sav)
    defer {
      SurveyCLI.removeTemporaryFolder(fromCSV.folder)
      SurveyCLI.removeTemporaryFolder(fromSAV.folder)
    }
    let csvRun = try await SurveyCLI.run(["run", fromCSV.path])
    let savRun = try await SurveyCLI.run(["run", fromSAV.path])
    #expect(savRun.status == 0, "\(savRun.stderrText)")
    #expect(
      fromSAV.clean(savRun.stdoutText)
        == "$ROOT/\(Self.sav): rows read 1,200 = 1,200 accepted + 0 rejected; 0 errors, "
        + "0 warnings\nwritten: $TMP/report.xlsx\nwritten: $TMP/report.html\n")
    #expect(csvRun.status == 0)
    let csvHTML = try String(contentsOfFile: fromCSV.html, encoding: .utf8)
    let savHTML = try String(contentsOfFile: fromSAV.html, encoding: .utf8)
    #expect(
      fromSAV.clean(savHTML).replacingOccurrences(of: Self.sav, with: Self.csv)
        == fromCSV.clean(csvHTML))
  }

  @Test("survey codebook import writes the sample's codebook")
  func codebookImport() async throws {
    let result = try await SurveyCLI.run(["codebook", "import", Self.sav])
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    SurveyCLI.expectGolden(result.stdout, "codebook-import-sample.yaml")
  }

  @Test("a truncated or corrupt file is one sentence on standard error, exit status 2")
  func brokenFiles() async throws {
    let truncated = try await SurveyCLI.run([
      "check", Self.fixtures + "truncated.sav", "--codebook", Self.codebook,
    ])
    #expect(truncated.status == 2)
    #expect(truncated.stdoutText == "")
    #expect(
      truncated.stderrText
        == "\(Self.fixtures)truncated.sav: error: the file ends early: it is truncated, "
        + "or not an SPSS file\n")
    let corrupt = try await SurveyCLI.run(["codebook", "import", Self.fixtures + "corrupt.sav"])
    #expect(corrupt.status == 2)
    #expect(
      corrupt.stderrText
        == "\(Self.fixtures)corrupt.sav: error: the file is not a readable SPSS file: it is "
        + "corrupt or truncated (invalid file, or file has unsupported features)\n")
  }
}
