/// A table spec that cannot be used, with every problem found in it located in the YAML file.
///
/// ```
/// tables.yaml:7:13: error: table 1: rows: Q99 is not a variable of the codebook
/// ```
public struct BannerTableSpecError: LocatedFileError, Sendable, Hashable {
  public typealias Problem = LocatedProblem

  public var file: String
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }
}
