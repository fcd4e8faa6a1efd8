/// The content of one field after decoding.
enum FieldText {
  /// Empty (or only spaces), or a column absent from the header.
  case blank
  case text(String)
  /// Bytes the file's encoding cannot decode, shown with `\xNN` escapes.
  case undecodable(String)
}

/// Reads numbers as analysts type them: ASCII or full-width digits (`１２`), an optional sign,
/// decimals and an exponent; `nan`, `inf` and hexadecimal are not numbers.
enum NumberSyntax {
  static func parse(_ text: String) -> Double? {
    var utf8 = Array(text.utf8)
    if utf8.contains(where: { $0 >= 0x80 }) {
      guard let normalized = normalizeWidth(text) else { return nil }
      utf8 = Array(normalized.utf8)
    }
    guard isDecimal(utf8) else { return nil }
    guard let value = Double(String(decoding: utf8, as: UTF8.self)), value.isFinite else {
      return nil
    }
    return value
  }

  /// Full-width digits, signs and point folded to ASCII and full-width spaces at the ends dropped;
  /// nil if anything else is non-ASCII.
  static func normalizeWidth(_ text: String) -> String? {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0xFF10...0xFF19:
        result.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
      case 0xFF0B: result.append("+")
      case 0xFF0D, 0x2212: result.append("-")
      case 0xFF0E: result.append(".")
      case 0x3000: result.append(" ")
      case 0..<0x80: result.unicodeScalars.append(scalar)
      default: return nil
      }
    }
    return trimmed(result)
  }

  private static func isDecimal(_ bytes: [UInt8]) -> Bool {
    var index = 0
    let count = bytes.count
    func digits() -> Int {
      let start = index
      while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
      return index - start
    }
    if index < count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
    var mantissa = digits()
    if index < count, bytes[index] == 0x2E {
      index += 1
      mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if index < count, bytes[index] == 0x65 || bytes[index] == 0x45 {
      index += 1
      if index < count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
      guard digits() > 0 else { return false }
    }
    return index == count
  }
}
