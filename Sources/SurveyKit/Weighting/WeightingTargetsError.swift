/// A targets file that cannot be used, with every problem found in it located in the file.
///
/// ```
/// targets.yaml:12:9: error: margin F2: the shares sum to 0.99, not 1
/// ```
public struct WeightingTargetsError: Error, Sendable, Hashable, CustomStringConvertible {
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

extension WeightingTargetsError.Problem: PositionedProblem {}
