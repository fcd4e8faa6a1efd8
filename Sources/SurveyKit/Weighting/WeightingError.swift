import Foundation

/// Why weights cannot be adjusted to the population: one sentence naming the margin, the category
/// and the numbers. Weighting never ends in a printed warning: a result that does not meet its
/// targets is an error.
public struct WeightingError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  /// The targets file and line the error is about, when it is about one.
  public var file: String?
  public var line: Int?

  public init(_ message: String, file: String? = nil, line: Int? = nil) {
    self.message = message
    self.file = file
    self.line = line
  }

  /// `targets.yaml:12: error: message` when located, else the message.
  public var description: String {
    guard let file else { return message }
    return "\(file):\(line.map(String.init) ?? "1"): error: \(message)"
  }
}

/// A number for a message: integers as they are, others to two decimals (six significant digits
/// below 1), trailing zeros dropped: `20300`, `20311.25`, `0.000125`.
func formatAmount(_ value: Double) -> String {
  guard value.isFinite else { return String(value) }
  if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
  var text = abs(value) >= 1 ? String(format: "%.2f", value) : String(format: "%.6g", value)
  if text.contains(".") && !text.contains("e") {
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
  }
  return text
}
