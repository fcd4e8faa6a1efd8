extension FrequencyTableBuilder {
  /// The median of a numeric question (NaN = not in the base) with its Woodruff interval, as R's
  /// `svyquantile(~x, design, 0.5, na.rm = TRUE)` under its default rule (`math`: the smallest
  /// value whose weighted distribution function reaches 1/2); see
  /// `SurveyDesign.quantiles(_:probabilities:rule:level:domain:)`.
  func median(of values: [Double]) throws -> TableEstimate? {
    let median = try design.quantiles(
      values, probabilities: [0.5], rule: .math, level: options.confidenceLevel
    ).first
    guard let median, median.estimate.isFinite else { return nil }
    return TableEstimate(
      estimate: median.estimate, standardError: median.standardError,
      confidenceInterval: median.confidenceInterval)
  }
}
