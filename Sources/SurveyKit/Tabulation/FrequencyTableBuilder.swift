/// Makes the frequency tables (単純集計) of a table's questions under a sampling design.
///
/// ```swift
/// let design = try SurveyDesign(table: result.table)
/// let builder = FrequencyTableBuilder(table: result.table, design: design)
/// let q1 = try builder.frequencyTable(of: "Q1")
/// q1.rows[2].share?.estimate   // 0.553 (2人)
/// ```
/// Every category of a question is estimated in one pass over the rows, with their covariance:
/// the share of category j is the weighted mean of the indicator 1{answer = j} over the base, as
/// R's `svymean(~factor(x), design, na.rm = TRUE, deff = TRUE)`; rows outside the base stay in the
/// design with influence 0, never a smaller sample (Lumley 2010, §2.3, "domains"). Intervals
/// of shares are R's `svyciprop` (`intervalMethod`); intervals of means are t on the design
/// degrees of freedom.
///
/// Multi-response questions give two percentages per option, from the same pass: of the
/// respondents (the mean of 1{option chosen} over those who answered the set; they may add up to
/// more than 100) and of the responses, R̂_j = Σw·1{option j} / Σw·(number of choices), as R's
/// `svyratio`. Its variance is the ratio's linearisation, z_i = w_i (y_ij − R̂_j x_i)/Σw·x
/// (Särndal, Swensson & Wretman 1992, §5.6), which equals
/// (V(ȳ_j) − 2 R̂_j C(ȳ_j, x̄) + R̂_j² V(x̄)) / x̄² from the covariance of the means.
public struct FrequencyTableBuilder: Sendable {
  public var table: ResponseTable
  public var design: SurveyDesign
  public var options: FrequencyOptions

  public init(table: ResponseTable, design: SurveyDesign, options: FrequencyOptions = .init()) {
    self.table = table
    self.design = design
    self.options = options
  }

  /// The types of variable that have frequency tables.
  public static let tabulatedTypes: Set<VariableType> = [.single, .multi, .numeric]

  /// The questions with frequency tables, in codebook order.
  public static func questions(of codebook: Codebook) -> [String] {
    codebook.variables.filter { tabulatedTypes.contains($0.type) }.map(\.name)
  }

  /// Checks names before any data is read: every name is a single, multi or numeric question,
  /// and every reversed one a single question with consecutive codes.
  public static func check(variables: [String], reversed: Set<String>, in codebook: Codebook)
    throws(TabulationError)
  {
    for name in variables + reversed.sorted() {
      guard let variable = codebook.variable(named: name) else {
        throw .unknownVariable(name)
      }
      guard tabulatedTypes.contains(variable.type) else {
        throw .notTabulated(name, variable.type)
      }
    }
    for name in reversed.sorted() {
      guard let variable = codebook.variable(named: name), variable.type == .single,
        scaleRange(of: variable) != nil
      else { throw .notAScale(name) }
    }
  }

  /// The tables of `variables` (all questions when nil), in that order.
  public func frequencyTables(of variables: [String]? = nil) throws(TabulationError)
    -> [FrequencyTable]
  {
    let names =
      variables
      ?? table.variables.filter { Self.tabulatedTypes.contains($0.type) }.map(\.name)
    var tables: [FrequencyTable] = []
    for name in names { tables.append(try frequencyTable(of: name)) }
    return tables
  }

  /// The table of one question.
  public func frequencyTable(of name: String) throws(TabulationError) -> FrequencyTable {
    guard let index = table.index(of: name) else { throw .unknownVariable(name) }
    let variable = table.variables[index]
    do {
      switch table.columns[index] {
      case .codes(let column) where variable.type == .single:
        return try single(variable, column)
      case .numbers(let column) where variable.type == .numeric:
        return try numeric(variable, column)
      case .multi(let column) where variable.type == .multi:
        return try multi(variable, column)
      default:
        throw TabulationError.notTabulated(name, variable.type)
      }
    } catch let error as TabulationError {
      throw error
    } catch let error as DesignError {
      throw .design(error)
    } catch {
      throw .design(DesignError("\(error)"))
    }
  }

  // MARK: Single-choice questions

  private func single(_ variable: Variable, _ column: CodeColumn) throws -> FrequencyTable {
    var categories = variable.values.map { (code: $0.code, label: $0.label) }
    var position: [Int: Int] = [:]
    for (index, category) in categories.enumerated() { position[category.code] = index }
    let labelled = categories.count
    // Codes kept although not listed (a codebook that only warns on unknown codes).
    var unlisted = Set<Int>()
    for row in 0..<table.rowCount where column.states[row].isValid {
      let code = Int(column.codes[row])
      if position[code] == nil { unlisted.insert(code) }
    }
    for code in unlisted.sorted() {
      position[code] = categories.count
      categories.append((code, Self.unlistedLabel(code)))
    }
    let scale = Self.scaleRange(of: variable)
    var meanScale: MeanSummary.Scale?
    if let scale, options.reversed.contains(variable.name) {
      meanScale = .reversedCodes(lowest: scale.lowerBound, highest: scale.upperBound)
    } else if let scale, scale == 1...5, variable.values.count == 5 {
      meanScale = .codes(lowest: 1, highest: 5)
    }
    let states = column.states
    let categoryOf: (Int) -> Int? = { row in
      states[row].isValid ? position[Int(column.codes[row])] : nil
    }
    var meanValue: ((Int) -> Double?)?
    if let meanScale {
      meanValue = { row in
        guard let category = categoryOf(row), category < labelled else { return nil }
        let code = Double(categories[category].code)
        switch meanScale {
        case .reversedCodes(let lowest, let highest): return Double(lowest + highest) - code
        default: return code
        }
      }
    }
    var result = try tabulate(
      variable, type: .single, states: states,
      categories: categories.map {
        FrequencyRow(
          kind: .category, code: $0.code, label: $0.label, isInBase: true, respondents: 0,
          weightedCount: 0)
      }, categoryOf: categoryOf, meanValue: meanValue)
    if let meanScale, result.mean != nil { result.mean?.scale = meanScale }
    return result
  }

  /// The codes of a single question as a scale, when they are consecutive whole numbers.
  static func scaleRange(of variable: Variable) -> ClosedRange<Int>? {
    let codes = variable.values.map(\.code).sorted()
    guard let lowest = codes.first, let highest = codes.last, codes.count >= 2,
      codes == Array(lowest...highest)
    else { return nil }
    return lowest...highest
  }

  static func unlistedLabel(_ code: Int) -> LocalizedText {
    LocalizedText(japanese: "\(code)（ラベルなし）", english: "\(code) (no label)")
  }

  // MARK: Numeric questions

  private func numeric(_ variable: Variable, _ column: NumberColumn) throws -> FrequencyTable {
    let states = column.states
    var labels: [Double: LocalizedText] = [:]
    for value in variable.values { labels[Double(value.code)] = value.label }
    var observed = Set<Double>()
    for row in 0..<table.rowCount where states[row].isValid { observed.insert(column.values[row]) }
    let unlabelled = observed.subtracting(labels.keys)
    var omitted: Int?
    var values: [Double] = []
    if unlabelled.count > options.maximumUnlabelledValues {
      omitted = observed.count
    } else {
      values = Array(observed.union(labels.keys)).sorted()
    }
    var position: [Double: Int] = [:]
    for (index, value) in values.enumerated() { position[value] = index }
    let categories = values.map { value in
      FrequencyRow(
        kind: .category, code: labels[value] != nil ? Int(value) : nil, value: value,
        label: labels[value] ?? Self.valueLabel(value, unit: variable.unit), isInBase: true,
        respondents: 0, weightedCount: 0)
    }
    let categoryOf: (Int) -> Int? = { row in
      states[row].isValid ? position[column.values[row]] : nil
    }
    var result = try tabulate(
      variable, type: .numeric, states: states, categories: categories,
      categoryOf: categoryOf, meanValue: { row in states[row].isValid ? column.values[row] : nil },
      baseIsAllValid: omitted != nil)
    result.omittedDistinctValues = omitted
    if result.status == .tabulated {
      result.median = try median(
        of: (0..<table.rowCount).map { states[$0].isValid ? column.values[$0] : .nan })
    }
    return result
  }

  /// `7人`, `7 children`: an unlabelled value of a numeric question with its unit.
  static func valueLabel(_ value: Double, unit: LocalizedText?) -> LocalizedText {
    let number = formatNumber(value)
    guard let unit else { return LocalizedText(japanese: number) }
    return LocalizedText(
      japanese: number + unit.japanese, english: unit.english.map { "\(number) \($0)" })
  }

  // MARK: Shared by single and numeric questions

  /// The table of a question with one answer per row: counts every state, then estimates the
  /// shares of `categories` (plus the included missing codes) in one pass, with the mean as one
  /// more column of the same pass when its base is the same.
  ///
  /// - Parameters:
  ///   - categoryOf: the category of a row with a valid answer (nil when it has none).
  ///   - meanValue: the value whose mean is shown (nil: no mean; a nil value: not in its base).
  ///   - baseIsAllValid: the base is every valid answer even when `categories` is empty (a
  ///     numeric question whose distribution is not shown).
  private func tabulate(
    _ variable: Variable, type: FrequencyTable.QuestionType, states: [CellState],
    categories: [FrequencyRow], categoryOf: (Int) -> Int?, meanValue: ((Int) -> Double?)?,
    baseIsAllValid: Bool = false
  ) throws -> FrequencyTable {
    let n = table.rowCount
    let weights = design.weights
    var rows = categories
    let missing = missingRows(variable)
    let included = missing.rows.indices.filter { missing.rows[$0].isInBase }
    for index in included { rows.append(missing.rows[index]) }
    // The category of every row in the base: a valid answer or an included missing code.
    var categoryIndex = [Int](repeating: -1, count: n)
    var outside = missing.rows
    var counts = [Int](repeating: 0, count: rows.count)
    var sums = [Accumulator](repeating: Accumulator(), count: rows.count)
    var outsideSums = [Accumulator](repeating: Accumulator(), count: outside.count)
    var outsideCounts = [Int](repeating: 0, count: outside.count)
    var baseSum = Accumulator()
    var baseCount = 0
    for row in 0..<n {
      let state = states[row]
      var category: Int?
      if state.isValid {
        category = categoryOf(row)
        if category == nil && baseIsAllValid {
          baseCount += 1
          baseSum.add(weights[row])
        }
      } else if let slot = missing.slot(state), missing.rows[slot].isInBase {
        category = categories.count + included.firstIndex(of: slot)!
      }
      if let category {
        categoryIndex[row] = category
        counts[category] += 1
        sums[category].add(weights[row])
        baseCount += 1
        baseSum.add(weights[row])
      } else if !state.isValid, let slot = missing.slot(state) {
        outsideCounts[slot] += 1
        outsideSums[slot].add(weights[row])
      }
    }
    for index in rows.indices {
      rows[index].respondents = counts[index]
      rows[index].weightedCount = sums[index].value
    }
    for index in outside.indices {
      outside[index].respondents = outsideCounts[index]
      outside[index].weightedCount = outsideSums[index].value
    }
    let base = FrequencyTable.Count(respondents: baseCount, weighted: baseSum.value)
    var result = FrequencyTable(
      variable: variable.name, type: type, label: variable.label, question: variable.question,
      base: base)
    let shown = outside.filter { !$0.isInBase && ($0.kind == .missingCode || $0.respondents > 0) }
    guard base.respondents > 0 else {
      result.status = .noRespondents
      result.rows = rows + shown
      return result
    }
    guard base.weighted > 0 else {
      result.status = .zeroWeight
      result.rows = rows + shown
      return result
    }
    let isInBase: (Int) -> Bool = { row in
      categoryIndex[row] >= 0 || (baseIsAllValid && states[row].isValid)
    }
    // The mean's base: rows with a value; the same pass when it is the table's base.
    var meanRows = 0
    var sameBase = true
    if let meanValue {
      for row in 0..<n {
        let hasValue = meanValue(row) != nil
        if hasValue { meanRows += 1 }
        if hasValue != isInBase(row) { sameBase = false }
      }
    }
    let meanInPass = meanValue != nil && sameBase && meanRows > 0
    let k = rows.count
    let columns = k + (meanInPass ? 1 : 0)
    if columns > 0 {
      let set = try design.means(
        columns: columns,
        isMissing: { !isInBase($0) },
        value: { row, column in
          column < k ? (categoryIndex[row] == column ? 1 : 0) : (meanValue!(row) ?? 0)
        })
      result.warnings = set.warnings
      for index in 0..<k {
        rows[index].share = share(set.estimates[index], respondents: rows[index].respondents)
      }
      if meanInPass {
        result.mean = MeanSummary(
          scale: .values, estimate: meanEstimate(set.estimates[k]), base: base)
      }
    }
    if let meanValue, !meanInPass, meanRows > 0 {
      let values = (0..<n).map { meanValue($0) ?? .nan }
      let estimate = try design.mean(values)
      var meanBase = Accumulator()
      for row in 0..<n where !values[row].isNaN { meanBase.add(weights[row]) }
      result.mean = MeanSummary(
        scale: .values, estimate: meanEstimate(estimate),
        base: .init(respondents: meanRows, weighted: meanBase.value))
    }
    result.rows = rows + shown
    return result
  }

  // MARK: Multi-response questions

  private func multi(_ variable: Variable, _ column: MultiResponseColumn) throws -> FrequencyTable {
    let n = table.rowCount
    let weights = design.weights
    let states = column.states
    let k = variable.values.count
    var rows = variable.values.map {
      FrequencyRow(
        kind: .category, code: $0.code, label: $0.label, isInBase: true, respondents: 0,
        weightedCount: 0)
    }
    let missing = missingRows(variable)
    let included = missing.rows.indices.filter { missing.rows[$0].isInBase }
    for index in included { rows.append(missing.rows[index]) }
    var outside = missing.rows
    let m = included.count
    // 0 … k−1: options; k … k+m−1: included missing codes.
    var inBase = [Bool](repeating: false, count: n)
    var counts = [Int](repeating: 0, count: k + m)
    var sums = [Accumulator](repeating: Accumulator(), count: k + m)
    var outsideCounts = [Int](repeating: 0, count: outside.count)
    var outsideSums = [Accumulator](repeating: Accumulator(), count: outside.count)
    var base = FrequencyTable.Count()
    var baseSum = Accumulator()
    var choices = 0
    var choiceSum = Accumulator()
    for row in 0..<n {
      let state = states[row]
      let weight = weights[row]
      if state.isValid {
        inBase[row] = true
        base.respondents += 1
        baseSum.add(weight)
        var bits = column.choices[row]
        while bits != 0 {
          let option = bits.trailingZeroBitCount
          bits &= bits - 1
          guard option < k else { continue }
          counts[option] += 1
          sums[option].add(weight)
          choices += 1
          choiceSum.add(weight)
        }
      } else if let slot = missing.slot(state) {
        if let position = included.firstIndex(of: slot) {
          inBase[row] = true
          base.respondents += 1
          baseSum.add(weight)
          counts[k + position] += 1
          sums[k + position].add(weight)
        } else {
          outsideCounts[slot] += 1
          outsideSums[slot].add(weight)
        }
      }
    }
    base.weighted = baseSum.value
    for index in rows.indices {
      rows[index].respondents = counts[index]
      rows[index].weightedCount = sums[index].value
    }
    for index in outside.indices {
      outside[index].respondents = outsideCounts[index]
      outside[index].weightedCount = outsideSums[index].value
    }
    let shown = outside.filter { !$0.isInBase && ($0.kind == .missingCode || $0.respondents > 0) }
    var result = FrequencyTable(
      variable: variable.name, type: .multi, label: variable.label, question: variable.question,
      base: base, responses: .init(respondents: choices, weighted: choiceSum.value))
    guard base.respondents > 0 else {
      result.status = .noRespondents
      result.rows = rows + shown
      return result
    }
    guard base.weighted > 0 else {
      result.status = .zeroWeight
      result.rows = rows + shown
      return result
    }
    // One pass: the options, the included missing codes and the number of choices.
    let set = try design.means(
      columns: k + m + 1, isMissing: { !inBase[$0] },
      value: { row, slot in
        let valid = states[row].isValid
        if slot < k {
          return valid && column.choices[row] & (1 << UInt64(slot)) != 0 ? 1 : 0
        }
        if slot < k + m {
          return missing.slot(states[row]) == included[slot - k] ? 1 : 0
        }
        return valid ? Double((column.choices[row] & Self.mask(k)).nonzeroBitCount) : 0
      })
    result.warnings = set.warnings
    let columns = k + m + 1
    let x = set.estimates[k + m]
    for index in 0..<(k + m) {
      rows[index].share = share(set.estimates[index], respondents: rows[index].respondents)
    }
    if x.estimate > 0 {
      for index in 0..<k {
        let y = set.estimates[index]
        let ratio = y.estimate / x.estimate
        let variance =
          (set.covariance[index * columns + index]
            - 2 * ratio * set.covariance[index * columns + k + m]
            + ratio * ratio * set.covariance[(k + m) * columns + k + m])
          / (x.estimate * x.estimate)
        var estimate = y
        estimate.estimate = ratio
        estimate.standardError = max(variance, 0).squareRoot()
        estimate.designEffect = nil
        estimate.designEffectWithReplacement = nil
        rows[index].shareOfResponses = share(estimate, respondents: rows[index].respondents)
      }
    }
    result.rows = rows + shown
    return result
  }

  static func mask(_ count: Int) -> UInt64 {
    count >= 64 ? .max : (UInt64(1) << UInt64(count)) - 1
  }

  // MARK: Missing answers

  /// The rows of non-answers, in order: each declared missing code (in the base when
  /// `includeMissing` and it is not 非該当), not asked, blank or invalid.
  private func missingRows(_ variable: Variable) -> MissingRows {
    var rows: [FrequencyRow] = variable.missing.map { code in
      FrequencyRow(
        kind: .missingCode, code: code.code, label: code.label,
        isInBase: options.includeMissing && code.meaning != .notApplicable, respondents: 0,
        weightedCount: 0)
    }
    let declared = rows.count
    rows.append(
      FrequencyRow(
        kind: .notAsked, label: LocalizedText(japanese: "非該当（質問対象外）", english: "Not asked"),
        isInBase: false, respondents: 0, weightedCount: 0))
    rows.append(
      FrequencyRow(
        kind: .blankOrInvalid,
        label: LocalizedText(japanese: "未記入・無効回答", english: "Blank or invalid"),
        isInBase: false, respondents: 0, weightedCount: 0))
    return MissingRows(rows: rows, declared: declared)
  }

  struct MissingRows {
    var rows: [FrequencyRow]
    var declared: Int

    /// The row of a cell state that is not valid.
    func slot(_ state: CellState) -> Int? {
      if let index = state.declaredIndex { return index < declared ? index : declared + 1 }
      if state == .notAsked { return declared }
      if state == .blank || state == .invalid { return declared + 1 }
      return nil
    }
  }

  // MARK: Estimates as tables show them

  private func share(_ estimate: Estimate, respondents: Int) -> TableEstimate {
    guard respondents > 0 else {
      return TableEstimate(estimate: estimate.estimate, standardError: estimate.standardError)
    }
    return TableEstimate(
      estimate: estimate.estimate, standardError: estimate.standardError,
      confidenceInterval: estimate.standardError > 0
        ? estimate.proportionInterval(options.intervalMethod, level: options.confidenceLevel)
        : nil,
      designEffect: estimate.designEffect)
  }

  private func meanEstimate(_ estimate: Estimate) -> TableEstimate {
    TableEstimate(
      estimate: estimate.estimate, standardError: estimate.standardError,
      confidenceInterval: estimate.confidenceInterval(level: options.confidenceLevel),
      designEffect: estimate.designEffect)
  }
}

/// How frequency tables are made.
public struct FrequencyOptions: Sendable, Hashable {
  /// The level of every confidence interval (0.95).
  public var confidenceLevel: Double
  /// How intervals of percentages are made (R `svyciprop`'s default, logit).
  public var intervalMethod: ProportionIntervalMethod
  /// Put declared missing codes (無回答, わからない; never 非該当) into the percentage base.
  public var includeMissing: Bool
  /// Single questions whose mean is shown on the reversed scale, lowest + highest − code.
  public var reversed: Set<String>
  /// A numeric question with more unlabelled values than this shows its mean and median only.
  public var maximumUnlabelledValues: Int

  public init(
    confidenceLevel: Double = 0.95, intervalMethod: ProportionIntervalMethod = .logit,
    includeMissing: Bool = false, reversed: Set<String> = [], maximumUnlabelledValues: Int = 20
  ) {
    self.confidenceLevel = confidenceLevel
    self.intervalMethod = intervalMethod
    self.includeMissing = includeMissing
    self.reversed = reversed
    self.maximumUnlabelledValues = maximumUnlabelledValues
  }
}
