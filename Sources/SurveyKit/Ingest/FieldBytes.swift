import Glibc

/// Byte-level readings of a field for the fast path of ingest: the common, clean cell (`3`,
/// `141.12`, `1;2;5`, plain UTF-8 text) is read straight from libcsv's bytes, without a `String`.
/// Each function answers nil for anything it does not recognise, and the caller then takes the
/// general path, which decodes the text and words the diagnostics. So the fast path decides
/// only cells that are valid, and every message comes from one place.
enum FieldBytes {
  /// A plain unsigned decimal integer of 1–9 ASCII digits (`3`, `0012`), else nil.
  @inline(__always)
  static func smallInteger(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let count = bytes.count
    guard count > 0, count <= 9 else { return nil }
    var value = 0
    for index in 0..<count {
      let digit = Int(bytes[index]) &- 0x30
      guard digit >= 0, digit <= 9 else { return nil }
      value = value &* 10 &+ digit
    }
    return value
  }

  /// The value of a plain decimal id of up to 18 digits without a leading zero (`10023`, `0`),
  /// as the general path's unique check reads it; nil for anything else.
  static func canonicalInteger(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    let count = bytes.count
    guard count > 0, count <= 18, bytes[0] != 0x30 || count == 1 else { return nil }
    var value: Int64 = 0
    for byte in bytes {
      guard byte >= 0x30, byte <= 0x39 else { return nil }
      value = value * 10 + Int64(byte - 0x30)
    }
    return value
  }

  /// A number in the syntax `NumberSyntax` accepts, written in ASCII without spaces
  /// (`-12`, `141.12`, `3.5e2`), as a finite Double; nil for anything else.
  ///
  /// Integers of up to 15 digits are converted exactly; others go through `strtod`, which rounds
  /// correctly, as the general path's `Double(String)` does, so both paths give the same value.
  static func number(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    guard count > 0, count <= 64 else { return nil }
    var index = 0
    var negative = false
    if bytes[0] == 0x2B || bytes[0] == 0x2D {
      negative = bytes[0] == 0x2D
      index = 1
    }
    var integer = 0
    var digits = 0
    while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
      integer = integer &* 10 &+ Int(bytes[index] &- 0x30)
      digits += 1
      index += 1
    }
    if index == count {
      guard digits > 0 else { return nil }
      if digits <= 15 { return negative ? -Double(integer) : Double(integer) }
      return parseWithStrtod(bytes)
    }
    // Decimals and an exponent: check the syntax, then let strtod round.
    var mantissa = digits
    if bytes[index] == 0x2E {
      index += 1
      while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        mantissa += 1
        index += 1
      }
    }
    guard mantissa > 0 else { return nil }
    if index < count, bytes[index] == 0x65 || bytes[index] == 0x45 {
      index += 1
      if index < count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
      var exponentDigits = 0
      while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
        exponentDigits += 1
        index += 1
      }
      guard exponentDigits > 0 else { return nil }
    }
    guard index == count else { return nil }
    return parseWithStrtod(bytes)
  }

  private static func parseWithStrtod(_ bytes: UnsafeRawBufferPointer) -> Double? {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
      for index in 0..<bytes.count { buffer[index] = CChar(bitPattern: bytes[index]) }
      buffer[bytes.count] = 0
      let value = strtod(buffer.baseAddress!, nil)
      return value.isFinite ? value : nil
    }
  }

  /// Whether `bytes` are well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
  static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    while index < bytes.count {
      guard case .valid(let length) = UTF8Validation.sequence(bytes, at: index) else {
        return false
      }
      index += length
    }
    return true
  }

  /// Whether the text starts with a character that is not white space, so trimming cannot leave
  /// it empty: the non-ASCII spaces are U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
  /// U+202F, U+205F and U+3000 (Unicode's White_Space). ASCII controls answer false (the general
  /// path decides them).
  static func startsWithVisibleCharacter(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let first = bytes.first else { return false }
    if first < 0x80 { return first > 0x20 && first != 0x7F }
    let second = bytes.count > 1 ? bytes[1] : 0
    let third = bytes.count > 2 ? bytes[2] : 0
    switch first {
    case 0xC2: return second != 0x85 && second != 0xA0
    case 0xE1: return !(second == 0x9A && third == 0x80)
    case 0xE2:
      if second == 0x80 {
        return !((0x80...0x8A).contains(third) || [0xA8, 0xA9, 0xAF].contains(third))
      }
      return !(second == 0x81 && third == 0x9F)
    case 0xE3: return !(second == 0x80 && third == 0x80)
    default: return true
    }
  }

  /// Whether the bytes hold a carriage return (a line break kept inside a quoted field).
  static func containsCarriageReturn(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return false }
    return memchr(base, 0x0D, bytes.count) != nil
  }

  /// Whether every byte is ASCII.
  static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for byte in bytes where byte >= 0x80 { return false }
    return true
  }
}
