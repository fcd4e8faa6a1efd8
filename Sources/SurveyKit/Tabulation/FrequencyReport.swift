/// A 単純集計 report: what was read, the design, how intervals were made, and one frequency
/// table per question. Shown by a `ReportFormat`:
///
/// ```swift
/// let report = FrequencyReport(result: result, codebook: codebook, design: design,
///                              designVariables: roles, options: options, tables: tables)
/// print(report.render(.text(language: .japanese)))
/// ```
public struct FrequencyReport: Sendable {
  public var survey: SurveyInfo
  /// The export as the user named it.
  public var file: String
  public var codebookPath: String?
  public var rowsRead: Int
  public var rowsAccepted: Int
  public var rowsRejected: Int
  public var errorCount: Int
  public var warningCount: Int
  public var design: DesignSummary
  public var options: FrequencyOptions
  public var tables: [FrequencyTable]

  public init(
    survey: SurveyInfo, file: String, codebookPath: String? = nil, rowsRead: Int,
    rowsAccepted: Int, rowsRejected: Int, errorCount: Int = 0, warningCount: Int = 0,
    design: DesignSummary, options: FrequencyOptions, tables: [FrequencyTable]
  ) {
    self.survey = survey
    self.file = file
    self.codebookPath = codebookPath
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
    result: IngestResult, codebook: Codebook, codebookPath: String? = nil, design: SurveyDesign,
    designVariables: DesignVariables, options: FrequencyOptions, tables: [FrequencyTable]
  ) {
    self.init(
      survey: codebook.survey, file: result.file, codebookPath: codebookPath,
      rowsRead: result.rowsRead, rowsAccepted: result.rowsAccepted,
      rowsRejected: result.rowsRejected, errorCount: result.errorCount,
      warningCount: result.warningCount,
      design: DesignSummary(design: design, variables: designVariables), options: options,
      tables: tables)
  }
}

/// What a report says about its design: the variables and the counts behind the degrees of
/// freedom.
public struct DesignSummary: Sendable, Hashable {
  public var variables: DesignVariables
  /// The number of strata (1 for an unstratified design).
  public var strataCount: Int
  /// The number of primary sampling units (rows, when there are no clusters).
  public var psuCount: Int
  /// Design degrees of freedom, PSUs − strata.
  public var degreesOfFreedom: Int
  public var lonelyPSU: LonelyPSUPolicy

  public init(
    variables: DesignVariables, strataCount: Int, psuCount: Int, degreesOfFreedom: Int,
    lonelyPSU: LonelyPSUPolicy
  ) {
    self.variables = variables
    self.strataCount = strataCount
    self.psuCount = psuCount
    self.degreesOfFreedom = degreesOfFreedom
    self.lonelyPSU = lonelyPSU
  }

  public init(design: SurveyDesign, variables: DesignVariables) {
    self.init(
      variables: variables, strataCount: design.strataNames.count, psuCount: design.psuCount,
      degreesOfFreedom: design.degreesOfFreedom(), lonelyPSU: design.lonelyPSU)
  }
}
