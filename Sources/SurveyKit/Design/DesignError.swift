/// A sampling design that cannot be used, or an estimate that cannot be made, in one sentence.
public struct DesignError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }

  static func lonelyPSU(stratum: String, stage: Int) -> DesignError {
    DesignError(
      "stratum \(stratum) has only one PSU at stage \(stage), so its variance cannot be "
        + "estimated; choose a lonely-PSU policy (remove, certainty, adjust or average)")
  }
}
