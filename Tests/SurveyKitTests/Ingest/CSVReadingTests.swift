import Testing

@testable import SurveyKit

@Suite("Reading CSV: quoting, line breaks, lines, shapes")
struct CSVReadingTests {
  func text(_ result: IngestResult, _ name: String, _ row: Int) -> String? {
    guard case .text(let column) = result.table.column(named: name) else { return nil }
    return column[row]
  }

  @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
    let memo = "\"保育園, もっと\n\"\"増やして\"\"\r\nほしい\""
    let result = try ingest(
      testHeader + "\r\n" + askedRow + memo + "\r\n" + "3,1,10,100,3,2,1,1,0,0,1;2,1,2,\r\n")
    #expect(text(result, "MEMO", 0) == "保育園, もっと\n\"増やして\"\nほしい")
    #expect(result.lineEnding == .mixed)  // the comment has one LF and one CRLF
    // The next record starts on physical line 5, after the comment's three lines.
    #expect(result.table.lines == [2, 5])
    #expect(result.diagnostics.map(\.line) == [5])
  }

  @Test func aFieldAfterAMultiLineFieldIsLocatedOnItsOwnLine() throws {
    let header = "ID,MEMO,SEX"
    let codebook = try testCodebook(
      """
      survey: {id: x}
      variables:
        - {name: ID, type: id}
        - {name: MEMO, type: text}
        - {name: SEX, type: single, values: {1: a, 2: b}}
      """)
    let result = try ingest(header + "\n1,\"a\nb\nc\",5\n", codebook: codebook)
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:4: error: SEX (column 3): value "5" is not a code of SEX (1, 2) [id=1]"#
      ])
  }

  @Test func byteOrderMarkAndNoFinalLineBreak() throws {
    let result = try ingest(bytes: [0xEF, 0xBB, 0xBF] + Array((testHeader + "\n" + askedRow).utf8))
    #expect(result.hasByteOrderMark)
    #expect(result.encoding == .utf8)
    #expect(result.header.first == "ID")
    #expect(result.rowsAccepted == 1)
    #expect(result.diagnostics.isEmpty)
  }

  @Test func fullWidthDigitsAndSeparators() throws {
    let result = try ingest(testHeader + "\n1,1,10,100,１,２,１,1,0,0,１、２,1,2,\n")
    #expect(result.diagnostics.isEmpty)
    guard case .multi(let pol) = result.table.column(named: "POL"),
      case .codes(let sex) = result.table.column(named: "SEX")
    else {
      Issue.record("unexpected column types")
      return
    }
    #expect(pol[0] == 0b11)
    #expect(sex[0] == 1)
  }

  @Test func theThreeMultiResponseShapesGiveTheSameAnswers() throws {
    let codebook = try testCodebook(
      """
      survey: {id: x}
      variables:
        - {name: ID, type: id}
        - {name: D, type: multi, shape: dichotomy, columns: [D1, D2, D3], values: {1: a, 2: b, 3: c}}
        - {name: S, type: multi, shape: spread, columns: [S1, S2, S3], values: {1: a, 2: b, 3: c}}
        - {name: L, type: multi, shape: delimited, values: {1: a, 2: b, 3: c}}
      """)
    let rows = [
      "ID,D1,D2,D3,S1,S2,S3,L", "1,1,0,1,1,3,,1;3", "2,0,1,0,2,,,2", "3,1,1,1,3,1,2,\"3,2,1\"",
      "4,0,0,1,,,3,３",
    ]
    let result = try ingest(rows.joined(separator: "\n"), codebook: codebook)
    #expect(result.diagnostics.isEmpty)
    var answers: [[UInt64?]] = []
    for name in ["D", "S", "L"] {
      guard case .multi(let column) = result.table.column(named: name) else { continue }
      answers.append((0..<4).map { column[$0] })
    }
    #expect(answers.count == 3)
    #expect(answers[0] == [0b101, 0b010, 0b111, 0b100])
    #expect(answers[1] == answers[0])
    #expect(answers[2] == answers[0])
  }

  @Test func declaredMissingCodesAreKept() throws {
    let result = try ingest(testHeader + "\n1,1,10,100,9,99,1,,,,99,99,,\n")
    #expect(result.diagnostics.isEmpty)
    #expect(result.table.column(named: "SEX")?.states == [.declared(0)])
    #expect(result.table.column(named: "IDEAL")?.states == [.declared(0)])
    #expect(result.table.column(named: "POL")?.states == [.declared(0)])
    #expect(result.table.column(named: "USE")?.states == [.declared(0)])
    // The filter reads a missing answer, so WHY is neither asked nor not asked.
    #expect(result.table.column(named: "WHY")?.states == [.blank])
  }

  @Test func smallChunksGiveTheSameResult() throws {
    let text = [
      testHeader, askedRow + "\"a\r\nb\"", "", notAskedRow,
      "3,1,0,100,1,2,1,1,0,0,1;2,1,2,\"x,\"\"y\"\"\"",
    ]
    .joined(separator: "\r\n")
    let whole = try ingest(text)
    for size in [1, 2, 3, 7, 64] {
      let pieces = try ingest(text, chunkSize: size)
      #expect(pieces.table == whole.table)
      #expect(pieces.diagnostics == whole.diagnostics)
      #expect(pieces.rejectedRows == whole.rejectedRows)
    }
  }
}

@Suite("Reading CSV: bare carriage returns")
struct BareCarriageReturnTests {
  @Test func oldMacLineEndingsKeepTheirLineNumbers() throws {
    let text =
      [testHeader, askedRow, "2,1,10,100,3,2,1,1,0,0,1;2,1,2,\"a\rb\""].joined(separator: "\r")
      + "\r"
    let result = try ingest(text)
    #expect(result.lineEnding == .cr)
    #expect(result.table.lines == [2, 3])
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:3: error: SEX (column 5): value "3" is not a code of SEX (1, 2; 9 = 無回答) [id=2]"#
      ])
  }
}
