import ArgumentParser
import Foundation
import SurveyKit

/// `survey tab`: banner cross-tabs (クロス集計) of stub questions by break variables, with
/// design-based SEs, significance letters and Rao–Scott tests.
struct TabCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tab",
    abstract: "Print banner cross-tabs (クロス集計) with significance letters.",
    discussion: """
      Each stub question (--rows, or the tables of a --spec file) against a banner: Total, then \
      the categories of each break variable (--by) side by side. Every column shows its \
      unweighted n, weighted base and effective (Kish) base; every cell its column percentage \
      (or mean) with letters naming the columns of the same break it is significantly higher \
      than (upper case at the stricter level, lower case at the looser), and ▲ ▼ △ ▽ against \
      the rest of the sample. Multi-response questions work as rows and as breaks (their \
      columns overlap). A nested break F1>F2 has a column for every combination of two \
      single-choice variables, its letters compared within each category of F1. Small bases are flagged * and very small ones suppressed **. Under \
      each single-choice table, the Rao–Scott test of independence.

      A spec file (docs/tables.md) lists tables with titles, base filters, nets (住みやすい計 = \
      1 + 2), means of rating scales (reversed if need be) and test settings. The export is \
      read and checked as `survey check` does; the design comes from the codebook's weight, \
      stratum, cluster and fpc variables, unless --weight, --strata, --cluster or --fpc name \
      others.

      Examples:
        survey tab samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml \\
            --spec codebooks/citizen-survey-2019-tables.yaml
        survey tab export.csv --codebook survey.yaml --rows Q5 --by F1,F2
        survey tab export.csv --codebook survey.yaml --rows Q6 --by F2 \\
            --reverse Q6 --adjust bh
        survey tab export.csv --codebook survey.yaml --rows Q5,Q6 --by Q7 \\
            --format csv > tables.csv

      Exit status: 0 the tables were printed, 2 they could not be made (missing file, broken \
      codebook or spec, unusable design: the reason is printed on standard error), 64 a \
      mistake on the command line (unknown option or variable).
      """)

  @Argument(help: "The survey export: CSV, SPSS (.sav, .zsav) or Stata (.dta).")
  var export: String

  @Option(name: .long, help: "The codebook (YAML) describing the export's variables.")
  var codebook: String

  @Option(name: .long, help: "The table spec (YAML, docs/tables.md); instead of --rows and --by.")
  var spec: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The stub questions (rows), comma-separated (Q5,Q6); repeatable.", valueName: "variables"))
  var rows: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The break variables (columns after Total), comma-separated (F1,F2); F1>F2 nests F2 "
        + "within F1 (a column per combination); repeatable.",
      valueName: "variables"))
  var by: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With --rows: a base filter in the codebook's syntax (\"F2 >= 2\").", valueName: "condition")
  )
  var filter: String?

  @Option(
    name: .customLong("mean"),
    help: ArgumentHelp(
      "With --rows: add the mean row of this rating scale; repeatable.", valueName: "variable"))
  var means: [String] = []

  @Option(
    name: .customLong("reverse"),
    help: ArgumentHelp(
      "With --rows: add the mean on the reversed scale (6 − code on 1–5); repeatable.",
      valueName: "variable"))
  var reversed: [String] = []

  @Flag(name: .customLong("hide-empty"), help: "With --rows: leave out categories nobody chose.")
  var hideEmpty = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The figures of each cell: column (always first), row, total, n, comma-separated; with "
        + "--spec, for every table.", valueName: "figures"))
  var cells: String?

  /// The figures of --cells; nil without the flag.
  func cellFigures() throws -> [BannerTableSpec.CellFigure]? {
    guard let cells else { return nil }
    var figures: [BannerTableSpec.CellFigure] = []
    for name in Self.names([cells]) {
      guard let figure = BannerTableSpec.CellFigure(rawValue: name.lowercased()) else {
        throw ValidationError("--cells: \"\(name)\" is not one of column, row, total, n.")
      }
      if !figures.contains(figure) { figures.append(figure) }
    }
    guard figures.first == .column else {
      throw ValidationError(
        "--cells must start with column (the column percentage is always shown).")
    }
    return figures
  }

  @Option(name: .long, help: "The export's encoding: auto, utf-8 or cp932 (Shift_JIS).")
  var encoding: String = "auto"

  @Option(name: .long, help: "Output format: text, csv, markdown or json.")
  var format: FreqCommand.OutputFormat = .text

  @Option(name: .customLong("lang"), help: "The language of labels and headings: ja or en.")
  var language: FreqCommand.LanguageOption = .ja

  @Option(name: .long, help: "The terminal width for text (default: $COLUMNS, or 100).")
  var width: Int?

  @Option(name: .long, help: "The confidence level of the cells' intervals (JSON, CSV).")
  var confidence: Double?

  @Option(
    name: .customLong("ci-method"),
    help: "Intervals of percentages: wald, logit, beta (Korn–Graubard), wilson or asin.")
  var intervalMethod: FreqCommand.IntervalMethod?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Significance levels: stricter,looser (upper- and lower-case letters) or one level.",
      valueName: "levels"))
  var alpha: String?

  @Option(name: .long, help: "Adjust the p-values of a row: none, bonferroni or bh.")
  var adjust: Adjustment?

  @Option(
    name: .long,
    help: "Column tests: spss (pooled, effective bases) or design (design-based variance).")
  var test: TestMethod?

  @Option(
    name: .customLong("small-base"), help: "Flag (*) bases below this many respondents (30).")
  var smallBase: Int?

  @Option(
    name: .customLong("suppress-below"),
    help: "Show no percentages for bases below this many respondents (10).")
  var suppressBelow: Int?

  @Flag(name: .customLong("no-tests"), help: "No column tests, letters or Rao–Scott tests.")
  var noTests = false

  @OptionGroup(title: "Sampling design")
  var design: DesignOptions

  @OptionGroup(title: "Weighting")
  var weighting: WeightingArguments

  enum Adjustment: String, ExpressibleByArgument, CaseIterable {
    case none, bonferroni, bh
    var adjustment: PValueAdjustment { PValueAdjustment(rawValue: rawValue)! }
  }

  enum TestMethod: String, ExpressibleByArgument, CaseIterable {
    case spss, design
    var method: BannerOptions.TestMethod { BannerOptions.TestMethod(rawValue: rawValue)! }
  }

  /// The names of a comma-separated, possibly repeated option.
  static func names(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  /// The levels of --alpha, stricter first.
  func alphaLevels() throws -> (Double?, Double)? {
    guard let alpha else { return nil }
    let values = alpha.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard (1...2).contains(values.count), values.allSatisfy({ $0 != nil && $0! > 0 && $0! < 1 })
    else {
      throw ValidationError(
        "--alpha takes one or two levels between 0 and 1, such as 0.01,0.05, not \"\(alpha)\".")
    }
    let levels = values.map { $0! }.sorted()
    if levels.count == 2 && levels[0] == levels[1] {
      throw ValidationError("The two levels of --alpha must differ.")
    }
    return levels.count == 2 ? (levels[0], levels[1]) : (nil, levels[0])
  }

  /// The table of --rows, --by and their options.
  func commandLineTable() throws -> BannerTableSpec.Table {
    var means: [String: BannerTableSpec.MeanRow] = [:]
    for name in Self.names(self.means) { means[name] = .codes }
    for name in Self.names(reversed) { means[name] = .reversed }
    var expression: FilterExpression?
    if let filter {
      do {
        expression = try FilterExpression(parsing: filter)
      } catch {
        throw ValidationError("The filter \"\(filter)\" cannot be read: \(error.message).")
      }
    }
    return BannerTableSpec.Table(
      rows: Self.names(rows), by: Self.names(by).map(BannerTableSpec.normalizedBreak),
      filter: expression, filterText: filter, means: means,
      hideEmpty: hideEmpty, cells: try cellFigures() ?? [.column])
  }

  func validate() throws {
    if encoding != "auto" && TextEncoding(name: encoding) == nil {
      throw ValidationError(
        "The encoding \"\(encoding)\" is not known; use auto, utf-8 or cp932.")
    }
    if spec != nil {
      let flags = [
        ("--rows", !rows.isEmpty), ("--by", !by.isEmpty), ("--filter", filter != nil),
        ("--mean", !means.isEmpty), ("--reverse", !reversed.isEmpty), ("--hide-empty", hideEmpty),
      ]
      if let flag = flags.first(where: { $0.1 }) {
        throw ValidationError(
          "\(flag.0) cannot be combined with --spec; put the table in the spec file instead.")
      }
    } else if Self.names(rows).isEmpty {
      throw ValidationError(
        "Name the tables: --spec FILE, or --rows with the stub questions (and --by with the breaks)."
      )
    }
    if let confidence, !(confidence > 0 && confidence < 1) {
      throw ValidationError(
        "The confidence level must be between 0 and 1 (such as 0.95), not \(confidence).")
    }
    _ = try alphaLevels()
    _ = try cellFigures()
    if let smallBase, smallBase < 0 {
      throw ValidationError("--small-base cannot be negative.")
    }
    if let suppressBelow, suppressBelow < 0 {
      throw ValidationError("--suppress-below cannot be negative.")
    }
    if let width, width < 20 {
      throw ValidationError("--width must be at least 20 cells.")
    }
    // Names are checked against the codebook before the export is read. A codebook that
    // cannot be read is reported by run(), with exit status 2.
    guard let loaded = try? Codebook(contentsOf: codebook) else { return }
    if spec == nil {
      let table = try commandLineTable()
      do {
        try BannerTableBuilder.check(table, in: loaded)
      } catch {
        throw ValidationError("\(error).")
      }
      for name in table.filter?.variables ?? [] {
        guard let variable = loaded.variable(named: name) else {
          throw ValidationError(
            "The filter refers to \(name), which is not a variable of the codebook.")
        }
        guard [.single, .numeric, .stratum].contains(variable.type) else {
          throw ValidationError(
            "The filter refers to \(name), a \(variable.type.rawValue) variable; filters compare "
              + "single-choice and numeric answers.")
        }
      }
    }
    try design.validate(against: loaded)
  }

  func run() throws {
    let loaded = try loadCodebook(codebook)
    var tableSpec: BannerTableSpec
    if let spec {
      do {
        tableSpec = try BannerTableSpec(contentsOf: spec, codebook: loaded)
      } catch {
        throw couldNotRun(error)
      }
    } else {
      tableSpec = BannerTableSpec(tables: [try commandLineTable()])
    }
    if let figures = try cellFigures() {
      for index in tableSpec.tables.indices { tableSpec.tables[index].cells = figures }
    }
    if let confidence { tableSpec.options.confidenceLevel = confidence }
    if let intervalMethod { tableSpec.options.intervalMethod = intervalMethod.method }
    if let (strict, loose) = try alphaLevels() {
      tableSpec.options.strictAlpha = strict
      tableSpec.options.alpha = loose
    }
    if let adjust { tableSpec.options.adjustment = adjust.adjustment }
    if let test { tableSpec.options.testMethod = test.method }
    if let smallBase { tableSpec.options.smallBase = smallBase }
    if let suppressBelow { tableSpec.options.suppressBelow = suppressBelow }
    if tableSpec.options.suppressBelow > tableSpec.options.smallBase {
      tableSpec.options.smallBase = tableSpec.options.suppressBelow
    }
    if noTests {
      tableSpec.options.columnTests = false
      tableSpec.options.independenceTests = false
    }

    let roles = design.variables(of: loaded)
    let targets = try weighting.loadTargets(codebook: loaded)
    let result = try readExport(export, codebook: loaded, encoding: encoding)
    let report: BannerTableReport
    do {
      let base = try SurveyDesign(
        table: result.table, variables: roles, lonelyPSU: self.design.lonelyPSU.policy)
      let (design, summary) = try weighting.weighted(base, table: result.table, targets: targets)
      let builder = try BannerTableBuilder(
        table: result.table, design: design, options: tableSpec.options
      ).adding(tableSpec.recodes)
      var tables: [BannerTable] = []
      for table in tableSpec.tables { tables.append(try builder.bannerTable(table)) }
      report = BannerTableReport(
        result: result, codebook: loaded, codebookPath: codebook, specPath: spec, design: design,
        designVariables: roles, weighting: summary, spec: tableSpec, tables: tables)
    } catch let error as WeightingError {
      throw couldNotRun(weightingFailure(error, export: export))
    } catch let error as BannerTableError {
      if case .design(let design) = error {
        throw couldNotRun("\(export): error: the design cannot be used: \(design)")
      }
      throw couldNotRun("\(export): error: \(error)")
    } catch {
      throw couldNotRun("\(export): error: the design cannot be used: \(error)")
    }

    let output: String
    switch format {
    case .text:
      output = report.render(.text(language: language.language, width: terminalWidth))
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

  /// --width, else $COLUMNS, else 100.
  var terminalWidth: Int {
    if let width { return width }
    if let text = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(text),
      value >= 20
    {
      return value
    }
    return 100
  }
}
