/// Everything the council's report (総合戦略推進会議の資料) shows, gathered by `survey run` and
/// rendered as a workbook (XLSX) and a web page (HTML): the cover (survey, fieldwork, sample,
/// responses, response rate, weighting), the banner tables with their letters and charts, the
/// KPI table, and the appendix of sampling errors (標本誤差早見表).
public struct CouncilReport: Sendable {
  public var survey: SurveyInfo
  public var language: Language
  /// The fieldwork period as the project writes it (`2019年10月1日～10月31日`).
  public var fieldwork: String?
  /// Questionnaires sent (発送数), for the response rate.
  public var sampleSize: Int?
  public var rowsRead: Int
  public var rowsAccepted: Int
  public var rowsRejected: Int
  /// The weighting, when the sample was weighted.
  public var weighting: WeightingResult?
  public var weightingTargets: String?
  /// The banner tables (cross-tabs with letters).
  public var tables: BannerTableReport
  /// The strategy's indicators, when the project has them.
  public var kpi: KPIReport?
  /// The appendix: ± sampling error by base size and proportion.
  public var samplingErrors: SamplingErrorTable
  /// The font the workbook asks for (a Japanese font of the office PC).
  public var fontName: String

  public init(
    survey: SurveyInfo, language: Language, fieldwork: String?, sampleSize: Int?, rowsRead: Int,
    rowsAccepted: Int, rowsRejected: Int, weighting: WeightingResult?, weightingTargets: String?,
    tables: BannerTableReport, kpi: KPIReport?, samplingErrors: SamplingErrorTable,
    fontName: String = "游ゴシック"
  ) {
    self.survey = survey
    self.language = language
    self.fieldwork = fieldwork
    self.sampleSize = sampleSize
    self.rowsRead = rowsRead
    self.rowsAccepted = rowsAccepted
    self.rowsRejected = rowsRejected
    self.weighting = weighting
    self.weightingTargets = weightingTargets
    self.tables = tables
    self.kpi = kpi
    self.samplingErrors = samplingErrors
    self.fontName = fontName
  }

  /// Accepted responses over questionnaires sent; nil without a sample size.
  public var responseRate: Double? {
    guard let sampleSize, sampleSize > 0 else { return nil }
    return Double(rowsAccepted) / Double(sampleSize)
  }

  /// Every table's charts, in table and stub order.
  public func charts(of table: BannerTable) -> [Chart] {
    table.blocks.compactMap { Chart.chart(for: $0, in: table, language: language) }
  }
}

/// 標本誤差早見表: the half-width of a 95% interval of a proportion p estimated from n respondents
/// of a population N, ±1.96·√((N − n)/(N − 1) · p(1 − p)/n), in percentage points, for a grid of
/// bases and proportions (simple random sampling; a weighted design's errors are larger by √deff).
public struct SamplingErrorTable: Sendable, Equatable {
  public var population: Double?
  /// The bases (rows).
  public var bases: [Int]
  /// The proportions (columns), as p of the pairs p / (1 − p): 0.1 stands for 10% or 90%.
  public var proportions: [Double]

  public init(population: Double?, bases: [Int], proportions: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5])
  {
    self.population = population
    self.bases = bases
    self.proportions = proportions
  }

  /// The usual grid plus the survey's own base: 50, 100, 200, 300, 500, 700, 1,000, 1,500, 2,000.
  public static func standard(population: Double?, respondents: Int) -> SamplingErrorTable {
    var bases = [50, 100, 200, 300, 500, 700, 1000, 1500, 2000].filter { base in
      population.map { Double(base) < $0 } ?? true
    }
    if respondents > 1, !bases.contains(respondents) { bases.append(respondents) }
    return SamplingErrorTable(population: population, bases: bases.sorted())
  }

  /// ± percentage points for base n and proportion p; without a population, no finite population
  /// correction.
  public func error(base n: Int, proportion p: Double) -> Double {
    let correction: Double
    if let population, population > 1 {
      correction = max(population - Double(n), 0) / (population - 1)
    } else {
      correction = 1
    }
    return 1.96 * (correction * p * (1 - p) / Double(n)).squareRoot() * 100
  }
}
