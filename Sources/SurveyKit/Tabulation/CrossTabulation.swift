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

    // Scan 1: bases and weighted sums per cell.
    var baseCount = [Int](repeating: 0, count: c)
    var baseWeight = [Accumulator](repeating: Accumulator(), count: c)
    var baseSquares = [Accumulator](repeating: Accumulator(), count: c)
    var cellCount = [Int](repeating: 0, count: r * c)
    var cellSum = [Accumulator](repeating: Accumulator(), count: r * c)
    var cellSquares = [Accumulator](repeating: Accumulator(), count: r * c)
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

    if design.isCalibrated {
      covariances = try Self.calibratedCovariances(
        design: design, stub: stub, banner: banner, means: means, totals: totals)
    } else {
      // Scan 2: linearisation scores t_{j,row,column} = (Y − mean·W)/N per PSU, accumulated into
      // Σ_j t t' (same stub row, any two columns) and Σ_j t per stratum.
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

      func flushUnit() {
        guard !touchedColumns.isEmpty else { return }
        touchedColumns.sort()
        for stubRow in 0..<r {
          for a in touchedColumns {
            let ta = (unitY[stubRow * c + a] - means[stubRow * c + a] * unitW[a]) / totals[a]
            sums[stubRow * c + a] += ta
            for b in touchedColumns where b >= a {
              let tb = (unitY[stubRow * c + b] - means[stubRow * c + b] * unitW[b]) / totals[b]
              products[stubRow][a * c + b] += ta * tb
            }
          }
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
            for a in 0..<c {
              for b in a..<c {
                var value = products[stubRow][a * c + b]
                if centre { value -= sums[stubRow * c + a] * sums[stubRow * c + b] / count }
                variance[stubRow][a * c + b] += scale * value
              }
            }
          }
        }
        for stubRow in 0..<r {
          for index in 0..<(c * c) { products[stubRow][index] = 0 }
        }
        for index in 0..<(r * c) { sums[index] = 0 }
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
      covariances = variance
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
