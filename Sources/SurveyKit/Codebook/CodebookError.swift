/// A codebook that cannot be used, with every problem found in it located in the YAML file.
///
/// ```
/// codebooks/survey.yaml:41:11: error: Q3: type "multiple" is not one of id, single, multi, …
/// ```
public struct CodebookError: LocatedFileError, Sendable, Hashable {
  public typealias Problem = LocatedProblem

  public var file: String
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }
}
