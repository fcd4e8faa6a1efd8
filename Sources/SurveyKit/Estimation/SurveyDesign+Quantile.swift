/// A design-based quantile with its Woodruff confidence interval, as one row of R's
/// `svyquantile` result.
public struct QuantileEstimate: Sendable, Hashable {
  /// The probability asked for (0.5 for the median).
  public var probability: Double
  /// The quantile. NaN only where R gives NaN too: the `hf4` rule at probability 1 (0/0).
  public var estimate: Double
  /// The Woodruff interval; nil when R gives NaN for either end: the interval on the probability
  /// scale leaves [0, 1] (typical for quantiles near 0 or 1), or the rule gives NaN there.
  public var confidenceInterval: ConfidenceInterval?
  /// R's `SE()`: the interval's width / (2 · qt(1 − α/2, df)); nil when the interval is.
  public var standardError: Double?
  /// The design degrees of freedom used for t: PSUs − strata among the rows of the base (the
  /// domain's rows with a value), as R's `degf` after `svyquantile`'s `na.rm` subsetting.
  public var degreesOfFreedom: Int

  public init(
    probability: Double, estimate: Double, confidenceInterval: ConfidenceInterval?,
    standardError: Double?, degreesOfFreedom: Int
  ) {
    self.probability = probability
    self.estimate = estimate
    self.confidenceInterval = confidenceInterval
    self.standardError = standardError
    self.degreesOfFreedom = degreesOfFreedom
  }
}

extension SurveyDesign {
  /// Quantiles of `values` with Woodruff (1952) confidence intervals, as R survey 4.1-1:
  /// `svyquantile(~x, design, quantiles, alpha = 1 - level, qrule = rule, interval.type = "mean",
  /// na.rm = TRUE)`, on `subset(design, domain)` when a domain is given (Lumley 2010, *Complex
  /// Surveys*, §2.9; `R/newsvyquantile.R`).
  ///
  /// The base is the rows inside the domain whose value is not missing (NaN). For each probability p:
  /// 1. q̂ = the rule applied to the base's values and weights (see ``QuantileRule``; Hyndman & Fan
  ///    1996 for the `hf` rules).
  /// 2. F̂ = the design mean of 1{x ≤ q̂} over the base, with its linearisation standard error
  ///    (strata, PSUs and finite population corrections as in ``mean(_:domain:)``: rows outside
  ///    the base count as zero, never as a smaller sample). Both are computed in R's order of
  ///    operations (`svymean`: Σ 1{x ≤ q̂}·w/Σw, z = (1{x ≤ q̂} − F̂)·w/Σw), because the ends of the
  ///    interval are compared exactly with cumulative weights.
  /// 3. The interval on the probability scale is F̂ + SE · qt(c(a, 1 − a), df) with a = (1 − level)/2
  ///    (Woodruff 1952, "Confidence intervals for medians and other position measures", *JASA*
  ///    47, 635–646). It is centred at F̂, not at p, so under the discrete rules it need not
  ///    contain q̂. An end below 0 or above 1 has no quantile (nil interval, as R's NaN).
  /// 4. Both ends are mapped back through the same rule; the standard error is the interval's
  ///    width / (2 · qt(1 − α/2, df)), α = 1 − level.
  ///
  /// df = PSUs − strata among the base rows (R computes `degf` after dropping missing values).
  /// Weights enter the rule as R's 1/(1/w), and sums of weights are accumulated in extended
  /// precision as R's `sum` and `cumsum` are, because the discrete rules test p·W against
  /// cumulative weights for exact equality.
  ///
  /// - Parameters:
  ///   - values: one value per row of the design; NaN is missing.
  ///   - probabilities: each in 0…1. As in R, the discrete rules give the second smallest value at
  ///     p = 0, and `hf4` gives NaN at p = 1.
  ///   - rule: the quantile rule (R's `qrule`), `math` by default.
  ///   - level: the confidence level of the intervals, in (0, 1).
  ///   - domain: the rows of the subpopulation; nil for the whole sample.
  /// - Throws: ``DesignError`` when the base is empty, an argument is out of range, an
  ///   interpolating rule has a single row, or the variance cannot be estimated (a lonely PSU under
  ///   the `fail` policy).
  public func quantiles(
    _ values: [Double], probabilities: [Double], rule: QuantileRule = .math, level: Double = 0.95,
    domain: [Bool]? = nil
  ) throws(DesignError) -> [QuantileEstimate] {
    guard values.count == rowCount else {
      throw DesignError("there are \(values.count) values for \(rowCount) rows")
    }
    if let domain, domain.count != rowCount {
      throw DesignError("the domain has \(domain.count) entries for \(rowCount) rows")
    }
    guard level > 0, level < 1 else {
      throw DesignError("the confidence level \(level) must lie strictly between 0 and 1")
    }
    for p in probabilities where !(p >= 0 && p <= 1) {
      throw DesignError("the probability \(p) of a quantile must lie between 0 and 1")
    }

    var base = [Bool](repeating: false, count: rowCount)
    var baseRows: [Int] = []
    for row in 0..<rowCount where (domain?[row] ?? true) && !values[row].isNaN {
      base[row] = true
      baseRows.append(row)
    }
    guard !baseRows.isEmpty else {
      throw DesignError(
        domain == nil
          ? "no row has a value, so no quantile can be estimated"
          : "no row of the domain has a value, so no quantile can be estimated")
    }

    // R: w <- weights(design) = 1/design$prob, with prob = 1/pw.
    let baseWeights = baseRows.map { 1 / (1 / weights[$0]) }
    let baseValues = baseRows.map { values[$0] }
    let quantile = try WeightedQuantileFunction(
      values: baseValues, weights: baseWeights, rule: rule)
    let weightTotal = WeightedQuantileFunction.rSum(baseWeights)

    let df = degreesOfFreedom(active: base)
    let degrees = Double(df)
    // R: alpha = 1 - level; confint(m, level = 1 - alpha) uses a = (1 - (1 - alpha))/2.
    let alpha = 1 - level
    let a = (1 - (1 - alpha)) / 2
    let tLower = Distribution.tQuantile(a, degreesOfFreedom: degrees)
    let tUpper = Distribution.tQuantile(1 - a, degreesOfFreedom: degrees)
    let tHalfWidth = Distribution.tQuantile(1 - alpha / 2, degreesOfFreedom: degrees)

    var results: [QuantileEstimate] = []
    results.reserveCapacity(probabilities.count)
    for p in probabilities {
      let estimate = quantile(p)
      guard !estimate.isNaN else {
        // R: x <= NaN is NA throughout, and every column of its row is NaN.
        results.append(
          QuantileEstimate(
            probability: p, estimate: .nan, confidenceInterval: nil, standardError: nil,
            degreesOfFreedom: df))
        continue
      }
      // F^(q^) and its SE as R's svymean(x <= qhat, design) on the base rows, operation by
      // operation: average <- colSums(x * pw / psum), z <- (x - average) * pw / psum, then the
      // design variance of z (rows outside the base count as zero, as in mean(_:domain:)).
      // F^ is compared exactly with cumulative weights below, so its bits matter: an SE of
      // exactly 0 instead of R's rounding noise can move an end of the interval.
      var sum = Accumulator()
      for (index, row) in baseRows.enumerated() where values[row] <= estimate {
        sum.add(baseWeights[index] / weightTotal)
      }
      let centre = sum.value
      var z = [Double](repeating: 0, count: rowCount)
      for (index, row) in baseRows.enumerated() {
        let indicator: Double = values[row] <= estimate ? 1 : 0
        z[row] = (indicator - centre) * baseWeights[index] / weightTotal
      }
      let variance = try covariance(z, columns: 1, active: base).covariance[0]
      let shareSE = variance.squareRoot()
      let lowerP = centre + shareSE * tLower
      let upperP = centre + shareSE * tUpper
      let lower = lowerP.isNaN || lowerP < 0 ? Double.nan : quantile(lowerP)
      let upper = upperP.isNaN || upperP > 1 ? Double.nan : quantile(upperP)
      let standardError = (upper - lower) / (2 * tHalfWidth)
      let interval =
        lower.isNaN || upper.isNaN
        ? nil : ConfidenceInterval(lower: lower, upper: upper, level: level)
      results.append(
        QuantileEstimate(
          probability: p, estimate: estimate, confidenceInterval: interval,
          standardError: standardError.isNaN ? nil : standardError, degreesOfFreedom: df))
    }
    return results
  }
}
