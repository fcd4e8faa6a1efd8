import CLibCSV
import Glibc

/// One record of a CSV file as parsed by libcsv: the raw bytes of its fields, where each field
/// starts, and the original text of the physical lines it spans.
struct CSVRecord {
  /// The physical line where the record starts (1-based).
  var startLine = 1
  var fieldBytes: [UInt8] = []
  /// `fieldEnds[i]` is the offset just past field `i` in `fieldBytes`.
  var fieldEnds: [Int] = []
  /// The physical line where each field starts.
  var fieldLines: [Int] = []
  /// The record's physical lines as they are in the file, line breaks included.
  var raw: [UInt8] = []

  var fieldCount: Int { fieldEnds.count }

  /// Calls `body` with the bytes of field `index`.
  func withField<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    let start = index == 0 ? 0 : fieldEnds[index - 1]
    return fieldBytes.withUnsafeBytes {
      body(UnsafeRawBufferPointer(rebasing: $0[start..<fieldEnds[index]]))
    }
  }

  /// Becomes a copy of `other`, reusing this record's arrays.
  mutating func assign(_ other: CSVRecord) {
    removeAll()
    startLine = other.startLine
    fieldBytes.append(contentsOf: other.fieldBytes)
    fieldEnds.append(contentsOf: other.fieldEnds)
    fieldLines.append(contentsOf: other.fieldLines)
    raw.append(contentsOf: other.raw)
  }

  mutating func removeAll() {
    fieldBytes.removeAll(keepingCapacity: true)
    fieldEnds.removeAll(keepingCapacity: true)
    fieldLines.removeAll(keepingCapacity: true)
    raw.removeAll(keepingCapacity: true)
  }
}

/// What the CSV reader finds, in file order.
enum CSVEvent {
  case record(CSVRecord)
  /// A line with nothing on it (or only spaces) outside any record.
  case blankLine(line: Int)
  /// A record libcsv cannot parse; `fieldIndex` is the 0-based field where parsing stopped.
  case malformed(startLine: Int, line: Int, fieldIndex: Int, problem: String, raw: [UInt8])
}

/// Streams a CSV file through libcsv one physical line at a time, so every record and field
/// knows the line it starts on, and memory holds one record, not the file.
///
/// Every raw libcsv call of SurveyKit is in this file. libcsv runs in strict mode
/// (`CSV_STRICT | CSV_STRICT_FINI`): a stray quote is an error, not silently kept. A quoted field
/// that is never closed would swallow the rest of the file, so a record is cut off at
/// `maximumRecordBytes`: its first line is reported as malformed and the lines after it are read
/// again as new records.
final class CSVRecordReader {
  static let maximumRecordBytes = 1 << 20

  private let parser: UnsafeMutablePointer<csv_parser>
  @exclusivity(unchecked) private var record = CSVRecord()
  /// Offsets in `record.raw` just past each physical line fed.
  @exclusivity(unchecked) private var rawLineEnds: [Int] = []
  /// Number of rows libcsv ended during the current `feedLine` call, with their field counts.
  @exclusivity(unchecked) private var rowEnds: [Int] = []
  @exclusivity(unchecked) private var nextFieldLine = 1
  private var carry: [UInt8] = []
  private var skippingRestOfLine = false
  private var handler: (CSVEvent) -> Void = { _ in }

  /// The physical line being read.
  private(set) var currentLine = 1
  private(set) var lfLines = 0
  private(set) var crlfLines = 0
  private(set) var crLines = 0
  /// Where complete records go, when set, instead of the handler: it may swap the record for
  /// another (whose contents the reader then clears), so records are handed over without a copy.
  var recordSink: ((inout CSVRecord) -> Void)?
  /// The byte that ends a physical line: LF, or CR for a file with bare carriage returns
  /// (old Mac exports), so that such a file still has line numbers.
  var lineBreak: UInt8 = 0x0A

  init() {
    parser = .allocate(capacity: 1)
    csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI))
  }

  deinit {
    csv_free(parser)
    parser.deallocate()
  }

  var lineEnding: LineEnding {
    if crLines > 0 { return lfLines + crlfLines == 0 ? .cr : .mixed }
    switch (lfLines, crlfLines) {
    case (0, 0): return .none
    case (_, 0): return .lf
    case (0, _): return .crlf
    default: return .mixed
    }
  }

  /// Parses the next piece of the file; complete records go to `handler` before this returns.
  func feed(_ chunk: UnsafeRawBufferPointer, handler: @escaping (CSVEvent) -> Void) {
    self.handler = handler
    var start = 0
    let count = chunk.count
    guard let base = chunk.baseAddress else { return }
    if !carry.isEmpty {
      guard let newline = memchr(base, Int32(lineBreak), count) else {
        carry.append(contentsOf: chunk)
        if carry.count > Self.maximumRecordBytes { flushCarry() }
        return
      }
      let end = base.distance(to: UnsafeRawPointer(newline)) + 1
      carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<end]))
      flushCarry()
      start = end
    }
    while start < count, let newline = memchr(base + start, Int32(lineBreak), count - start) {
      let end = base.distance(to: UnsafeRawPointer(newline)) + 1
      feedLine(UnsafeRawBufferPointer(rebasing: chunk[start..<end]))
      start = end
    }
    if start < count {
      carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start..<count]))
      if carry.count > Self.maximumRecordBytes { flushCarry() }
    }
  }

  /// Ends the file: the last record (with or without a final line break) goes to `handler`.
  func finish(handler: @escaping (CSVEvent) -> Void) {
    self.handler = handler
    flushCarry()
    while parser.pointee.pstate != 0 || !record.fieldEnds.isEmpty {
      if csv_fini(parser, fieldCallback, rowCallback, Unmanaged.passUnretained(self).toOpaque())
        != 0
      {
        cutOffRunawayRecord(problem: "a quoted field opened here is never closed")
        continue
      }
      emitRows()
    }
  }

  private func flushCarry() {
    guard !carry.isEmpty else { return }
    carry.withUnsafeBytes { feedLine($0) }
    carry.removeAll(keepingCapacity: true)
  }

  /// Feeds one physical line (with its line break, if any) to libcsv.
  private func feedLine(_ line: UnsafeRawBufferPointer) {
    let endsLine = line.last == lineBreak
    defer {
      if endsLine {
        currentLine += 1
        // A quoted field still open goes on; it started on an earlier line.
        if parser.pointee.pstate < 2 { nextFieldLine = currentLine }
      }
    }
    if endsLine {
      if lineBreak == 0x0D {
        crLines += 1
      } else if line.count >= 2 && line[line.count - 2] == 0x0D {
        crlfLines += 1
      } else {
        lfLines += 1
      }
    }
    if skippingRestOfLine {
      if endsLine { skippingRestOfLine = false }
      return
    }
    let outsideRecord = parser.pointee.pstate == 0 && record.fieldEnds.isEmpty
    if outsideRecord {
      record.startLine = currentLine
      nextFieldLine = currentLine
    }
    record.raw.append(contentsOf: line)
    rawLineEnds.append(record.raw.count)
    let consumed = csv_parse(
      parser, line.baseAddress, line.count, fieldCallback, rowCallback,
      Unmanaged.passUnretained(self).toOpaque())
    if consumed < line.count {
      let state = parser.pointee.pstate
      let problem =
        state == 3
        ? "text follows the closing quote of a quoted field"
        : "a quote appears inside an unquoted field"
      let fieldIndex = record.fieldEnds.count - (rowEnds.last ?? 0)
      emitRows()
      handler(
        .malformed(
          startLine: record.startLine, line: currentLine, fieldIndex: fieldIndex,
          problem: problem, raw: record.raw))
      resetParser()
      skippingRestOfLine = !endsLine
      return
    }
    if !rowEnds.isEmpty {
      emitRows()
    } else if outsideRecord && parser.pointee.pstate == 0 {
      handler(.blankLine(line: currentLine))
      record.raw.removeAll(keepingCapacity: true)
      rawLineEnds.removeAll(keepingCapacity: true)
    } else if record.raw.count > Self.maximumRecordBytes {
      let quoted = parser.pointee.quoted != 0
      cutOffRunawayRecord(
        problem: quoted
          ? "a quoted field opened here is not closed within 1 MiB"
          : "the record is longer than 1 MiB")
      skippingRestOfLine = !endsLine && rawLineEnds.count == 0
    }
  }

  /// Reports the open record's first line as malformed, then reads the lines after it again.
  private func cutOffRunawayRecord(problem: String) {
    let firstEnd = min(rawLineEnds.first ?? record.raw.count, 64 << 10)
    let firstLine = Array(record.raw[0..<firstEnd])
    let rest = Array(record.raw[(rawLineEnds.first ?? record.raw.count)...])
    let startLine = record.startLine
    let fieldIndex = record.fieldEnds.count
    resetParser()
    handler(
      .malformed(
        startLine: startLine, line: startLine, fieldIndex: fieldIndex, problem: problem,
        raw: firstLine))
    guard !rest.isEmpty else { return }
    let savedLine = currentLine
    let savedLF = lfLines
    let savedCRLF = crlfLines
    let savedCR = crLines
    currentLine = startLine + 1
    nextFieldLine = currentLine
    var start = 0
    rest.withUnsafeBytes { bytes in
      while start < bytes.count {
        var end = start
        while end < bytes.count && bytes[end] != lineBreak { end += 1 }
        end = min(end + 1, bytes.count)
        feedLine(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        start = end
      }
    }
    // The re-read lines were counted once already.
    lfLines = savedLF
    crlfLines = savedCRLF
    crLines = savedCR
    _ = savedLine
  }

  private func resetParser() {
    parser.pointee.pstate = 0
    parser.pointee.quoted = 0
    parser.pointee.spaces = 0
    parser.pointee.entry_pos = 0
    parser.pointee.status = 0
    record.removeAll()
    rawLineEnds.removeAll(keepingCapacity: true)
    rowEnds.removeAll(keepingCapacity: true)
  }

  /// Hands the rows libcsv ended to the handler and keeps any record still open.
  private func emitRows() {
    guard !rowEnds.isEmpty else { return }
    if rowEnds.count == 1 && rowEnds[0] == record.fieldEnds.count {
      if let recordSink {
        recordSink(&record)
      } else {
        handler(.record(record))
      }
      record.removeAll()
      rawLineEnds.removeAll(keepingCapacity: true)
      rowEnds.removeAll(keepingCapacity: true)
      return
    }
    // Several rows ended on one physical line (bare carriage returns): split them.
    var first = 0
    let all = record
    for end in rowEnds {
      var piece = CSVRecord()
      piece.startLine = first < all.fieldLines.count ? all.fieldLines[first] : all.startLine
      let byteStart = first == 0 ? 0 : all.fieldEnds[first - 1]
      for index in first..<end {
        piece.fieldEnds.append(all.fieldEnds[index] - byteStart)
        piece.fieldLines.append(all.fieldLines[index])
      }
      piece.fieldBytes = Array(all.fieldBytes[byteStart..<(end == 0 ? 0 : all.fieldEnds[end - 1])])
      piece.raw = all.raw
      handler(.record(piece))
      first = end
    }
    let byteStart = first == 0 ? 0 : all.fieldEnds[first - 1]
    record.fieldBytes = Array(all.fieldBytes[byteStart...])
    record.fieldEnds = all.fieldEnds[first...].map { $0 - byteStart }
    record.fieldLines = Array(all.fieldLines[first...])
    rowEnds.removeAll(keepingCapacity: true)
    if record.fieldEnds.isEmpty {
      record.raw.removeAll(keepingCapacity: true)
      rawLineEnds.removeAll(keepingCapacity: true)
    }
  }

  fileprivate func addField(_ bytes: UnsafeMutableRawPointer?, _ length: Int) {
    if let bytes, length > 0 {
      record.fieldBytes.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: length))
    }
    record.fieldEnds.append(record.fieldBytes.count)
    record.fieldLines.append(nextFieldLine)
    nextFieldLine = currentLine
  }

  fileprivate func endRow() {
    rowEnds.append(record.fieldEnds.count)
    nextFieldLine = currentLine
  }
}

private let fieldCallback:
  @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?)
    -> Void = { bytes, length, context in
      // The reader outlives every parse call: no retain/release per field.
      Unmanaged<CSVRecordReader>.fromOpaque(context!)._withUnsafeGuaranteedRef {
        $0.addField(bytes, length)
      }
    }

private let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = {
  _, context in
  Unmanaged<CSVRecordReader>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRow() }
}

/// Writes one CSV field with libcsv's quoting (always quoted, quotes doubled).
func csvQuoted(_ text: String) -> String {
  var bytes = Array(text.utf8)
  let needed = bytes.withUnsafeBytes { csv_write(nil, 0, $0.baseAddress, $0.count) }
  var output = [UInt8](repeating: 0, count: needed)
  let written = output.withUnsafeMutableBytes { out in
    bytes.withUnsafeMutableBytes { csv_write(out.baseAddress, out.count, $0.baseAddress, $0.count) }
  }
  return String(decoding: output[0..<min(written, needed)], as: UTF8.self)
}
