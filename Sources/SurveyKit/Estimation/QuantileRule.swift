/// How a weighted sample quantile is read off the weighted distribution function, as the
/// `qrule` argument of R's `svyquantile` (survey 4.1-1, `R/qrule.R`; Lumley 2010, *Complex
/// Surveys*, §2.9).
///
/// The `hf` rules are the weighted versions of sample-quantile types 1–9 of Hyndman & Fan (1996),
/// "Sample quantiles in statistical packages", *The American Statistician* 50(4), 361–365.
/// With x sorted (ties kept in row order), w the weights in that order, C_k = w_1 + … + w_k and
/// W = Σw, the rules are exactly those of survey 4.1-1, quirks included:
///
/// - The discrete rules find the last k with C_k ≤ p·W (k = 1 when there is none) and test
///   p − C_k/W **for exact equality with 0**, so weights are summed in extended precision as R does
///   (a plain `Double` sum gives other medians on equal weights such as apisrs).
/// - When p·W < C_1 (in particular p = 0) the discrete rules return the *second* smallest value,
///   and `hf4` extrapolates below the smallest.
/// - The continuous rules interpolate linearly (or stepwise, `shahvaish`) in a table of
///   probabilities p_k, clamped to the smallest and largest value outside it.
public enum QuantileRule: String, CaseIterable, Sendable {
  /// The default: the smallest x with F̂(x) ≥ p, i.e. x_k when C_k = p·W exactly, else x_{k+1}
  /// (R `"math"`; identical to `hf1`).
  case math
  /// As `math`, but the average of x_k and x_{k+1} when C_k = p·W exactly (R `"school"`; identical
  /// to `hf2`).
  case school
  /// Shah & Vaish (2006): p_k = (S_k + 1/2 − w_k/2)/(n + 1) with S the cumulative sum of
  /// w/mean(w), read as a step function. R 4.1-1 subtracts w_k/2, not w_k/mean(w)/2, so p_k need
  /// not increase with k; the table is then sorted by p_k, as R's `approx` does.
  case shahvaish
  /// Hyndman & Fan type 1, the inverse of F̂; the same function as `math` in R.
  case hf1
  /// Hyndman & Fan type 2, averaging at discontinuities; the same function as `school` in R.
  case hf2
  /// Hyndman & Fan type 3, the nearest even order statistic: tied values are merged first, and x_k
  /// is taken when C_k = p·W exactly and k (among the distinct values) is even, else x_{k+1}.
  case hf3
  /// Hyndman & Fan type 4: linear interpolation of F̂,
  /// x_k (1 − γ) + x_{k+1} γ with γ = (p − C_k/W)/(C_{k+1}/W − C_k/W). At p = 1 this is 0/0, so
  /// the estimate is NaN, as in R.
  case hf4
  /// Hyndman & Fan type 5: p_k = (C_k − w_k/2)/C_n, linear interpolation.
  case hf5
  /// Hyndman & Fan type 6: p_k = C_k/(C_n + w_n), linear interpolation.
  case hf6
  /// Hyndman & Fan type 7 (R's `quantile` default): p_k = C_{k−1}/C_{n−1}, linear interpolation.
  case hf7
  /// Hyndman & Fan type 8: p_k = (C_{k−1}/3 + 2C_k/3)/(C_n + w_n/3), linear interpolation.
  case hf8
  /// Hyndman & Fan type 9: p_k = (3C_{k−1}/8 + 5C_k/8)/(C_n + w_n/4), linear interpolation.
  case hf9
}

/// A quantile rule applied to one weighted sample, prepared once so that the estimate and both
/// ends of its interval read the same sorted data. Every step follows R survey 4.1-1
/// (`qs()`, `qrule_*()` in `R/qrule.R`) and R 4.2's `cumsum`, `sum`, `mean`, `rowsum` and `approx`,
/// operation by operation, so that exact ties and exact comparisons come out as in R.
struct WeightedQuantileFunction {
  private enum Method {
    /// R's `qs()` data: sorted values, cumulative weights and the total.
    case steps(values: [Double], cumulative: [Double], total: Double)
    /// R's `approx(pk, x, p, rule = 2)` table, regularised (sorted, duplicates collapsed).
    case table(probabilities: [Double], values: [Double], linear: Bool)
  }

  let rule: QuantileRule
  private let method: Method

  /// - Parameters:
  ///   - values: the sample (no NaN), in row order.
  ///   - weights: their weights, all positive, in row order.
  /// - Throws: for an interpolating rule with fewer than two distinct table points (R stops).
  init(values: [Double], weights: [Double], rule: QuantileRule) throws(DesignError) {
    precondition(values.count == weights.count && !values.isEmpty)
    self.rule = rule
    let n = values.count
    // R: ii <- order(x), a stable sort.
    let order = (0..<n).sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    let x = order.map { values[$0] }
    let w = order.map { weights[$0] }

    switch rule {
    case .math, .hf1, .school, .hf2, .hf4:
      // sum(w) is over the rows in their original order, cumsum over the sorted ones.
      method = .steps(values: x, cumulative: Self.rCumulativeSum(w), total: Self.rSum(weights))
    case .hf3:
      // w <- rowsum(w, x): plain double sums within tied values (rows in their original order),
      // groups in increasing x; x <- sort(unique(x)).
      var groupValues: [Double] = []
      var groupWeights: [Double] = []
      for k in 0..<n {
        if let last = groupValues.last, last == x[k] {
          groupWeights[groupWeights.count - 1] += w[k]
        } else {
          groupValues.append(x[k])
          groupWeights.append(w[k])
        }
      }
      method = .steps(
        values: groupValues, cumulative: Self.rCumulativeSum(groupWeights),
        total: Self.rSum(groupWeights))
    case .hf5, .hf6, .hf7, .hf8, .hf9, .shahvaish:
      let cumw = Self.rCumulativeSum(w)
      let last = cumw[n - 1]
      var pk = [Double](repeating: 0, count: n)
      switch rule {
      case .hf5:
        for k in 0..<n { pk[k] = (cumw[k] - w[k] / 2) / last }
      case .hf6:
        for k in 0..<n { pk[k] = cumw[k] / (last + w[n - 1]) }
      case .hf7:
        // pk <- c(0, cumw[-n])/cumw[n-1]; with one row R stops ("'x' and 'y' lengths differ").
        guard n > 1 else { throw Self.tooFewPoints(rule) }
        for k in 0..<n { pk[k] = (k == 0 ? 0 : cumw[k - 1]) / cumw[n - 2] }
      case .hf8:
        // R parses c(0, cumw[-n])*1/3 as (… * 1)/3.
        let denominator = last + w[n - 1] / 3
        for k in 0..<n {
          let previous = k == 0 ? 0 : cumw[k - 1]
          pk[k] = ((previous * 1) / 3 + (cumw[k] * 2) / 3) / denominator
        }
      case .hf9:
        let denominator = last + w[n - 1] / 4
        for k in 0..<n {
          let previous = k == 0 ? 0 : cumw[k - 1]
          pk[k] = ((previous * 3) / 8 + (cumw[k] * 5) / 8) / denominator
        }
      default:  // shahvaish: wbar <- w/mean(w); S <- cumsum(wbar); pk <- (S + 0.5 - w/2)/(n + 1)
        let meanWeight = Self.rMean(w)
        let s = Self.rCumulativeSum(w.map { $0 / meanWeight })
        for k in 0..<n { pk[k] = ((s[k] + 0.5) - w[k] / 2) / Double(n + 1) }
      }
      let (tableP, tableX) = Self.regularize(pk, x)
      let linear = rule != .shahvaish
      // approx(method = "linear") stops with "need at least two non-NA values to interpolate".
      if linear && tableP.count < 2 { throw Self.tooFewPoints(rule) }
      method = .table(probabilities: tableP, values: tableX, linear: linear)
    }
  }

  private static func tooFewPoints(_ rule: QuantileRule) -> DesignError {
    DesignError(
      "the \(rule.rawValue) quantile rule interpolates and needs at least two rows in the base "
        + "(R stops here too); use the math, school or shahvaish rule")
  }

  /// The quantile at probability `p` (R's `qrule_<rule>(x, w, p)`).
  func callAsFunction(_ p: Double) -> Double {
    switch method {
    case .steps(let x, let cumw, let total):
      // R's qs(): pos <- last(cumw <= p*sum(w)), 1 when no index qualifies.
      let threshold = p * total
      var pos = 0
      for k in stride(from: cumw.count - 1, through: 0, by: -1) where cumw[k] <= threshold {
        pos = k
        break
      }
      let next = pos == x.count - 1 ? pos : pos + 1
      let wlow = p - cumw[pos] / total
      let wup = cumw[next] / total - p
      let qlow = x[pos]
      let qup = x[next]
      switch rule {
      case .math, .hf1:
        return wlow == 0 ? qlow : qup
      case .school, .hf2:
        return wlow == 0 ? (qlow + qup) / 2 : qup
      case .hf3:
        // ilow is R's 1-based index among the distinct values.
        return wlow == 0 && (pos + 1) % 2 == 0 ? qlow : qup
      default:  // hf4
        let gamma = wlow / (wup + wlow)
        return qlow * (1 - gamma) + qup * gamma
      }
    case .table(let pk, let x, let linear):
      return Self.approx(pk, x, p, linear: linear)
    }
  }

  /// R's `regularize.values(x, y, mean)`: sort by x (stably) and replace the y of tied x by their
  /// mean.
  private static func regularize(_ keys: [Double], _ values: [Double]) -> ([Double], [Double]) {
    let order = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
    var outKeys: [Double] = []
    var outValues: [Double] = []
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && keys[order[end]] == keys[order[start]] { end += 1 }
      outKeys.append(keys[order[start]])
      outValues.append(
        end - start == 1 ? values[order[start]] : Self.rMean(order[start..<end].map { values[$0] }))
      start = end
    }
    return (outKeys, outValues)
  }

  /// R's `approx1()` (`src/library/stats/src/approx.c`) with `rule = 2` and, for the step
  /// function, `f = 0`.
  private static func approx(_ x: [Double], _ y: [Double], _ v: Double, linear: Bool) -> Double {
    var i = 0
    var j = x.count - 1
    if v < x[i] { return y[0] }
    if v > x[j] { return y[x.count - 1] }
    while i < j - 1 {
      let middle = (i + j) / 2
      if v < x[middle] { j = middle } else { i = middle }
    }
    if v == x[j] { return y[j] }
    if v == x[i] { return y[i] }
    return linear ? y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i])) : y[i]
  }
}

extension WeightedQuantileFunction {
  /// R's `cumsum` of doubles: a running sum in extended precision (`long double`), each value
  /// rounded to `Double`.
  static func rCumulativeSum(_ values: [Double]) -> [Double] {
    var sum = Accumulator()
    return values.map { value in
      sum.add(value)
      return sum.value
    }
  }

  /// R's `sum` of doubles, accumulated in extended precision.
  static func rSum<S: Sequence>(_ values: S) -> Double where S.Element == Double {
    var sum = Accumulator()
    for value in values { sum.add(value) }
    return sum.value
  }

  /// R's `mean` of doubles: the extended-precision sum over n, refined by the mean of the
  /// deviations from it (`src/main/summary.c`).
  static func rMean(_ values: [Double]) -> Double {
    let n = values.count
    #if arch(x86_64)
      var s: Float80 = 0
      for value in values { s += Float80(value) }
      s /= Float80(n)
      if Double(s).isFinite {
        var t: Float80 = 0
        for value in values { t += Float80(value) - s }
        s += t / Float80(n)
      }
      return Double(s)
    #else
      var s = rSum(values) / Double(n)
      if s.isFinite {
        var t = Accumulator()
        for value in values { t.add(value - s) }
        s += t.value / Double(n)
      }
      return s
    #endif
  }
}
