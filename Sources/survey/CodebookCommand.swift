import ArgumentParser
import Foundation
import SurveyKit

/// `survey codebook`: tools for codebooks; `import` makes one from an SPSS or Stata file.
struct CodebookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "codebook",
    abstract: "Make a codebook from an SPSS or Stata file's metadata.",
    discussion: """
      Example:
        survey codebook import samples/citizen-survey-2019.sav > codebook.yaml
      """,
    subcommands: [CodebookImportCommand.self])
}

/// `survey codebook import DATA.sav`: the file's variable labels, value labels, user-missing
/// values and ranges, measure levels and string widths as a codebook (YAML) on standard output.
struct CodebookImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Write a codebook (YAML) made from a .sav, .zsav or .dta file's metadata.",
    discussion: """
      The codebook goes to standard output, ready to edit: set the design variables' types \
      (id, weight, stratum, fpc) and declare multi-response sets, which Debian's ReadStat does \
      not read from SPSS files; a comment at the top shows how.

      Examples:
        survey codebook import samples/citizen-survey-2019.sav > codebook.yaml
        survey codebook import old-survey.sav --encoding cp932 > codebook.yaml

      Exit status: 0 written, 2 the file could not be read, 64 a mistake on the command line.
      """)

  @Argument(help: "The SPSS (.sav, .zsav) or Stata (.dta) file.")
  var data: String

  @Option(
    name: .long,
    help: "The file's encoding when it does not record one: auto, utf-8 or cp932 (Shift_JIS).")
  var encoding: String = "auto"

  func validate() throws {
    if encoding != "auto" && TextEncoding(name: encoding) == nil {
      throw ValidationError(
        "The encoding \"\(encoding)\" is not known; use auto, utf-8 or cp932.")
    }
    if StatisticalFileFormat(path: data) == nil {
      throw ValidationError(
        "\(data) is not an SPSS or Stata file; give a .sav, .zsav or .dta file.")
    }
  }

  func run() throws {
    guard let format = StatisticalFileFormat(path: data) else { return }
    do {
      let yaml = try Codebook.importedYAML(
        fromStatisticalFile: data, format: format,
        encoding: encoding == "auto" ? nil : TextEncoding(name: encoding))
      FileHandle.standardOutput.write(Data(yaml.utf8))
    } catch {
      throw couldNotRun(error)
    }
  }
}
