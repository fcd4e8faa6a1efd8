import Foundation

/// A confidence interval at a level.
public struct ConfidenceInterval: Sendable, Hashable {
  public var lower: Double
  public var upper: Double
  public var level: Double

  public init(lower: Double, upper: Double, level: Double) {
    self.lower = lower
    self.upper = upper
    self.level = level
  }
}

/// How the interval of a proportion is made (R's `svyciprop` methods).
public enum ProportionIntervalMethod: String, Sendable, Hashable, CaseIterable, Codable {
  /// p ± t·SE on the design degrees of freedom (R `method = "mean"`).
  case wald
  /// On the logit scale, back-transformed (R `"logit"`, here in closed form as R's `"xlogit"`).
  case logit
  /// Korn & Graubard (1998): exact binomial (Clopper–Pearson) limits on the effective sample size
  /// (R `"beta"`).
  case beta
  /// Wilson's score interval on the effective sample size (R ≥ 4.5 `"wilson"`).
  case wilson
  /// On the arcsine square-root scale (R `"asin"`).
  case arcsine = "asin"
}

extension Estimate {
  /// R's `tconfint`: estimate + SE · qt(c(a, 1 − a), df), a = (1 − level)/2.
  private func tQuantiles(level: Double) -> (lower: Double, upper: Double) {
    let a = (1 - level) / 2
    let df = Double(degreesOfFreedom)
    return (
      Distribution.tQuantile(a, degreesOfFreedom: df),
      Distribution.tQuantile(1 - a, degreesOfFreedom: df)
    )
  }

  /// The Wald interval with t on the design degrees of freedom, as R's
  /// `confint(x, df = degf(design))`; for means, totals and ratios.
  public func confidenceInterval(level: Double = 0.95) -> ConfidenceInterval {
    let t = tQuantiles(level: level)
    return ConfidenceInterval(
      lower: estimate + standardError * t.lower, upper: estimate + standardError * t.upper,
      level: level)
  }

  /// The interval of a proportion (this estimate is a share in 0…1), as R's `svyciprop`.
  ///
  /// - `wald`: p ± t·SE.
  /// - `logit`: expit(logit p ± t·SE/(p(1 − p))).
  /// - `beta` (Korn & Graubard 1998): n* = p(1 − p)/SE² · (qt(α/2, n − 1)/qt(α/2, df))², then
  ///   [qbeta(α/2, n*p, n*(1 − p) + 1), qbeta(1 − α/2, n*p + 1, n*(1 − p))], n = rows of the design.
  /// - `wilson`: n* = p(1 − p)/SE², (p + t²/2n* ∓ t/2n* √(4n*p(1 − p) + t²)) / (1 + t²/n*).
  /// - `asin`: sin²(asin √p ± t·SE/(2√(p(1 − p)))).
  ///
  /// A share without sampling variation (SE ≈ 0, or p = 0 or 1) gets the interval [p, p].
  public func proportionInterval(_ method: ProportionIntervalMethod, level: Double = 0.95)
    -> ConfidenceInterval
  {
    let p = estimate
    let se = standardError
    let t = tQuantiles(level: level)
    let alpha = 1 - level
    // No sampling variation (a share fixed by the strata, or 0 % / 100 %): the interval is the point.
    if !(se > 1e-12 * max(abs(p), 1e-300)) || p <= 0 || p >= 1 {
      return ConfidenceInterval(lower: p, upper: p, level: level)
    }
    switch method {
    case .wald:
      return confidenceInterval(level: level)
    case .logit:
      let eta = log(p / (1 - p))
      let seEta = se / (p * (1 - p))
      func expit(_ x: Double) -> Double { exp(x) / (1 + exp(x)) }
      return ConfidenceInterval(
        lower: expit(eta + seEta * t.lower), upper: expit(eta + seEta * t.upper), level: level)
    case .arcsine:
      let theta = asin(p.squareRoot())
      let seTheta = se / (2 * (p * (1 - p)).squareRoot())
      let low = sin(theta + seTheta * t.lower)
      let high = sin(theta + seTheta * t.upper)
      return ConfidenceInterval(lower: low * low, upper: high * high, level: level)
    case .beta:
      var effective = p * (1 - p) / (se * se)
      let ratio =
        Distribution.tQuantile(alpha / 2, degreesOfFreedom: Double(designRows - 1))
        / Distribution.tQuantile(alpha / 2, degreesOfFreedom: Double(designDegreesOfFreedom))
      effective *= ratio * ratio
      return ConfidenceInterval(
        lower: Distribution.betaQuantile(alpha / 2, effective * p, effective * (1 - p) + 1),
        upper: Distribution.betaQuantile(1 - alpha / 2, effective * p + 1, effective * (1 - p)),
        level: level)
    case .wilson:
      let effective = p * (1 - p) / (se * se)
      let q = Distribution.tUpperQuantile(alpha / 2, degreesOfFreedom: Double(degreesOfFreedom))
      let centre = p + q * q / (2 * effective)
      let half = q / (2 * effective) * (4 * effective * p * (1 - p) + q * q).squareRoot()
      let scale = 1 + q * q / effective
      return ConfidenceInterval(
        lower: (centre - half) / scale, upper: (centre + half) / scale, level: level)
    }
  }
}
