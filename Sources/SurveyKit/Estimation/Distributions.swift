import CRmath

/// Quantiles and probabilities of the distributions SurveyKit's intervals and tests use, from R's
/// standalone math library (`libRmath`), so that they agree with R to the last bit.
///
/// Every raw Rmath call of SurveyKit is in this file.
public enum Distribution {
  /// The `p` quantile of Student's t with `degreesOfFreedom` (the normal when infinite), as R's
  /// `qt(p, df)`.
  public static func tQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
    degreesOfFreedom.isInfinite ? qnorm5(p, 0, 1, 1, 0) : CRmath.qt(p, degreesOfFreedom, 1, 0)
  }

  /// The upper `p` quantile of Student's t, as R's `qt(p, df, lower.tail = FALSE)`.
  public static func tUpperQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
    degreesOfFreedom.isInfinite ? qnorm5(p, 0, 1, 0, 0) : CRmath.qt(p, degreesOfFreedom, 0, 0)
  }

  /// P(T ≤ x) for Student's t, as R's `pt(x, df)`.
  public static func tProbability(_ x: Double, degreesOfFreedom: Double) -> Double {
    degreesOfFreedom.isInfinite ? pnorm5(x, 0, 1, 1, 0) : CRmath.pt(x, degreesOfFreedom, 1, 0)
  }

  /// The `p` quantile of the standard normal, as R's `qnorm(p)`.
  public static func normalQuantile(_ p: Double) -> Double { qnorm5(p, 0, 1, 1, 0) }

  /// P(Z ≤ x) for the standard normal, as R's `pnorm(x)`.
  public static func normalProbability(_ x: Double) -> Double { pnorm5(x, 0, 1, 1, 0) }

  /// The `p` quantile of the beta distribution, as R's `qbeta(p, a, b)`.
  public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
    qbeta(p, a, b, 1, 0)
  }

  /// P(X > x) for chi-square with `degreesOfFreedom`, as R's `pchisq(x, df, lower.tail = FALSE)`.
  public static func chiSquareUpperProbability(_ x: Double, degreesOfFreedom: Double) -> Double {
    pchisq(x, degreesOfFreedom, 0, 0)
  }

  /// The `p` quantile of chi-square, as R's `qchisq(p, df)`.
  public static func chiSquareQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
    qchisq(p, degreesOfFreedom, 1, 0)
  }

  /// P(X > x) for F on (`numerator`, `denominator`) degrees of freedom, as R's
  /// `pf(x, df1, df2, lower.tail = FALSE)`.
  public static func fUpperProbability(_ x: Double, numerator: Double, denominator: Double)
    -> Double
  {
    CRmath.pf(x, numerator, denominator, 0, 0)
  }
}
