extension SurveyDesign {
  /// The design-based covariance (k × k, row-major) of the totals of influence values `z`
  /// (rowCount × k, row-major): R's `svyrecvar` for one or two stages.
  ///
  /// Only `active` rows count as present (a domain, or the rows whose answer is not missing): a PSU
  /// with no active row contributes a zero total but still counts in its stratum's n_h, as in R,
  /// where a domain keeps every row and zeroes the weights outside it.
  ///
  /// Per stratum h (R `onestrat`, Lumley 2010 §2.2): V_h = f_h n_h/(n_h − 1) Σ_j (t_hj − t̄_h)²,
  /// with t_hj the PSU totals and f_h = (N_h − n_h)/N_h. A second stage adds, for each PSU i of
  /// stratum h, (n_h/N_h) × V_2(i), where V_2(i) is the same formula over the second-stage units
  /// inside PSU i (Särndal, Swensson & Wretman 1992, result 4.3.1).
  ///
  /// A post-stratified, raked or calibrated design first replaces z by its residuals from the
  /// calibration (`CalibrationStep.project`), as R's `svyrecvar` does.
  ///
  /// - Returns: the covariance and any warnings (a domain with one PSU in a stratum, under
  ///   `adjustDomainLonely`).
  ///
  /// `fastCalibration` projects through the calibration's linear map (two passes over the rows
  /// instead of R's ten sweeps per margin): the same residuals in exact arithmetic, for wide
  /// score matrices (Rao–Scott tests); by default the projection repeats R's own steps, so that
  /// tiny SEs of calibrated margins agree with R's to the last digits R can give.
  func covariance(_ z: [Double], columns k: Int, active: [Bool], fastCalibration: Bool = false)
    throws(DesignError)
    -> (covariance: [Double], warnings: [String])
  {
    // A calibrated design keeps every row (R sets the weight outside a domain to 0), and the
    // influence values are first projected on the calibration (R `svyrecvar`).
    var z = z
    var active = active
    if isCalibrated {
      if fastCalibration, let calibrationOperator {
        calibrationOperator.project(&z, columns: k)
      } else {
        for step in calibrations { step.project(&z, columns: k) }
      }
      active = [Bool](repeating: true, count: rowCount)
    }
    var warnings: [String] = []
    var covariance = try firstStageCovariance(
      contributions(first, z: z, columns: k, active: active, stage: 1, warnings: &warnings),
      columns: k)
    if let second {
      let units = try contributions(
        second, z: z, columns: k, active: active, stage: 2, warnings: &warnings)
      for (psu, contribution) in units {
        let stratum = first.unitStratum[psu]
        let fraction = Double(first.sampled[stratum]) / first.population[stratum]
        for index in 0..<(k * k) {
          // R: a PSU whose only stratum is dropped gives 0 × 1/0.
          covariance[index] += (contribution?[index] ?? .nan) * fraction
        }
      }
    }
    return (covariance, warnings)
  }

  /// The one-stage covariance from the PSU totals (unitCount × k, row-major) and which PSUs have
  /// active rows, for callers that sum the influence values per PSU themselves (the streaming
  /// Rao–Scott shares of a clustered design): exactly what `covariance(_:columns:active:)` does
  /// after it has summed them.
  func covariance(unitTotals: [Double], unitActive: [Bool], columns k: Int)
    throws(DesignError) -> (covariance: [Double], warnings: [String])
  {
    var warnings: [String] = []
    let strata = try contributions(
      first, totals: unitTotals, unitActive: unitActive, columns: k, stage: 1,
      warnings: &warnings)
    return (firstStageCovariance(strata, columns: k), warnings)
  }

  /// The sum of the first stage's stratum contributions, rescaled for the strata dropped under
  /// `average`.
  private func firstStageCovariance(
    _ strata: [(stratum: Int, contribution: [Double]?)], columns k: Int
  ) -> [Double] {
    var covariance = [Double](repeating: 0, count: k * k)
    var usable = 0
    for (_, contribution) in strata {
      guard let contribution else { continue }
      usable += 1
      for index in 0..<(k * k) { covariance[index] += contribution[index] }
    }
    // The `average` policy: dropped strata are made up for by the others.
    if usable != strata.count {
      let factor = Double(strata.count) / Double(usable)
      for index in 0..<(k * k) { covariance[index] *= factor }
    }
    return covariance
  }

  /// Each stratum's contribution at one stage (R `onestage`), for the strata with active rows,
  /// in sorted stratum order; nil stands for R's NA (a stratum dropped under `average`).
  private func contributions(
    _ stage: Stage, z: [Double], columns k: Int, active: [Bool], stage number: Int,
    warnings: inout [String]
  ) throws(DesignError) -> [(stratum: Int, contribution: [Double]?)] {
    // Unit totals; when every row is its own unit they are the rows' values (no second copy of a
    // large matrix).
    let totals: [Double]
    let unitActive: [Bool]
    if stage.isRowPerUnit {
      totals = z
      unitActive = active
    } else {
      var sums = [Double](repeating: 0, count: stage.unitCount * k)
      var present = [Bool](repeating: false, count: stage.unitCount)
      for row in 0..<rowCount where active[row] {
        let unit = stage.unit[row]
        present[unit] = true
        for column in 0..<k { sums[unit * k + column] += z[row * k + column] }
      }
      totals = sums
      unitActive = present
    }
    return try contributions(
      stage, totals: totals, unitActive: unitActive, columns: k, stage: number,
      warnings: &warnings)
  }

  /// The same from the unit totals.
  private func contributions(
    _ stage: Stage, totals: [Double], unitActive: [Bool], columns k: Int, stage number: Int,
    warnings: inout [String]
  ) throws(DesignError) -> [(stratum: Int, contribution: [Double]?)] {
    var unitsOfStratum = [[Int]](repeating: [], count: stage.strataCount)
    for unit in 0..<stage.unitCount where unitActive[unit] {
      unitsOfStratum[stage.unitStratum[unit]].append(unit)
    }
    var result: [(stratum: Int, contribution: [Double]?)] = []
    for stratum in 0..<stage.strataCount where !unitsOfStratum[stratum].isEmpty {
      let name = number == 1 ? strataNames[stratum] : first.unitNames[stratum]
      let contribution = try stratumCovariance(
        unitsOfStratum[stratum], totals: totals, sampled: stage.sampled[stratum],
        correction: stage.correction(stratum), stratumName: name, stage: number, columns: k,
        warnings: &warnings)
      result.append((stratum, contribution))
    }
    return result
  }

  /// One stratum (R `onestrat`); nil stands for R's NA (dropped under the `average` policy).
  private func stratumCovariance(
    _ units: [Int], totals: [Double], sampled: Int, correction f: Double, stratumName: String,
    stage: Int, columns k: Int, warnings: inout [String]
  ) throws(DesignError) -> [Double]? {
    // A stratum sampled in full adds nothing, before any lonely-PSU rule (as R).
    if f < 0.000_000_1 { return [Double](repeating: 0, count: k * k) }
    let present = units.count
    let count = max(sampled, present)
    var isMissing = false
    if present == 1 && sampled > 1 && adjustDomainLonely {
      warnings.append("stratum \(stratumName) has only one PSU in this domain at stage \(stage)")
      if lonelyPSU == .average { isMissing = true }
    }
    if sampled <= 1 {
      switch lonelyPSU {
      case .fail: throw DesignError.lonelyPSU(stratum: stratumName, stage: stage)
      case .average: isMissing = true
      case .remove, .certainty, .adjust: break
      }
    }
    if isMissing { return nil }
    // Centre at the stratum mean over all n_h PSUs (absent ones are zero), except for `adjust`
    // with a single PSU, which is measured from the overall estimate.
    let centre = lonelyPSU != .adjust || present > 1 || (sampled > 1 && !adjustDomainLonely)
    // As R: colMeans (accumulated in extended precision), then crossprod(x * sqrt(scale)).
    var mean = [Double](repeating: 0, count: k)
    if centre {
      for column in 0..<k {
        var sum = Accumulator()
        for unit in units { sum.add(totals[unit * k + column]) }
        mean[column] = sum.value / Double(count)
      }
    }
    let scale = (sampled > 1 ? f * Double(sampled) / Double(sampled - 1) : f).squareRoot()
    var product = [Double](repeating: 0, count: k * k)
    var deviation = [Double](repeating: 0, count: k)
    for unit in units {
      for column in 0..<k { deviation[column] = (totals[unit * k + column] - mean[column]) * scale }
      for a in 0..<k where deviation[a] != 0 {
        for b in 0..<k { product[a * k + b] += deviation[a] * deviation[b] }
      }
    }
    // PSUs without active rows: a zero total, so a deviation of −mean each.
    let absent = Double(count - present)
    if absent > 0 {
      for a in 0..<k where mean[a] != 0 {
        for b in 0..<k { product[a * k + b] += absent * (mean[a] * scale) * (mean[b] * scale) }
      }
    }
    return product
  }
}
