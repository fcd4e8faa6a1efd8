/// The cells of a banner table: a stub (the rows: categories of a question, or a value whose mean
/// is wanted) against banner columns (Total and the categories of break variables; columns may
/// overlap, as the options of a multi-response break do).
///
/// Every cell comes from one scan of the rows for the estimates and one scan for the
/// linearisation scores, PSU by PSU: never a re-scan per cell. Column percentages are domain
/// means of 0/1 indicators (the column is the domain), so their standard errors are R's
/// `svyby(~stub, ~break, design, svymean)` (Lumley 2010 §2.3.1, §3.3); the covariance of a
/// row's cells in two columns, needed for a design-based test of their difference, comes from the
/// same scores.
public struct CrossTabulation: Sendable {
  /// What each row contributes to the stub: `entries` of (stub row, value) — value 1 for a chosen
  /// category, the answer for a mean row — or nil when the row has no answer (out of every base).
  ///
  /// Stored flat (compressed rows: the entries of data row i at `offsets[i]..<offsets[i + 1]`),
  /// one allocation for all rows instead of one per row.
  public struct Stub: Sendable {
    public var rowCount: Int
    /// Where each data row's entries start in `entryRows` / `entryValues` (count + 1 values).
    var offsets: [Int]
    var entryRows: [Int32]
    var entryValues: [Double]
    /// Whether each data row has an answer (is in the base); its entries may still be empty.
    var answered: [Bool]

    /// For each table row, the (stub row, value) pairs; nil = no answer.
    public var entries: [[(row: Int, value: Double)]?] {
      get {
        (0..<answered.count).map { row in
          guard answered[row] else { return nil }
          return (offsets[row]..<offsets[row + 1]).map { (Int(entryRows[$0]), entryValues[$0]) }
        }
      }
      set { self = Stub(rowCount: rowCount, entries: newValue) }
    }

    public init(rowCount: Int, entries: [[(row: Int, value: Double)]?]) {
      var builder = Builder(rows: entries.count)
      for list in entries {
        if let list {
          for entry in list { builder.append(row: entry.row, value: entry.value) }
          builder.endRow(answered: true)
        } else {
          builder.endRow(answered: false)
        }
      }
      self = builder.stub(rowCount: rowCount)
    }

    /// Builds a stub data row by data row without a list per row.
    struct Builder {
      private var offsets: [Int]
      private var entryRows: [Int32] = []
      private var entryValues: [Double] = []
      private var answered: [Bool]

      init(rows: Int) {
        offsets = [0]
        offsets.reserveCapacity(rows + 1)
        answered = []
        answered.reserveCapacity(rows)
        entryRows.reserveCapacity(rows)
        entryValues.reserveCapacity(rows)
      }

      mutating func append(row: Int, value: Double) {
        entryRows.append(Int32(row))
        entryValues.append(value)
      }

      /// Ends the current data row (its appended entries are dropped when it has no answer).
      mutating func endRow(answered isAnswered: Bool) {
        if !isAnswered {
          entryRows.removeSubrange(offsets[offsets.count - 1]...)
          entryValues.removeSubrange(offsets[offsets.count - 1]...)
        }
        offsets.append(entryRows.count)
        answered.append(isAnswered)
      }

      func stub(rowCount: Int) -> Stub {
        Stub(
          rowCount: rowCount, offsets: offsets, entryRows: entryRows, entryValues: entryValues,
          answered: answered)
      }
    }

    init(
      rowCount: Int, offsets: [Int], entryRows: [Int32], entryValues: [Double], answered: [Bool]
    ) {
      self.rowCount = rowCount
      self.offsets = offsets
      self.entryRows = entryRows
      self.entryValues = entryValues
      self.answered = answered
    }
  }

  /// Which columns each data row belongs to (Total is simply a column every row belongs to).
  ///
  /// Stored flat: the columns of data row i at `offsets[i]..<offsets[i + 1]` of `flatColumns`.
  public struct Banner: Sendable {
    public var columnCount: Int
    var offsets: [Int]
    var flatColumns: [Int32]

    /// For each data row, the columns it belongs to, ascending.
    public var columns: [[Int]] {
      get {
        (0..<(offsets.count - 1)).map { row in
          flatColumns[offsets[row]..<offsets[row + 1]].map(Int.init)
        }
      }
      set { self = Banner(columnCount: columnCount, columns: newValue) }
    }

    public init(columnCount: Int, columns: [[Int]]) {
      self.columnCount = columnCount
      var offsets = [0]
      offsets.reserveCapacity(columns.count + 1)
      var flat: [Int32] = []
      for list in columns {
        for column in list { flat.append(Int32(column)) }
        offsets.append(flat.count)
      }
      self.offsets = offsets
      flatColumns = flat
    }

    init(columnCount: Int, offsets: [Int], flatColumns: [Int32]) {
      self.columnCount = columnCount
      self.offsets = offsets
      self.flatColumns = flatColumns
    }
  }

  /// One column's base: the rows of the column with an answer to the stub.
  public struct Base: Sendable, Hashable {
    public var respondents: Int
    public var weighted: Double
    /// Kish's effective base (Σw)²/Σw² (Kish 1965, §11.7).
    public var effective: Double
  }

  /// One cell: a stub row in a column.
  public struct Cell: Sendable, Hashable {
    /// Respondents in the column with a non-zero value for the stub row.
    public var respondents: Int
    /// Σ w·value over the column's base (the weighted count, for a category).
    public var weighted: Double
    /// The column mean of the value: the column percentage / 100 for a category.
    public var estimate: Double
    public var standardError: Double
    /// As R's `deff = TRUE` for the domain mean; nil when it cannot be computed.
    public var designEffect: Double?
  }

  public let stubRows: Int
  public let columnCount: Int
  public let bases: [Base]
  /// `cells[stubRow][column]`.
  public let cells: [[Cell]]
  /// Design degrees of freedom of the whole design (R's `svyby` intervals use them).
  public let degreesOfFreedom: Int
  /// `covariances[(stubRow * columnCount + a) * columnCount + b]`: the covariance of the row's
  /// estimates in columns a and b.
  let covariances: [Double]
  /// Σw² of each column's base, and Σw·value² of each cell (`[stubRow * columnCount + column]`),
  /// for the column tests.
  let baseSquaredWeights: [Double]
  let cellSquaredValues: [Double]

  /// The covariance of a stub row's estimates in two columns (for testing their difference with
  /// its design-based variance: overlapping columns and shared PSUs included).
  public func covariance(row: Int, _ a: Int, _ b: Int) -> Double {
    covariances[(row * columnCount + a) * columnCount + b]
  }

  /// Computes the table.
  ///
  /// - Throws: `DesignError` for a lonely PSU under `fail`, or a two-stage design (not yet
  ///   supported in tables).
  public init(design: SurveyDesign, stub: Stub, banner: Banner) throws(DesignError) {
    try self.init(design: design, stub: stub, banner: banner, order: nil)
  }

  /// The rows of a design in stratum and PSU order (`rowOrder(of:)`), for tables of several stubs
  /// on one design to compute once; nil computes it. `denseScores` computes every stub row's
  /// scores on every PSU (tests compare it with the default, which derives the stub rows a PSU
  /// has no entry for from its weights).
  init(
    design: SurveyDesign, stub: Stub, banner: Banner, order: [Int32]?, denseScores: Bool = false
  ) throws(DesignError) {
    guard design.second == nil else {
      throw DesignError(
        "banner tables do not support two-stage designs yet; use one stage of clusters")
    }
    let n = design.rowCount
    let r = stub.rowCount
    let c = banner.columnCount
    stubRows = r
    columnCount = c
    // PSUs − strata (R's `degf`), as `design.degreesOfFreedom()` without hashing every PSU.
    degreesOfFreedom = design.first.unitCount - design.first.sampled.filter { $0 > 0 }.count

    // A calibrated design (one post-stratification, raking or calibration, possibly trimmed
    // since) is handled as the linear map z′ = z − D·L·Gᵀz: K moments per cell in scan 1, K sums
    // per PSU in scan 2. Anything else calibrated takes full score vectors per stub row.
    let calibration = design.calibrationOperator
    let k = calibration?.size ?? 0

    // Scan 1: bases and weighted sums per cell (and the calibration moments Σ g·w·y, Σ g·w).
    // Plain buffers for the scan (no copy-on-write checks in the loop), arrays afterwards.
    func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
      let pointer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
      pointer.initialize(repeating: value)
      return pointer
    }
    let baseCountBuffer = buffer(c, 0)
    let baseWeightBuffer = buffer(c, Accumulator())
    let baseSquaresBuffer = buffer(c, Accumulator())
    let cellCountBuffer = buffer(r * c, 0)
    let cellSumBuffer = buffer(r * c, Accumulator())
    let cellSquaresBuffer = buffer(r * c, Accumulator())
    defer {
      baseCountBuffer.deallocate()
      baseWeightBuffer.deallocate()
      baseSquaresBuffer.deallocate()
      cellCountBuffer.deallocate()
      cellSumBuffer.deallocate()
      cellSquaresBuffer.deallocate()
    }
    var momentBase = [Double](repeating: 0, count: c * k)
    var momentSum = [Double](repeating: 0, count: r * c * k)
    let weights = design.weights
    let entryRows = stub.entryRows
    let entryValues = stub.entryValues
    let entryOffsets = stub.offsets
    let answered = stub.answered
    let columnOffsets = banner.offsets
    let flatColumns = banner.flatColumns
    for row in 0..<n {
      guard answered[row] else { continue }
      let weight = weights[row]
      let entries = entryOffsets[row]..<entryOffsets[row + 1]
      for position in columnOffsets[row]..<columnOffsets[row + 1] {
        let column = Int(flatColumns[position])
        baseCountBuffer[column] += 1
        baseWeightBuffer[column].add(weight)
        baseSquaresBuffer[column].add(weight * weight)
        for entry in entries {
          let index = Int(entryRows[entry]) * c + column
          let value = entryValues[entry]
          if value != 0 { cellCountBuffer[index] += 1 }
          cellSumBuffer[index].add(weight * value)
          cellSquaresBuffer[index].add(weight * value * value)
        }
        if let calibration {
          for e in calibration.offsets[row]..<calibration.offsets[row + 1] {
            let q = Int(calibration.columns[e])
            let gw = calibration.moment[e] * weight
            momentBase[column * k + q] += gw
            for entry in entries {
              momentSum[(Int(entryRows[entry]) * c + column) * k + q] += gw * entryValues[entry]
            }
          }
        }
      }
    }
    let baseCount = Array(baseCountBuffer)
    let baseSquares = Array(baseSquaresBuffer)
    let cellCount = Array(cellCountBuffer)
    let cellSum = Array(cellSumBuffer)
    let cellSquares = Array(cellSquaresBuffer)
    let totals = baseWeightBuffer.map(\.value)
    bases = (0..<c).map { column in
      let squares = baseSquares[column].value
      return Base(
        respondents: baseCount[column], weighted: totals[column],
        effective: squares > 0 ? totals[column] * totals[column] / squares : 0)
    }
    var means = [Double](repeating: .nan, count: r * c)
    for index in 0..<(r * c) where totals[index % c] > 0 {
      means[index] = cellSum[index].value / totals[index % c]
    }

    if design.isCalibrated && calibration == nil {
      covariances = try Self.calibratedCovariances(
        design: design, stub: stub, banner: banner, means: means, totals: totals)
    } else {
      // The calibration coefficients of each cell, a = L·M with M_q = Σ g_q z over the column's
      // base: coefficients[(stubRow * k + q) * c + column].
      var coefficients = [Double](repeating: 0, count: calibration == nil ? 0 : r * k * c)
      if let calibration {
        for stubRow in 0..<r {
          for column in 0..<c where totals[column] > 0 {
            let mean = means[stubRow * c + column]
            var moments = [Double](repeating: 0, count: k)
            for q in 0..<k {
              moments[q] =
                (momentSum[(stubRow * c + column) * k + q] - mean * momentBase[column * k + q])
                / totals[column]
            }
            for p in 0..<k {
              var sum = 0.0
              for q in 0..<k where moments[q] != 0 {
                sum += calibration.map[p * k + q] * moments[q]
              }
              coefficients[(stubRow * k + p) * c + column] = sum
            }
          }
        }
      }
      covariances = try Self.scoreCovariances(
        design: design, stub: stub, banner: banner, means: means, totals: totals,
        calibration: calibration, coefficients: coefficients,
        order: order ?? Self.rowOrder(of: design), denseScores: denseScores)
    }

    // Cells, with R's design effect for a domain mean: V / (s²/n · (N − n)/N),
    // s² = Σ w (y − ȳ)² / N · n/(n − 1).
    var table: [[Cell]] = []
    for stubRow in 0..<r {
      var row: [Cell] = []
      for column in 0..<c {
        let index = stubRow * c + column
        let v = covariances[(stubRow * c + column) * c + column]
        let base = bases[column]
        var deff: Double?
        if base.respondents > 1 && base.weighted > Double(base.respondents) {
          let nobs = Double(base.respondents)
          let squares =
            cellSquares[index].value - 2 * means[index] * cellSum[index].value
            + means[index] * means[index] * base.weighted
          let s2 = squares / base.weighted * nobs / (nobs - 1)
          let srs = s2 * (base.weighted - nobs) / (base.weighted * nobs)
          if srs > 0 { deff = v / srs }
        }
        row.append(
          Cell(
            respondents: cellCount[index], weighted: cellSum[index].value, estimate: means[index],
            standardError: max(v, 0).squareRoot(), designEffect: deff))
      }
      table.append(row)
    }
    cells = table
    baseSquaredWeights = baseSquares.map(\.value)
    cellSquaredValues = cellSquares.map(\.value)
  }

  /// The rows of the design ordered by stratum, then PSU (PSUs numbered by first appearance),
  /// rows of a PSU in data order: a counting sort, O(rows + PSUs).
  static func rowOrder(of design: SurveyDesign) -> [Int32] {
    let stage = design.first
    let n = design.rowCount
    // The units' ranks in (stratum, unit) order.
    var strataStart = [Int](repeating: 0, count: stage.strataCount + 1)
    for unit in 0..<stage.unitCount { strataStart[stage.unitStratum[unit] + 1] += 1 }
    for stratum in 0..<stage.strataCount { strataStart[stratum + 1] += strataStart[stratum] }
    var rank = [Int](repeating: 0, count: stage.unitCount)
    for unit in 0..<stage.unitCount {
      let stratum = stage.unitStratum[unit]
      rank[unit] = strataStart[stratum]
      strataStart[stratum] += 1
    }
    // Rows bucketed by their unit's rank.
    var start = [Int](repeating: 0, count: stage.unitCount + 1)
    for row in 0..<n { start[rank[stage.unit[row]] + 1] += 1 }
    for position in 0..<stage.unitCount { start[position + 1] += start[position] }
    var order = [Int32](repeating: 0, count: n)
    for row in 0..<n {
      let position = rank[stage.unit[row]]
      order[start[position]] = Int32(row)
      start[position] += 1
    }
    return order
  }
}
