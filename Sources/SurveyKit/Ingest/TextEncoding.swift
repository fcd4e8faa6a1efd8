/// The character encodings of survey exports that SurveyKit reads.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, Codable {
  /// UTF-8, with or without a byte-order mark.
  case utf8 = "utf-8"
  /// Windows-31J (CP932): Shift_JIS with the NEC and IBM extensions (①, ㈱, 髙), as Excel and
  /// most Japanese vendors write it. Plain Shift_JIS files read correctly as CP932.
  case cp932

  /// Reads the names users type: `utf-8`, `utf8`, `cp932`, `shift_jis`, `sjis`, `windows-31j`.
  public init?(name: String) {
    switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
    case "utf-8", "utf8": self = .utf8
    case "cp932", "shift-jis", "sjis", "windows-31j", "ms932", "shiftjis": self = .cp932
    default: return nil
    }
  }

  /// The name shown to users.
  public var displayName: String {
    switch self {
    case .utf8: return "UTF-8"
    case .cp932: return "CP932"
    }
  }

  /// Guesses the encoding from the first bytes of a file: UTF-8 when they are valid UTF-8 (or
  /// plain ASCII), otherwise CP932 when that reads them with fewer undecodable bytes.
  public static func detect(_ sample: [UInt8]) -> TextEncoding {
    let utf8Errors = UTF8Validation.errorCount(sample, allowTruncatedEnd: true)
    if utf8Errors == 0 { return .utf8 }
    let cp932Errors = FieldDecoder(encoding: .cp932).errorCount(sample)
    return cp932Errors < utf8Errors ? .cp932 : .utf8
  }
}

/// How the lines of a file end.
public enum LineEnding: String, Sendable, Hashable, Codable {
  case lf = "LF"
  case crlf = "CRLF"
  /// Bare carriage returns, as old Mac programs wrote.
  case cr = "CR"
  case mixed = "mixed"
  case none = "none"
}

enum UTF8Validation {
  /// What starts at one byte of a UTF-8 text.
  enum Sequence {
    /// A well-formed character of this many bytes (no overlong form, no surrogate, at most
    /// U+10FFFF).
    case valid(Int)
    case invalid
    /// A lead byte whose character the text ends before.
    case truncated
  }

  /// The UTF-8 sequence at `index` of `bytes`.
  @inline(__always)
  static func sequence<Bytes: RandomAccessCollection>(_ bytes: Bytes, at index: Bytes.Index)
    -> Sequence where Bytes.Element == UInt8, Bytes.Index == Int
  {
    let byte = bytes[index]
    if byte < 0x80 { return .valid(1) }
    let length: Int
    let minimum: UInt32
    var scalar: UInt32
    switch byte {
    case 0xC2...0xDF:
      length = 2
      minimum = 0x80
      scalar = UInt32(byte & 0x1F)
    case 0xE0...0xEF:
      length = 3
      minimum = 0x800
      scalar = UInt32(byte & 0x0F)
    case 0xF0...0xF4:
      length = 4
      minimum = 0x10000
      scalar = UInt32(byte & 0x07)
    default:
      return .invalid
    }
    if index + length > bytes.endIndex { return .truncated }
    for offset in 1..<length {
      let next = bytes[index + offset]
      if next & 0xC0 != 0x80 { return .invalid }
      scalar = scalar << 6 | UInt32(next & 0x3F)
    }
    guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
      return .invalid
    }
    return .valid(length)
  }

  /// The number of invalid sequences in `bytes`; a sequence cut off by the end of a sample
  /// is not counted when `allowTruncatedEnd`.
  static func errorCount(_ bytes: [UInt8], allowTruncatedEnd: Bool) -> Int {
    var errors = 0
    var index = 0
    while index < bytes.count {
      switch sequence(bytes, at: index) {
      case .valid(let length):
        index += length
      case .invalid:
        errors += 1
        index += 1
      case .truncated:
        if !allowTruncatedEnd || bytes[(index + 1)...].contains(where: { $0 & 0xC0 != 0x80 }) {
          errors += 1
        }
        return errors
      }
    }
    return errors
  }
}
