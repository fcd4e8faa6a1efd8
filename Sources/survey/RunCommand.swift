import ArgumentParser
import Foundation
import SurveyKit

/// `survey run`: the yearly job of a project file — check, weight, tables, KPIs, report.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the yearly job of a project file: check, weight, tables, KPIs, report.",
    discussion: """
      The project file (docs/project.md) names the export and its codebook, the design and the \
      weighting targets, the table spec, the KPI definitions and ledger, and the outputs: an \
      Excel workbook and a self-contained HTML report for the council. The export is checked \
      first: if it has errors, their diagnostics are printed and nothing else is done, unless \
      --accept-rejects (or accept-rejects: true in the project) goes on with the accepted rows \
      and says how many were rejected. Progress goes to standard error on a terminal.

      Examples:
        survey run codebooks/citizen-survey-2019-project.yaml
        survey run project.yaml --accept-rejects --quiet

      Exit status: 0 the outputs were written, 1 the export has errors (nothing written), 2 the \
      job could not run (a missing file, a project or spec mistake, a weighting or KPI error), \
      64 a mistake on the command line.
      """)

  @Argument(help: "The project file (YAML).")
  var project: String

  @Flag(name: .long, help: "Go on with the accepted rows when the check rejects some.")
  var acceptRejects = false

  @Flag(name: .long, help: "No progress on standard error.")
  var quiet = false

  func run() throws {
    let progress = StepProgress(enabled: !quiet && isatty(STDERR_FILENO) != 0)
    let project: Project
    do {
      project = try Project(contentsOf: self.project)
    } catch {
      throw couldNotRun(error)
    }
    let codebook = try loadCodebook(project.codebook.resolved)
    let designProblems = project.check(against: codebook)
    if !designProblems.isEmpty {
      throw couldNotRun(ProjectError(file: project.file, problems: designProblems))
    }
    let spec: BannerTableSpec
    do {
      spec = try BannerTableSpec(contentsOf: project.tables.resolved, codebook: codebook)
    } catch {
      throw couldNotRun(error)
    }
    var targets: WeightingTargets?
    if let path = project.weightingTargets {
      do {
        targets = try WeightingTargets(contentsOf: path.resolved)
      } catch {
        throw couldNotRun(error)
      }
      if let problems = targets?.check(against: codebook), !problems.isEmpty {
        throw couldNotRun(WeightingTargetsError(file: path.resolved, problems: problems))
      }
    }
    var definitions: KPIDefinitions?
    if let path = project.kpiDefinitions {
      do {
        definitions = try KPIDefinitions(contentsOf: path.resolved)
      } catch {
        throw couldNotRun(error)
      }
      if let problems = definitions?.check(against: codebook), !problems.isEmpty {
        throw couldNotRun(KPIDefinitionsError(file: path.resolved, problems: problems))
      }
    }

    // 1. Check.
    progress.start("check")
    let ingest = try readExport(
      project.export.resolved, codebook: codebook, encoding: project.encoding)
    let report = CheckReport(result: ingest, codebookPath: project.codebook.resolved)
    if ingest.errorCount > 0 {
      if acceptRejects || project.acceptRejects {
        // Said whether or not progress is shown: the report leaves these rows out.
        FileHandle.standardError.write(
          Data(
            ("\(project.export.resolved): "
              + "\(grouped(ingest.rowsRejected)) rows rejected; going on with the "
              + "\(grouped(ingest.rowsAccepted)) accepted (survey check lists the problems)\n").utf8
          ))
      } else {
        progress.finish()
        FileHandle.standardError.write(Data(report.text().utf8))
        FileHandle.standardError.write(
          Data(
            ("\(project.file): the export has errors, so nothing was written; correct them, or "
              + "give --accept-rejects to go on with the accepted rows\n").utf8))
        throw ExitCode(1)
      }
    }
    progress.done("\(grouped(ingest.rowsAccepted)) rows")

    // 2. Design and weighting.
    let roles = DesignVariables(codebookRolesOf: codebook.variables).overriding(
      weight: project.weight, strata: project.strata, clusters: project.clusters,
      populationSizes: project.fpc)
    let base: SurveyDesign
    do {
      base = try SurveyDesign(table: ingest.table, variables: roles, lonelyPSU: project.lonelyPSU)
    } catch {
      throw couldNotRun("\(project.export.resolved): error: the design cannot be used: \(error)")
    }
    var design = base
    var weighting: WeightingResult?
    if let targets, let path = project.weightingTargets {
      progress.start("weight")
      do {
        let result = try targets.apply(
          to: base, table: ingest.table, options: WeightingOptions(targets: targets))
        design = result.design
        weighting = result
        progress.done("\(result.method.rawValue), \(result.iterations) iterations")
      } catch {
        throw couldNotRun(weightingFailure(error, export: project.export.resolved))
      }
      _ = path
    }

    // 3. Tables.
    progress.start("tables")
    let tableReport: BannerTableReport
    do {
      let builder = try BannerTableBuilder(
        table: ingest.table, design: design, options: spec.options
      ).adding(spec.recodes)
      var tables: [BannerTable] = []
      for table in spec.tables { tables.append(try builder.bannerTable(table)) }
      tableReport = BannerTableReport(
        result: ingest, codebook: codebook, codebookPath: project.codebook.written,
        specPath: project.tables.written, design: design, designVariables: roles,
        weighting: weighting.map {
          WeightingSummary(result: $0, targets: project.weightingTargets?.written ?? "")
        }, spec: spec, tables: tables)
    } catch {
      throw couldNotRun("\(project.export.resolved): error: \(error)")
    }
    progress.done("\(tableReport.tables.count) tables")

    // 4. KPIs.
    var kpiReport: KPIReport?
    if let definitions, let definitionsPath = project.kpiDefinitions {
      progress.start("KPIs")
      let ledgerPath =
        project.kpiLedger?.resolved
        ?? ((definitionsPath.resolved as NSString).deletingLastPathComponent as NSString)
        .appendingPathComponent("kpi.sqlite")
      let ledger: KPILedger
      do {
        ledger = try KPILedger(path: ledgerPath)
      } catch {
        throw couldNotRun(ledgerFailure(error, path: ledgerPath))
      }
      if let importFile = project.kpiImport {
        let text: String
        do {
          text = try String(contentsOfFile: importFile.resolved, encoding: .utf8)
        } catch {
          throw couldNotRun("\(importFile.resolved): error: the file cannot be read as UTF-8 text")
        }
        let entries = try kpiImportEntries(
          text: text, file: importFile.written, definitions: definitions,
          definitionsPath: definitionsPath.written, force: false)
        do {
          let present = Set(try ledger.currentValues().map { "\($0.entry.kpi) \($0.entry.year)" })
          let missing = entries.filter { !present.contains("\($0.kpi) \($0.year)") }
          try ledger.record(missing, replace: false)
        } catch {
          throw couldNotRun(ledgerFailure(error, path: ledgerPath))
        }
      }
      if project.kpiUpdate {
        guard let year = codebook.survey.wave.flatMap(JapaneseYear.parse) else {
          throw couldNotRun(
            "\(project.codebook.resolved): error: the codebook gives no survey wave year, which "
              + "the KPI update needs (survey: wave: 2019)")
        }
        let hash: String
        do {
          hash = try sha256(ofFile: project.export.resolved)
        } catch {
          throw couldNotRun("\(project.export.resolved): error: the file cannot be hashed")
        }
        // Each indicator with the design weights or its own targets, as `survey kpi update`.
        let entries = try surveyKPIEntries(
          definitions: definitions.indicators, definitionsPath: definitionsPath.resolved,
          table: ingest.table, base: base, year: year, export: project.export.resolved,
          hash: hash, confidence: 0.95
        ).map(\.entry)
        do {
          try ledger.record(entries, replace: project.kpiReplace)
        } catch {
          throw couldNotRun(ledgerFailure(error, path: ledgerPath))
        }
      }
      do {
        kpiReport = KPIReport(
          definitions: definitions, values: try ledger.currentValues(),
          definitionsPath: definitionsPath.written,
          ledgerPath: project.kpiLedger?.written ?? "kpi.sqlite")
      } catch {
        throw couldNotRun(ledgerFailure(error, path: ledgerPath))
      }
      progress.done(
        kpiReport.map { "overall \($0.meanRate.map { "\(Int(($0 * 100).rounded()))%" } ?? "−")" }
          ?? "")
    }

    // 5. Report.
    progress.start("report")
    let council = CouncilReport(
      survey: codebook.survey, language: project.language, fieldwork: project.fieldwork,
      sampleSize: project.sampleSize, rowsRead: ingest.rowsRead, rowsAccepted: ingest.rowsAccepted,
      rowsRejected: ingest.rowsRejected, weighting: weighting,
      weightingTargets: project.weightingTargets?.written, tables: tableReport, kpi: kpiReport,
      samplingErrors: .standard(
        population: codebook.survey.population, respondents: ingest.rowsAccepted),
      fontName: project.fontName)
    var written: [String] = []
    do {
      if let workbook = project.workbook {
        try WorkbookWriter.write(council, to: workbook.resolved)
        written.append(workbook.resolved)
      }
      if let html = project.html {
        try AtomicFile.write(HTMLReport(council).render(), to: html.resolved)
        written.append(html.resolved)
      }
    } catch {
      throw couldNotRun(error)
    }
    progress.done("")
    progress.finish()
    print("\(project.export.resolved): \(tableReport.rowAccounting)")
    for path in written { print("written: \(path)") }
  }
}

/// The steps of `survey run` on standard error, on a terminal: `check … 1,200 rows`.
final class StepProgress: @unchecked Sendable {
  private let enabled: Bool
  private var step: String?
  private var started = Date()

  init(enabled: Bool) { self.enabled = enabled }

  func start(_ name: String) {
    step = name
    started = Date()
    write("\(name) …")
  }

  func done(_ detail: String) {
    guard let step else { return }
    let seconds = Date().timeIntervalSince(started)
    write(
      "\r\u{1B}[K\(step) ✓\(detail.isEmpty ? "" : " \(detail)") (\(String(format: "%.1f", seconds)) s)\n"
    )
    self.step = nil
  }

  func note(_ text: String) { write("\r\u{1B}[K\(text)\n") }

  func finish() {
    if step != nil { write("\n") }
    step = nil
  }

  private func write(_ text: String) {
    guard enabled else { return }
    FileHandle.standardError.write(Data(text.utf8))
  }
}
