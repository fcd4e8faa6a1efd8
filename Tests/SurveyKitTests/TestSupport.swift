import Foundation
import Testing

@testable import SurveyKit

/// The package's root folder (samples/, codebooks/), found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func packagePath(_ relative: String) -> String {
  packageRoot.appendingPathComponent(relative).path
}

/// A small codebook with every variable type, used by the rule tests.
let testCodebookYAML = """
  survey: {id: test}
  missing: {9: no-answer}
  variables:
    - {name: ID, type: id}
    - name: S
      type: stratum
      values: {1: A, 2: B}
    - {name: W, type: weight}
    - {name: N, type: fpc}
    - name: SEX
      type: single
      values: {1: 男性, 2: 女性}
    - name: IDEAL
      type: numeric
      range: [0, 10]
      missing: {99: no-answer}
    - name: ACTUAL
      type: numeric
      range: [0, 10]
      missing: {99: no-answer}
    - name: WHY
      type: multi
      shape: dichotomy
      columns: [WHY_1, WHY_2, WHY_3]
      values: {1: お金, 2: 負担, 3: その他}
      filter: ACTUAL < IDEAL
    - name: POL
      type: multi
      shape: delimited
      max_choices: 2
      exclusive: [9]
      values: {1: 経済, 2: 雇用, 3: 職場, 9: 特にない}
      missing: {99: no-answer}
    - name: USE
      type: multi
      shape: spread
      columns: [USE_1, USE_2]
      exclusive: [7]
      values: {1: 手当, 2: 保育, 7: なし}
      missing: {99: no-answer}
    - {name: MEMO, type: text}
  """

let testHeader = "ID,S,W,N,SEX,IDEAL,ACTUAL,WHY_1,WHY_2,WHY_3,POL,USE_1,USE_2,MEMO"
/// Asked WHY (actual 1 < ideal 2), answered everything.
let askedRow = "1,1,10,100,1,2,1,1,0,0,1;2,1,2,"
/// Not asked WHY (actual 2 = ideal 2).
let notAskedRow = "2,2,20,200,2,2,2,,,,3,7,,hello"

func testCodebook(_ yaml: String = testCodebookYAML) throws -> Codebook {
  try Codebook(yaml: yaml, file: "test.yaml")
}

/// Reads CSV text (UTF-8 unless bytes are given) against the test codebook as `t.csv`.
func ingest(
  _ text: String, codebook: Codebook? = nil, encoding: TextEncoding? = nil, chunkSize: Int = 1 << 18
) throws -> IngestResult {
  try ingest(bytes: Array(text.utf8), codebook: codebook, encoding: encoding, chunkSize: chunkSize)
}

func ingest(
  bytes: [UInt8], codebook: Codebook? = nil, encoding: TextEncoding? = nil,
  chunkSize: Int = 1 << 18
) throws -> IngestResult {
  let reader = SurveyReader(
    codebook: try codebook ?? testCodebook(), encoding: encoding, chunkSize: chunkSize)
  return reader.read(bytes: bytes, file: "t.csv")
}

/// The diagnostics of reading `rows` under the test header, as printed.
func messages(_ rows: String..., codebook: Codebook? = nil) throws -> [String] {
  let result = try ingest(([testHeader] + rows).joined(separator: "\n") + "\n", codebook: codebook)
  #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
  #expect(result.table.invariantViolations().isEmpty)
  return result.diagnostics.map(\.description)
}

/// Converts UTF-8 text to CP932 bytes with glibc iconv, as a vendor's export would be.
func cp932Bytes(_ text: String) -> [UInt8] {
  let converter = iconv_open("CP932", "UTF-8")
  defer { iconv_close(converter) }
  var input = Array(text.utf8)
  var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
  let written = input.withUnsafeMutableBytes { inBuffer in
    output.withUnsafeMutableBytes { outBuffer -> Int in
      var inPointer = inBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
      var inLeft = inBuffer.count
      var outPointer = outBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
      var outLeft = outBuffer.count
      _ = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
      return outBuffer.count - outLeft
    }
  }
  return Array(output[0..<written])
}
