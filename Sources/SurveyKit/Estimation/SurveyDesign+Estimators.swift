extension SurveyDesign {
  /// What a linearised estimator estimates.
  enum Statistic {
    case mean
    case total
  }

  /// The weighted mean of `values` (NaN = missing, left out of the base), in the whole sample or
  /// in a domain, as R's `svymean(~y, design, na.rm = TRUE, deff = TRUE)`.
  ///
  /// Influence values z_i = w_i (y_i − ȳ)/Σw over the base (Lumley 2010, §2.3); rows outside the
  /// domain keep their place in the design with z_i = 0, never a smaller sample.
  public func mean(_ values: [Double], domain: [Bool]? = nil) throws(DesignError) -> Estimate {
    try estimate(
      .mean, columns: 1, domain: domain, isMissing: { values[$0].isNaN },
      value: { row, _ in values[row] }
    ).estimates[0]
  }

  /// The weighted total of `values` (NaN = missing), as R's `svytotal(…, na.rm = TRUE, deff = TRUE)`:
  /// z_i = w_i y_i.
  public func total(_ values: [Double], domain: [Bool]? = nil) throws(DesignError) -> Estimate {
    try estimate(
      .total, columns: 1, domain: domain, isMissing: { values[$0].isNaN },
      value: { row, _ in values[row] }
    ).estimates[0]
  }

  /// The share of each of `levels` categories (`categories[row]`, nil = missing) and their
  /// covariance, as R's `svymean(~factor, na.rm = TRUE, deff = TRUE)`.
  public func proportions(_ categories: [Int?], levels: Int, domain: [Bool]? = nil)
    throws(DesignError) -> EstimateSet
  {
    try estimate(
      .mean, columns: levels, domain: domain, isMissing: { categories[$0] == nil },
      value: { row, column in categories[row] == column ? 1 : 0 })
  }

  /// The weighted count of each category, as R's `svytotal(~factor, na.rm = TRUE, deff = TRUE)`.
  public func counts(_ categories: [Int?], levels: Int, domain: [Bool]? = nil)
    throws(DesignError) -> EstimateSet
  {
    try estimate(
      .total, columns: levels, domain: domain, isMissing: { categories[$0] == nil },
      value: { row, column in categories[row] == column ? 1 : 0 })
  }

  /// Means of several columns over one base: `value(row, column)`; a row is out of the base when
  /// `isMissing(row)` or outside `domain`.
  public func means(
    columns: Int, domain: [Bool]? = nil, isMissing: (Int) -> Bool, value: (Int, Int) -> Double
  ) throws(DesignError) -> EstimateSet {
    try estimate(.mean, columns: columns, domain: domain, isMissing: isMissing, value: value)
  }

  /// Totals of several columns over one base.
  public func totals(
    columns: Int, domain: [Bool]? = nil, isMissing: (Int) -> Bool, value: (Int, Int) -> Double
  ) throws(DesignError) -> EstimateSet {
    try estimate(.total, columns: columns, domain: domain, isMissing: isMissing, value: value)
  }

  /// The ratio Σw·y / Σw·x, as R's `svyratio`: z_i = w_i (y_i − R x_i)/Σw·x (Lumley 2010, §2.4;
  /// Särndal, Swensson & Wretman 1992, §5.6). Rows where either value is NaN are left out.
  public func ratio(_ numerator: [Double], _ denominator: [Double], domain: [Bool]? = nil)
    throws(DesignError) -> Estimate
  {
    let active = (0..<rowCount).map {
      (domain?[$0] ?? true) && !numerator[$0].isNaN && !denominator[$0].isNaN
    }
    var top = Accumulator()
    var bottom = Accumulator()
    var respondents = 0
    var base = Accumulator()
    for row in 0..<rowCount where active[row] {
      top.add(weights[row] * numerator[row])
      bottom.add(weights[row] * denominator[row])
      base.add(weights[row])
      respondents += 1
    }
    guard bottom.value != 0 else {
      throw DesignError("the denominator of the ratio totals 0, so the ratio cannot be estimated")
    }
    let ratio = top.value / bottom.value
    var z = [Double](repeating: 0, count: rowCount)
    for row in 0..<rowCount where active[row] {
      z[row] = weights[row] * (numerator[row] - ratio * denominator[row]) / bottom.value
    }
    let variance = try covariance(z, columns: 1, active: active).covariance[0]
    // R keeps every row of a calibrated design in a domain (weight 0 outside it).
    let rows = (isCalibrated ? nil : domain).map { $0.filter { $0 }.count } ?? rowCount
    let degrees = domain.map { degreesOfFreedom(active: $0) } ?? degreesOfFreedom()
    return Estimate(
      estimate: ratio, standardError: variance.squareRoot(), degreesOfFreedom: degrees,
      designEffect: nil, designEffectWithReplacement: nil, respondents: respondents,
      weightedBase: base.value, designRows: rows, designDegreesOfFreedom: degrees)
  }

  /// The shared linearisation of means and totals, with R's design effects.
  func estimate(
    _ statistic: Statistic, columns k: Int, domain: [Bool]?, isMissing: (Int) -> Bool,
    value: (Int, Int) -> Double, fastCalibration: Bool = false
  ) throws(DesignError) -> EstimateSet {
    var active = [Bool](repeating: false, count: rowCount)
    var weightSum = Accumulator()
    var respondents = 0
    for row in 0..<rowCount where (domain?[row] ?? true) && !isMissing(row) {
      active[row] = true
      weightSum.add(weights[row])
      respondents += 1
    }
    let psum = weightSum.value
    guard respondents > 0, psum > 0 else {
      throw DesignError(
        domain == nil
          ? "no row has an answer, so nothing can be estimated"
          : "the domain has no respondents (its total weight is 0), so nothing can be estimated")
    }
    // Weighted means of each column over the base.
    var sums = [Accumulator](repeating: Accumulator(), count: k)
    for row in 0..<rowCount where active[row] {
      for column in 0..<k { sums[column].add(weights[row] * value(row, column)) }
    }
    let means = sums.map { $0.value / psum }
    var z = [Double](repeating: 0, count: rowCount * k)
    var squares = [Accumulator](repeating: Accumulator(), count: k)
    for row in 0..<rowCount where active[row] {
      let weight = weights[row]
      for column in 0..<k {
        let y = value(row, column)
        let deviation = y - means[column]
        z[row * k + column] = statistic == .mean ? weight * deviation / psum : weight * y
        squares[column].add(weight * deviation * deviation)
      }
    }
    let (covariance, warnings) = try self.covariance(
      z, columns: k, active: active, fastCalibration: fastCalibration)
    let n = Double(respondents)
    // R keeps every row of a calibrated design in a domain (weight 0 outside it).
    let rows = (isCalibrated ? nil : domain).map { $0.filter { $0 }.count } ?? rowCount
    let designDegrees = domain.map { degreesOfFreedom(active: $0) } ?? degreesOfFreedom()
    var estimates: [Estimate] = []
    for column in 0..<k {
      let variance = covariance[column * k + column]
      // R's svyvar: s² = Σ w (y − ȳ)² / Σw × n/(n − 1).
      let s2 = squares[column].value / psum * n / (n - 1)
      var srs: Double?
      var replacement: Double
      switch statistic {
      case .mean:
        srs = psum < n ? nil : s2 * (psum - n) / (psum * n)
        replacement = s2 / n
      case .total:
        srs = s2 * psum * psum * (psum - n) / (psum * n)
        replacement = s2 * psum * psum / n
      }
      let deff = srs.flatMap { $0 > 0 && $0.isFinite ? variance / $0 : nil }
      let deffReplace = replacement > 0 && replacement.isFinite ? variance / replacement : nil
      estimates.append(
        Estimate(
          estimate: statistic == .mean ? means[column] : sums[column].value,
          standardError: max(variance, 0).squareRoot(), degreesOfFreedom: designDegrees,
          designEffect: deff, designEffectWithReplacement: deffReplace, respondents: respondents,
          weightedBase: psum, designRows: rows, designDegreesOfFreedom: designDegrees))
    }
    return EstimateSet(estimates: estimates, covariance: covariance, warnings: warnings)
  }
}

/// A sum accumulated in extended precision where the machine has it, as R's `sum` and `colSums`
/// (which add in `long double`), so sums of many weights agree with R to the last bits.
struct Accumulator {
  #if arch(x86_64)
    private var sum: Float80 = 0
    mutating func add(_ value: Double) { sum += Float80(value) }
    var value: Double { Double(sum) }
  #else
    // Neumaier's compensated summation where there is no 80-bit type.
    private var sum: Double = 0
    private var compensation: Double = 0
    mutating func add(_ value: Double) {
      let t = sum + value
      compensation += abs(sum) >= abs(value) ? (sum - t) + value : (value - t) + sum
      sum = t
    }
    var value: Double { sum + compensation }
  #endif
}
