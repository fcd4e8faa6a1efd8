/// A survey-based indicator estimated from one wave: the value in the indicator's unit, its
/// design-based standard error and confidence interval, and the respondents behind it.
public struct KPIEstimate: Sendable, Equatable {
  public var value: Double
  public var standardError: Double
  public var interval: ConfidenceInterval
  /// Valid answers (the base).
  public var respondents: Int
}

/// Why a survey-based indicator cannot be estimated from a wave.
public struct KPIError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

extension KPIDefinition {
  /// Estimates the indicator from a wave's table and (possibly weighted) design.
  ///
  /// A share is the weighted share of valid answers with one of the listed codes, times `scale`
  /// (100 for %), with its logit interval (R `svyciprop(method = "logit")`); a mean is the
  /// weighted mean of the codes, reversed as min + max − code when asked (6 − code on 1–5),
  /// with a t interval on the design's degrees of freedom. Missing codes (無回答, わからない) and
  /// questions not asked are out of the base, as in `survey freq`.
  ///
  /// - Throws: `KPIError` when the wave has no such question, it is not single-choice, or no
  ///   one answered it.
  public func estimate(
    table: ResponseTable, design: SurveyDesign, confidenceLevel: Double = 0.95
  ) throws(KPIError) -> KPIEstimate {
    guard let survey else { throw KPIError("\(id) is not a survey-based indicator") }
    guard let index = table.index(of: survey.question) else {
      throw KPIError(
        "\(id) needs the question \(survey.question), which the wave does not have")
    }
    guard case .codes(let column) = table.columns[index] else {
      throw KPIError(
        "\(id) needs \(survey.question) to be a single-choice question, but it is "
          + "\(table.variables[index].type.rawValue)")
    }
    let variable = table.variables[index]
    var values = [Double](repeating: .nan, count: table.rowCount)
    switch survey.statistic {
    case .share(let codes):
      let chosen = Set(codes)
      for row in 0..<table.rowCount {
        guard let code = column[row], variable.missingCode(Int(code)) == nil else { continue }
        values[row] = chosen.contains(Int(code)) ? 1 : 0
      }
    case .mean(let reversed):
      let listed = variable.values.map(\.code)
      let (low, high) = (listed.min() ?? 1, listed.max() ?? 5)
      for row in 0..<table.rowCount {
        guard let code = column[row], variable.missingCode(Int(code)) == nil else { continue }
        values[row] = reversed ? Double(low + high - Int(code)) : Double(code)
      }
    }
    let estimate: Estimate
    do {
      estimate = try design.mean(values)
    } catch {
      throw KPIError("\(id) cannot be estimated from \(survey.question): \(error)")
    }
    switch survey.statistic {
    case .share:
      let interval = estimate.proportionInterval(.logit, level: confidenceLevel)
      return KPIEstimate(
        value: estimate.estimate * survey.scale,
        standardError: estimate.standardError * survey.scale,
        interval: ConfidenceInterval(
          lower: interval.lower * survey.scale, upper: interval.upper * survey.scale,
          level: confidenceLevel), respondents: estimate.respondents)
    case .mean:
      let scale = survey.scale
      let interval = estimate.confidenceInterval(level: confidenceLevel)
      return KPIEstimate(
        value: estimate.estimate * scale, standardError: estimate.standardError * scale,
        interval: ConfidenceInterval(
          lower: interval.lower * scale, upper: interval.upper * scale, level: confidenceLevel),
        respondents: estimate.respondents)
    }
  }
}
