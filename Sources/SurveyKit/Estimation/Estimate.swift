/// One design-based estimate with its standard error and what its intervals need.
public struct Estimate: Sendable, Hashable {
  public var estimate: Double
  public var standardError: Double
  /// Design degrees of freedom used for t quantiles: PSUs − strata of the design, or of the
  /// domain for a domain estimate.
  public var degreesOfFreedom: Int
  /// Design effect as R's `deff = TRUE`: V / (s²/n · (N̂ − n)/N̂); nil when it cannot be computed.
  public var designEffect: Double?
  /// Design effect as R's `deff = "replace"`: V / (s²/n), without the (N̂ − n)/N̂ factor.
  public var designEffectWithReplacement: Double?
  /// Respondents in the base: rows with a (non-missing) answer in the domain.
  public var respondents: Int
  /// The weighted base: Σ w over the respondents.
  public var weightedBase: Double
  /// Rows of the design the estimate was made on (all rows, or the domain's), as R's
  /// `nrow(design)` in the Korn–Graubard interval.
  public var designRows: Int
  /// The degrees of freedom of that design (R's `degf(design)`), also for the Korn–Graubard interval.
  public var designDegreesOfFreedom: Int

  public var variance: Double { standardError * standardError }

  /// The coefficient of variation, standard error / |estimate|; nil for an estimate of 0.
  public var coefficientOfVariation: Double? {
    estimate == 0 ? nil : standardError / abs(estimate)
  }
}

/// Several estimates over one base (the categories of a question), with their covariance.
public struct EstimateSet: Sendable, Hashable {
  public var estimates: [Estimate]
  /// k × k, row-major.
  public var covariance: [Double]
  /// Warnings from the variance (a domain with one PSU in a stratum).
  public var warnings: [String]
}
