/// A クロス集計 report: what was read, the design, how cells were tested, and the banner tables.
/// Shown by a `ReportFormat`:
///
/// ```swift
/// let report = BannerTableReport(result: result, codebook: codebook, design: design,
///                                designVariables: roles, spec: spec, tables: tables)
/// print(report.render(.text(language: .japanese, width: 100)))
/// ```
public struct BannerTableReport: Sendable {
  public var survey: SurveyInfo
  /// The report's title from the spec; nil uses the survey's title.
  public var title: LocalizedText?
  /// The export as the user named it.
  public var file: String
  public var codebookPath: String?
  /// The spec file as the user named it; nil for `--rows`/`--by`.
  public var specPath: String?
  public var rowsRead: Int
  public var rowsAccepted: Int
  public var rowsRejected: Int
  public var errorCount: Int
  public var warningCount: Int
  public var design: DesignSummary
  public var options: BannerOptions
  public var tables: [BannerTable]

  public init(
    survey: SurveyInfo, title: LocalizedText? = nil, file: String, codebookPath: String? = nil,
    specPath: String? = nil, rowsRead: Int, rowsAccepted: Int, rowsRejected: Int,
    errorCount: Int = 0, warningCount: Int = 0, design: DesignSummary, options: BannerOptions,
    tables: [BannerTable]
  ) {
    self.survey = survey
    self.title = title
    self.file = file
    self.codebookPath = codebookPath
    self.specPath = specPath
    self.rowsRead = rowsRead
    self.rowsAccepted = rowsAccepted
    self.rowsRejected = rowsRejected
    self.errorCount = errorCount
    self.warningCount = warningCount
    self.design = design
    self.options = options
    self.tables = tables
  }

  /// The report of an ingested export: its row accounting and diagnostics counts.
  public init(
    result: IngestResult, codebook: Codebook, codebookPath: String? = nil,
    specPath: String? = nil, design: SurveyDesign, designVariables: DesignVariables,
    weighting: WeightingSummary? = nil, spec: BannerTableSpec, tables: [BannerTable]
  ) {
    self.init(
      survey: codebook.survey, title: spec.title, file: result.file, codebookPath: codebookPath,
      specPath: specPath, rowsRead: result.rowsRead, rowsAccepted: result.rowsAccepted,
      rowsRejected: result.rowsRejected, errorCount: result.errorCount,
      warningCount: result.warningCount,
      design: DesignSummary(design: design, variables: designVariables, weighting: weighting),
      options: spec.options,
      tables: tables)
  }

  /// `rows read 1,200 = 1,200 accepted + 0 rejected; 0 errors, 0 warnings`, as `survey check`
  /// counts them.
  public var rowAccounting: String {
    FrequencyReport(
      survey: survey, file: file, rowsRead: rowsRead, rowsAccepted: rowsAccepted,
      rowsRejected: rowsRejected, errorCount: errorCount, warningCount: warningCount,
      design: design, options: .init(), tables: []
    ).rowAccounting
  }
}
