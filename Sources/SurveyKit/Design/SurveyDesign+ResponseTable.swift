/// The variables of a table that make its sampling design: the weight, the strata, the clusters
/// of each stage and the finite population correction of each stage.
///
/// By default they are the codebook's roles (`type: weight`, `stratum`, `cluster`, `fpc`; clusters
/// and fpcs in codebook order, one per stage); any of them can be replaced, as `survey freq`'s
/// `--weight`, `--strata`, `--cluster` and `--fpc` do.
///
/// ```swift
/// let roles = DesignVariables(codebookRolesOf: table.variables)
/// // weight "WEIGHT", strata "DISTRICT", clusters [], populationSizes ["FPC"]
/// ```
public struct DesignVariables: Sendable, Hashable {
  /// The weight variable; nil gives every row the weight 1.
  public var weight: String?
  /// The stratum variable; nil for an unstratified design.
  public var strata: String?
  /// The cluster (PSU) variable of each stage; empty when every row is its own PSU.
  public var clusters: [String]
  /// The population size (or sampling fraction) variable of each stage; empty for no fpc.
  public var populationSizes: [String]

  public init(
    weight: String? = nil, strata: String? = nil, clusters: [String] = [],
    populationSizes: [String] = []
  ) {
    self.weight = weight
    self.strata = strata
    self.clusters = clusters
    self.populationSizes = populationSizes
  }

  /// The design the codebook's roles describe.
  public init(codebookRolesOf variables: [Variable]) {
    self.init(
      weight: variables.first { $0.type == .weight }?.name,
      strata: variables.first { $0.type == .stratum }?.name,
      clusters: variables.filter { $0.type == .cluster }.map(\.name),
      populationSizes: variables.filter { $0.type == .fpc }.map(\.name))
  }

  /// These roles with the given ones replaced (nil and empty keep the current one).
  public func overriding(
    weight: String? = nil, strata: String? = nil, clusters: [String] = [],
    populationSizes: [String] = []
  ) -> DesignVariables {
    DesignVariables(
      weight: weight ?? self.weight, strata: strata ?? self.strata,
      clusters: clusters.isEmpty ? self.clusters : clusters,
      populationSizes: populationSizes.isEmpty ? self.populationSizes : populationSizes)
  }
}

extension SurveyDesign {
  /// Makes the design of a validated table from the variables that play each role.
  ///
  /// ```swift
  /// let design = try SurveyDesign(table: result.table)   // the codebook's roles
  /// design.strataNames.count, design.psuCount, design.degreesOfFreedom()   // 5, 1200, 1195
  /// ```
  /// Every row needs a usable value of every design variable. `survey check` rejects rows
  /// without one by default; a codebook that sets those rules to `set-missing` keeps such rows,
  /// and then the design cannot be made: the error names the variable and the line.
  ///
  /// - Parameters:
  ///   - table: the table; its accepted rows are the design's rows.
  ///   - variables: the design variables; nil uses the codebook's roles.
  ///   - lonelyPSU: what a stratum with a single PSU contributes to a variance.
  public init(
    table: ResponseTable, variables: DesignVariables? = nil, lonelyPSU: LonelyPSUPolicy = .fail
  ) throws(DesignError) {
    let roles = variables ?? DesignVariables(codebookRolesOf: table.variables)
    guard table.rowCount > 0 else {
      throw DesignError("the export has no accepted rows, so there is no design to estimate with")
    }
    let weights: [Double]
    if let name = roles.weight {
      weights = try Self.numbers(name, role: "weight", in: table)
      for (row, weight) in weights.enumerated() where !(weight > 0 && weight.isFinite) {
        throw DesignError(
          "\(name) has the weight \(formatNumber(weight)) on line \(table.lines[row]); "
            + "weights must be positive")
      }
    } else {
      weights = Array(repeating: 1, count: table.rowCount)
    }
    let strata = try roles.strata.map { name throws(DesignError) in
      try Self.levels(name, role: "stratum", in: table)
    }
    var clusters: [[String]] = []
    for name in roles.clusters {
      clusters.append(try Self.levels(name, role: "cluster", in: table))
    }
    var sizes: [[Double]] = []
    for name in roles.populationSizes {
      sizes.append(try Self.numbers(name, role: "population size", in: table))
    }
    try self.init(
      weights: weights, strata: strata, clusters: clusters, populationSizes: sizes,
      lonelyPSU: lonelyPSU)
  }

  /// The column of a design variable, or an error naming it.
  private static func column(_ name: String, role: String, in table: ResponseTable)
    throws(DesignError) -> Column
  {
    guard let column = table.column(named: name) else {
      throw DesignError("the \(role) variable \(name) is not in the codebook")
    }
    return column
  }

  /// The error for a missing design value on `row`.
  private static func missingValue(_ name: String, role: String, row: Int, table: ResponseTable)
    -> DesignError
  {
    DesignError(
      "\(name) has no \(role) on line \(table.lines[row]); every row of the design needs one "
        + "(let survey check reject such rows)")
  }

  /// A numeric design variable (weights, population sizes): a weight, fpc or numeric question.
  private static func numbers(_ name: String, role: String, in table: ResponseTable)
    throws(DesignError) -> [Double]
  {
    guard case .numbers(let column) = try column(name, role: role, in: table) else {
      throw DesignError(
        "\(name) cannot be the \(role): it is not a number (use a weight, fpc or numeric variable)")
    }
    if let row = column.states.firstIndex(where: { !$0.isValid }) {
      throw missingValue(name, role: role, row: row, table: table)
    }
    return column.values
  }

  /// A categorical design variable (strata, clusters) as text labels: a stratum, cluster or
  /// single-choice question.
  private static func levels(_ name: String, role: String, in table: ResponseTable)
    throws(DesignError) -> [String]
  {
    let column = try column(name, role: role, in: table)
    if let row = column.states.firstIndex(where: { !$0.isValid }) {
      throw missingValue(name, role: role, row: row, table: table)
    }
    switch column {
    case .levels(let levels):
      return levels.indices.map { levels.levels[Int($0)] }
    case .codes(let codes):
      return codes.codes.map { String($0) }
    case .numbers(let numbers):
      return numbers.values.map(formatNumber)
    case .text(let text):
      return (0..<text.states.count).map { text[$0] ?? "" }
    case .multi:
      throw DesignError("\(name) cannot be the \(role): it is a multi-response question")
    }
  }
}
