/// How spread a set of weights is, and what that costs in precision (Kish 1965, §11.7; Kish 1992):
/// the effective sample size (Σw)²/Σw², the weighting efficiency n_eff/n and the design effect due
/// to weighting n·Σw²/(Σw)² = 1 + CV² (with the population CV).
public struct WeightSummary: Sendable, Equatable {
  public var count: Int
  public var sum: Double
  public var minimum: Double
  public var maximum: Double
  public var mean: Double
  /// Standard deviation (n − 1 divisor) over the mean, as R's `sd(w)/mean(w)`.
  public var coefficientOfVariation: Double
  /// Kish's effective sample size (Σw)²/Σw².
  public var effectiveSampleSize: Double

  public init(_ weights: [Double]) {
    count = weights.count
    var total = Accumulator()
    var squares = Accumulator()
    for weight in weights {
      total.add(weight)
      squares.add(weight * weight)
    }
    sum = total.value
    minimum = weights.min() ?? .nan
    maximum = weights.max() ?? .nan
    mean = count > 0 ? sum / Double(count) : .nan
    var deviations = Accumulator()
    for weight in weights { deviations.add((weight - mean) * (weight - mean)) }
    coefficientOfVariation =
      count > 1 ? (deviations.value / Double(count - 1)).squareRoot() / mean : .nan
    effectiveSampleSize = squares.value > 0 ? sum * sum / squares.value : .nan
  }

  /// Effective sample size over the number of weights.
  public var efficiency: Double { effectiveSampleSize / Double(count) }

  /// Kish's design effect due to unequal weights, n·Σw²/(Σw)².
  public var designEffect: Double { Double(count) / effectiveSampleSize }
}
