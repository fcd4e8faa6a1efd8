import Testing

@testable import SurveyKit

@Suite("Encodings: detection, CP932 extensions, identical tables")
struct EncodingTests {
  @Test func detection() {
    #expect(TextEncoding.detect(Array("ID,Q1\n1,2\n".utf8)) == .utf8)
    #expect(TextEncoding.detect(Array("回答者,性別\n".utf8)) == .utf8)
    #expect(TextEncoding.detect(cp932Bytes("回答者,性別\r\n")) == .cp932)
    // A UTF-8 sample cut inside a character is still UTF-8.
    #expect(TextEncoding.detect(Array(Array("回答者".utf8).dropLast())) == .utf8)
  }

  @Test func namesUsersType() {
    #expect(TextEncoding(name: "Shift_JIS") == .cp932)
    #expect(TextEncoding(name: "windows-31j") == .cp932)
    #expect(TextEncoding(name: "UTF8") == .utf8)
    #expect(TextEncoding(name: "latin1") == nil)
  }

  @Test func necAndIBMExtensionsDecode() {
    let decoder = FieldDecoder(encoding: .cp932)
    // ① (NEC row 13), ㈱ (NEC row 13), 髙 as NEC-selected IBM (0xEEE0) and as IBM (0xFBFC).
    let bytes: [UInt8] = [0x87, 0x40, 0x87, 0x8A, 0xEE, 0xE0, 0xFB, 0xFC]
    #expect(bytes.withUnsafeBytes { decoder.decode($0) } == "①㈱髙髙")
    #expect(([0x82, 0xA0, 0x80] as [UInt8]).withUnsafeBytes { decoder.decode($0) } == nil)
    #expect(([0x82, 0xA0, 0x80] as [UInt8]).withUnsafeBytes { decoder.display($0) } == #"あ\x80"#)
  }

  @Test func utf8DisplayEscapesOnlyTheBadBytes() {
    let decoder = FieldDecoder(encoding: .utf8)
    let bytes = Array("保育".utf8) + [0xE3, 0x81] + Array("料".utf8)
    #expect(bytes.withUnsafeBytes { decoder.display($0) } == #"保育\xE3\x81料"#)
  }

  @Test func theCP932SampleGivesTheSameTableAsTheUTF8One() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let reader = SurveyReader(codebook: codebook)
    let utf8 = try reader.read(contentsOf: packagePath("samples/citizen-survey-2019.csv"))
    let cp932 = try reader.read(contentsOf: packagePath("samples/citizen-survey-2019-cp932.csv"))
    #expect(utf8.encoding == .utf8)
    #expect(utf8.lineEnding == .lf)
    #expect(cp932.encoding == .cp932)
    #expect(cp932.lineEnding == .crlf)
    #expect(utf8.rowsAccepted == 1200)
    #expect(cp932.table == utf8.table)
    #expect(cp932.diagnostics.isEmpty && utf8.diagnostics.isEmpty)
  }
}

@Suite("Encodings: a file whose first chunk is plain ASCII")
struct LateEncodingTests {
  @Test func theFirstNonASCIIFieldDecidesTheEncoding() throws {
    let rows = (1...40).map { "\($0),1,10,100,1,2,1,1,0,0,1;2,1,2," }.joined(separator: "\r\n")
    let bytes = cp932Bytes(
      testHeader + "\r\n" + rows + "\r\n41,1,10,100,1,2,1,1,0,0,1;2,1,2,髙橋です\r\n")
    let result = try ingest(bytes: bytes, chunkSize: 64)
    #expect(result.encoding == .cp932)
    #expect(result.diagnostics.isEmpty)
    guard case .text(let memo) = result.table.column(named: "MEMO") else {
      Issue.record("MEMO is not text")
      return
    }
    #expect(memo[40] == "髙橋です")
  }
}
