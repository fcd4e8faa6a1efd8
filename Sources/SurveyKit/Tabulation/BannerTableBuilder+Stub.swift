extension BannerTableBuilder {
  /// What one stub question contributes to a table: its rows (categories, nets, mean), each
  /// respondent's (row, value) entries, and the rows outside the base.
  struct Stub {
    var type: FrequencyTable.QuestionType
    /// The rows in the base: categories first, then nets, then the mean.
    var rows: [BannerRow]
    /// How many of `rows` are categories.
    var categoryCount: Int
    /// Each respondent's (row, value) entries, flat; no entries and not answered = no answer.
    var entries: CrossTabulation.Stub
    /// Each respondent's category, for the Rao–Scott test of a single-choice stub.
    var categoryOf: [Int?]?
    /// The rows outside the base, and each respondent's slot among them (−1: none).
    var missing: [BannerRow]
    var missingSlot: [Int32]
    var omittedDistinctValues: Int?
  }

  /// The block of one stub question.
  func block(
    _ name: String, spec: BannerTableSpec.Table, banner: Banner, inFilter: [Bool]?,
    order: [Int32]? = nil
  ) throws(BannerTableError) -> BannerBlock {
    guard let index = table.index(of: name) else { throw .unknownVariable(name) }
    let variable = table.variables[index]
    let stub = try makeStub(variable, table.columns[index], spec: spec, inFilter: inFilter)
    let tabulation: CrossTabulation
    do {
      tabulation = try CrossTabulation(
        design: design, stub: stub.entries, banner: banner.membership, order: order)
    } catch {
      throw .design(error)
    }
    let bases = tabulation.bases.map { base in
      BannerBase(
        respondents: base.respondents, weighted: base.weighted, effective: base.effective,
        size: size(of: base))
    }
    var rows = stub.rows
    for (position, row) in rows.enumerated() {
      rows[position].cells = (0..<banner.columns.count).map { column in
        cell(tabulation, row: position, column: column, isMean: row.kind == .mean)
      }
    }
    applyRowAndTotalShares(to: &rows, bases: bases, banner: banner)
    if options.columnTests {
      let meanRow = rows.firstIndex { $0.kind == .mean }
      applyColumnTests(
        to: &rows, tabulation: tabulation, banner: banner,
        moments: moments(stub, banner: banner, meanRow: meanRow, tabulation: tabulation))
    }
    if spec.hideEmpty {
      rows = rows.filter { $0.kind != .category || $0.cells[0].respondents > 0 }
    }
    rows += missingRows(stub, banner: banner, inFilter: inFilter)
    var tests: [BannerIndependenceTest] = []
    if options.independenceTests, let categoryOf = stub.categoryOf {
      for (breakIndex, categories) in banner.categories.enumerated() {
        // A variable is not tested against itself.
        guard let categories, banner.breaks[breakIndex].variable != name else { continue }
        do {
          let test = try design.raoScottTest(
            rows: categoryOf, rowLevels: stub.categoryCount, columns: categories,
            columnLevels: banner.breaks[breakIndex].columns.count, domain: inFilter)
          tests.append(BannerIndependenceTest(breakIndex: breakIndex, test: test))
        } catch {
          tests.append(
            BannerIndependenceTest(breakIndex: breakIndex, test: nil, reason: error.description))
        }
      }
    }
    return BannerBlock(
      variable: name, type: stub.type, label: variable.label, question: variable.question,
      bases: bases, rows: rows, independenceTests: tests,
      warnings: tests.flatMap { $0.test?.warnings ?? [] },
      omittedDistinctValues: stub.omittedDistinctValues)
  }

  /// The row and total shares of the category and net rows (point estimates): within Total, and
  /// within each single-choice break (a multi-response break's columns overlap, so it has none).
  func applyRowAndTotalShares(to rows: inout [BannerRow], bases: [BannerBase], banner: Banner) {
    for index in rows.indices where rows[index].kind == .category || rows[index].kind == .net {
      var cells = rows[index].cells
      if bases[0].weighted > 0 {
        cells[0].rowShare = cells[0].weighted > 0 ? 1 : nil
        cells[0].totalShare = cells[0].weighted / bases[0].weighted
      }
      for item in banner.breaks where !item.columnsOverlap {
        let rowSum = item.columns.reduce(0.0) { $0 + cells[$1].weighted }
        let baseSum = item.columns.reduce(0.0) { $0 + bases[$1].weighted }
        for column in item.columns {
          if rowSum > 0 { cells[column].rowShare = cells[column].weighted / rowSum }
          if baseSum > 0 { cells[column].totalShare = cells[column].weighted / baseSum }
        }
      }
      rows[index].cells = cells
    }
  }

  func size(of base: CrossTabulation.Base) -> BannerBase.Size {
    if base.respondents == 0 || !(base.weighted > 0) { return .empty }
    if base.respondents < options.suppressBelow { return .suppressed }
    if base.respondents < options.smallBase { return .small }
    return .adequate
  }

  /// A cell as tables show it: the share (or mean) with its SE, interval and deff; no estimate
  /// when the column has nobody in the base. A share of 0 has SE 0 and no interval or deff.
  func cell(_ tabulation: CrossTabulation, row: Int, column: Int, isMean: Bool) -> BannerCell {
    let cell = tabulation.cells[row][column]
    let base = tabulation.bases[column]
    let respondents = isMean ? base.respondents : cell.respondents
    let weighted = isMean ? base.weighted : cell.weighted
    guard base.respondents > 0, base.weighted > 0, cell.estimate.isFinite else {
      return BannerCell(respondents: respondents, weighted: weighted)
    }
    let estimate = Estimate(
      estimate: cell.estimate, standardError: cell.standardError,
      degreesOfFreedom: tabulation.degreesOfFreedom, designEffect: cell.designEffect,
      designEffectWithReplacement: nil, respondents: base.respondents,
      weightedBase: base.weighted, designRows: design.rowCount,
      designDegreesOfFreedom: tabulation.degreesOfFreedom)
    let shown: TableEstimate
    if isMean {
      shown = TableEstimate(
        estimate: cell.estimate, standardError: cell.standardError,
        confidenceInterval: cell.standardError > 0
          ? estimate.confidenceInterval(level: options.confidenceLevel) : nil,
        designEffect: cell.designEffect)
    } else if cell.respondents == 0 {
      shown = TableEstimate(estimate: cell.estimate, standardError: cell.standardError)
    } else {
      shown = TableEstimate(
        estimate: cell.estimate, standardError: cell.standardError,
        confidenceInterval: cell.standardError > 0
          ? estimate.proportionInterval(options.intervalMethod, level: options.confidenceLevel)
          : nil,
        designEffect: cell.designEffect)
    }
    return BannerCell(respondents: respondents, weighted: weighted, estimate: shown)
  }

  // MARK: Stubs

  func makeStub(
    _ variable: Variable, _ column: Column, spec: BannerTableSpec.Table, inFilter: [Bool]?
  ) throws(BannerTableError) -> Stub {
    let name = variable.name
    let n = table.rowCount
    let nets = spec.nets[name] ?? []
    var rows: [BannerRow] = []
    var entries = CrossTabulation.Stub.Builder(rows: n)
    var categoryOf: [Int?]?
    var omitted: Int?
    let type: FrequencyTable.QuestionType
    func passes(_ row: Int) -> Bool { inFilter?[row] ?? true }
    switch column {
    case .codes(let codes) where variable.type == .single:
      type = .single
      let categories = Self.ordered(singleCategories(variable, codes), by: spec.order[name])
      rows = categories.list.map { BannerRow(kind: .category, code: $0.code, label: $0.label) }
      let netStart = rows.count
      rows += nets.map { BannerRow(kind: .net, codes: $0.codes, label: $0.label) }
      var netsOf: [Int: [Int]] = [:]
      for (offset, net) in nets.enumerated() {
        for code in net.codes { netsOf[code, default: []].append(netStart + offset) }
      }
      var score: ((Int) -> Double)?
      if let mean = spec.means[name] {
        guard let scale = FrequencyTableBuilder.scaleRange(of: variable) else {
          throw .notAScale(name)
        }
        let meanScale: MeanSummary.Scale =
          mean == .reversed
          ? .reversedCodes(lowest: scale.lowerBound, highest: scale.upperBound)
          : .codes(lowest: scale.lowerBound, highest: scale.upperBound)
        rows.append(
          BannerRow(kind: .mean, label: meanLabel(meanScale), meanScale: meanScale))
        let top = Double(scale.lowerBound + scale.upperBound)
        score = mean == .reversed ? { top - Double($0) } : { Double($0) }
      }
      let meanRow = rows.count - 1
      var categoryIndex = [Int?](repeating: nil, count: n)
      for row in 0..<n {
        guard passes(row) && codes.states[row].isValid,
          let position = categories.position[Int(codes.codes[row])]
        else {
          entries.endRow(answered: false)
          continue
        }
        let code = Int(codes.codes[row])
        categoryIndex[row] = position
        entries.append(row: position, value: 1)
        for net in netsOf[code] ?? [] { entries.append(row: net, value: 1) }
        if let score { entries.append(row: meanRow, value: score(code)) }
        entries.endRow(answered: true)
      }
      categoryOf = categoryIndex
    case .multi(let multi) where variable.type == .multi:
      type = .multi
      rows = variable.values.map { BannerRow(kind: .category, code: $0.code, label: $0.label) }
      let netStart = rows.count
      rows += nets.map { BannerRow(kind: .net, codes: $0.codes, label: $0.label) }
      let masks = nets.map { net in
        net.codes.reduce(UInt64(0)) { mask, code in
          guard let bit = variable.values.firstIndex(where: { $0.code == code }) else {
            return mask
          }
          return mask | (1 << UInt64(bit))
        }
      }
      let limit = FrequencyTableBuilder.mask(variable.values.count)
      for row in 0..<n {
        guard passes(row) && multi.states[row].isValid else {
          entries.endRow(answered: false)
          continue
        }
        let chosen = multi.choices[row] & limit
        var bits = chosen
        while bits != 0 {
          entries.append(row: bits.trailingZeroBitCount, value: 1)
          bits &= bits - 1
        }
        for (offset, mask) in masks.enumerated() where chosen & mask != 0 {
          entries.append(row: netStart + offset, value: 1)
        }
        entries.endRow(answered: true)
      }
    case .numbers(let numbers) where variable.type == .numeric:
      type = .numeric
      let categories = numericCategories(
        variable, numbers, limit: FrequencyOptions().maximumUnlabelledValues)
      if let categories {
        rows = categories.list.map {
          BannerRow(kind: .category, code: $0.code, value: $0.value, label: $0.label)
        }
      } else {
        omitted = distinctValues(numbers)
      }
      let netStart = rows.count
      rows += nets.map { BannerRow(kind: .net, codes: $0.codes, label: $0.label) }
      let netValues = nets.map { Set($0.codes.map(Double.init)) }
      rows.append(BannerRow(kind: .mean, label: meanLabel(.values), meanScale: .values))
      let meanRow = rows.count - 1
      var categoryIndex = [Int?](repeating: nil, count: n)
      for row in 0..<n {
        guard passes(row) && numbers.states[row].isValid else {
          entries.endRow(answered: false)
          continue
        }
        let value = numbers.values[row]
        if let position = categories?.position[value] {
          entries.append(row: position, value: 1)
          categoryIndex[row] = position
        }
        for (offset, set) in netValues.enumerated() where set.contains(value) {
          entries.append(row: netStart + offset, value: 1)
        }
        entries.append(row: meanRow, value: value)
        entries.endRow(answered: true)
      }
      if categories != nil { categoryOf = categoryIndex }
    case .levels(let levels) where variable.type == .stratum:
      // The strata as categories, in the codebook's order of codes (then levels not listed).
      type = .single
      var position: [Int32: Int] = [:]
      var codeOf: [Int32: Int] = [:]
      for (level, text) in levels.levels.enumerated() {
        let code = Int(text)
        position[Int32(level)] = rows.count
        codeOf[Int32(level)] = code
        let label = code.flatMap { variable.valueLabel(of: $0)?.label }
        rows.append(
          BannerRow(kind: .category, code: code, label: label ?? LocalizedText(japanese: text)))
      }
      let netStart = rows.count
      rows += nets.map { BannerRow(kind: .net, codes: $0.codes, label: $0.label) }
      var categoryIndex = [Int?](repeating: nil, count: n)
      for row in 0..<n {
        guard passes(row) && levels.states[row].isValid,
          let category = position[levels.indices[row]]
        else {
          entries.endRow(answered: false)
          continue
        }
        let level = levels.indices[row]
        categoryIndex[row] = category
        entries.append(row: category, value: 1)
        if let code = codeOf[level] {
          for (offset, net) in nets.enumerated() where net.codes.contains(code) {
            entries.append(row: netStart + offset, value: 1)
          }
        }
        entries.endRow(answered: true)
      }
      categoryOf = categoryIndex
    default:
      throw .notAStub(name, variable.type)
    }
    let categoryCount = rows.filter { $0.kind == .category }.count
    let (missing, slots) = missingSlots(variable, column.states, inFilter: inFilter)
    return Stub(
      type: type, rows: rows, categoryCount: categoryCount,
      entries: entries.stub(rowCount: rows.count),
      categoryOf: categoryOf, missing: missing, missingSlot: slots,
      omittedDistinctValues: omitted)
  }

  /// The label of a mean row, as `survey freq` words it.
  func meanLabel(_ scale: MeanSummary.Scale) -> LocalizedText {
    let english = Wording(language: .english).meanLabel(scale)
    return LocalizedText(
      japanese: Wording(language: .japanese).meanLabel(scale),
      english: english.prefix(1).uppercased() + english.dropFirst())
  }

  // MARK: Rows outside the base

  /// The rows outside the base (each declared missing code, not asked, blank or invalid) and
  /// each respondent's row among them; respondents failing the filter are in none.
  func missingSlots(_ variable: Variable, _ states: [CellState], inFilter: [Bool]?)
    -> ([BannerRow], [Int32])
  {
    var rows = variable.missing.map {
      BannerRow(kind: .missingCode, code: $0.code, label: $0.label)
    }
    let declared = rows.count
    rows.append(
      BannerRow(
        kind: .notAsked, label: LocalizedText(japanese: "非該当（質問対象外）", english: "Not asked")))
    rows.append(
      BannerRow(
        kind: .blankOrInvalid,
        label: LocalizedText(japanese: "未記入・無効回答", english: "Blank or invalid")))
    var slots = [Int32](repeating: -1, count: states.count)
    for row in 0..<states.count where inFilter?[row] ?? true {
      let state = states[row]
      if state.isValid { continue }
      if let index = state.declaredIndex {
        slots[row] = Int32(index < declared ? index : declared + 1)
      } else if state == .notAsked {
        slots[row] = Int32(declared)
      } else {
        slots[row] = Int32(declared + 1)
      }
    }
    return (rows, slots)
  }

  /// The counts of the rows outside the base in every column: declared missing codes always,
  /// not asked and blank rows when someone is in them.
  func missingRows(_ stub: Stub, banner: Banner, inFilter: [Bool]?) -> [BannerRow] {
    let c = banner.columns.count
    let k = stub.missing.count
    var counts = [Int](repeating: 0, count: k * c)
    var sums = [Accumulator](repeating: Accumulator(), count: k * c)
    for row in 0..<table.rowCount where stub.missingSlot[row] >= 0 {
      let slot = Int(stub.missingSlot[row])
      let weight = design.weights[row]
      let membership = banner.membership
      for position in membership.offsets[row]..<membership.offsets[row + 1] {
        let column = Int(membership.flatColumns[position])
        counts[slot * c + column] += 1
        sums[slot * c + column].add(weight)
      }
    }
    var rows: [BannerRow] = []
    for (slot, template) in stub.missing.enumerated() {
      guard template.kind == .missingCode || counts[slot * c] > 0 else { continue }
      var row = template
      row.cells = (0..<c).map {
        BannerCell(respondents: counts[slot * c + $0], weighted: sums[slot * c + $0].value)
      }
      rows.append(row)
    }
    return rows
  }
}
