import ArgumentParser
import Foundation
import SurveyKit

/// `survey freq`: the weighted frequency tables (単純集計) of a survey's questions, with
/// design-based standard errors, confidence intervals and design effects.
struct FreqCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "freq",
    abstract: "Print weighted frequency tables (単純集計) with design-based SEs and CIs.",
    discussion: """
      For every single, multi and numeric question of the codebook (or the VARIABLEs named), \
      in codebook order: each answer's unweighted n, weighted count, percentage, standard \
      error, confidence interval and design effect, and the base. Declared missing codes (no answer, don't \
      know), questions not asked and blank or invalid answers are rows of their own, marked *, \
      outside the base (--include-missing puts the missing codes into it). Multi-response questions show percentages of respondents and of responses; \
      numeric questions and 1–5 rating scales their mean.

      The export is read and checked as `survey check` does; rejected rows are left out, and \
      the header says how many (run `survey check` for the details). The design comes from \
      the codebook's weight, stratum, cluster and fpc variables, unless --weight, --strata, \
      --cluster or --fpc name others.

      Examples:
        survey freq samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml
        survey freq export.csv --codebook survey.yaml Q1 Q5 --ci-method beta
        survey freq export.csv --codebook survey.yaml Q6 --reverse Q6
        survey freq export.csv --codebook survey.yaml --format csv > freq.csv
        survey freq export.csv --codebook survey.yaml --lang en --format markdown

      Exit status: 0 the tables were printed, 2 they could not be made (missing file, broken \
      codebook, unusable design: the reason is printed on standard error), 64 a mistake on the \
      command line (unknown option or variable).
      """)

  @Argument(help: "The survey export: CSV, SPSS (.sav, .zsav) or Stata (.dta).")
  var export: String

  @Option(name: .long, help: "The codebook (YAML) describing the export's variables.")
  var codebook: String

  @Argument(
    help: ArgumentHelp(
      "Questions to tabulate, in this order (default: every single, multi and numeric question).",
      valueName: "variable"))
  var variables: [String] = []

  @Option(name: .long, help: "The export's encoding: auto, utf-8 or cp932 (Shift_JIS).")
  var encoding: String = "auto"

  @Option(name: .long, help: "The confidence level of every interval, between 0 and 1.")
  var confidence: Double = 0.95

  @Option(
    name: .customLong("ci-method"),
    help: "Intervals of percentages: wald, logit, beta (Korn–Graubard), wilson or asin.")
  var intervalMethod: IntervalMethod = .logit

  @Option(name: .long, help: "Output format: text, csv, markdown or json.")
  var format: OutputFormat = .text

  @Option(name: .customLong("lang"), help: "The language of labels and headings: ja or en.")
  var language: LanguageOption = .ja

  @Flag(
    name: .customLong("include-missing"),
    help: "Put declared missing codes (no answer, don't know; never not-applicable) into the base.")
  var includeMissing = false

  @Option(
    name: .customLong("reverse"),
    help: ArgumentHelp(
      "Show the mean of this rating scale reversed (6 − code on 1–5); repeatable.",
      valueName: "variable"))
  var reversed: [String] = []

  @OptionGroup(title: "Sampling design")
  var design: DesignOptions

  @OptionGroup(title: "Weighting")
  var weighting: WeightingArguments

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, markdown, json
  }

  enum LanguageOption: String, ExpressibleByArgument, CaseIterable {
    case ja, en
    var language: Language { self == .ja ? .japanese : .english }
  }

  enum IntervalMethod: String, ExpressibleByArgument, CaseIterable {
    case wald, logit, beta, wilson, asin
    var method: ProportionIntervalMethod {
      switch self {
      case .wald: return .wald
      case .logit: return .logit
      case .beta: return .beta
      case .wilson: return .wilson
      case .asin: return .arcsine
      }
    }
  }

  func validate() throws {
    if encoding != "auto" && TextEncoding(name: encoding) == nil {
      throw ValidationError(
        "The encoding \"\(encoding)\" is not known; use auto, utf-8 or cp932.")
    }
    guard confidence > 0 && confidence < 1 else {
      throw ValidationError(
        "The confidence level must be between 0 and 1 (such as 0.95), not \(confidence).")
    }
    // Names are checked against the codebook before the export is read. A codebook that
    // cannot be read is reported by run(), with exit status 2.
    guard let loaded = try? Codebook(contentsOf: codebook) else { return }
    do {
      try FrequencyTableBuilder.check(
        variables: variables, reversed: Set(reversed), in: loaded)
    } catch {
      throw ValidationError("\(error).")
    }
    try design.validate(against: loaded)
  }

  func run() throws {
    let loaded = try loadCodebook(codebook)
    let roles = design.variables(of: loaded)
    let targets = try weighting.loadTargets(codebook: loaded)
    let result = try readExport(export, codebook: loaded, encoding: encoding)

    let options = FrequencyOptions(
      confidenceLevel: confidence, intervalMethod: intervalMethod.method,
      includeMissing: includeMissing, reversed: Set(reversed))
    let report: FrequencyReport
    do {
      let base = try SurveyDesign(
        table: result.table, variables: roles, lonelyPSU: self.design.lonelyPSU.policy)
      let (design, summary) = try weighting.weighted(base, table: result.table, targets: targets)
      let builder = FrequencyTableBuilder(table: result.table, design: design, options: options)
      let tables = try builder.frequencyTables(of: variables.isEmpty ? nil : variables)
      report = FrequencyReport(
        result: result, codebook: loaded, codebookPath: codebook, design: design,
        designVariables: roles, weighting: summary, options: options, tables: tables)
    } catch let error as WeightingError {
      throw couldNotRun(weightingFailure(error, export: export))
    } catch {
      throw couldNotRun("\(export): error: the design cannot be used: \(error)")
    }

    let output: String
    switch format {
    case .text: output = report.render(.text(language: language.language))
    case .markdown: output = report.render(.markdown(language: language.language))
    case .json: output = report.render(.json(language: language.language))
    case .csv:
      output = report.render(.csv(language: language.language))
      // CSV has no header: the row accounting goes to standard error.
      let accounting = "\(export): \(report.rowAccounting)"
      FileHandle.standardError.write(Data((accounting + "\n").utf8))
    }
    FileHandle.standardOutput.write(Data(output.utf8))
  }
}
