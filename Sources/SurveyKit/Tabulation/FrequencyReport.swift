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
    designVariables: DesignVariables, weighting: WeightingSummary? = nil,
    options: FrequencyOptions, tables: [FrequencyTable]
  ) {
    self.init(
      survey: codebook.survey, file: result.file, codebookPath: codebookPath,
      rowsRead: result.rowsRead, rowsAccepted: result.rowsAccepted,
      rowsRejected: result.rowsRejected, errorCount: result.errorCount,
      warningCount: result.warningCount,
      design: DesignSummary(design: design, variables: designVariables, weighting: weighting),
      options: options,
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
  /// How the design weights were adjusted to population margins, if they were.
  public var weighting: WeightingSummary?

  public init(
    variables: DesignVariables, strataCount: Int, psuCount: Int, degreesOfFreedom: Int,
    lonelyPSU: LonelyPSUPolicy, weighting: WeightingSummary? = nil
  ) {
    self.variables = variables
    self.strataCount = strataCount
    self.psuCount = psuCount
    self.degreesOfFreedom = degreesOfFreedom
    self.lonelyPSU = lonelyPSU
    self.weighting = weighting
  }

  public init(
    design: SurveyDesign, variables: DesignVariables, weighting: WeightingSummary? = nil
  ) {
    self.init(
      variables: variables, strataCount: design.strataNames.count, psuCount: design.psuCount,
      degreesOfFreedom: design.degreesOfFreedom(), lonelyPSU: design.lonelyPSU,
      weighting: weighting)
  }
}

/// What a report says about the weighting of its design: the method, the targets file, the
/// margin variables and how many passes or iterations it took.
public struct WeightingSummary: Sendable, Hashable {
  public var method: WeightingTargets.Method
  public var targets: String
  public var variables: [String]
  public var iterations: Int
  public var trimmedRows: Int

  public init(result: WeightingResult, targets: String) {
    method = result.method
    self.targets = targets
    variables = result.margins.map(\.variable)
    iterations = result.iterations
    trimmedRows = result.trimmed
  }
}
