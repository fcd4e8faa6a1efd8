import ArgumentParser
import Foundation
import SurveyKit

/// The weighting options of `survey weight`, `survey freq` and `survey tab`: the targets file and
/// what may override its settings. Given to freq or tab, the design is weighted before anything
/// is estimated, so standard errors account for the raking or calibration.
struct WeightingArguments: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Population margins to weight to: YAML, or CSV variable,code,count (docs/weighting.md).",
      valueName: "file"))
  var targets: String?

  @Option(
    name: .long,
    help:
      "rake, poststratify, calibrate-linear or calibrate-raking (default: the targets file's, else rake)."
  )
  var method: Method?

  @Option(
    name: .customLong("max-iterations"),
    help: "The most raking passes (default 100; R's rake() makes at most 10).")
  var maxIterations: Int?

  @Option(
    name: .long,
    help:
      "Raking stops when no cell moves by this much: below 1 relative to the weight total, 1 or more in weight units (default 1e-10; R's default is 1)."
  )
  var epsilon: Double?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Calibration bounds on final ÷ design weight, as LOW,HIGH (raking with caps).",
      valueName: "low,high"))
  var bounds: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Trim the final weights to LOW,HIGH (either may be empty); a trailing x means times the mean weight (0.3x,3x).",
      valueName: "low,high"))
  var trim: String?

  @Flag(
    name: .customLong("trim-strict"),
    help: "Repeat trimming until no weight is outside the bounds (R trimWeights(strict = TRUE)).")
  var trimStrict = false

  @Option(
    name: .long,
    help: "How far the margins' totals may disagree, as a share of the population (default 0.001)."
  )
  var tolerance: Double?

  @Option(
    name: .long,
    help: "The population total, for a CSV of shares (a YAML file gives its own).")
  var population: Double?

  @Option(
    name: .long,
    help:
      "Respondents with no answer to a margin: error, or own-class (a class keeping its design-weighted total); overrides the targets file."
  )
  var missing: Missing?

  enum Missing: String, ExpressibleByArgument, CaseIterable {
    case error
    case ownClass = "own-class"
  }

  enum Method: String, ExpressibleByArgument, CaseIterable {
    case rake, poststratify
    case calibrateLinear = "calibrate-linear"
    case calibrateRaking = "calibrate-raking"
    var method: WeightingTargets.Method { WeightingTargets.Method(rawValue: rawValue) ?? .rake }
  }

  /// Whether any weighting option is given without targets.
  var hasOptionsWithoutTargets: Bool {
    targets == nil
      && (method != nil || maxIterations != nil || epsilon != nil || bounds != nil || trim != nil
        || trimStrict || tolerance != nil || population != nil || missing != nil)
  }

  func validate() throws {
    if hasOptionsWithoutTargets {
      throw ValidationError("Weighting options need --targets FILE (the population margins).")
    }
    if let maxIterations, maxIterations < 1 {
      throw ValidationError("--max-iterations must be at least 1, not \(maxIterations).")
    }
    if let epsilon, !(epsilon > 0) {
      throw ValidationError("--epsilon must be positive, not \(epsilon).")
    }
    if let tolerance, !(tolerance > 0 && tolerance < 1) {
      throw ValidationError(
        "--tolerance must be between 0 and 1 (such as 0.001), not \(tolerance).")
    }
    _ = try parsedBounds()
    _ = try parsedTrim()
  }

  /// `--bounds 0.5,2`.
  func parsedBounds() throws -> ClosedRange<Double>? {
    guard let bounds else { return nil }
    let parts = bounds.split(separator: ",", omittingEmptySubsequences: false).map {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    guard parts.count == 2, let low = parts[0], let high = parts[1], low >= 0, low < 1, high > 1
    else {
      throw ValidationError(
        "--bounds takes LOW,HIGH with 0 ≤ LOW < 1 < HIGH (such as 0.5,2), not \"\(bounds)\".")
    }
    return low...high
  }

  /// `--trim 10,300`, `--trim 0.3x,3x`, `--trim ,300`.
  func parsedTrim() throws -> WeightingTargets.Trim? {
    guard let trim else { return nil }
    let parts = trim.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    let relative = parts.contains { $0.hasSuffix("x") }
    func number(_ text: String) -> Double?? {
      if text.isEmpty { return .some(nil) }
      let digits = text.hasSuffix("x") ? String(text.dropLast()) : text
      return Double(digits).map { .some($0) }
    }
    guard parts.count == 2, let low = number(parts[0]), let high = number(parts[1]),
      low != nil || high != nil, (low ?? 0) >= 0, (low ?? 0) < (high ?? .infinity),
      parts.allSatisfy({ $0.isEmpty || $0.hasSuffix("x") == relative })
    else {
      throw ValidationError(
        "--trim takes LOW,HIGH weights (either may be empty; both with x for times the mean weight, such as 0.3x,3x), not \"\(trim)\"."
      )
    }
    return WeightingTargets.Trim(
      lower: low, upper: high, relativeToMean: relative, strict: trimStrict)
  }

  /// The targets file, checked against the codebook, or nil without --targets; a file that
  /// cannot be used ends the command with its located problems (exit status 2).
  func loadTargets(codebook: Codebook) throws -> WeightingTargets? {
    guard let path = targets else { return nil }
    let loaded: WeightingTargets
    do {
      loaded =
        path.lowercased().hasSuffix(".csv")
        ? try WeightingTargets(csvContentsOf: path, population: population)
        : try WeightingTargets(contentsOf: path)
    } catch {
      throw couldNotRun(error)
    }
    var targets = loaded
    if let missing {
      let policy: WeightingTargets.MissingPolicy = missing == .ownClass ? .ownClass : .error
      for index in targets.margins.indices { targets.margins[index].missing = policy }
      targets.cells?.missing = policy
    }
    let problems = targets.check(against: codebook)
    if !problems.isEmpty {
      throw couldNotRun(WeightingTargetsError(file: path, problems: problems))
    }
    return targets
  }

  /// The options: the targets file's settings with this command line's overrides.
  func options(for targets: WeightingTargets) throws -> WeightingOptions {
    var options = WeightingOptions(targets: targets)
    if let method { options.method = method.method }
    if let maxIterations { options.raking.maxIterations = maxIterations }
    if let epsilon { options.raking.epsilon = epsilon }
    if let bounds = try parsedBounds() { options.bounds = bounds }
    if let trim = try parsedTrim() {
      options.trim = trim
    } else if trimStrict, var trim = options.trim {
      trim.strict = true
      options.trim = trim
    }
    if let tolerance { options.tolerance = tolerance }
    return options
  }

  /// The design weighted to `targets` and what the report says about it; `design` itself
  /// without targets.
  func weighted(_ design: SurveyDesign, table: ResponseTable, targets: WeightingTargets?)
    throws -> (SurveyDesign, WeightingSummary?)
  {
    guard let targets, let path = self.targets else { return (design, nil) }
    let result = try targets.apply(to: design, table: table, options: try options(for: targets))
    return (result.design, WeightingSummary(result: result, targets: path))
  }

  /// The result of weighting `design` to `targets`; a weighting error ends the command.
  func result(
    _ design: SurveyDesign, table: ResponseTable, targets: WeightingTargets, export: String
  ) throws -> WeightingResult {
    do {
      return try targets.apply(to: design, table: table, options: try options(for: targets))
    } catch let error as WeightingError {
      throw couldNotRun(weightingFailure(error, export: export))
    }
  }
}

/// The line a weighting error prints: located in the targets file when it is about a line of it,
/// else about the export.
func weightingFailure(_ error: WeightingError, export: String) -> String {
  error.file != nil
    ? error.description : "\(export): error: the weighting cannot be done: \(error.message)"
}
