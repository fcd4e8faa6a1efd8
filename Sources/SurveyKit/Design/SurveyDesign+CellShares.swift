extension SurveyDesign {
  /// Whether `cellShareCovariance(cells:cellCount:domain:)` applies: one stage and no
  /// calibration, so that the influence values of the cell shares need no projection and each
  /// PSU's scores follow from its weighted counts alone.
  var hasStreamingCellShares: Bool {
    calibrationOperator == nil && !isCalibrated && second == nil
  }

  /// The design covariance (k × k, row-major) of the shares of `k` cells, each row of the design
  /// in at most one cell (`cells[row]`, −1 = none, e.g. a missing answer), in the whole design or
  /// in a `domain`: what `estimate(.mean, columns: k, …)` gives for the 0/1 cell indicators,
  /// warnings included, without its n × k matrix of influence values. One-stage designs without
  /// calibration only (`hasStreamingCellShares`).
  ///
  /// The influence value of share q on row i is z_iq = w_i (y_iq − p_q)/N (Lumley 2010, §2.3),
  /// with N = Σw and p_q = Y_q/N over the rows in a cell. A clustered design sums them per PSU
  /// (PSUs × k values, as the generic path does after building all rows × k) and hands the
  /// totals to the generic stratum formula (`covariance(unitTotals:unitActive:columns:)`), so
  /// its result is the generic one to the last bit.
  ///
  /// When every row is its own PSU, the total of PSU j is T_jq = (Y_jq − p_q W_j)/N, with
  /// Y_jq = w_j if the row is in cell q (else 0) and W_j = w_j: the scores are fixed by a few
  /// sums, and Y_j has one non-zero entry. Per stratum h (R `svyrecvar`/`onestrat`; Lumley 2010,
  /// §2.2, appendix C),
  ///
  ///   V_h = s_h [Σ_j T_j T_jᵀ − (Σ_j T_j)(Σ_j T_j)ᵀ / n_h],
  ///   Σ_j T_j T_jᵀ = (Σ Y Yᵀ − p (Σ W Y)ᵀ − (Σ W Y) pᵀ + p pᵀ Σ W²)/N²,
  ///   Σ_j T_j = (Σ Y − p Σ W)/N,
  ///
  /// with s_h = f_h n_h/(n_h − 1) and n_h = max(sampled, PSUs with rows): the PSUs of the
  /// stratum without a row in the cells have zero totals, so they add nothing to the sums but
  /// count in n_h, exactly as `covariance(_:columns:active:)` centres them. Since the first
  /// three sums enter linearly, they are gathered over all strata at once with weight s_h, and
  /// only Σ Y and Σ W are kept per stratum. The lonely-PSU rules, the fpc, certainty strata and
  /// the `average` rescaling are those of `covariance(_:columns:active:)`, branch for branch.
  ///
  /// This equals the generic path's result in exact arithmetic; in floating point the sums are
  /// taken in another order (relative differences of the order of 1e-15, and a variance that is
  /// exactly 0 there, as in a stratum whose rows are all alike, may come out as a residue of
  /// that order here).
  func cellShareCovariance(cells: [Int32], cellCount k: Int, domain: [Bool]?)
    throws(DesignError) -> (covariance: [Double], warnings: [String])
  {
    let n = rowCount
    let stage = first
    let strataCount = stage.strataCount
    // Pass 1: the base N, the cell totals (as `estimate` accumulates them) and which PSUs have
    // rows in the table.
    var baseSum = Accumulator()
    var cellSums = [Accumulator](repeating: Accumulator(), count: k)
    var unitPresent = [Bool](repeating: false, count: stage.unitCount)
    for row in 0..<n {
      let cell = Int(cells[row])
      guard cell >= 0, domain?[row] ?? true else { continue }
      let weight = weights[row]
      baseSum.add(weight)
      cellSums[cell].add(weight)
      let unit = stage.unit[row]
      unitPresent[unit] = true
    }
    let total = baseSum.value
    let shares = cellSums.map { $0.value / total }
    if !stage.isRowPerUnit {
      // Clusters: the PSU totals of the influence values (PSUs × k, far fewer than rows × k),
      // summed row by row as the generic path sums them, then its stratum formula: the same
      // numbers to the last bit (a stratum whose PSU totals are equal gives exactly 0).
      var totals = [Double](repeating: 0, count: stage.unitCount * k)
      for row in 0..<n {
        let cell = Int(cells[row])
        guard cell >= 0, domain?[row] ?? true else { continue }
        let weight = weights[row]
        let base = stage.unit[row] * k
        for column in 0..<k {
          let y: Double = column == cell ? 1 : 0
          totals[base + column] += weight * (y - shares[column]) / total
        }
      }
      return try covariance(unitTotals: totals, unitActive: unitPresent, columns: k)
    }
    var present = [Int](repeating: 0, count: strataCount)
    for unit in 0..<stage.unitCount where unitPresent[unit] {
      present[stage.unitStratum[unit]] += 1
    }

    // Each stratum's treatment, in stratum order as `contributions` (warnings and the first
    // lonely stratum under `fail` come in that order).
    var warnings: [String] = []
    var scale = [Double](repeating: 0, count: strataCount)  // 0: adds nothing
    var centred = [Bool](repeating: false, count: strataCount)
    var count = [Double](repeating: 0, count: strataCount)
    var strataWithRows = 0
    var usable = 0
    for stratum in 0..<strataCount where present[stratum] > 0 {
      strataWithRows += 1
      let sampled = stage.sampled[stratum]
      let f = stage.correction(stratum)
      // A stratum sampled in full adds nothing, before any lonely-PSU rule (as R).
      if f < 0.000_000_1 {
        usable += 1
        continue
      }
      var isMissing = false
      if present[stratum] == 1 && sampled > 1 && adjustDomainLonely {
        warnings.append(
          "stratum \(strataNames[stratum]) has only one PSU in this domain at stage 1")
        if lonelyPSU == .average { isMissing = true }
      }
      if sampled <= 1 {
        switch lonelyPSU {
        case .fail: throw DesignError.lonelyPSU(stratum: strataNames[stratum], stage: 1)
        case .average: isMissing = true
        case .remove, .certainty, .adjust: break
        }
      }
      if isMissing { continue }
      usable += 1
      centred[stratum] =
        lonelyPSU != .adjust || present[stratum] > 1 || (sampled > 1 && !adjustDomainLonely)
      count[stratum] = Double(max(sampled, present[stratum]))
      scale[stratum] = sampled > 1 ? f * Double(sampled) / Double(sampled - 1) : f
    }

    // Pass 2, row by row (= PSU by PSU): Σ_h s_h Σ_j Y Yᵀ, Σ_h s_h Σ_j W Y, Σ_h s_h Σ_j W², and
    // per stratum Σ_j Y, Σ_j W.
    var squares = [Double](repeating: 0, count: k * k)
    var cross = [Double](repeating: 0, count: k)
    var weightSquares = 0.0
    var stratumY = [Double](repeating: 0, count: strataCount * k)
    var stratumW = [Double](repeating: 0, count: strataCount)
    // Every row its own PSU: Y_j is the row's weight in its one cell, W_j the same weight.
    for row in 0..<n {
      let cell = Int(cells[row])
      guard cell >= 0, domain?[row] ?? true else { continue }
      let weight = weights[row]
      let stratum = stage.unitStratum[row]
      stratumY[stratum * k + cell] += weight
      stratumW[stratum] += weight
      let s = scale[stratum]
      if s != 0 {
        let product = s * (weight * weight)
        squares[cell * k + cell] += product
        cross[cell] += product
        weightSquares += product
      }
    }

    // V = (Σ s Y Yᵀ − p (Σ s W Y)ᵀ − (Σ s W Y) pᵀ + p pᵀ Σ s W²)/N² − Σ_h s_h S_h S_hᵀ/n_h,
    // S_h = (Σ_h Y − p Σ_h W)/N over the centred strata.
    let totalSquared = total * total
    var covariance = [Double](repeating: 0, count: k * k)
    for a in 0..<k {
      for b in 0..<k {
        covariance[a * k + b] =
          (squares[a * k + b] - shares[a] * cross[b] - cross[a] * shares[b] + shares[a]
            * shares[b] * weightSquares) / totalSquared
      }
    }
    var centre = [Double](repeating: 0, count: k)
    for stratum in 0..<strataCount where scale[stratum] != 0 && centred[stratum] {
      for a in 0..<k {
        centre[a] = (stratumY[stratum * k + a] - shares[a] * stratumW[stratum]) / total
      }
      let factor = scale[stratum] / count[stratum]
      for a in 0..<k where centre[a] != 0 {
        let scaled = factor * centre[a]
        for b in 0..<k { covariance[a * k + b] -= scaled * centre[b] }
      }
    }
    // The `average` policy: dropped strata are made up for by the others.
    if usable != strataWithRows {
      let factor = Double(strataWithRows) / Double(usable)
      for index in 0..<(k * k) { covariance[index] *= factor }
    }
    return (covariance, warnings)
  }
}
