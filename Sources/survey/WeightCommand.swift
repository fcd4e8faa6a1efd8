import ArgumentParser
import Foundation
import SurveyKit

/// `survey weight`: weights the sample to population margins (raking, post-stratification or
/// calibration, optionally trimmed), reports how every margin was met and writes the new weights.
struct WeightCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "weight",
    abstract: "Weight the sample to population margins (raking) and report how they were met.",
    discussion: """
      The design weights (the codebook's weight variable) are adjusted so that the weighted \
      sample matches the population margins of the targets file, such as the resident register's \
      counts by sex, age group and district (docs/weighting.md). The report shows, for every \
      margin category, the target, the design-weighted total before and the total after, then \
      the spread of the weights: minimum, maximum, mean, CV, Kish's effective sample size, the \
      weighting efficiency and the design effect due to weighting.

      Weighting never ends with a warning: a target category without respondents, respondents \
      no target covers, margins whose totals disagree, or raking that does not converge is an \
      error naming the margin, the category and the numbers.

      --out writes one row per accepted respondent: the id and the final weight, written \
      atomically. To estimate with the weights and standard errors that account for the \
      raking, give the same --targets to survey freq or survey tab.

      Examples:
        survey weight samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml \\
            --targets codebooks/citizen-survey-2019-targets.yaml
        survey weight export.csv --codebook survey.yaml --targets register.yaml \\
            --out weights.csv --trim 0.3x,3x
        survey weight export.csv --codebook survey.yaml --targets register.csv \\
            --method calibrate-raking --bounds 0.5,2 --format json
        survey freq export.csv --codebook survey.yaml --targets register.yaml Q5

      Exit status: 0 the weights were made, 2 they could not be (missing file, broken codebook \
      or targets, a weighting error: the reason is printed on standard error), 64 a mistake on \
      the command line.
      """)

  @Argument(help: "The survey export: CSV, SPSS (.sav, .zsav) or Stata (.dta).")
  var export: String

  @Option(name: .long, help: "The codebook (YAML) describing the export's variables.")
  var codebook: String

  @Option(name: .long, help: "The export's encoding: auto, utf-8 or cp932 (Shift_JIS).")
  var encoding: String = "auto"

  @Option(name: .long, help: "Write the id and the final weight of every accepted row to this CSV.")
  var out: String?

  @Option(name: .long, help: "Report format: text or json.")
  var format: OutputFormat = .text

  @Option(name: .customLong("lang"), help: "The language of labels and headings: ja or en.")
  var language: FreqCommand.LanguageOption = .ja

  @OptionGroup(title: "Weighting")
  var weighting: WeightingArguments

  @OptionGroup(title: "Sampling design")
  var design: DesignOptions

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  func validate() throws {
    if encoding != "auto" && TextEncoding(name: encoding) == nil {
      throw ValidationError(
        "The encoding \"\(encoding)\" is not known; use auto, utf-8 or cp932.")
    }
    if weighting.targets == nil {
      throw ValidationError("survey weight needs --targets FILE (the population margins).")
    }
    guard let loaded = try? Codebook(contentsOf: codebook) else { return }
    try design.validate(against: loaded)
  }

  func run() throws {
    let loaded = try loadCodebook(codebook)
    guard let targets = try weighting.loadTargets(codebook: loaded) else { return }
    if let out {
      do {
        try AtomicFile.checkWritable(out)
      } catch {
        throw couldNotRun(error)
      }
    }
    let roles = design.variables(of: loaded)
    let result = try readExport(export, codebook: loaded, encoding: encoding)
    let base: SurveyDesign
    do {
      base = try SurveyDesign(
        table: result.table, variables: roles, lonelyPSU: design.lonelyPSU.policy)
    } catch {
      throw couldNotRun("\(export): error: the design cannot be used: \(error)")
    }
    let weighted = try weighting.result(
      base, table: result.table, targets: targets, export: export)
    let report = WeightingReport(
      result: result, codebook: loaded, codebookPath: codebook,
      targetsPath: weighting.targets ?? "", designVariables: roles, base: base, result: weighted)
    switch format {
    case .text: print(report.render(.text(language: language.language)), terminator: "")
    case .json: print(report.render(.json(language: language.language)), terminator: "")
    }
    if let out {
      do {
        try AtomicFile.write(
          weightsCSV(table: result.table, weights: weighted.design.weights), to: out)
      } catch {
        throw couldNotRun(error)
      }
      if format == .text {
        let rows = result.table.rowCount.formatted(.number.grouping(.automatic))
        print(
          language == .ja
            ? "ウェイトを \(out) に書き出しました（\(rows)行）"
            : "weights written to \(out) (\(rows) rows)")
      }
    }
  }

  /// `ID,weight` (the codebook's id variable; the line number when it has none), one row per
  /// accepted row, weights unrounded. An id read as text is a text cell (a leading `=`, `+`, `-`,
  /// `@`, tab or carriage return gets a `'`, `CSVCell`); line numbers, numeric ids and weights
  /// are number cells, written as they are.
  func weightsCSV(table: ResponseTable, weights: [Double]) -> String {
    let idIndex = table.variables.firstIndex { $0.type == .id }
    let idName = idIndex.map { table.variables[$0].name } ?? "line"
    var lines = [CSVCell.line([.text(idName), .text("weight")])]
    for row in 0..<table.rowCount {
      var id = CSVCell.number(String(table.lines[row]))
      if let idIndex {
        switch table.columns[idIndex] {
        case .text(let column): id = .text(column[row] ?? "")
        case .levels(let column): id = .text(column[row] ?? "")
        case .codes(let column): id = .number(column[row].map { String($0) } ?? "")
        case .numbers(let column): id = .number(column[row].map { "\($0)" } ?? "")
        case .multi: break
        }
      }
      lines.append(CSVCell.line([id, .number("\(weights[row])")]))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
