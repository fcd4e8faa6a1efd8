/// How a weighting run goes: the method and its settings. The targets file's settings are the
/// defaults; a command line may override them.
public struct WeightingOptions: Sendable, Equatable {
  public var method: WeightingTargets.Method
  public var raking: RakingControl
  /// Bounds on g = final ÷ design weight, for calibration (raking with caps).
  public var bounds: ClosedRange<Double>?
  public var trim: WeightingTargets.Trim?
  /// The share of the population by which the margins' totals may disagree; totals within it
  /// are scaled to the population.
  public var tolerance: Double

  public init(
    method: WeightingTargets.Method = .rake, raking: RakingControl = RakingControl(),
    bounds: ClosedRange<Double>? = nil, trim: WeightingTargets.Trim? = nil,
    tolerance: Double = 0.001
  ) {
    self.method = method
    self.raking = raking
    self.bounds = bounds
    self.trim = trim
    self.tolerance = tolerance
  }

  /// The settings of a targets file, with the defaults where it sets none.
  public init(targets: WeightingTargets) {
    let defaults = RakingControl()
    self.init(
      method: targets.method ?? (targets.cells != nil ? .postStratify : .rake),
      raking: RakingControl(
        maxIterations: targets.maxIterations ?? defaults.maxIterations,
        epsilon: targets.epsilon ?? defaults.epsilon),
      bounds: targets.bounds, trim: targets.trim, tolerance: targets.tolerance ?? 0.001)
  }
}

/// What weighting did: every margin category's target against its weighted total before and
/// after, the spread of the weights before and after, and the weighted design (whose variances
/// account for the calibration).
public struct WeightingResult: Sendable {
  public struct Category: Sendable, Equatable {
    /// The category's code; nil for the class of respondents with no answer.
    public var code: Int?
    public var label: LocalizedText
    public var respondents: Int
    public var target: Double
    /// The design-weighted total.
    public var before: Double
    /// The total with the final weights.
    public var after: Double
  }

  public struct Margin: Sendable, Equatable {
    /// The variable, or the variables of the cells joined by ` × `.
    public var variable: String
    public var label: LocalizedText?
    public var categories: [Category]
  }

  public var method: WeightingTargets.Method
  /// Raking passes, Newton iterations of calibration, or 1.
  public var iterations: Int
  public var population: Double
  public var margins: [Margin]
  public var before: WeightSummary
  public var after: WeightSummary
  /// Rows whose weight was trimmed, and the trimming passes.
  public var trimmed: Int
  public var trimPasses: Int
  /// What was adjusted on the way (scaled totals, classes of non-respondents), one sentence each.
  public var notes: [LocalizedText]
  public var options: WeightingOptions
  public var design: SurveyDesign
}

extension WeightingTargets {
  /// Weights `design` (the design of `table`'s rows) to these targets.
  ///
  /// Every row must fall in a category with a target: a code no target lists, or a missing answer
  /// to a margin whose `missing` policy is `error`, is an error naming the count and the first
  /// line. Respondents with no answer to a margin whose policy is `own-class` form a class whose
  /// target is their design-weighted total t; the listed targets are scaled by (N − t)/N, so the
  /// margin still sums to the population N (the R idiom of a separate NA category, Lumley 2010
  /// §7.3, kept consistent with the other margins).
  public func apply(to design: SurveyDesign, table: ResponseTable, options: WeightingOptions)
    throws(WeightingError) -> WeightingResult
  {
    guard design.rowCount == table.rowCount else {
      throw WeightingError(
        "the design has \(design.rowCount) rows but the export \(table.rowCount)")
    }
    let population = try populationTotal()
    var notes: [LocalizedText] = []
    var built: [(margin: WeightingMargin, result: WeightingResult.Margin)] = []
    if let cells {
      guard options.method == .postStratify else {
        throw WeightingError(
          "\(file): cells can only be post-stratified (method poststratify); give margins to "
            + "\(options.method.rawValue)")
      }
      built.append(
        try cellMargin(
          cells, design: design, table: table, population: population, options: options,
          notes: &notes))
    } else {
      guard !margins.isEmpty else { throw WeightingError("\(file) has no margins") }
      for margin in margins {
        built.append(
          try self.margin(
            margin, design: design, table: table, population: population, options: options,
            notes: &notes))
      }
    }
    let weightingMargins = built.map(\.margin)
    var weighted: SurveyDesign
    var iterations = 1
    switch options.method {
    case .rake:
      (weighted, iterations) = try design.raked(weightingMargins, control: options.raking)
    case .postStratify:
      guard weightingMargins.count == 1 else {
        throw WeightingError(
          "post-stratification takes one margin or a table of cells, not \(weightingMargins.count) "
            + "margins; rake on several margins, or give the cells of their cross-classification")
      }
      weighted = try design.postStratified(weightingMargins[0])
    case .calibrateLinear, .calibrateRaking:
      (weighted, iterations) = try design.calibrated(
        weightingMargins, function: options.method == .calibrateLinear ? .linear : .raking,
        bounds: options.bounds)
    }
    var trimmed = 0
    var trimPasses = 0
    if let trim = options.trim, trim.lower != nil || trim.upper != nil {
      let mean = weighted.weights.reduce(0, +) / Double(weighted.rowCount)
      let factor = trim.relativeToMean ? mean : 1
      let result = try weighted.trimmed(
        lower: (trim.lower ?? 0) * factor, upper: (trim.upper ?? .infinity) * factor,
        strict: trim.strict)
      weighted = result.design
      trimmed = result.trimmed
      trimPasses = result.passes
    }
    let margins = built.map { item -> WeightingResult.Margin in
      var result = item.result
      let after = item.margin.achieved(weighted.weights)
      for index in result.categories.indices { result.categories[index].after = after[index] }
      return result
    }
    return WeightingResult(
      method: options.method, iterations: iterations, population: population, margins: margins,
      before: WeightSummary(design.weights), after: WeightSummary(weighted.weights),
      trimmed: trimmed, trimPasses: trimPasses, notes: notes, options: options, design: weighted)
  }

  /// Where the population total comes from, for messages.
  var populationSource: String {
    if population != nil { return "the population is" }
    if cells != nil { return "the cells sum to" }
    return "the targets of \(margins.first?.variable ?? "the first margin") sum to"
  }

  /// The population total: as given, else the first margin's (or the cells') total.
  func populationTotal() throws(WeightingError) -> Double {
    if let population { return population }
    let amounts = cells.map { $0.cells.map(\.amount) } ?? margins.first?.targets.map(\.amount) ?? []
    if amounts.contains(where: \.isShare) {
      throw WeightingError("\(file) gives shares but no population total to apply them to")
    }
    let total = amounts.reduce(0) { $0 + $1.count(population: 0) }
    guard total > 0 else { throw WeightingError("\(file): the targets sum to 0") }
    return total
  }

  /// A margin's categories for every row, its targets checked against the population and with a
  /// class for non-answers where asked.
  private func margin(
    _ margin: Margin, design: SurveyDesign, table: ResponseTable, population: Double,
    options: WeightingOptions, notes: inout [LocalizedText]
  ) throws(WeightingError) -> (margin: WeightingMargin, result: WeightingResult.Margin) {
    guard let index = table.index(of: margin.variable) else {
      throw WeightingError(
        "\(margin.variable) is not a column of the export", file: file, line: margin.line)
    }
    let variable = table.variables[index]
    let codes = try Self.codes(of: table.columns[index], variable: variable)
    let listed = margin.targets.map(\.code)
    let counts = margin.counts(total: population)
    let rowCodes: (Int) -> Int? = { codes[$0] }
    return try Self.build(
      name: margin.variable, label: variable.label, rowCodes: rowCodes,
      listed: listed, labels: listed.map { Self.label(of: $0, in: variable) },
      counts: counts, missing: margin.missing, design: design, table: table,
      population: population, populationSource: populationSource, options: options, file: file,
      line: margin.line, notes: &notes)
  }

  /// The cells of a cross-classification as one margin.
  private func cellMargin(
    _ cells: Cells, design: SurveyDesign, table: ResponseTable, population: Double,
    options: WeightingOptions, notes: inout [LocalizedText]
  ) throws(WeightingError) -> (margin: WeightingMargin, result: WeightingResult.Margin) {
    var columns: [[Int?]] = []
    var variables: [Variable] = []
    for name in cells.variables {
      guard let index = table.index(of: name) else {
        throw WeightingError("\(name) is not a column of the export", file: file, line: cells.line)
      }
      variables.append(table.variables[index])
      columns.append(try Self.codes(of: table.columns[index], variable: table.variables[index]))
    }
    let listed = cells.cells.map(\.codes)
    let labels = listed.map { codes in
      let parts = zip(codes, variables).map { Self.label(of: $0, in: $1) }
      return LocalizedText(
        japanese: parts.map(\.japanese).joined(separator: " × "),
        english: parts.map { $0.english ?? $0.japanese }.joined(separator: " × "))
    }
    let rowCodes: (Int) -> [Int]? = { row in
      var codes: [Int] = []
      for column in columns {
        guard let code = column[row] else { return nil }
        codes.append(code)
      }
      return codes
    }
    return try Self.build(
      name: cells.variables.joined(separator: " × "), label: nil,
      rowCodes: rowCodes, listed: listed, labels: labels, counts: cells.counts(total: population),
      missing: cells.missing, design: design, table: table, population: population,
      populationSource: populationSource, options: options, file: file, line: cells.line,
      notes: &notes)
  }

  // swift-format-ignore: ValidateDocumentationComments
  /// The margin for codes of each row (nil = no answer) against the listed categories.
  private static func build<Key: Hashable>(
    name: String, label: LocalizedText?, rowCodes: (Int) -> Key?, listed: [Key],
    labels: [LocalizedText], counts: [Double], missing: MissingPolicy, design: SurveyDesign,
    table: ResponseTable, population: Double, populationSource: String,
    options: WeightingOptions, file: String, line: Int, notes: inout [LocalizedText]
  ) throws(WeightingError) -> (margin: WeightingMargin, result: WeightingResult.Margin) {
    var position: [Key: Int] = [:]
    for (index, key) in listed.enumerated() { position[key] = index }
    var counts = counts
    let total = counts.reduce(0, +)
    let gap = abs(total - population) / population
    if gap > options.tolerance {
      throw WeightingError(
        "the targets of \(name) sum to \(formatAmount(total)) but \(populationSource) "
          + "\(formatAmount(population)) (\(percent(gap)) apart; the tolerance is "
          + "\(percent(options.tolerance)))", file: file, line: line)
    }
    if total != population {
      for index in counts.indices { counts[index] *= population / total }
      notes.append(
        LocalizedText(
          japanese:
            "\(name) の目標値の合計 \(formatAmount(total)) を母集団 \(formatAmount(population)) に合わせて比例調整した",
          english: "the targets of \(name) sum to \(formatAmount(total)) and were scaled to the "
            + "population \(formatAmount(population))"))
    }
    var category = [Int](repeating: -1, count: table.rowCount)
    var missingRows: [Int] = []
    var uncovered: [Key: (count: Int, first: Int)] = [:]
    for row in 0..<table.rowCount {
      guard let key = rowCodes(row) else {
        missingRows.append(row)
        continue
      }
      if let index = position[key] {
        category[row] = index
      } else {
        uncovered[key, default: (0, row)].count += 1
      }
    }
    if let (key, item) = uncovered.min(by: { $0.value.first < $1.value.first }) {
      let code = (key as? [Int]).map { $0.map(String.init).joined(separator: " × ") } ?? "\(key)"
      throw WeightingError(
        "\(item.count) respondent\(item.count == 1 ? " has" : "s have") \(name) = \(code) "
          + "(first on line \(table.lines[item.first])), which no target covers; add the "
          + "category to \(file)")
    }
    var labels = labels
    var codes: [Int?] = listed.map { ($0 as? Int) ?? ($0 as? [Int])?.first }
    if let first = missingRows.first {
      let count = missingRows.count
      guard missing == .ownClass else {
        throw WeightingError(
          "\(count) respondent\(count == 1 ? " has" : "s have") no answer to \(name) (first on "
            + "line \(table.lines[first])); weight them as a class of their own (`missing: "
            + "own-class` in the targets, or --missing own-class), or let survey check reject them")
      }
      var sum = Accumulator()
      for row in missingRows { sum.add(design.weights[row]) }
      let own = sum.value
      for index in counts.indices { counts[index] *= (population - own) / population }
      for row in missingRows { category[row] = listed.count }
      counts.append(own)
      labels.append(LocalizedText(japanese: "無回答", english: "no answer"))
      codes.append(nil)
      let factor = formatAmount((population - own) / population)
      notes.append(
        LocalizedText(
          japanese:
            "\(name) の無回答 \(count)人は独立の区分とし、設計ウェイト合計 \(formatAmount(own)) を目標値とした（他の区分の目標値は \(factor) 倍）",
          english: "\(count) respondent\(count == 1 ? "" : "s") with no answer to \(name) form a "
            + "class of their own with their design-weighted total \(formatAmount(own)) as its "
            + "target; the other targets of \(name) were scaled by \(factor)"))
    }
    let margin = WeightingMargin(
      name: name, labels: labels.map { $0.english ?? $0.japanese }, category: category,
      targets: counts)
    var respondents = [Int](repeating: 0, count: labels.count)
    for value in category { respondents[value] += 1 }
    let before = margin.achieved(design.weights)
    let result = WeightingResult.Margin(
      variable: name, label: label,
      categories: labels.indices.map {
        WeightingResult.Category(
          code: codes[$0], label: labels[$0], respondents: respondents[$0], target: counts[$0],
          before: before[$0], after: before[$0])
      })
    return (margin, result)
  }

  /// Each row's code (nil = no answer) of a single-choice question or the stratum.
  static func codes(of column: Column, variable: Variable) throws(WeightingError) -> [Int?] {
    switch column {
    case .codes(let codes):
      return (0..<codes.states.count).map { codes[$0].map { Int($0) } }
    case .levels(let levels):
      var result: [Int?] = []
      for row in 0..<levels.states.count {
        guard let text = levels[row] else {
          result.append(nil)
          continue
        }
        guard let code = Int(text) else {
          throw WeightingError(
            "\(variable.name) has the value \(quotedValue(text)), which is not a code; "
              + "weighting variables need integer codes")
        }
        result.append(code)
      }
      return result
    default:
      throw WeightingError(
        "\(variable.name) is a \(variable.type.rawValue) variable; weighting needs a "
          + "single-choice question or the stratum")
    }
  }

  /// A code's label in the codebook, or the code itself.
  static func label(of code: Int, in variable: Variable) -> LocalizedText {
    variable.valueLabel(of: code)?.label ?? LocalizedText(japanese: String(code))
  }
}

/// 0.0069 → "0.69%".
func percent(_ share: Double) -> String {
  "\(formatAmount((share * 10_000).rounded() / 100))%"
}
