/// Why a banner table cannot be made, in one sentence.
public enum BannerTableError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The name is not a variable of the codebook.
  case unknownVariable(String)
  /// The variable cannot be a stub (single, multi and numeric questions and the stratum can).
  case notAStub(String, VariableType)
  /// The variable cannot be a break (single, multi, numeric questions and the stratum can).
  case notABreak(String, VariableType)
  /// A numeric break with more values than a banner can show.
  case tooManyValues(String, Int)
  /// A mean row asked of a question whose codes are not a scale.
  case notAScale(String)
  /// A net names a code the question does not have.
  case unknownNetCode(variable: String, net: String, code: Int)
  /// A recode has the name of a variable of the codebook or of another recode.
  case duplicateRecode(String)
  /// A recode of a variable that is not single-choice or numeric.
  case notRecodable(String, VariableType)
  /// A nested break (`F1 > F2`) with a variable that cannot be nested (only single-choice
  /// questions and recodes can).
  case notNestable(String, VariableType)
  /// A nested break that is not two variables joined by `>`.
  case badNesting(String)
  /// The design cannot give a variance (a lonely PSU under `fail`, …).
  case design(DesignError)

  public var description: String {
    switch self {
    case .unknownVariable(let name):
      return "\(name) is not a variable of the codebook"
    case .notAStub(let name, let type):
      return "\(name) is a \(type.rawValue) variable; only single, multi and numeric questions "
        + "and the stratum can be rows of a table"
    case .notABreak(let name, let type):
      return "\(name) is a \(type.rawValue) variable; only single, multi and numeric questions "
        + "and the stratum can be banner columns"
    case .tooManyValues(let name, let count):
      return "\(name) has \(count) different values, too many for banner columns (at most 20 "
        + "without labels); recode it into groups first"
    case .notAScale(let name):
      return "\(name) has no mean: only a single question whose codes are consecutive whole "
        + "numbers (a rating scale such as 1–5) or a numeric question has one"
    case .unknownNetCode(let variable, let net, let code):
      return "the net \(net) of \(variable) names the code \(code), which is not one of its codes"
    case .duplicateRecode(let name):
      return "\(name) is already the name of a variable or of another recode"
    case .notRecodable(let name, let type):
      return "\(name) is a \(type.rawValue) variable; only single-choice and numeric variables "
        + "can be recoded"
    case .notNestable(let name, let type):
      return "\(name) is a \(type.rawValue) variable; only single-choice questions and recodes "
        + "can be nested in a banner (F1 > F2)"
    case .badNesting(let text):
      return "\"\(text)\" is not a nested break; write two single-choice variables joined by >, "
        + "such as F1 > F2"
    case .design(let error):
      return error.description
    }
  }
}
