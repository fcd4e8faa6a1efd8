import Testing

@testable import SurveyKit

/// One test per rule, asserting the exact message a user sees.
@Suite("Rules: every defect kind and its exact message")
struct RuleTests {
  @Test func cleanRowsGiveNoDiagnostics() throws {
    #expect(try messages(askedRow, notAskedRow) == [])
  }

  @Test func missingColumn() throws {
    let header = testHeader.replacingOccurrences(of: ",MEMO", with: "")
    let result = try ingest(header + "\n1,1,10,100,1,2,1,1,0,0,1;2,1,2\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:1: error: column MEMO of the codebook is not in the header; MEMO is missing for every row"
      ])
    #expect(result.rowsAccepted == 1)
  }

  @Test func duplicateColumn() throws {
    let result = try ingest(testHeader + ",SEX\n" + askedRow + ",2\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:1: error: column SEX appears twice in the header (columns 5 and 15); column 15 is ignored"
      ])
    #expect(result.table.column(named: "SEX").map { $0.states } == [.valid])
  }

  @Test func unknownColumn() throws {
    let result = try ingest(testHeader + ",EXTRA\n" + askedRow + ",x\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:1: warning: column EXTRA (column 15) is not in the codebook and is ignored"
      ])
  }

  @Test func emptyFile() throws {
    let result = try ingest("")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:1: error: the file is empty: there is no header row"
      ])
    #expect(result.rowsRead == 0)
  }

  @Test func blankLine() throws {
    let result = try ingest(testHeader + "\n" + askedRow + "\n\n  \n" + notAskedRow + "\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:3: warning: the line is blank", "t.csv:4: warning: the line is blank",
      ])
    #expect(result.rowsRead == 2)
    #expect(result.table.lines == [2, 5])
  }

  @Test func tooFewAndTooManyFields() throws {
    #expect(
      try messages(
        "1,1,10,100,1,2,1,1,0,0,1;2,1,2",
        askedRow.replacingOccurrences(of: "1,1,10", with: "3,1,10") + ",x")
        == [
          "t.csv:2: error: the row has 13 fields, but the header has 14 [id=1]",
          "t.csv:3: error: the row has 15 fields, but the header has 14 [id=3]",
        ])
  }

  @Test func malformedQuotes() throws {
    let result = try ingest(
      [
        testHeader, "1,1,10,100,1,2,1,1,0,0,\"1;2\"x,1,2,", "2,1,10,100,1,2,1,1,0,0,1\"2,1,2,",
        askedRow.replacingOccurrences(of: "1,1,10", with: "3,1,10"),
      ]
      .joined(separator: "\n"))
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:2: error: POL (column 11): text follows the closing quote of a quoted field",
        "t.csv:3: error: POL (column 11): a quote appears inside an unquoted field",
      ])
    #expect(result.rowsRead == 3)
    #expect(result.rowsRejected == 2)
    #expect(result.rejectedRows.map(\.line) == [2, 3])
  }

  @Test func unclosedQuoteIsCutOffAndTheRestIsReadAgain() throws {
    let result = try ingest(
      [testHeader, "1,1,10,100,1,2,1,1,0,0,1;2,1,2,\"never closed", notAskedRow].joined(
        separator: "\n")
        + "\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:2: error: MEMO (column 14): a quoted field opened here is never closed"
      ])
    #expect(result.rowsRead == 2)
    #expect(result.rowsAccepted == 1)
    #expect(result.table.lines == [3])
  }

  @Test func undecodableBytes() throws {
    let bytes = Array((testHeader + "\n1,1,10,100,1,2,1,1,0,0,1;2,1,2,ab").utf8) + [0xFF] + [0x0A]
    let result = try ingest(bytes: bytes, encoding: .utf8)
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:2: error: MEMO (column 14): value "ab\xFF" is not valid UTF-8 text [id=1]"#
      ])
    #expect(result.table.column(named: "MEMO")?.states == [.invalid])
  }

  @Test func undecodableCP932() throws {
    let bytes =
      cp932Bytes(testHeader + "\n1,1,10,100,1,2,1,1,0,0,1;2,1,2,保育") + [0x80] + cp932Bytes("料\r\n")
    let result = try ingest(bytes: bytes, encoding: .cp932)
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:2: error: MEMO (column 14): value "保育\x80料" is not valid CP932 text [id=1]"#
      ])
  }

  @Test func notANumber() throws {
    #expect(
      try messages("1,1,10,100,1,abc,1,1,0,0,1;2,1,2,") == [
        #"t.csv:2: error: IDEAL (column 6): value "abc" is not a number [id=1]"#
      ])
  }

  @Test func unknownCodeInEachShape() throws {
    #expect(
      try messages(
        "1,1,10,100,3,2,1,1,0,0,1;2,1,2,", "2,1,10,100,1,2,1,1,0,0,1;5,1,2,",
        "3,1,10,100,1,2,1,1,0,0,1;2,1,5,")
        == [
          #"t.csv:2: error: SEX (column 5): value "3" is not a code of SEX (1, 2; 9 = 無回答) [id=1]"#,
          #"t.csv:3: error: POL (column 11): value "1;5" has "5", which is not a code of POL (1, 2, 3, 9; 99 = 無回答) [id=2]"#,
          #"t.csv:4: error: USE_2 (column 13): value "5" is not a code of USE (1, 2, 7; 99 = 無回答) [id=3]"#,
        ])
  }

  @Test func aMultiLineValueIsLocatedWhereItStartsAndQuotedOnOneLine() throws {
    #expect(
      try messages("1,1,10,100,1,\"1\n2\",1,1,0,0,1;2,1,2,") == [
        #"t.csv:2: error: IDEAL (column 6): value "1\n2" is not a number [id=1]"#
      ])
  }

  @Test func undecodableBytesInADesignColumnRejectTheRow() throws {
    let bytes =
      Array((testHeader + "\n1,1,1").utf8) + [0xFF] + Array(",100,1,2,1,1,0,0,1;2,1,2,\n".utf8)
    let result = try ingest(bytes: bytes, encoding: .utf8)
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:2: error: W (column 3): value "1\xFF" is not valid UTF-8 text [id=1]"#
      ])
    #expect(result.rejectedRows.map(\.rules) == [[.undecodableBytes]])
  }

  @Test func outOfRange() throws {
    #expect(
      try messages("1,1,10,100,1,15,1,1,0,0,1;2,1,2,") == [
        #"t.csv:2: error: IDEAL (column 6): value "15" is outside the valid range of IDEAL (0–10) [id=1]"#
      ])
  }

  @Test func tooManyChoices() throws {
    #expect(
      try messages("1,1,10,100,1,2,1,1,0,0,1;2;3,1,2,") == [
        #"t.csv:2: error: POL (column 11): the answer "1;2;3" has 3 codes, more than the 2 allowed [id=1]"#
      ])
  }

  @Test func repeatedChoice() throws {
    let result = try ingest(testHeader + "\n1,1,10,100,1,2,1,1,0,0,2;2,1,2,\n")
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:2: warning: POL (column 11): code 2 is chosen more than once in "2;2" [id=1]"#
      ])
    // A warning keeps the answer, counted once.
    if case .multi(let column) = result.table.column(named: "POL") {
      #expect(column[0] == 0b10)
    } else {
      Issue.record("POL is not a multi-response column")
    }
  }

  @Test func exclusiveChoice() throws {
    #expect(
      try messages(
        "1,1,10,100,1,2,1,1,0,0,1;9,1,2,", "2,1,10,100,1,2,1,1,0,0,1;99,1,2,",
        "3,1,10,100,1,2,1,1,0,0,1,7,1,")
        == [
          #"t.csv:2: error: POL (column 11): code 9 (特にない) may only be chosen alone, but the answer "1;9" has other codes too [id=1]"#,
          #"t.csv:3: error: POL (column 11): missing code 99 (無回答) may only be given alone, but the answer "1;99" has other codes too [id=2]"#,
          #"t.csv:4: error: USE (columns 12–13): code 7 (なし) may only be chosen alone, but the answer "7;1" has other codes too [id=3]"#,
        ])
  }

  @Test func notDichotomous() throws {
    #expect(
      try messages("1,1,10,100,1,2,1,1,2,0,1;2,1,2,") == [
        #"t.csv:2: error: WHY_2 (column 9): value "2" is not 0 or 1 [id=1]"#
      ])
  }

  @Test func notAsked() throws {
    let result = try ingest(testHeader + "\n2,2,20,200,2,2,2,1,0,0,3,7,,\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:2: error: WHY (columns 8–10): answered, but the question was not asked (filter ACTUAL < IDEAL is false: ACTUAL = 2, IDEAL = 2) [id=2]"
      ])
    #expect(result.table.column(named: "WHY")?.states == [.notAsked])
  }

  @Test func askedNotAnswered() throws {
    #expect(
      try messages("1,1,10,100,,2,1,,,,1;2,1,2,") == [
        "t.csv:2: warning: SEX (column 5): left blank, but the question was asked [id=1]",
        "t.csv:2: warning: WHY (columns 8–10): left blank, but the question was asked (filter ACTUAL < IDEAL is true: ACTUAL = 1, IDEAL = 2) [id=1]",
      ])
  }

  @Test func blankWhereNotAskedBecomesNotApplicable() throws {
    let result = try ingest(testHeader + "\n" + notAskedRow + "\n")
    #expect(result.table.column(named: "WHY")?.states == [.notAsked])
  }

  @Test func missingAndDuplicateID() throws {
    #expect(
      try messages(",1,10,100,1,2,1,1,0,0,1;2,1,2,", askedRow, askedRow) == [
        "t.csv:2: error: ID (column 1): the respondent id is blank",
        #"t.csv:4: error: ID (column 1): id "1" already appears on line 3 [id=1]"#,
      ])
  }

  @Test func duplicateValueOfAUniqueVariable() throws {
    let codebook = try testCodebook(
      testCodebookYAML.replacingOccurrences(
        of: "{name: MEMO, type: text}", with: "{name: MEMO, type: text, unique: true}"))
    #expect(
      try messages(
        "1,1,10,100,1,2,1,1,0,0,1;2,1,2,x", "2,1,10,100,1,2,1,1,0,0,1;2,1,2,x", codebook: codebook)
        == [
          #"t.csv:3: error: MEMO (column 14): value "x" already appears on line 2, but MEMO is unique [id=2]"#
        ])
  }

  @Test func weights() throws {
    let result = try ingest(
      [
        testHeader, "1,1,,100,1,2,1,1,0,0,1;2,1,2,", "2,1,abc,100,1,2,1,1,0,0,1;2,1,2,",
        "3,1,-1,100,1,2,1,1,0,0,1;2,1,2,", "4,1,0,100,1,2,1,1,0,0,1;2,1,2,",
      ].joined(separator: "\n"))
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:2: error: W (column 3): the weight is blank [id=1]",
        #"t.csv:3: error: W (column 3): weight "abc" is not a number [id=2]"#,
        #"t.csv:4: error: W (column 3): weight "-1" is not positive [id=3]"#,
        #"t.csv:5: error: W (column 3): weight "0" is not positive [id=4]"#,
      ])
    #expect(result.rowsRejected == 4)
    #expect(
      result.rejectedRows.map(\.rules) == [
        [.missingWeight], [.nonNumericWeight], [.nonPositiveWeight], [.nonPositiveWeight],
      ])
  }

  @Test func strataAndPopulationSizes() throws {
    #expect(
      try messages(
        "1,3,10,100,1,2,1,1,0,0,1;2,1,2,", "2,,10,100,1,2,1,1,0,0,1;2,1,2,",
        "3,1,10,,1,2,1,1,0,0,1;2,1,2,", "4,1,10,0,1,2,1,1,0,0,1;2,1,2,",
        "5,1,10,x,1,2,1,1,0,0,1;2,1,2,")
        == [
          #"t.csv:2: error: S (column 2): value "3" is not a stratum listed in the codebook (1, 2) [id=1]"#,
          "t.csv:3: error: S (column 2): the stratum is blank [id=2]",
          "t.csv:4: error: N (column 4): the population size is blank [id=3]",
          #"t.csv:5: error: N (column 4): value "0" is not a population size or sampling fraction [id=4]"#,
          #"t.csv:6: error: N (column 4): value "x" is not a population size or sampling fraction [id=5]"#,
        ])
  }

  @Test func codebookCanChangeAnAction() throws {
    let codebook = try testCodebook(
      testCodebookYAML + "\nrules: {unknown-code: reject, not-a-number: warn}\n")
    let result = try ingest(
      testHeader + "\n1,1,10,100,3,2,1,1,0,0,1;2,1,2,\n2,1,10,100,1,x,1,1,0,0,1;2,1,2,\n",
      codebook: codebook)
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:2: error: SEX (column 5): value "3" is not a code of SEX (1, 2; 9 = 無回答) [id=1]"#,
        #"t.csv:3: warning: IDEAL (column 6): value "x" is not a number [id=2]"#,
      ])
    #expect(result.rowsRejected == 1)
    #expect(result.rowsAccepted == 1)
  }

  @Test func rejectedRowsKeepTheirTextAndReasons() throws {
    let result = try ingest(testHeader + "\n1,1,0,100,1,2,1,1,0,0,1;2,1,2,\"two\nlines\"\n")
    let expected =
      "line,id,rules,reasons,text\n"
      + #""2","1","non-positive-weight","W (column 3): weight ""0"" is not positive","1,1,0,100,1,2,1,1,0,0,1;2,1,2,""two"#
      + "\n" + #"lines""""# + "\n"
    #expect(result.rejectLogCSV() == expected)
  }
}

@Suite("Rules: a header that cannot be read")
struct UnreadableHeaderTests {
  @Test func everyRowIsRejectedWithTheReason() throws {
    let result = try ingest("ID,\"S\"x,W\n" + askedRow + "\n")
    #expect(
      result.diagnostics.map(\.description) == [
        "t.csv:1: error: the header row cannot be read: text follows the closing quote of a quoted field",
        "t.csv:2: error: the row cannot be matched to columns, because the header row could not be read",
      ])
    #expect(result.rowsRead == 1)
    #expect(result.rowsRejected == 1)
  }
}
