import ArgumentParser
import Crypto
import Foundation
import SurveyKit

/// `survey kpi`: the strategy's indicators (評価指標) in a ledger, their achievement (達成状況), and
/// the survey-based ones computed from a wave with their sampling error.
struct KPICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kpi",
    abstract: "Keep the strategy's KPIs in a ledger and report their achievement (達成状況).",
    discussion: """
      The indicators are defined in a KPI file (docs/kpi.md): goal, unit, baseline, target, \
      how the achievement rate is computed and capped, and for survey-based ones the question \
      and codes. Values live in a ledger, an SQLite file (default kpi.sqlite beside the KPI \
      file) that keeps every value with its source and never loses an old one.

      Examples:
        survey kpi import codebooks/strategy-kpis-first-period.csv --kpis codebooks/strategy-kpis.yaml
        survey kpi update samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml --kpis codebooks/strategy-kpis.yaml
        survey kpi record in-migrants 2020 6210 --kpis codebooks/strategy-kpis.yaml
        survey kpi show --kpis codebooks/strategy-kpis.yaml
      """,
    subcommands: [
      KPIShowCommand.self, KPIUpdateCommand.self, KPIRecordCommand.self, KPIImportCommand.self,
    ])
}

/// The options every `survey kpi` command shares: the KPI file and the ledger.
struct KPIFiles: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The KPI definitions (YAML).", valueName: "file"))
  var kpis: String

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The ledger (SQLite); default kpi.sqlite in the KPI file's folder.", valueName: "file"))
  var ledger: String?

  /// The ledger's path: as given, or kpi.sqlite beside the definitions.
  var ledgerPath: String {
    if let ledger { return ledger }
    let folder = (kpis as NSString).deletingLastPathComponent
    return folder.isEmpty ? "kpi.sqlite" : (folder as NSString).appendingPathComponent("kpi.sqlite")
  }

  /// The definitions, or the command ends with their located problems (exit status 2).
  func loadDefinitions(codebook: Codebook? = nil) throws -> KPIDefinitions {
    let definitions: KPIDefinitions
    do {
      definitions = try KPIDefinitions(contentsOf: kpis)
    } catch {
      throw couldNotRun(error)
    }
    if let codebook {
      let problems = definitions.check(against: codebook)
      if !problems.isEmpty {
        throw couldNotRun(KPIDefinitionsError(file: kpis, problems: problems))
      }
    }
    return definitions
  }

  /// Opens (or creates) the ledger, or ends the command.
  func openLedger(mustExist: Bool = false) throws -> KPILedger {
    let path = ledgerPath
    if mustExist && !FileManager.default.fileExists(atPath: path) {
      throw couldNotRun(
        "\(path): error: there is no KPI ledger here yet; record values with survey kpi update, "
          + "record or import (or name the ledger with --ledger)")
    }
    do {
      return try KPILedger(path: path)
    } catch {
      throw couldNotRun(ledgerFailure(error, path: path))
    }
  }

  /// Records entries in one transaction, or ends the command with the ledger's refusal.
  func record(_ entries: [LedgerEntry], replace: Bool, in ledger: KPILedger) throws {
    do {
      try ledger.record(entries, replace: replace)
    } catch {
      throw couldNotRun(ledgerFailure(error, path: ledger.path))
    }
  }

  /// The indicator with `id`, or a usage error listing the known ones.
  func indicator(_ id: String, in definitions: KPIDefinitions) throws -> KPIDefinition {
    guard let definition = definitions.indicator(id) else {
      throw couldNotRun(
        "\(kpis): error: \(id) is not an indicator of this file (its indicators are "
          + definitions.indicators.map(\.id).joined(separator: ", ") + ")")
    }
    return definition
  }
}

/// `survey kpi show`.
struct KPIShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print each basic goal's indicators: baseline, actuals, target and achievement.",
    discussion: """
      Per basic goal (基本目標): 基準値, each year's 実績, 目標値 and 達成状況 (the latest actual ÷ the \
      target, capped, as a whole percent), the goal's mean of the capped rates and the overall \
      mean; years as H26 (2014), R1 (2019). Below: the checks that caught a slip (a published \
      figure that was corrected, a published rate that does not recompute), and for \
      survey-based indicators the change since the previous wave and since the baseline with \
      its standard error √(se₁² + se₂²), marked when significant at 5%.

      Examples:
        survey kpi show --kpis codebooks/strategy-kpis.yaml
        survey kpi show --kpis strategy.yaml --ledger kpi.sqlite --format csv > kpi.csv
        survey kpi show --kpis strategy.yaml --lang en --format markdown
      """)

  @OptionGroup var files: KPIFiles

  @Option(name: .long, help: "Output format: text, csv, markdown or json.")
  var format: FreqCommand.OutputFormat = .text

  @Option(name: .customLong("lang"), help: "The language of labels and headings: ja or en.")
  var language: FreqCommand.LanguageOption = .ja

  func run() throws {
    let definitions = try files.loadDefinitions()
    let ledger = try files.openLedger(mustExist: true)
    let values: [LedgerValue]
    do {
      values = try ledger.currentValues()
    } catch {
      throw couldNotRun(ledgerFailure(error, path: ledger.path))
    }
    let report = KPIReport(
      definitions: definitions, values: values, definitionsPath: files.kpis,
      ledgerPath: ledger.path)
    let language = self.language.language
    let output: String
    switch format {
    case .text: output = report.render(.text(language: language))
    case .csv: output = report.render(.csv(language: language))
    case .markdown: output = report.render(.markdown(language: language))
    case .json: output = report.render(.json(language: language))
    }
    FileHandle.standardOutput.write(Data(output.utf8))
  }
}

/// `survey kpi update`.
struct KPIUpdateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update",
    abstract: "Compute every survey-based KPI from a survey wave and record it.",
    discussion: """
      Reads the wave as survey check does (rejected rows are left out and counted), estimates \
      each survey-based indicator of the KPI file with the design (and the weighting targets the \
      indicator names), and records estimate, standard error, confidence interval and n with the \
      file's name and SHA-256, all in one transaction. The year is the codebook's survey wave \
      unless --year gives it. A year already recorded is refused unless --replace (the old \
      value stays in the ledger's history).

      Examples:
        survey kpi update samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml --kpis codebooks/strategy-kpis.yaml
        survey kpi update wave-2024.csv --codebook survey-2024.yaml --kpis strategy.yaml \\
            --year R6 --replace
      """)

  @Argument(help: "The survey wave: a CSV export, or an SPSS or Stata file.")
  var export: String

  @Option(name: .long, help: "The codebook (YAML) describing the export's variables.")
  var codebook: String

  @OptionGroup var files: KPIFiles

  @Option(name: .long, help: "The year of the wave: 2019, R1, H31 (default: the codebook's wave).")
  var year: String?

  @Option(name: .long, help: "The export's encoding: auto, utf-8 or cp932 (Shift_JIS).")
  var encoding: String = "auto"

  @Option(name: .long, help: "The confidence level of the recorded intervals.")
  var confidence: Double = 0.95

  @Flag(
    name: .long, help: "Record even where the year has a value (the old one is kept as history).")
  var replace = false

  func validate() throws {
    if let year, JapaneseYear.parse(year) == nil {
      throw ValidationError("--year \(year) is not a year (2019, R1, H31, 令和元年).")
    }
    guard confidence > 0 && confidence < 1 else {
      throw ValidationError("The confidence level must be between 0 and 1, not \(confidence).")
    }
  }

  func run() throws {
    let loaded = try loadCodebook(codebook)
    let definitions = try files.loadDefinitions(codebook: loaded)
    let surveyed = definitions.indicators.filter { $0.survey != nil }
    guard !surveyed.isEmpty else {
      throw couldNotRun("\(files.kpis): error: no indicator of this file comes from a survey")
    }
    guard
      let waveYear = year.flatMap(JapaneseYear.parse)
        ?? loaded.survey.wave.flatMap(JapaneseYear.parse)
    else {
      throw couldNotRun(
        "\(codebook): error: the codebook gives no survey wave year; name it with --year")
    }
    let ledger = try files.openLedger()
    let result = try readExport(export, codebook: loaded, encoding: encoding)
    let hash: String
    do {
      hash = try sha256(ofFile: export)
    } catch {
      throw couldNotRun("\(export): error: the file cannot be read again to hash it: \(error)")
    }
    let base: SurveyDesign
    do {
      base = try SurveyDesign(table: result.table)
    } catch {
      throw couldNotRun("\(export): error: the design cannot be used: \(error)")
    }
    let estimates = try surveyKPIEntries(
      definitions: surveyed, definitionsPath: files.kpis, table: result.table, base: base,
      year: waveYear, export: export, hash: hash, confidence: confidence)
    let entries = estimates.map(\.entry)
    let lines = estimates.map { item in
      let definition = item.definition
      let estimate = item.estimate
      return "\(definition.id) \(JapaneseYear.labelWithWestern(waveYear)): "
        + definition.formatted(estimate.value)
        + " (SE \(definition.formatted(estimate.standardError, extraDecimals: 1)), "
        + "\(confidenceLevelText(confidence)) CI \(definition.formatted(estimate.interval.lower))–"
        + "\(definition.formatted(estimate.interval.upper)), n \(grouped(estimate.respondents)))"
    }
    try files.record(entries, replace: replace, in: ledger)
    print("\(export): \(rowAccounting(result))")
    for line in lines { print(line) }
    print("recorded \(entries.count) value\(entries.count == 1 ? "" : "s") in \(ledger.path)")
  }

  func rowAccounting(_ result: IngestResult) -> String {
    "rows read \(grouped(result.rowsRead)) = \(grouped(result.rowsAccepted)) accepted + "
      + "\(grouped(result.rowsRejected)) rejected"
  }
}

/// `survey kpi record`.
struct KPIRecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Record the value of an indicator that does not come from the survey (転入者数).",
    discussion: """
      A value far from the indicator's baseline (more than 5 times or less than a fifth, or \
      outside its plausible range) is refused as a likely misplaced decimal point unless \
      --force; --published keeps the figure as a document printed it beside the value recorded.

      Examples:
        survey kpi record in-migrants 2020 6210 --kpis codebooks/strategy-kpis.yaml
        survey kpi record birth-rate H30 1.56 --published 15.6 \\
            --note "printed 15.6 in the 2020 council material" --kpis strategy.yaml
      """)

  @Argument(help: "The indicator's id in the KPI file.")
  var id: String

  @Argument(help: "The year: 2019, R1, H31, 令和元年.")
  var year: String

  @Argument(help: "The value, in the indicator's unit.")
  var value: Double

  @OptionGroup var files: KPIFiles

  @Option(name: .long, help: "The figure as printed in the source, when it differs.")
  var published: String?

  @Option(name: .long, help: "A note kept with the value.")
  var note: String?

  @Flag(
    name: .long, help: "Record even where the year has a value (the old one is kept as history).")
  var replace = false

  @Flag(name: .long, help: "Record a value the plausibility check refuses.")
  var force = false

  func validate() throws {
    if JapaneseYear.parse(year) == nil {
      throw ValidationError("\(year) is not a year (2019, R1, H31, 令和元年).")
    }
    guard value.isFinite else { throw ValidationError("The value must be a finite number.") }
  }

  func run() throws {
    let definitions = try files.loadDefinitions()
    let definition = try files.indicator(id, in: definitions)
    guard let western = JapaneseYear.parse(year) else { return }
    if !force, let problem = definition.implausibility(of: value) {
      throw couldNotRun(
        "\(files.kpis): error: \(problem) (give --force to record it anyway)")
    }
    let ledger = try files.openLedger()
    try files.record(
      [
        LedgerEntry(
          kpi: id, year: western, value: value, publishedText: published, source: .manual,
          note: note)
      ], replace: replace, in: ledger)
    print(
      "\(id) \(JapaneseYear.labelWithWestern(western)): "
        + "\(definition.formatted(value)) recorded in \(ledger.path)")
  }
}

/// `survey kpi import`.
struct KPIImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Record many values at once from a CSV file (kpi,year,value[,published,note]).",
    discussion: """
      One row per value: the indicator's id, the year (2016, H28, R1), the value, and \
      optionally the figure as published and a note. Every row is checked (known indicator, \
      year, number, plausibility) before anything is written; then all are recorded in one \
      transaction.

      Example:
        survey kpi import codebooks/strategy-kpis-first-period.csv --kpis codebooks/strategy-kpis.yaml
      """)

  @Argument(help: "The CSV file.")
  var file: String

  @OptionGroup var files: KPIFiles

  @Flag(name: .long, help: "Record even where a year has a value (the old one is kept as history).")
  var replace = false

  @Flag(name: .long, help: "Record values the plausibility check refuses.")
  var force = false

  func run() throws {
    let definitions = try files.loadDefinitions()
    let text: String
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: file))
      guard let decoded = String(data: data, encoding: .utf8) else {
        throw couldNotRun("\(file): error: the file is not UTF-8 text")
      }
      text = decoded
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw couldNotRun("\(file): error: the file cannot be read (\(error.localizedDescription))")
    }
    let entries = try kpiImportEntries(
      text: text, file: file, definitions: definitions, definitionsPath: files.kpis, force: force)
    let ledger = try files.openLedger()
    try files.record(entries, replace: replace, in: ledger)
    print(
      "\(file): recorded \(entries.count) value\(entries.count == 1 ? "" : "s") in \(ledger.path)")
  }
}

/// Every survey-based indicator of `definitions` estimated from a wave, each with the design
/// weighted to its own targets file when it names one (relative to the KPI file), as the ledger
/// entries of `year`; a weighting or estimation error ends the command. Shared by `kpi update`
/// and `run`.
func surveyKPIEntries(
  definitions: [KPIDefinition], definitionsPath: String, table: ResponseTable,
  base: SurveyDesign, year: Int, export: String, hash: String, confidence: Double
) throws -> [(definition: KPIDefinition, estimate: KPIEstimate, entry: LedgerEntry)] {
  let folder = (definitionsPath as NSString).deletingLastPathComponent
  var result: [(definition: KPIDefinition, estimate: KPIEstimate, entry: LedgerEntry)] = []
  for definition in definitions {
    guard let survey = definition.survey else { continue }
    var design = base
    if let targetsFile = survey.weightingTargets {
      let path =
        folder.isEmpty || targetsFile.hasPrefix("/")
        ? targetsFile : (folder as NSString).appendingPathComponent(targetsFile)
      do {
        let targets = try WeightingTargets(contentsOf: path)
        design =
          try targets.apply(to: base, table: table, options: WeightingOptions(targets: targets))
          .design
      } catch let error as WeightingError {
        throw couldNotRun(weightingFailure(error, export: export))
      } catch {
        throw couldNotRun(error)
      }
    }
    let estimate: KPIEstimate
    do {
      estimate = try definition.estimate(table: table, design: design, confidenceLevel: confidence)
    } catch {
      throw couldNotRun("\(export): error: \(error)")
    }
    result.append(
      (
        definition, estimate,
        LedgerEntry(
          kpi: definition.id, year: year, value: estimate.value,
          standardError: estimate.standardError, lower: estimate.interval.lower,
          upper: estimate.interval.upper, confidenceLevel: confidence,
          respondents: estimate.respondents, source: .survey, sourceFile: export,
          sourceHash: hash)
      ))
  }
  return result
}

/// The entries of a KPI import file (`kpi,year,value[,published,note]`), every row checked first;
/// the problems, one line each with the file and line, end the command.
func kpiImportEntries(
  text: String, file: String, definitions: KPIDefinitions, definitionsPath: String, force: Bool
) throws -> [LedgerEntry] {
  let hash = sha256(of: Data(text.utf8))
  var entries: [LedgerEntry] = []
  var problems: [String] = []
  var lineNumber = 0
  var header: [String]?
  for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
    lineNumber += 1
    var line = String(rawLine)
    if line.hasSuffix("\r") { line.removeLast() }
    if lineNumber == 1 && line.hasPrefix("\u{FEFF}") { line.removeFirst() }
    if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
    let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard let columns = header else {
      header = fields.map { $0.lowercased() }
      if Array(header!.prefix(3)) != ["kpi", "year", "value"]
        || !header!.dropFirst(3).allSatisfy({ ["published", "note"].contains($0) })
      {
        problems.append(
          "\(file):\(lineNumber): error: the header is \(line), not kpi,year,value[,published,note]"
        )
        break
      }
      continue
    }
    guard fields.count == columns.count else {
      problems.append(
        "\(file):\(lineNumber): error: the row has \(fields.count) values, not \(columns.count)")
      continue
    }
    let id = fields[0]
    guard let definition = definitions.indicator(id) else {
      problems.append(
        "\(file):\(lineNumber): error: \(id) is not an indicator of \(definitionsPath)")
      continue
    }
    guard let year = JapaneseYear.parse(fields[1]) else {
      problems.append("\(file):\(lineNumber): error: \(fields[1]) is not a year")
      continue
    }
    guard let value = Double(fields[2]), value.isFinite else {
      problems.append("\(file):\(lineNumber): error: \(fields[2]) is not a number")
      continue
    }
    if !force, let problem = definition.implausibility(of: value) {
      problems.append("\(file):\(lineNumber): error: \(problem)")
      continue
    }
    func optional(_ name: String) -> String? {
      columns.firstIndex(of: name).flatMap { fields[$0].isEmpty ? nil : fields[$0] }
    }
    entries.append(
      LedgerEntry(
        kpi: id, year: year, value: value, publishedText: optional("published"),
        source: .import, sourceFile: file, sourceHash: hash, note: optional("note")))
  }
  if header == nil { problems.append("\(file): error: the file has no header") }
  if !problems.isEmpty {
    throw couldNotRun(problems.joined(separator: "\n"))
  }
  return entries
}

/// The SHA-256 of a file's bytes, read in chunks, as lowercase hex.
func sha256(ofFile path: String) throws -> String {
  guard let handle = FileHandle(forReadingAtPath: path) else {
    throw CocoaError(.fileReadNoSuchFile)
  }
  defer { try? handle.close() }
  var hasher = SHA256()
  while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
    hasher.update(data: chunk)
  }
  return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}

/// The SHA-256 of bytes, as lowercase hex.
func sha256(of data: Data) -> String {
  SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// `kpi.sqlite: error: …`: a ledger message that starts with the path reads "this file …".
func ledgerFailure(_ error: LedgerError, path: String) -> String {
  var message = error.message
  if message.hasPrefix(path + " ") { message = "this file " + message.dropFirst(path.count + 1) }
  return "\(path): error: \(message)"
}
