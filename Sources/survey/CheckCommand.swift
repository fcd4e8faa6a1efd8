import ArgumentParser
import Foundation
import SurveyKit

/// `survey check`: reads an export against its codebook and reports every defect.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check a survey export against its codebook and report every defect.",
    discussion: """
      Every problem is printed like a compiler message, one sentence naming the file, the line, \
      the column and the value, then a summary: rows read = rows accepted + rows rejected.

      Examples:
        survey check export.csv --codebook survey.yaml
        survey check export.csv --codebook survey.yaml --encoding cp932 \\
            --rejects rejected.csv
        survey check export.csv --codebook survey.yaml --format json > check.json
        survey check samples/citizen-survey-2019-dirty.csv \\
            --codebook codebooks/citizen-survey-2019.yaml

      Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the check could not run \
      (missing file, broken codebook, unwritable --rejects file), 64 a mistake on the command line.
      """)

  @Argument(help: "The survey export: CSV, SPSS (.sav, .zsav) or Stata (.dta).")
  var export: String

  @Option(name: .long, help: "The codebook (YAML) describing the export's variables.")
  var codebook: String

  @Option(name: .long, help: "The export's encoding: auto, utf-8 or cp932 (Shift_JIS).")
  var encoding: String = "auto"

  @Option(
    name: .long,
    help: "Write every rejected row (line, id, reasons, original text) to this CSV file.")
  var rejects: String?

  @Option(name: .long, help: "Output format: text or json.")
  var format: OutputFormat = .text

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
  }

  func validate() throws {
    if encoding != "auto" && TextEncoding(name: encoding) == nil {
      throw ValidationError(
        "The encoding \"\(encoding)\" is not known; use auto, utf-8 or cp932.")
    }
  }

  func run() throws {
    let loaded = try loadCodebook(codebook)
    if let rejects {
      do {
        try AtomicFile.checkWritable(rejects)
      } catch {
        throw couldNotRun(error)
      }
    }
    let result = try readExport(export, codebook: loaded, encoding: encoding)
    let report = CheckReport(result: result, codebookPath: codebook)
    switch format {
    case .text: print(report.text(), terminator: "")
    case .json: print(report.json(), terminator: "")
    }
    if let rejects {
      do {
        try AtomicFile.write(result.rejectLogCSV(), to: rejects)
      } catch {
        throw couldNotRun(error)
      }
      if format == .text {
        print("rejected rows written to \(rejects)")
      }
    }
    if result.errorCount > 0 { throw ExitCode(1) }
  }
}
