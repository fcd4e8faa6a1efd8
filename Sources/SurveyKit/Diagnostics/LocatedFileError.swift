/// One problem at a line and column of an input file (both from 1).
public struct LocatedProblem: Sendable, Hashable {
  public var line: Int
  public var column: Int
  public var message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }
}

extension LocatedProblem: PositionedProblem {}

/// An input file (codebook, table spec, weighting targets, KPI definitions, project) that cannot
/// be used, with every problem found in it located, printed as a compiler prints them:
///
/// ```
/// tables.yaml:7:13: error: table 1: rows: Q99 is not a variable of the codebook
/// ```
public protocol LocatedFileError: Error, CustomStringConvertible {
  /// The file's name as given, for messages.
  var file: String { get }
  /// The problems, in file order.
  var problems: [LocatedProblem] { get }
}

extension LocatedFileError {
  /// One line per problem: `file:line:column: error: message`.
  public var description: String {
    problems.map { "\(file):\($0.line):\($0.column): error: \($0.message)" }
      .joined(separator: "\n")
  }
}
