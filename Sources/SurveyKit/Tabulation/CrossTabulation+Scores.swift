/// The second scan of a cross-tabulation: the covariances of each stub row's cells from the
/// linearisation scores, PSU by PSU (see `CrossTabulation`).
extension CrossTabulation {
  /// Scan 2: the linearisation scores t_{j,row,column} = (Y − mean·W)/N of each PSU j,
  /// accumulated into Σ_j t t′ (same stub row, any two columns) and Σ_j t per stratum, rows in
  /// stratum and PSU order (R `svyrecvar`, Lumley 2010 §2.2). With a calibration, each PSU's
  /// U_j = Σ d_i adds Σ_j U t′, Σ_j U U′ and Σ_j U, from which the stratum's sums of t′ = t − A′U
  /// follow exactly (A: the cell coefficients).
  static func scoreCovariances(
    design: SurveyDesign, stub: Stub, banner: Banner, means meanValues: [Double],
    totals totalValues: [Double], calibration: CalibrationOperator?, coefficients: [Double],
    order: [Int32], denseScores: Bool
  ) throws(DesignError) -> [Double] {
    let r = stub.rowCount
    let c = banner.columnCount
    let cc = c * c
    let k = calibration?.size ?? 0
    let stage = design.first
    let weights = design.weights
    let entryRows = stub.entryRows
    let entryValues = stub.entryValues
    let entryOffsets = stub.offsets
    let answered = stub.answered
    let columnOffsets = banner.offsets
    let flatColumns = banner.flatColumns
    // [(stubRow * c + a) * c + b], a ≤ b.
    var variance = [Double](repeating: 0, count: r * cc)
    // The per-PSU work is the hot loop of a large table: plain buffers, no copy-on-write checks.
    func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
      let pointer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
      pointer.initialize(repeating: value)
      return pointer
    }
    // Without clusters or a calibration, each stratum keeps its own sums (a bank) and the rows
    // are read in data order: within a stratum the PSUs still come in row order, so every sum
    // is added in the same order as through `order`, without its scattered reads. With many
    // strata (or clusters), the rows are read in `order` with one bank.
    let sparse = calibration == nil && !denseScores
    let banks =
      sparse && stage.isRowPerUnit && stage.strataCount * r * cc <= 2_000_000
      ? stage.strataCount : 1
    let allProducts = buffer(banks * r * cc, 0.0)
    let allSums = buffer(banks * r * c, 0.0)
    var products = allProducts
    var sums = allSums
    let unitY = buffer(r * c, 0.0)
    let unitW = buffer(c, 0.0)
    let touched = buffer(c, false)
    let touchedColumns = buffer(c, 0)
    let t = buffer(c, 0.0)
    let means = buffer(meanValues.count, 0.0)
    _ = means.update(from: meanValues)
    let totals = buffer(totalValues.count, 0.0)
    _ = totals.update(from: totalValues)
    defer {
      for pointer in [allProducts, allSums, unitY, unitW, t, means, totals] {
        pointer.deallocate()
      }
      touched.deallocate()
      touchedColumns.deallocate()
    }
    var touchedCount = 0
    // Without a calibration, a stub row none of the PSU's rows has an entry for has the scores
    // t_a = −m_a W_a/N_a: its products and sums follow from the PSU's W alone, so they are
    // gathered once per PSU (Σ W_a W_b and Σ W_a over all PSUs, and over the PSUs that have an
    // entry for each stub row) and the stub row's share is added per stratum. The per-PSU work
    // is then over the stub rows the PSU answers, not all r. Σ_j t_a t_b = Σ m_a m_b W_a W_b /
    // (N_a N_b) is the same sum regrouped (R `svyrecvar`'s crossprod of the centred PSU totals;
    // Lumley 2010 §2.2): it agrees with `denseScores` to ~1e-15 relative (tests: 1e-12), the
    // error growing as 1/(1 − share) for a share near 1 (exact when every PSU has an entry).
    let stubTouched = buffer(sparse ? r : 0, false)
    let touchedStubs = buffer(sparse ? r : 0, 0)
    var touchedStubCount = 0
    let allWeightProducts = buffer(sparse ? banks * cc : 0, 0.0)
    let allWeightSums = buffer(sparse ? banks * c : 0, 0.0)
    let allAnsweredProducts = buffer(sparse ? banks * r * cc : 0, 0.0)
    let allAnsweredSums = buffer(sparse ? banks * r * c : 0, 0.0)
    var weightProducts = allWeightProducts  // Σ W_a W_b, a ≤ b
    var weightSums = allWeightSums  // Σ W_a
    var answeredProducts = allAnsweredProducts  // per stub row, over the PSUs with its entries
    var answeredSums = allAnsweredSums
    /// Points the stratum sums at bank `bank`.
    func useBank(_ bank: Int) {
      func part(_ all: UnsafeMutableBufferPointer<Double>, _ size: Int)
        -> UnsafeMutableBufferPointer<Double>
      {
        UnsafeMutableBufferPointer(rebasing: all[(bank * size)..<((bank + 1) * size)])
      }
      products = part(allProducts, r * cc)
      sums = part(allSums, r * c)
      if sparse {
        weightProducts = part(allWeightProducts, cc)
        weightSums = part(allWeightSums, c)
        answeredProducts = part(allAnsweredProducts, r * cc)
        answeredSums = part(allAnsweredSums, r * c)
      }
    }
    useBank(0)
    defer {
      for pointer in [allWeightProducts, allWeightSums, allAnsweredProducts, allAnsweredSums] {
        pointer.deallocate()
      }
      stubTouched.deallocate()
      touchedStubs.deallocate()
    }
    var strataPresent = 0
    var strataUsable = 0
    var stratumHasRows = false
    var stratumUnits = 0
    // Calibration sums: U of the unit, and per stratum Σ U t′ ([(stubRow * k + q) * c + column]),
    // Σ U U′ and Σ U.
    var unitU = [Double](repeating: 0, count: k)
    var touchedU = [Bool](repeating: false, count: k)
    var touchedMoments: [Int] = []
    var crossUT = [Double](repeating: 0, count: calibration == nil ? 0 : r * k * c)
    var crossUU = [Double](repeating: 0, count: k * k)
    var sumU = [Double](repeating: 0, count: k)

    func flushSparseUnit() {
      guard touchedCount > 0 else { return }
      let m = touchedCount
      for x in 0..<m {
        let a = touchedColumns[x]
        let wa = unitW[a]
        weightSums[a] += wa
        for y in x..<m {
          let b = touchedColumns[y]
          weightProducts[a < b ? a * c + b : b * c + a] += wa * unitW[b]
        }
      }
      for position in 0..<touchedStubCount {
        let stubRow = touchedStubs[position]
        let rowBase = stubRow * c
        for x in 0..<m {
          let a = touchedColumns[x]
          t[a] = (unitY[rowBase + a] - means[rowBase + a] * unitW[a]) / totals[a]
          sums[rowBase + a] += t[a]
          answeredSums[rowBase + a] += unitW[a]
        }
        let productBase = stubRow * cc
        for x in 0..<m {
          let a = touchedColumns[x]
          let ta = t[a]
          let wa = unitW[a]
          for y in x..<m {
            let b = touchedColumns[y]
            let index = productBase + (a < b ? a * c + b : b * c + a)
            products[index] += ta * t[b]
            answeredProducts[index] += wa * unitW[b]
          }
        }
        for x in 0..<m { unitY[rowBase + touchedColumns[x]] = 0 }
        stubTouched[stubRow] = false
      }
      touchedStubCount = 0
      for x in 0..<m {
        let column = touchedColumns[x]
        unitW[column] = 0
        touched[column] = false
      }
      touchedCount = 0
      stratumUnits += 1
    }

    func flushUnit() {
      if sparse { return flushSparseUnit() }
      guard touchedCount > 0 || !touchedMoments.isEmpty else { return }
      let m = touchedCount
      for stubRow in 0..<r {
        let rowBase = stubRow * c
        for x in 0..<m {
          let a = touchedColumns[x]
          t[a] = (unitY[rowBase + a] - means[rowBase + a] * unitW[a]) / totals[a]
          sums[rowBase + a] += t[a]
        }
        let productBase = stubRow * cc
        for x in 0..<m {
          let a = touchedColumns[x]
          let ta = t[a]
          for y in x..<m {
            let b = touchedColumns[y]
            products[productBase + (a < b ? a * c + b : b * c + a)] += ta * t[b]
          }
        }
        if calibration != nil {
          for q in touchedMoments {
            let u = unitU[q]
            let crossBase = (stubRow * k + q) * c
            for x in 0..<m {
              let a = touchedColumns[x]
              crossUT[crossBase + a] += u * t[a]
            }
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
      for x in 0..<m {
        let column = touchedColumns[x]
        unitW[column] = 0
        touched[column] = false
        for stubRow in 0..<r { unitY[stubRow * c + column] = 0 }
      }
      touchedCount = 0
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
          var rowProducts = Array(products[(stubRow * cc)..<((stubRow + 1) * cc)])
          if sparse {
            // The PSUs without an entry for the stub row: t_a = −m_a W_a/N_a.
            let rowBase = stubRow * c
            for x in 0..<c where totals[x] > 0 {
              let mx = means[rowBase + x]
              let rest = weightSums[x] - answeredSums[rowBase + x]
              if rest != 0 { rowSums[x] -= mx * rest / totals[x] }
              for y in x..<c where totals[y] > 0 {
                let restProducts =
                  weightProducts[x * c + y] - answeredProducts[stubRow * cc + x * c + y]
                if restProducts != 0 {
                  rowProducts[x * c + y] +=
                    mx * means[rowBase + y] * restProducts / (totals[x] * totals[y])
                }
              }
            }
          }
          if calibration != nil {
            // t′ = t − A′U: Σ t′t′′ = Σ tt′ − A′ΣUt′ − (A′ΣUt′)′ + A′(ΣUU′)A, Σ t′ = Σ t − A′ΣU.
            let a = coefficients[(stubRow * k * c)..<((stubRow + 1) * k * c)]
            let aBase = stubRow * k * c
            let cross = crossUT[(stubRow * k * c)..<((stubRow + 1) * k * c)]
            var qa = [Double](repeating: 0, count: k * c)
            for p in 0..<k {
              for q in 0..<k where crossUU[p * k + q] != 0 {
                let uu = crossUU[p * k + q]
                for column in 0..<c { qa[p * c + column] += uu * a[aBase + q * c + column] }
              }
            }
            for x in 0..<c {
              for p in 0..<k { rowSums[x] -= a[aBase + p * c + x] * sumU[p] }
              for y in x..<c {
                var value = rowProducts[x * c + y]
                for p in 0..<k {
                  value +=
                    -a[aBase + p * c + x] * cross[aBase + p * c + y] - a[aBase + p * c + y]
                    * cross[aBase + p * c + x] + a[aBase + p * c + x] * qa[p * c + y]
                }
                rowProducts[x * c + y] = value
              }
            }
          }
          for x in 0..<c {
            for y in x..<c {
              var value = rowProducts[x * c + y]
              if centre { value -= rowSums[x] * rowSums[y] / count }
              variance[stubRow * cc + x * c + y] += scale * value
            }
          }
        }
      }
      products.update(repeating: 0)
      weightProducts.update(repeating: 0)
      weightSums.update(repeating: 0)
      answeredProducts.update(repeating: 0)
      answeredSums.update(repeating: 0)
      for index in crossUT.indices { crossUT[index] = 0 }
      sums.update(repeating: 0)
      for index in crossUU.indices { crossUU[index] = 0 }
      for index in sumU.indices { sumU[index] = 0 }
      stratumHasRows = false
      stratumUnits = 0
    }

    /// Adds a row to the current PSU.
    func add(_ row: Int) {
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
      guard answered[row] else { return }
      let weight = weights[row]
      let entries = entryOffsets[row]..<entryOffsets[row + 1]
      for slot in columnOffsets[row]..<columnOffsets[row + 1] {
        let column = Int(flatColumns[slot])
        guard totals[column] > 0 else { continue }
        stratumHasRows = true
        if !touched[column] {
          touched[column] = true
          touchedColumns[touchedCount] = column
          touchedCount += 1
        }
        unitW[column] += weight
        for entry in entries {
          let stubRow = Int(entryRows[entry])
          unitY[stubRow * c + column] += weight * entryValues[entry]
          if sparse && !stubTouched[stubRow] {
            stubTouched[stubRow] = true
            touchedStubs[touchedStubCount] = stubRow
            touchedStubCount += 1
          }
        }
      }
    }

    var currentUnit = -1
    var currentStratum = -1
    if banks > 1 {
      // Every row its own PSU, read in data order into its stratum's bank.
      var unitsOfStratum = [Int](repeating: 0, count: stage.strataCount)
      var stratumHasRowsOf = [Bool](repeating: false, count: stage.strataCount)
      for row in 0..<order.count {
        let stratum = stage.unitStratum[row]
        if stratum != currentStratum {
          if currentStratum >= 0 {
            unitsOfStratum[currentStratum] = stratumUnits
            stratumHasRowsOf[currentStratum] = stratumHasRows
          }
          useBank(stratum)
          stratumUnits = unitsOfStratum[stratum]
          stratumHasRows = stratumHasRowsOf[stratum]
          currentStratum = stratum
        }
        add(row)
        flushUnit()
      }
      if currentStratum >= 0 {
        unitsOfStratum[currentStratum] = stratumUnits
        stratumHasRowsOf[currentStratum] = stratumHasRows
      }
      for stratum in 0..<stage.strataCount {
        useBank(stratum)
        stratumUnits = unitsOfStratum[stratum]
        stratumHasRows = stratumHasRowsOf[stratum]
        try flushStratum(stratum)
      }
      currentStratum = -1
    } else {
      for position in order {
        let row = Int(position)
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
        add(row)
      }
    }
    flushUnit()
    if currentStratum >= 0 { try flushStratum(currentStratum) }
    if strataUsable != strataPresent && strataUsable > 0 {
      let factor = Double(strataPresent) / Double(strataUsable)
      for index in variance.indices { variance[index] *= factor }
    }
    for stubRow in 0..<r {
      for a in 0..<c {
        for b in 0..<a { variance[stubRow * cc + a * c + b] = variance[stubRow * cc + b * c + a] }
      }
    }
    return variance
  }

  /// The covariances of a calibrated design, whose influence values must be projected on the
  /// calibration over all rows before they are summed (R `svyrecvar`): one stub row at a time, the
  /// scores of every column are built in full and passed to the design's variance.
  static func calibratedCovariances(
    design: SurveyDesign, stub: Stub, banner: Banner, means: [Double], totals: [Double]
  ) throws(DesignError) -> [Double] {
    let n = design.rowCount
    let r = stub.rowCount
    let c = banner.columnCount
    let all = [Bool](repeating: true, count: n)
    var result: [Double] = []
    result.reserveCapacity(r * c * c)
    var z = [Double](repeating: 0, count: n * c)
    for stubRow in 0..<r {
      for index in z.indices { z[index] = 0 }
      for row in 0..<n {
        guard stub.answered[row] else { continue }
        var value = 0.0
        for entry in stub.offsets[row]..<stub.offsets[row + 1]
        where Int(stub.entryRows[entry]) == stubRow {
          value += stub.entryValues[entry]
        }
        let weight = design.weights[row]
        for slot in banner.offsets[row]..<banner.offsets[row + 1] {
          let column = Int(banner.flatColumns[slot])
          guard totals[column] > 0 else { continue }
          z[row * c + column] = weight * (value - means[stubRow * c + column]) / totals[column]
        }
      }
      result += try design.covariance(z, columns: c, active: all).covariance
    }
    return result
  }
}
