/// Why a table cannot be made, in one sentence.
public enum TabulationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The name is not a variable of the codebook.
  case unknownVariable(String)
  /// The variable is not a single, multi or numeric question (the id, a weight, free text…).
  case notTabulated(String, VariableType)
  /// `reversed` names a variable that is not a single question with consecutive codes.
  case notAScale(String)
  /// The design cannot give a variance (a lonely PSU under `fail`, …).
  case design(DesignError)

  public var description: String {
    switch self {
    case .unknownVariable(let name):
      return "\(name) is not a variable of the codebook"
    case .notTabulated(let name, let type):
      return "\(name) is a \(type.rawValue) variable; only single, multi and numeric questions "
        + "have frequency tables"
    case .notAScale(let name):
      return "\(name) cannot be reversed: only a single question whose codes are consecutive "
        + "whole numbers (a rating scale such as 1–5) can"
    case .design(let error):
      return error.description
    }
  }
}
