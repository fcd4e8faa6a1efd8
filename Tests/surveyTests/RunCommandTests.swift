import Foundation
import SurveyKit
import Testing

/// End-to-end tests of `survey run`: the bundled sample's yearly job written to a temporary
/// folder, a rerun, an export with errors (stopped, or accepted with the rejects counted), and
/// project mistakes located in the project file.
@Suite("survey run")
struct RunCommandTests {
  /// A project in a temporary folder whose inputs are the repository's files and whose outputs
  /// go to the folder.
  struct Job {
    let folder: URL
    var path: String { folder.appendingPathComponent("project.yaml").path }
    var workbook: String { folder.appendingPathComponent("report.xlsx").path }
    var html: String { folder.appendingPathComponent("report.html").path }
    var ledger: String { folder.appendingPathComponent("kpi.sqlite").path }

    init(export: String = "samples/citizen-survey-2019.csv", extra: String = "") throws {
      folder = try SurveyCLI.makeTemporaryFolder()
      let root = SurveyCLI.packageRoot.path
      let yaml = """
        survey:
          fieldwork: 2019年10月1日～10月31日
          sample-size: 2500
        export: \(root)/\(export)
        codebook: \(root)/codebooks/citizen-survey-2019.yaml
        weighting:
          targets: \(root)/codebooks/citizen-survey-2019-targets.yaml
        tables: \(root)/codebooks/citizen-survey-2019-tables.yaml
        kpi:
          definitions: \(root)/codebooks/strategy-kpis.yaml
          ledger: kpi.sqlite
          import: \(root)/codebooks/strategy-kpis-first-period.csv
          replace: true
        report:
          workbook: report.xlsx
          html: report.html
        \(extra)
        """
      try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
    }

    func clean(_ text: String) -> String {
      text.replacingOccurrences(of: folder.path, with: "$TMP")
        .replacingOccurrences(of: SurveyCLI.packageRoot.path, with: "$ROOT")
    }
  }

  @Test("the sample's job writes the workbook and the HTML report, and can be run again")
  func sampleJob() async throws {
    let job = try Job()
    defer { SurveyCLI.removeTemporaryFolder(job.folder) }
    let result = try await SurveyCLI.run(["run", job.path])
    #expect(result.status == 0, "\(result.stderrText)")
    #expect(result.stderrText == "")
    #expect(
      job.clean(result.stdoutText)
        == "$ROOT/samples/citizen-survey-2019.csv: rows read 1,200 = 1,200 accepted + 0 "
        + "rejected; 0 errors, 0 warnings\nwritten: $TMP/report.xlsx\nwritten: $TMP/report.html\n")
    let workbook = try Data(contentsOf: URL(fileURLWithPath: job.workbook))
    #expect(workbook.prefix(2) == Data("PK".utf8))
    let html = try String(contentsOfFile: job.html, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("86%"))
    #expect(!html.contains("<script"))
    // The seed's earlier years were imported once, the wave's survey KPIs recorded.
    let values = try KPILedger(path: job.ledger).currentValues()
    #expect(values.count == 29)
    // A rerun replaces the wave's values and keeps the old ones as history.
    let again = try await SurveyCLI.run(["run", job.path, "--quiet"])
    #expect(again.status == 0, "\(again.stderrText)")
    #expect(try KPILedger(path: job.ledger).currentValues().count == 29)
    #expect(try KPILedger(path: job.ledger).history().count == 31)
  }

  @Test("an export with errors: diagnostics and nothing written, or --accept-rejects")
  func exportWithErrors() async throws {
    let job = try Job(export: "samples/citizen-survey-2019-dirty.csv")
    defer { SurveyCLI.removeTemporaryFolder(job.folder) }
    let stopped = try await SurveyCLI.run(["run", job.path])
    #expect(stopped.status == 1)
    #expect(stopped.stdoutText == "")
    #expect(stopped.stderrText.contains("rows read 1,200 = 1,193 accepted + 7 rejected"))
    #expect(
      stopped.stderrText.hasSuffix(
        "\(job.path): the export has errors, so nothing was written; correct them, or give "
          + "--accept-rejects to go on with the accepted rows\n"))
    #expect(!FileManager.default.fileExists(atPath: job.workbook))
    #expect(!FileManager.default.fileExists(atPath: job.html))
    let accepted = try await SurveyCLI.run(["run", job.path, "--accept-rejects"])
    #expect(accepted.status == 0, "\(accepted.stderrText)")
    #expect(
      job.clean(accepted.stderrText)
        == "$ROOT/samples/citizen-survey-2019-dirty.csv: 7 rows rejected; going on with the "
        + "1,193 accepted (survey check lists the problems)\n")
    #expect(FileManager.default.fileExists(atPath: job.workbook))
  }

  @Test("project mistakes are located in the project file")
  func mistakes() async throws {
    let job = try Job(
      extra: """
        design:
          weight: WEIGHT2
        """)
    defer { SurveyCLI.removeTemporaryFolder(job.folder) }
    let variable = try await SurveyCLI.run(["run", job.path])
    #expect(variable.status == 2)
    #expect(
      variable.stderrText
        == "\(job.path):18:11: error: design: WEIGHT2 is not a variable of the codebook "
        + "citizen-survey-2019\n")
    var yaml = try String(contentsOfFile: job.path, encoding: .utf8)
    yaml = yaml.replacingOccurrences(of: "citizen-survey-2019-tables.yaml", with: "no-tables.yaml")
      .replacingOccurrences(of: "workbook: report.xlsx", with: "workbook: out/report.xlsx")
    try Data(yaml.utf8).write(to: URL(fileURLWithPath: job.path))
    let missing = try await SurveyCLI.run(["run", job.path])
    #expect(missing.status == 2)
    #expect(
      job.clean(missing.stderrText)
        == "$TMP/project.yaml:8:9: error: tables: $ROOT/codebooks/no-tables.yaml does not exist\n"
        + "$TMP/project.yaml:15:13: error: report: workbook: the folder $TMP/out does not exist\n")
  }
}
