/// A codebook that cannot be used, with every problem found in it located in the YAML file.
///
/// ```
/// codebooks/survey.yaml:41:11: error: Q3: type "multiple" is not one of id, single, multi, …
/// ```
public struct CodebookError: Error, Sendable, Hashable, CustomStringConvertible {
  public struct Problem: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
  }

  public var file: String
  public var problems: [Problem]

  public var description: String {
    problems.map { "\(file):\($0.line):\($0.column): error: \($0.message)" }
      .joined(separator: "\n")
  }
}
