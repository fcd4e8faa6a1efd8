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
  public struct Stub: Sendable {
    public var rowCount: Int
    /// For each table row, the (stub row, value) pairs; nil = no answer.
    public var entries: [[(row: Int, value: Double)]?]

    public init(rowCount: Int, entries: [[(row: Int, value: Double)]?]) {
      self.rowCount = rowCount
      self.entries = entries
    }
  }

  /// Which columns each data row belongs to (Total is simply a column every row belongs to).
  public struct Banner: Sendable {
    public var columnCount: Int
    /// For each data row, the columns it belongs to, ascending.
    public var columns: [[Int]]

    public init(columnCount: Int, columns: [[Int]]) {
      self.columnCount = columnCount
      self.columns = columns
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
  /// `covariances[stubRow][a * columnCount + b]`: the covariance of the row's estimates in
  /// columns a and b.
  let covariances: [[Double]]

  /// The covariance of a stub row's estimates in two columns (for testing their difference with
  /// its design-based variance: overlapping columns and shared PSUs included).
  public func covariance(row: Int, _ a: Int, _ b: Int) -> Double {
    covariances[row][a * columnCount + b]
  }

  /// Computes the table.
  ///
  /// - Throws: `DesignError` for a lonely PSU under `fail`, or a two-stage design (not yet
  ///   supported in tables).
  public init(design: SurveyDesign, stub: Stub, banner: Banner) throws(DesignError) {
    guard design.second == nil else {
      throw DesignError(
        "banner tables do not support two-stage designs yet; use one stage of clusters")
    }
    let n = design.rowCount
    let r = stub.rowCount
    let c = banner.columnCount
    stubRows = r
    columnCount = c
    degreesOfFreedom = design.degreesOfFreedom()

    // A calibrated design (one post-stratification, raking or calibration, possibly trimmed
    // since) is handled as the linear map z′ = z − D·L·Gᵀz: K moments per cell in scan 1, K sums
    // per PSU in scan 2. Anything else calibrated takes full score vectors per stub row.
    let calibration = design.calibrationOperator
    let k = calibration?.size ?? 0

    // Scan 1: bases and weighted sums per cell (and the calibration moments Σ g·w·y, Σ g·w).
    var baseCount = [Int](repeating: 0, count: c)
    var baseWeight = [Accumulator](repeating: Accumulator(), count: c)
    var baseSquares = [Accumulator](repeating: Accumulator(), count: c)
    var cellCount = [Int](repeating: 0, count: r * c)
    var cellSum = [Accumulator](repeating: Accumulator(), count: r * c)
    var cellSquares = [Accumulator](repeating: Accumulator(), count: r * c)
    var momentBase = [Double](repeating: 0, count: c * k)
    var momentSum = [Double](repeating: 0, count: r * c * k)
    for row in 0..<n {
      guard let entries = stub.entries[row] else { continue }
      let weight = design.weights[row]
      for column in banner.columns[row] {
        baseCount[column] += 1
        baseWeight[column].add(weight)
        baseSquares[column].add(weight * weight)
        for entry in entries {
          let index = entry.row * c + column
          if entry.value != 0 { cellCount[index] += 1 }
          cellSum[index].add(weight * entry.value)
          cellSquares[index].add(weight * entry.value * entry.value)
        }
        if let calibration {
          for e in calibration.offsets[row]..<calibration.offsets[row + 1] {
            let q = Int(calibration.columns[e])
            let gw = calibration.moment[e] * weight
            momentBase[column * k + q] += gw
            for entry in entries { momentSum[(entry.row * c + column) * k + q] += gw * entry.value }
          }
        }
      }
    }
    let totals = baseWeight.map(\.value)
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
      // base: coefficients[stubRow][q * c + column].
      var coefficients = [[Double]](repeating: [], count: r)
      if let calibration {
        for stubRow in 0..<r {
          var a = [Double](repeating: 0, count: k * c)
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
              a[p * c + column] = sum
            }
          }
          coefficients[stubRow] = a
        }
      }
      covariances = try Self.scoreCovariances(
        design: design, stub: stub, banner: banner, means: means, totals: totals,
        calibration: calibration, coefficients: coefficients)
    }

    // Cells, with R's design effect for a domain mean: V / (s²/n · (N − n)/N),
    // s² = Σ w (y − ȳ)² / N · n/(n − 1).
    var table: [[Cell]] = []
    for stubRow in 0..<r {
      var row: [Cell] = []
      for column in 0..<c {
        let index = stubRow * c + column
        let v = covariances[stubRow][column * c + column]
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
  }

  /// Scan 2: the linearisation scores t_{j,row,column} = (Y − mean·W)/N of each PSU j,
  /// accumulated into Σ_j t t′ (same stub row, any two columns) and Σ_j t per stratum, rows in
  /// stratum and PSU order. With a calibration, each PSU's U_j = Σ d_i adds Σ_j U t′, Σ_j U U′ and
  /// Σ_j U, from which the stratum's sums of t′ = t − A′U follow exactly (A: the cell
  /// coefficients).
  private static func scoreCovariances(
    design: SurveyDesign, stub: Stub, banner: Banner, means: [Double], totals: [Double],
    calibration: CalibrationOperator?, coefficients: [[Double]]
  ) throws(DesignError) -> [[Double]] {
    let n = design.rowCount
    let r = stub.rowCount
    let c = banner.columnCount
    let k = calibration?.size ?? 0
    let stage = design.first
    var order = Array(0..<n)
    order.sort {
      (stage.unitStratum[stage.unit[$0]], stage.unit[$0]) < (
        stage.unitStratum[stage.unit[$1]], stage.unit[$1]
      )
    }
    var variance = [[Double]](repeating: [Double](repeating: 0, count: c * c), count: r)
    var products = [[Double]](repeating: [Double](repeating: 0, count: c * c), count: r)
    var sums = [Double](repeating: 0, count: r * c)
    var unitY = [Double](repeating: 0, count: r * c)
    var unitW = [Double](repeating: 0, count: c)
    var touched = [Bool](repeating: false, count: c)
    var touchedColumns: [Int] = []
    var strataPresent = 0
    var strataUsable = 0
    var stratumHasRows = false
    var stratumUnits = 0
    // Calibration sums: U of the unit, and per stratum Σ U t′ ([stubRow][q * c + column]),
    // Σ U U′ and Σ U.
    var unitU = [Double](repeating: 0, count: k)
    var touchedU = [Bool](repeating: false, count: k)
    var touchedMoments: [Int] = []
    var crossUT = [[Double]](
      repeating: [Double](repeating: 0, count: k * c), count: calibration == nil ? 0 : r)
    var crossUU = [Double](repeating: 0, count: k * k)
    var sumU = [Double](repeating: 0, count: k)
    var t = [Double](repeating: 0, count: c)

    func flushUnit() {
      guard !touchedColumns.isEmpty || !touchedMoments.isEmpty else { return }
      touchedColumns.sort()
      for stubRow in 0..<r {
        for a in touchedColumns {
          t[a] = (unitY[stubRow * c + a] - means[stubRow * c + a] * unitW[a]) / totals[a]
          sums[stubRow * c + a] += t[a]
        }
        for (position, a) in touchedColumns.enumerated() {
          for b in touchedColumns[position...] { products[stubRow][a * c + b] += t[a] * t[b] }
        }
        if calibration != nil {
          for q in touchedMoments {
            let u = unitU[q]
            for a in touchedColumns { crossUT[stubRow][q * c + a] += u * t[a] }
          }
        }
      }
      if calibration != nil {
        for p in touchedMoments {
          sumU[p] += unitU[p]
          for q in touchedMoments { crossUU[p * k + q] += unitU[p] * unitU[q] }
        }
        for q in touchedMoments {
          unitU[q] = 0
          touchedU[q] = false
        }
        touchedMoments.removeAll(keepingCapacity: true)
      }
      for column in touchedColumns {
        unitW[column] = 0
        touched[column] = false
        for stubRow in 0..<r { unitY[stubRow * c + column] = 0 }
      }
      touchedColumns.removeAll(keepingCapacity: true)
      stratumUnits += 1
    }

    func flushStratum(_ stratum: Int) throws(DesignError) {
      guard stratumHasRows else { return }
      strataPresent += 1
      let sampled = stage.sampled[stratum]
      let f = stage.correction(stratum)
      var keep = true
      var centre = true
      if f < 0.000_000_1 {
        keep = false
        strataUsable += 1
      } else if sampled <= 1 {
        switch design.lonelyPSU {
        case .fail: throw DesignError.lonelyPSU(stratum: design.strataNames[stratum], stage: 1)
        case .remove, .certainty:
          keep = false
          strataUsable += 1
        case .adjust:
          centre = false
          strataUsable += 1
        case .average:
          keep = false
        }
      } else {
        strataUsable += 1
      }
      if keep {
        let scale = sampled > 1 ? f * Double(sampled) / Double(sampled - 1) : f
        let count = Double(max(sampled, stratumUnits))
        for stubRow in 0..<r {
          var rowSums = Array(sums[(stubRow * c)..<((stubRow + 1) * c)])
          var rowProducts = products[stubRow]
          if calibration != nil {
            // t′ = t − A′U: Σ t′t′′ = Σ tt′ − A′ΣUt′ − (A′ΣUt′)′ + A′(ΣUU′)A, Σ t′ = Σ t − A′ΣU.
            let a = coefficients[stubRow]
            let cross = crossUT[stubRow]
            var qa = [Double](repeating: 0, count: k * c)
            for p in 0..<k {
              for q in 0..<k where crossUU[p * k + q] != 0 {
                let uu = crossUU[p * k + q]
                for column in 0..<c { qa[p * c + column] += uu * a[q * c + column] }
              }
            }
            for x in 0..<c {
              for p in 0..<k { rowSums[x] -= a[p * c + x] * sumU[p] }
              for y in x..<c {
                var value = rowProducts[x * c + y]
                for p in 0..<k {
                  value +=
                    -a[p * c + x] * cross[p * c + y] - a[p * c + y] * cross[p * c + x]
                    + a[p * c + x] * qa[p * c + y]
                }
                rowProducts[x * c + y] = value
              }
            }
          }
          for x in 0..<c {
            for y in x..<c {
              var value = rowProducts[x * c + y]
              if centre { value -= rowSums[x] * rowSums[y] / count }
              variance[stubRow][x * c + y] += scale * value
            }
          }
        }
      }
      for stubRow in 0..<r {
        for index in 0..<(c * c) { products[stubRow][index] = 0 }
        if calibration != nil { for index in 0..<(k * c) { crossUT[stubRow][index] = 0 } }
      }
      for index in 0..<(r * c) { sums[index] = 0 }
      for index in 0..<(k * k) { crossUU[index] = 0 }
      for index in 0..<k { sumU[index] = 0 }
      stratumHasRows = false
      stratumUnits = 0
    }

    var currentUnit = -1
    var currentStratum = -1
    for row in order {
      let unit = stage.unit[row]
      let stratum = stage.unitStratum[unit]
      if unit != currentUnit {
        flushUnit()
        if stratum != currentStratum {
          if currentStratum >= 0 { try flushStratum(currentStratum) }
          currentStratum = stratum
        }
        currentUnit = unit
      }
      if let calibration {
        // Every row of a calibrated design is in it (weight 0 outside a domain, as R).
        stratumHasRows = true
        for e in calibration.offsets[row]..<calibration.offsets[row + 1] {
          let q = Int(calibration.columns[e])
          if !touchedU[q] {
            touchedU[q] = true
            touchedMoments.append(q)
          }
          unitU[q] += calibration.spread[e]
        }
      }
      guard let entries = stub.entries[row] else { continue }
      let weight = design.weights[row]
      for column in banner.columns[row] where totals[column] > 0 {
        stratumHasRows = true
        if !touched[column] {
          touched[column] = true
          touchedColumns.append(column)
        }
        unitW[column] += weight
        for entry in entries { unitY[entry.row * c + column] += weight * entry.value }
      }
    }
    flushUnit()
    if currentStratum >= 0 { try flushStratum(currentStratum) }
    if strataUsable != strataPresent && strataUsable > 0 {
      let factor = Double(strataPresent) / Double(strataUsable)
      for stubRow in 0..<r { for index in 0..<(c * c) { variance[stubRow][index] *= factor } }
    }
    for stubRow in 0..<r {
      for a in 0..<c {
        for b in 0..<a { variance[stubRow][a * c + b] = variance[stubRow][b * c + a] }
      }
    }
    return variance
  }

  /// The covariances of a calibrated design, whose influence values must be projected on the
  /// calibration over all rows before they are summed (R `svyrecvar`): one stub row at a time, the
  /// scores of every column are built in full and passed to the design's variance.
  private static func calibratedCovariances(
    design: SurveyDesign, stub: Stub, banner: Banner, means: [Double], totals: [Double]
  ) throws(DesignError) -> [[Double]] {
    let n = design.rowCount
    let r = stub.rowCount
    let c = banner.columnCount
    let all = [Bool](repeating: true, count: n)
    var result: [[Double]] = []
    var z = [Double](repeating: 0, count: n * c)
    for stubRow in 0..<r {
      for index in z.indices { z[index] = 0 }
      for row in 0..<n {
        guard let entries = stub.entries[row] else { continue }
        var value = 0.0
        for entry in entries where entry.row == stubRow { value += entry.value }
        let weight = design.weights[row]
        for column in banner.columns[row] where totals[column] > 0 {
          z[row * c + column] = weight * (value - means[stubRow * c + column]) / totals[column]
        }
      }
      result.append(try design.covariance(z, columns: c, active: all).covariance)
    }
    return result
  }
}
