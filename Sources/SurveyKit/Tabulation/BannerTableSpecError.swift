/// A table spec that cannot be used, with every problem found in it located in the YAML file.
///
/// ```
/// tables.yaml:7:13: error: table 1: rows: Q99 is not a variable of the codebook
/// ```
public struct BannerTableSpecError: Error, Sendable, Hashable, CustomStringConvertible {
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

  public var file: String
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }

  public var description: String {
    problems.map { "\(file):\($0.line):\($0.column): error: \($0.message)" }
      .joined(separator: "\n")
  }
}
