/// When a question was asked, as a condition on earlier answers: `Q2 < Q1`, `F1 == 2 and F2 in [1, 2]`.
///
/// Grammar (keywords are case-sensitive; `&&`, `||` and `!` are accepted too):
/// ```
/// or      := and ("or" and)*
/// and     := not ("and" not)*
/// not     := "not" not | "(" or ")" | compare
/// compare := operand ("==" | "!=" | "<" | "<=" | ">" | ">=") operand | operand "in" "[" number ("," number)* "]"
/// operand := variable name | number
/// ```
/// Evaluation is three-valued: a comparison with a missing answer is unknown, and a question whose
/// filter is unknown is not checked either way.
public indirect enum FilterExpression: Sendable, Hashable {
  case compare(Operand, Comparison, Operand)
  case member(Operand, [Double])
  case not(FilterExpression)
  case and(FilterExpression, FilterExpression)
  case or(FilterExpression, FilterExpression)

  public enum Operand: Sendable, Hashable {
    case variable(String)
    case number(Double)
  }

  public enum Comparison: String, Sendable, Hashable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
  }

  /// The variables the expression reads.
  public var variables: [String] {
    func names(_ operand: Operand) -> [String] {
      if case .variable(let name) = operand { return [name] }
      return []
    }
    switch self {
    case .compare(let left, _, let right): return names(left) + names(right)
    case .member(let operand, _): return names(operand)
    case .not(let inner): return inner.variables
    case .and(let left, let right), .or(let left, let right):
      return left.variables + right.variables
    }
  }

  /// True, false, or nil when an answer it needs is missing.
  public func evaluate(_ value: (String) -> Double?) -> Bool? {
    func resolve(_ operand: Operand) -> Double? {
      switch operand {
      case .variable(let name): return value(name)
      case .number(let number): return number
      }
    }
    switch self {
    case .compare(let left, let comparison, let right):
      guard let a = resolve(left), let b = resolve(right) else { return nil }
      return comparison.holds(a, b)
    case .member(let operand, let list):
      guard let a = resolve(operand) else { return nil }
      return list.contains(a)
    case .not(let inner):
      return inner.evaluate(value).map { !$0 }
    case .and(let left, let right):
      return Self.and(left.evaluate(value), right.evaluate(value))
    case .or(let left, let right):
      return Self.or(left.evaluate(value), right.evaluate(value))
    }
  }

  /// Three-valued `and` (nil: unknown): false if either side is false, unknown if either is.
  static func and(_ a: Bool?, _ b: Bool?) -> Bool? {
    if a == false || b == false { return false }
    if a == nil || b == nil { return nil }
    return true
  }

  /// Three-valued `or` (nil: unknown): true if either side is true, unknown if either is.
  static func or(_ a: Bool?, _ b: Bool?) -> Bool? {
    if a == true || b == true { return true }
    if a == nil || b == nil { return nil }
    return false
  }
}

extension FilterExpression.Comparison {
  /// Whether `a` stands in this relation to `b`.
  func holds(_ a: Double, _ b: Double) -> Bool {
    switch self {
    case .equal: return a == b
    case .notEqual: return a != b
    case .less: return a < b
    case .lessOrEqual: return a <= b
    case .greater: return a > b
    case .greaterOrEqual: return a >= b
    }
  }
}

extension FilterExpression: CustomStringConvertible {
  public var description: String {
    func text(_ operand: Operand) -> String {
      switch operand {
      case .variable(let name): return name
      case .number(let number): return formatNumber(number)
      }
    }
    switch self {
    case .compare(let left, let comparison, let right):
      return "\(text(left)) \(comparison.rawValue) \(text(right))"
    case .member(let operand, let list):
      return "\(text(operand)) in [\(list.map(formatNumber).joined(separator: ", "))]"
    case .not(let inner): return "not (\(inner))"
    case .and(let left, let right): return "(\(left)) and (\(right))"
    case .or(let left, let right): return "(\(left)) or (\(right))"
    }
  }
}

/// A number as a person writes it: `3`, not `3.0`.
func formatNumber(_ number: Double) -> String {
  if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
  return String(number)
}
