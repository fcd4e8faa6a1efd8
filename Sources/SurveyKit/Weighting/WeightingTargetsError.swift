/// A targets file that cannot be used, with every problem found in it located in the file.
///
/// ```
/// targets.yaml:12:9: error: margin F2: the shares sum to 0.99, not 1
/// ```
public struct WeightingTargetsError: LocatedFileError, Sendable, Hashable {
  public typealias Problem = LocatedProblem

  public var file: String
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }
}
