import Glibc

/// Turns the bytes of one CSV field into text: UTF-8 is validated, CP932 is converted with glibc's
/// iconv (Foundation's Shift_JIS support on Linux is incomplete). Owns the iconv handle.
///
/// Every raw iconv call of SurveyKit is in this file.
final class FieldDecoder {
  private(set) var encoding: TextEncoding
  /// True while the encoding is a guess from plain-ASCII bytes: the first field that is not
  /// ASCII decides it (a file whose first chunk is all codes and numbers).
  private(set) var isTentative: Bool
  private var converter: iconv_t?
  private var output: [UInt8] = []

  init(encoding: TextEncoding, tentative: Bool = false) {
    self.encoding = encoding
    self.isTentative = tentative
    if encoding == .cp932 { openConverter() }
  }

  deinit {
    if let converter { iconv_close(converter) }
  }

  private func openConverter() {
    guard converter == nil else { return }
    let handle = iconv_open("UTF-8", "CP932")
    // iconv_open returns (iconv_t)-1 when the conversion is not installed.
    converter = Int(bitPattern: handle) == -1 ? nil : handle
  }

  /// The text of `bytes`, or nil when they are not valid in the encoding.
  func decode(_ bytes: UnsafeRawBufferPointer) -> String? {
    if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
    if isTentative {
      isTentative = false
      if String(validating: bytes, as: UTF8.self) == nil {
        openConverter()
        encoding = .cp932
        if convert(bytes, lossy: false) == nil { encoding = .utf8 }
      }
    }
    switch encoding {
    case .utf8:
      return String(validating: bytes, as: UTF8.self)
    case .cp932:
      return convert(bytes, lossy: false)
    }
  }

  /// The text of `bytes` with every undecodable byte written as `\xNN`, for messages and logs.
  func display(_ bytes: UnsafeRawBufferPointer) -> String {
    if let text = decode(bytes) { return text }
    switch encoding {
    case .utf8:
      var text = ""
      var index = 0
      while index < bytes.count {
        // Take the longest valid prefix, then escape one byte.
        var end = min(bytes.count, index + 4)
        var piece: String?
        while end > index {
          piece = String(
            validating: UnsafeRawBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
          if piece != nil { break }
          end -= 1
        }
        if let piece, end > index {
          text += piece
          index = end
        } else {
          text += escape(bytes[index])
          index += 1
        }
      }
      return text
    case .cp932:
      return convert(bytes, lossy: true) ?? ""
    }
  }

  /// The number of undecodable bytes in a sample (a multi-byte character cut off at the end
  /// is not counted).
  func errorCount(_ bytes: [UInt8]) -> Int {
    guard encoding == .cp932, let converter else {
      return UTF8Validation.errorCount(bytes, allowTruncatedEnd: true)
    }
    var errors = 0
    bytes.withUnsafeBytes { buffer in
      iconv(converter, nil, nil, nil, nil)
      var scratch = [UInt8](repeating: 0, count: 4096)
      var inPointer = UnsafeMutablePointer(
        mutating: buffer.baseAddress?.assumingMemoryBound(to: CChar.self))
      var inLeft = buffer.count
      while inLeft > 0 {
        let result = scratch.withUnsafeMutableBytes { out -> Int in
          var outPointer = out.baseAddress?.assumingMemoryBound(to: CChar.self)
          var outLeft = out.count
          return iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
        }
        if result == -1 {
          switch errno {
          case E2BIG: continue
          case EINVAL: inLeft = 0  // cut off at the end of the sample
          default:
            errors += 1
            inPointer = inPointer.map { $0 + 1 }
            inLeft -= 1
          }
        }
      }
    }
    return errors
  }

  private func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for byte in bytes where byte >= 0x80 { return false }
    return true
  }

  private func escape(_ byte: UInt8) -> String {
    let hex = String(byte, radix: 16, uppercase: true)
    return "\\x" + (hex.count == 1 ? "0" + hex : hex)
  }

  /// CP932 to UTF-8. Strict: nil on the first undecodable byte. Lossy: each one becomes `\xNN`.
  private func convert(_ bytes: UnsafeRawBufferPointer, lossy: Bool) -> String? {
    guard let converter else { return nil }
    iconv(converter, nil, nil, nil, nil)
    let capacity = bytes.count * 3 + 16
    if output.count < capacity { output = [UInt8](repeating: 0, count: capacity) }
    var text = ""
    var inPointer = UnsafeMutablePointer(
      mutating: bytes.baseAddress?.assumingMemoryBound(to: CChar.self))
    var inLeft = bytes.count
    while true {
      var failed = false
      let produced = output.withUnsafeMutableBytes { out -> Int in
        var outPointer = out.baseAddress?.assumingMemoryBound(to: CChar.self)
        var outLeft = out.count
        let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
        if result == -1 { failed = true }
        return out.count - outLeft
      }
      text += String(decoding: output[0..<produced], as: UTF8.self)
      if !failed || inLeft == 0 { return text }
      guard lossy, let bad = inPointer else { return nil }
      text += escape(UInt8(bitPattern: bad.pointee))
      inPointer = bad + 1
      inLeft -= 1
      iconv(converter, nil, nil, nil, nil)
    }
  }
}
