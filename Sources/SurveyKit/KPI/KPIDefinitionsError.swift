/// A KPI definitions file that cannot be used, with every problem found in it located in the
/// file.
///
/// ```
/// strategy-kpis.yaml:14:11: error: indicator new-jobs: target: "H32" is not a year; …
/// ```
public struct KPIDefinitionsError: LocatedFileError, Sendable, Hashable {
  public typealias Problem = LocatedProblem

  public var file: String
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }
}
