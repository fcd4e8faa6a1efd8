import Foundation

/// How far an indicator got: the latest actual (実績) against the target (目標値), as the strategy's
/// verification (第1期総合戦略の検証) reports it — a whole percent, capped (120% in the seed).
public struct KPIAchievement: Sendable, Equatable {
  /// The latest actual used and its year.
  public var actual: KPIYearValue
  /// The rate before the cap (1.092 for 109.2%).
  public var rate: Double
  /// The rate counted: at most the indicator's cap.
  public var cappedRate: Double
  /// Whether the cap was applied.
  public var isCapped: Bool

  /// The capped rate as a whole percent, rounded half up (109 for 1.0924).
  public var percent: Int { roundHalfUp(cappedRate * 100) }
}

extension KPIDefinition {
  /// The achievement of `actual` (the latest value, a running total when `cumulative`):
  /// actual ÷ target, target ÷ actual when lower is better, or (actual − baseline) ÷ (target −
  /// baseline) under the `progress` rule; capped at `cap`. Nil when it cannot be computed (an
  /// actual of 0 under ratio with lower is better; no baseline under progress).
  public func achievement(of actual: KPIYearValue) -> KPIAchievement? {
    var rate: Double
    switch rule {
    case .ratio:
      switch direction {
      case .higher:
        guard target.value != 0 else { return nil }
        rate = actual.value / target.value
      case .lower:
        guard actual.value != 0 else { return nil }
        rate = target.value / actual.value
      }
    case .progress:
      guard let baseline, target.value != baseline.value else { return nil }
      rate = (actual.value - baseline.value) / (target.value - baseline.value)
    }
    guard rate.isFinite else { return nil }
    let capped = min(rate, cap)
    return KPIAchievement(actual: actual, rate: rate, cappedRate: capped, isCapped: rate > cap)
  }

  /// The range a value may fall in before it is refused as implausible: `plausible`, or a factor
  /// of 5 either side of the baseline (of the target without one). Catches a decimal point in the
  /// wrong place, as the seed's 15.6 for a birth rate of 1.56.
  public var plausibleRange: ClosedRange<Double>? {
    if let plausible { return plausible }
    // A running total starts from nothing, so only an upper bound applies.
    let reference = cumulative ? target.value : (baseline?.value ?? target.value)
    guard reference > 0 else { return nil }
    return (cumulative ? 0 : reference / 5)...(reference * 5)
  }

  /// Why `value` is implausible for this indicator, or nil when it is plausible.
  public func implausibility(of value: Double) -> String? {
    guard value.isFinite else { return "\(formatAmount(value)) is not a number" }
    guard let range = plausibleRange, !range.contains(value) else { return nil }
    let reference =
      plausible != nil
      ? "the plausible range \(formatAmount(range.lowerBound))–\(formatAmount(range.upperBound))"
      : "the range \(formatAmount(range.lowerBound))–\(formatAmount(range.upperBound)) around its "
        + (cumulative || baseline == nil
          ? "target \(formatAmount(target.value))" : "baseline \(formatAmount(baseline!.value))")
    return "\(formatAmount(value)) for \(id) is outside \(reference); check the decimal point"
  }
}

/// Rounds half up after removing binary noise (1.56 ÷ 1.6 × 100 = 97.49999999999999 → 97.5 → 98):
/// percentages are rounded as a person rounds the printed figure.
func roundHalfUp(_ value: Double) -> Int {
  let cleaned = (value * 1e9).rounded() / 1e9
  return Int((cleaned + 0.5).rounded(.down))
}
