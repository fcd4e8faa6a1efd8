import Foundation

/// How figures are written in reports: rounded for people (text, Markdown), unrounded for
/// programs (CSV, JSON).
enum Figures {
  /// What a report shows for a value that is 0 or cannot be computed (Japanese convention).
  static let dash = "−"

  /// `value` with `digits` decimals, never `-0.0`.
  static func fixed(_ value: Double, _ digits: Int) -> String {
    let text = String(format: "%.\(digits)f", value)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }

  /// A whole number with thousands separators: `1,200`.
  static func count(_ value: Int) -> String { grouped(value) }

  /// A weighted count rounded to a whole number, with thousands separators: `145,000`.
  static func weighted(_ value: Double) -> String {
    value.isFinite ? grouped(Int(value.rounded())) : dash
  }

  /// A share (0…1) as a percentage with one decimal: `55.3`.
  static func percent(_ share: Double) -> String { fixed(share * 100, 1) }

  /// The shortest text that reads back to the same double (`0.553`, `70127.33333333333`).
  static func exact(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// A value of the data (a median): whole numbers as they are, others with two decimals.
  static func value(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : fixed(value, 2)
  }

  /// A confidence level as a percentage: `95%`, `99.5%`.
  static func level(_ level: Double) -> String {
    let percent = (level * 100 * 1e6).rounded() / 1e6
    return formatNumber(percent) + "%"
  }
}
