import Foundation

@testable import SurveyKit

/// The bundled sample's council report, assembled as `survey run` does: the export read against
/// the codebook, raked to the register margins, the spec's banner tables, the first strategy
/// period's KPIs (seed import plus the sample's survey KPIs in a temporary ledger), and the
/// sampling-error appendix. For the renderers' tests.
enum CouncilReportFixture {
  static func sample(language: Language = .japanese) throws -> CouncilReport {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let ingest = try SurveyReader(codebook: codebook).read(
      contentsOf: packagePath("samples/citizen-survey-2019.csv"))
    let base = try SurveyDesign(table: ingest.table)
    let targets = try WeightingTargets(
      contentsOf: packagePath("codebooks/citizen-survey-2019-targets.yaml"))
    let weighting = try targets.apply(
      to: base, table: ingest.table, options: WeightingOptions(targets: targets))
    let spec = try BannerTableSpec(
      contentsOf: packagePath("codebooks/citizen-survey-2019-tables.yaml"), codebook: codebook)
    let builder = try BannerTableBuilder(
      table: ingest.table, design: weighting.design, options: spec.options
    ).adding(spec.recodes)
    let tables = try spec.tables.map { try builder.bannerTable($0) }
    let tableReport = BannerTableReport(
      result: ingest, codebook: codebook, codebookPath: "codebooks/citizen-survey-2019.yaml",
      specPath: "codebooks/citizen-survey-2019-tables.yaml", design: weighting.design,
      designVariables: DesignVariables(codebookRolesOf: codebook.variables),
      weighting: WeightingSummary(
        result: weighting, targets: "codebooks/citizen-survey-2019-targets.yaml"),
      spec: spec, tables: tables)

    // The KPI report from the seed's values and the sample's two survey KPIs.
    let definitions = try KPIDefinitions(contentsOf: packagePath("codebooks/strategy-kpis.yaml"))
    var values: [LedgerValue] = []
    let seed = try String(
      contentsOfFile: packagePath("codebooks/strategy-kpis-first-period.csv"), encoding: .utf8)
    for line in seed.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("kpi,") {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= 3, let year = JapaneseYear.parse(fields[1]),
        let value = Double(fields[2])
      else { continue }
      values.append(
        LedgerValue(
          id: Int64(values.count + 1),
          entry: LedgerEntry(
            kpi: fields[0], year: year, value: value,
            publishedText: fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil,
            source: .import, note: fields.count > 4 && !fields[4].isEmpty ? fields[4] : nil,
            recordedAt: Date(timeIntervalSince1970: 1_764_000_000))))
    }
    for definition in definitions.indicators where definition.survey != nil {
      let estimate = try definition.estimate(table: ingest.table, design: base)
      values.append(
        LedgerValue(
          id: Int64(values.count + 1),
          entry: LedgerEntry(
            kpi: definition.id, year: 2019, value: estimate.value,
            standardError: estimate.standardError, lower: estimate.interval.lower,
            upper: estimate.interval.upper, confidenceLevel: 0.95,
            respondents: estimate.respondents, source: .survey,
            sourceFile: "samples/citizen-survey-2019.csv",
            recordedAt: Date(timeIntervalSince1970: 1_764_000_000))))
    }
    let kpi = KPIReport(
      definitions: definitions, values: values, definitionsPath: "codebooks/strategy-kpis.yaml",
      ledgerPath: "kpi.sqlite")

    return CouncilReport(
      survey: codebook.survey, language: language, fieldwork: "2019年10月1日～10月31日",
      sampleSize: 2500, rowsRead: ingest.rowsRead, rowsAccepted: ingest.rowsAccepted,
      rowsRejected: ingest.rowsRejected, weighting: weighting,
      weightingTargets: "codebooks/citizen-survey-2019-targets.yaml", tables: tableReport,
      kpi: kpi,
      samplingErrors: .standard(
        population: codebook.survey.population, respondents: ingest.rowsAccepted))
  }
}
