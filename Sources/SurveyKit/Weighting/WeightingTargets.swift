import Foundation

/// The population margins a survey is weighted to, read from a targets file (docs/weighting.md):
/// the population total, the method and its options, and either margins (one variable each, for
/// raking, calibration or one-variable post-stratification) or the cells of a cross-classification
/// (for post-stratification).
///
/// ```yaml
/// population: 145000
/// method: rake
/// margins:
///   - variable: F1
///     counts: {1: 69600, 2: 75400}
///   - variable: F2
///     shares: {1: 14%, 2: 14%, 3: 17%, 4: 16%, 5: 17%, 6: 22%}
/// ```
///
/// reads as two margins, F1 with counts and F2 with shares of the population; `check(against:)`
/// then checks them against the codebook. Whether the margins' totals agree is checked where the
/// weights are made, not here.
public struct WeightingTargets: Sendable, Equatable {
  /// How the design weights are adjusted to the targets.
  public enum Method: String, Sendable, CaseIterable {
    /// Iterative proportional fitting on the margins (R `rake`).
    case rake
    /// Post-stratification on one margin or on cells (R `postStratify`).
    case postStratify = "poststratify"
    /// Linear calibration, the GREG weights (R `calibrate(calfun = "linear")`).
    case calibrateLinear = "calibrate-linear"
    /// Calibration with the raking distance (R `calibrate(calfun = "raking")`).
    case calibrateRaking = "calibrate-raking"
  }

  /// What happens to respondents whose answer to a weighting variable is missing.
  public enum MissingPolicy: String, Sendable, CaseIterable {
    /// A respondent without an answer stops the weighting with an error.
    case error
    /// The respondents without an answer (無回答) form a class of their own that keeps its
    /// design-weighted total; the listed categories share the rest of the population in the
    /// listed proportions, so the margin still sums to the population.
    case ownClass = "own-class"
  }

  /// A target as written: a number of people, or a share of the population.
  public enum Amount: Sendable, Equatable {
    case count(Double)
    /// A fraction of the population (0.14 for `0.14` or `14%`).
    case share(Double)

    /// The number of people: a count as it is, a share times `population`.
    public func count(population: Double) -> Double {
      switch self {
      case .count(let count): return count
      case .share(let share): return share * population
      }
    }

    /// Whether the amount is a share of the population.
    public var isShare: Bool {
      if case .share = self { return true }
      return false
    }
  }

  /// The population target of one category of a margin.
  public struct Target: Sendable, Equatable {
    public var code: Int
    public var amount: Amount
    /// Where the code is written in the file.
    public var line: Int
    public var column: Int

    public init(code: Int, amount: Amount, line: Int, column: Int = 1) {
      self.code = code
      self.amount = amount
      self.line = line
      self.column = column
    }
  }

  /// One weighting variable and the population target of each of its categories.
  public struct Margin: Sendable, Equatable {
    public var variable: String
    /// Where the variable's name is written in the file.
    public var line: Int
    public var missing: MissingPolicy
    /// The categories in the order listed.
    public var targets: [Target]
    public var column: Int

    public init(
      variable: String, line: Int, missing: MissingPolicy = .error, targets: [Target],
      column: Int = 1
    ) {
      self.variable = variable
      self.line = line
      self.missing = missing
      self.targets = targets
      self.column = column
    }

    /// Each target as a number of people, in the order of `targets`.
    public func counts(total: Double) -> [Double] {
      targets.map { $0.amount.count(population: total) }
    }
  }

  /// The population target of one cell of a cross-classification.
  public struct Cell: Sendable, Equatable {
    /// One code per variable of the cells, in the order of `Cells.variables`.
    public var codes: [Int]
    public var amount: Amount
    /// Where the cell's row is written in the file.
    public var line: Int
    public var column: Int

    public init(codes: [Int], amount: Amount, line: Int, column: Int = 1) {
      self.codes = codes
      self.amount = amount
      self.line = line
      self.column = column
    }
  }

  /// The cells of a cross-classification of several variables, for post-stratification.
  public struct Cells: Sendable, Equatable {
    public var variables: [String]
    /// Where the list of variables is written in the file.
    public var line: Int
    public var missing: MissingPolicy
    /// The cells in the order listed.
    public var cells: [Cell]
    public var column: Int

    public init(
      variables: [String], line: Int, missing: MissingPolicy = .error, cells: [Cell],
      column: Int = 1
    ) {
      self.variables = variables
      self.line = line
      self.missing = missing
      self.cells = cells
      self.column = column
    }

    /// Each cell's target as a number of people, in the order of `cells`.
    public func counts(total: Double) -> [Double] {
      cells.map { $0.amount.count(population: total) }
    }
  }

  /// Bounds on the final weights, applied after weighting (R `trimWeights`): weights outside are
  /// set to the bound and what was cut is shared by the other weights, so the total is kept.
  public struct Trim: Sendable, Equatable {
    /// The smallest weight allowed; nil for no lower bound.
    public var lower: Double?
    /// The largest weight allowed; nil for no upper bound.
    public var upper: Double?
    /// Whether the bounds are multiples of the mean weight rather than weights.
    public var relativeToMean: Bool
    /// Whether trimming is repeated until no weight is outside the bounds (R `strict = TRUE`).
    public var strict: Bool

    public init(
      lower: Double? = nil, upper: Double? = nil, relativeToMean: Bool = false,
      strict: Bool = false
    ) {
      self.lower = lower
      self.upper = upper
      self.relativeToMean = relativeToMean
      self.strict = strict
    }
  }

  /// The file's name as given, for messages.
  public var file: String
  /// The population total; present whenever an amount is a share.
  public var population: Double?
  /// nil when the file does not set a method.
  public var method: Method?
  /// The share of the population by which the margins' totals may disagree.
  public var tolerance: Double?
  /// The most passes raking may make.
  public var maxIterations: Int?
  /// When raking has converged, as R's `rake` epsilon: below 1 relative to the sum of the design
  /// weights, 1 or more in weight units.
  public var epsilon: Double?
  /// Calibration bounds on g = final weight ÷ design weight.
  public var bounds: ClosedRange<Double>?
  public var trim: Trim?
  /// The margins, for raking, calibration or post-stratification on one variable.
  public var margins: [Margin]
  /// The cells, for post-stratification on a cross-classification.
  public var cells: Cells?

  public init(
    file: String, population: Double? = nil, method: Method? = nil, tolerance: Double? = nil,
    maxIterations: Int? = nil, epsilon: Double? = nil, bounds: ClosedRange<Double>? = nil,
    trim: Trim? = nil, margins: [Margin] = [], cells: Cells? = nil
  ) {
    self.file = file
    self.population = population
    self.method = method
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.epsilon = epsilon
    self.bounds = bounds
    self.trim = trim
    self.margins = margins
    self.cells = cells
  }

  /// The weighting variables in file order: the margins' variables, or the cells' variables.
  public var variables: [String] {
    cells?.variables ?? margins.map(\.variable)
  }
}

// MARK: - Checking against the codebook

extension WeightingTargets {
  /// The problems of using these targets with `codebook`, in file order: every variable must be
  /// a single-choice question or the stratum, and every code one of its values, not a missing
  /// code (non-answers are weighted with `missing: own-class` instead).
  ///
  /// ```
  /// targets.yaml:9:16: error: margin F2: 7 is not a code of F2 (1–6; 9 = 無回答)
  /// ```
  public func check(against codebook: Codebook) -> [WeightingTargetsError.Problem] {
    var problems: [WeightingTargetsError.Problem] = []
    // A CSV file cannot set the policy; the advice names the YAML form.
    let ownClassWhere = file.lowercased().hasSuffix(".csv") ? " in a YAML targets file" : ""
    func report(_ line: Int, _ column: Int, _ message: String) {
      problems.append(.init(line: line, column: column, message: message))
    }
    /// The variable named `name` if it can be weighted on, else nil with the problem reported.
    func weightingVariable(_ name: String, line: Int, column: Int, what: String) -> Variable? {
      guard let variable = codebook.variable(named: name) else {
        report(line, column, "\(what): \(name) is not a variable of the codebook")
        return nil
      }
      guard Self.weightingTypes.contains(variable.type) else {
        report(
          line, column,
          "\(what): \(name) is a \(variable.type.rawValue) variable; weighting variables must be "
            + "single-choice questions or the stratum")
        return nil
      }
      return variable
    }
    /// Reports `code` unless it is a value of `variable`.
    func checkCode(
      _ code: Int, of variable: Variable, policy: MissingPolicy, line: Int, column: Int,
      what: String
    ) {
      if let missing = variable.missingCode(code) {
        let missingCode =
          "\(what): \(code) is a missing code of \(variable.name) (\(missing.label.japanese))"
        report(
          line, column,
          policy == .ownClass
            ? "\(missingCode); leave it out, since \"missing: own-class\" already weights "
              + "non-answers as a class of their own"
            : "\(missingCode); leave it out and weight non-answers as a class of their own with "
              + "\"missing: own-class\"\(ownClassWhere)")
      } else if variable.valueLabel(of: code) == nil {
        report(
          line, column,
          "\(what): \(code) is not a code of \(variable.name) (\(variable.codeSummary))")
      }
    }

    for margin in margins {
      let what = "margin \(margin.variable)"
      guard
        let variable = weightingVariable(
          margin.variable, line: margin.line, column: margin.column, what: what)
      else { continue }
      for target in margin.targets {
        checkCode(
          target.code, of: variable, policy: margin.missing, line: target.line,
          column: target.column, what: what)
      }
    }
    if let cells {
      let variables = cells.variables.map {
        weightingVariable($0, line: cells.line, column: cells.column, what: "cells")
      }
      for cell in cells.cells {
        for (code, variable) in zip(cell.codes, variables) {
          guard let variable else { continue }
          checkCode(
            code, of: variable, policy: cells.missing, line: cell.line, column: cell.column,
            what: "cells")
        }
      }
    }
    return inFileOrder(problems)
  }

  /// The variable types a survey can be weighted on.
  static let weightingTypes: [VariableType] = [.single, .stratum]
}

// MARK: - Reading amounts (shared by the YAML and CSV readers)

extension WeightingTargets {
  /// Why the text of an amount cannot be read.
  enum AmountProblem: Error, Equatable {
    case empty
    case notANumber
    case notFinite
    case negative(Double)
    case percentOfCount
  }

  /// An amount as written: `69600`, `69,600` (thousands commas), `0.14`, `14%` (a share only).
  static func amount(_ text: String, share: Bool) -> Result<Amount, AmountProblem> {
    var text = text.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty, text != "~", text.lowercased() != "null" else { return .failure(.empty) }
    var percent = false
    if let last = text.last, last == "%" || last == "％" {
      guard share else { return .failure(.percentOfCount) }
      percent = true
      text = String(text.dropLast()).trimmingCharacters(in: .whitespaces)
    }
    guard let value = number(text) else {
      return .failure(nonFinite.contains(text.lowercased()) ? .notFinite : .notANumber)
    }
    guard value.isFinite else { return .failure(.notFinite) }
    guard value >= 0 else { return .failure(.negative(value)) }
    let amount = percent ? value / 100 : value
    return .success(share ? .share(amount) : .count(amount))
  }

  /// The ways of writing infinity and not-a-number, in YAML and in Swift.
  static let nonFinite: Set<String> = [
    ".inf", "+.inf", "-.inf", ".nan", "inf", "+inf", "-inf", "infinity", "-infinity", "nan",
  ]

  /// A number, with thousands commas allowed in groups of three (`145,000`, `1,234.5`).
  static func number(_ text: String) -> Double? {
    guard text.contains(",") else { return Double(text) }
    var body = Substring(text)
    if body.first == "-" || body.first == "+" { body = body.dropFirst() }
    let whole = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
    let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
    guard (1...3).contains(groups[0].count),
      groups.dropFirst().allSatisfy({ $0.count == 3 }),
      groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
    else { return nil }
    return Double(text.replacingOccurrences(of: ",", with: ""))
  }

  /// What is wrong with an amount, as the end of a sentence starting with the margin; `subject`
  /// is `code 1` or `the cell (1, 2)`: `the count of code 1 must be a number, not "many"`.
  static func describe(
    _ problem: AmountProblem, text: String, subject: String, share: Bool
  ) -> String {
    let kind = share ? "share" : "count"
    switch problem {
    case .empty: return "\(subject) has no \(kind)"
    case .notANumber: return "the \(kind) of \(subject) must be a number, not \"\(text)\""
    case .notFinite:
      return "the \(kind) of \(subject) must be a finite number, not \"\(text)\""
    case .negative: return "the \(kind) of \(subject) is negative (\(text))"
    case .percentOfCount:
      return "the count of \(subject) is a percentage (\(text)); give percentages under shares"
    }
  }

  /// `code 1 is listed twice, on lines 8 and 9` (or `twice on line 8`).
  static func listedTwice(_ what: String, first: Int, second: Int) -> String {
    first == second
      ? "\(what) is listed twice on line \(first)"
      : "\(what) is listed twice, on lines \(first) and \(second)"
  }

  /// The problem with shares that do not sum to 1 within 1e-6, or nil.
  static func sharesSumProblem(_ amounts: [Amount]) -> String? {
    let shares = amounts.compactMap { amount -> Double? in
      if case .share(let share) = amount { return share }
      return nil
    }
    guard !shares.isEmpty else { return nil }
    let sum = shares.reduce(0, +)
    guard abs(sum - 1) > 1e-6 else { return nil }
    return "the shares sum to \(numberText(sum)), not 1"
  }

  /// A number for a message with up to ten significant digits: `0.99`, `1.0000019`, `69600`.
  static func numberText(_ value: Double) -> String {
    var text = String(format: "%.10g", value)
    if text.contains(".") && !text.contains("e") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }
}
