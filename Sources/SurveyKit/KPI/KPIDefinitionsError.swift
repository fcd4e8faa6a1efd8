/// A KPI definitions file that cannot be used, with every problem found in it located in the
/// file.
///
/// ```
/// strategy-kpis.yaml:14:11: error: indicator new-jobs: target: "H32" is not a year; …
/// ```
public struct KPIDefinitionsError: Error, Sendable, Hashable, CustomStringConvertible {
  /// One problem at a line and column of the file (both from 1).
  public struct Problem: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
      self.line = line
      self.column = column
      self.message = message
    }
  }

  /// The file's name as given, for messages.
  public var file: String
  /// The problems in file order.
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }

  /// One line per problem, as a compiler prints it: `file:line:column: error: message`.
  public var description: String {
    problems.map { "\(file):\($0.line):\($0.column): error: \($0.message)" }
      .joined(separator: "\n")
  }
}

extension KPIDefinitionsError.Problem: PositionedProblem {}
