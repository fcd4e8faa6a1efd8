/// The validated, typed, columnar survey: one column per codebook variable, one row per accepted
/// respondent, in file order. Every later stage (design, estimation, tables) reads this value.
public struct ResponseTable: Sendable, Hashable {
  /// The codebook's variables, in the order of `columns`.
  public let variables: [Variable]
  public internal(set) var columns: [Column]
  /// The physical line of the export where each row starts (1 is the header).
  public internal(set) var lines: [Int] = []

  init(variables: [Variable], columns: [Column], lines: [Int]) {
    self.variables = variables
    self.columns = columns
    self.lines = lines
  }

  public var rowCount: Int { lines.count }

  /// The position of the variable named `name`.
  public func index(of name: String) -> Int? {
    variables.firstIndex { $0.name == name }
  }

  /// The column of the variable named `name`.
  public func column(named name: String) -> Column? {
    index(of: name).map { columns[$0] }
  }
}
