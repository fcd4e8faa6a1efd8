import Foundation
import Testing

@testable import SurveyKit

/// The fast path of ingest reads clean cells from their bytes and leaves every other cell to the
/// general path. These tests hold it to that: each byte-level reading agrees with the general
/// one, and whole files read with and without it give the same table, diagnostics and rejects.
@Suite("Ingest fast path: the same result as the general path")
struct FastPathTests {
  func bytes<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    Array(text.utf8).withUnsafeBytes(body)
  }

  @Test(
    "numbers read from bytes equal the general path's, or are left to it",
    arguments: [
      "0", "7", "-0", "+3", "00012", "141.12", "-2.5", ".5", "5.", "1e5", "1E-3", "2.5e+2",
      "123456789012345", "1234567890123456", "12345678901234567890", "0.1", "3528000",
      "1e400", "-1e400", "1e", "e5", ".", "-", "+", "1.2.3", "0x1A", "nan", "inf", "1,5",
      "1 ", " 1", "１２", "", "٣", "1_000",
    ])
  func numbers(_ text: String) {
    let fast = bytes(text, FieldBytes.number)
    let general = NumberSyntax.parse(trimmed(text))
    if let fast {
      #expect(fast == general, "\(text)")
      #expect(fast.sign == general?.sign, "\(text)")
    } else {
      // Left to the general path: only text that is not plain ASCII syntax may be a number there.
      let plain = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || "+-.eE".utf8.contains($0) }
      #expect(general == nil || !plain, "\(text) is a number the fast path misses")
    }
  }

  @Test("small integers and canonical ids")
  func integers() {
    #expect(bytes("3", FieldBytes.smallInteger) == 3)
    #expect(bytes("0012", FieldBytes.smallInteger) == 12)
    #expect(bytes("999999999", FieldBytes.smallInteger) == 999_999_999)
    #expect(bytes("1234567890", FieldBytes.smallInteger) == nil)
    for text in ["", "-1", "1.0", "1 ", "a", "１"] {
      #expect(bytes(text, FieldBytes.smallInteger) == nil, "\(text)")
    }
    #expect(bytes("10023", FieldBytes.canonicalInteger) == 10023)
    #expect(bytes("0", FieldBytes.canonicalInteger) == 0)
    #expect(bytes("010023", FieldBytes.canonicalInteger) == nil)
    #expect(bytes("123456789012345678", FieldBytes.canonicalInteger) == 123_456_789_012_345_678)
    #expect(bytes("1234567890123456789", FieldBytes.canonicalInteger) == nil)
    #expect(bytes("12a", FieldBytes.canonicalInteger) == nil)
  }

  @Test("UTF-8 validation agrees with the standard library on random bytes")
  func utf8Validation() {
    var generator = SplitMix64(state: 2019)
    let pieces: [[UInt8]] = [
      [0x41], [0xE3, 0x81, 0x82], [0xC2, 0xA0], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80],
      [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF], [0xE3, 0x81],
    ]
    for _ in 0..<5000 {
      var sample: [UInt8] = []
      for _ in 0..<Int.random(in: 0...6, using: &generator) {
        sample +=
          Bool.random(using: &generator)
          ? pieces.randomElement(using: &generator)!
          : [UInt8.random(in: 0...255, using: &generator)]
      }
      let expected = String(validating: sample, as: UTF8.self) != nil
      #expect(sample.withUnsafeBytes(FieldBytes.isValidUTF8) == expected, "\(sample)")
    }
  }

  @Test("a text the fast path calls visible is never blank once trimmed")
  func visibleStart() {
    // Every White_Space scalar, and neighbours of the non-ASCII ones.
    var scalars: [UInt32] = [
      0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x41, 0x7F, 0x85, 0xA0, 0xA1, 0x1680,
    ]
    scalars += Array(0x1FFF...0x2030) + [0x205E, 0x205F, 0x2060, 0x2FFF, 0x3000, 0x3001, 0x3042]
    for value in scalars {
      guard let scalar = Unicode.Scalar(value) else { continue }
      let text = String(Character(scalar))
      let visible = bytes(text, FieldBytes.startsWithVisibleCharacter)
      let blank = trimmed(text).isEmpty
      #expect(!(visible && blank), "U+\(String(value, radix: 16)) is white space")
      if value >= 0x80 { #expect(visible == !blank, "U+\(String(value, radix: 16))") }
    }
  }

  @Test("the unique index finds the first line of a repeated value, dense or sparse")
  func uniqueIndex() {
    let index = UniqueIntegerIndex()
    var generator = SplitMix64(state: 7)
    var reference: [Int64: Int] = [:]
    // Close ids first (dense), then far ones (the index moves to a dictionary).
    var values: [Int64] = (0..<3000).map { 10_001 + Int64($0) }
    values += (0..<500).map { _ in Int64.random(in: -1 << 40...(1 << 40), using: &generator) }
    values += (0..<500).map { _ in 10_001 + Int64.random(in: 0..<4000, using: &generator) }
    for (line, value) in values.enumerated() {
      let inserted = index.insert(value, line: line + 2)
      #expect(inserted == (reference[value] == nil))
      if reference[value] == nil { reference[value] = line + 2 }
      #expect(index.line(of: value) == reference[value])
    }
    for (value, line) in reference { #expect(index.line(of: value) == line) }
    #expect(index.line(of: 5) == nil)
  }

  /// Reads with the fast path on two threads (batches of records from a parsing thread), or
  /// with the general path on one.
  func read(_ bytes: [UInt8], codebook: Codebook, fast: Bool, encoding: TextEncoding? = nil)
    -> IngestResult
  {
    var reader = SurveyReader(codebook: codebook, encoding: encoding, chunkSize: 4096)
    reader.usesFastPath = fast
    reader.pipelineThreshold = fast ? 0 : .max
    return reader.read(bytes: bytes, file: "t.csv")
  }

  func expectSame(
    _ bytes: [UInt8], codebook: Codebook, encoding: TextEncoding? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let fast = read(bytes, codebook: codebook, fast: true, encoding: encoding)
    let general = read(bytes, codebook: codebook, fast: false, encoding: encoding)
    // Compared as a Bool: a failure printing two whole tables would drown the difference.
    let sameTable = fast.table == general.table
    #expect(sameTable, "the tables differ", sourceLocation: sourceLocation)
    #expect(
      fast.diagnostics.map(\.description) == general.diagnostics.map(\.description),
      sourceLocation: sourceLocation)
    let sameDiagnostics = fast.diagnostics == general.diagnostics
    #expect(sameDiagnostics, "the diagnostics differ", sourceLocation: sourceLocation)
    #expect(
      fast.rejectedRows.map(\.line) == general.rejectedRows.map(\.line),
      sourceLocation: sourceLocation)
    let sameRejects = fast.rejectedRows == general.rejectedRows
    #expect(sameRejects, "the rejected rows differ", sourceLocation: sourceLocation)
    #expect(fast.rowsRead == general.rowsRead, sourceLocation: sourceLocation)
    #expect(fast.encoding == general.encoding, sourceLocation: sourceLocation)
  }

  @Test(
    "the samples read the same with and without the fast path",
    arguments: [
      "samples/citizen-survey-2019.csv", "samples/citizen-survey-2019-dirty.csv",
      "samples/citizen-survey-2019-cp932.csv",
    ])
  func samples(_ path: String) throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let data = try #require(FileManager.default.contents(atPath: packagePath(path)))
    expectSame(Array(data), codebook: codebook)
  }

  /// Cells of the test codebook's columns, clean and messy, drawn at random.
  static let cells: [String: [String]] = [
    "ID": ["1", "2", "10", "0", "010", "a7", " 3", "", "1e3", "１"],
    "S": ["1", "2", "3", "01", "", "x", "2.0", "１"],
    "W": ["10", "2.5", "0", "-1", "", "abc", "1e2", " 7", "１０"],
    "N": ["100", "0.5", "0", "", "n"],
    "SEX": ["1", "2", "9", "3", "", "01", "1.0", "１", " 2", "x", "-1", "32761"],
    "IDEAL": ["0", "2", "3", "99", "11", "", "2.5", "-0", "１", "x"],
    "ACTUAL": ["0", "1", "2", "99", "", "12", "1e0"],
    "WHY_1": ["", "0", "1", "2", "1.0", "１", "x"],
    "WHY_2": ["", "0", "1"],
    "WHY_3": ["", "0", "1", "9"],
    "POL": [
      "", "1", "1;2", "1,3", "2;1", "9", "1;9", "99", "99;1", "1;1", "1;2;3", "4", "1;;2", "1;",
      ";1", "１、２", "1; 2", "0", "12345",
    ],
    "USE_1": ["", "1", "2", "7", "99", "3", "1.0", "１"],
    "USE_2": ["", "1", "2", "7", "99"],
    "MEMO": [
      "", "hello", "\"a, b\"", "保育園", "\u{3000}", " ", "\u{3000}本文", "①", "\u{2003}x", "…",
      "\"line\r\nbreak\"", "\"two\nlines\"", "\u{A0}", "=HYPERLINK(\"x\")",
    ],
  ]

  @Test("a file of many batches, blank lines and broken records keeps its order on two threads")
  func pipelineOrder() throws {
    let codebook = try testCodebook()
    var text = testHeader + "\n"
    for row in 0..<5000 {
      switch row % 997 {
      case 5: text += "\n"
      case 6: text += "7,1,10,100,1,2,\"1\"x,,,,,,,\n"
      case 7: text += "8,1,10\n"
      default: text += "\(row + 10),1,10,100,\(row % 3),2,1,1,0,0,1;2,1,2,memo \(row)\n"
      }
    }
    expectSame(Array(text.utf8), codebook: codebook)
    let result = read(Array(text.utf8), codebook: codebook, fast: true)
    #expect(result.rowsRead == 4994)  // 5,000 lines, 6 of them blank
    #expect(result.table.lines.first == 2)
    #expect(result.table.lines.last == 5001)
  }

  @Test("random rows of clean and messy cells read the same with and without the fast path")
  func randomRows() throws {
    let codebook = try testCodebook()
    let columns = testHeader.split(separator: ",").map(String.init)
    var generator = SplitMix64(state: 10)
    for _ in 0..<40 {
      var text = testHeader + "\n"
      for _ in 0..<60 {
        let clean = Bool.random(using: &generator)
        let row = columns.map { column -> String in
          let pool = Self.cells[column]!
          // Half the rows keep to each column's first, clean values.
          return clean
            ? pool[Int.random(in: 0..<min(3, pool.count), using: &generator)]
            : pool.randomElement(using: &generator)!
        }
        text += row.joined(separator: ",") + "\n"
      }
      expectSame(Array(text.utf8), codebook: codebook)
      expectSame(cp932Bytes(text), codebook: codebook, encoding: .cp932)
    }
  }
}
