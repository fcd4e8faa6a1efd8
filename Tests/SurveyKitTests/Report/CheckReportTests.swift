import Testing

@testable import SurveyKit

@Suite("Check report: summary and reject log")
struct CheckReportTests {
  @Test func theSummaryCountsEachRuleByAction() throws {
    let bytes =
      Array((testHeader + "\n1,1,1").utf8) + [0xFF] + Array(",100,1,2,1,1,0,0,1;2,1,2,\n".utf8)
      + Array("2,1,10,100,1,2,1,1,0,0,1;2,1,2,a".utf8) + [0xFF] + [0x0A]
    let result = try ingest(bytes: bytes, encoding: .utf8)
    let report = CheckReport(result: result, codebookPath: "test.yaml")
    #expect(
      report.summaryLines() == [
        "t.csv: UTF-8 (as requested), LF line endings, 14 columns, checked against test.yaml",
        "rows read 2 = 1 accepted + 1 rejected",
        "  undecodable-bytes  reject      1",
        "  undecodable-bytes  set-missing 1",
        "2 errors, 0 warnings",
      ])
  }

  @Test func aRejectedRowListsEachReasonOnItsOwnLine() throws {
    let result = try ingest(testHeader + "\n1,3,0,100,1,2,1,1,0,0,1;2,1,2,\n")
    #expect(result.rejectedRows.count == 1)
    #expect(
      result.rejectLogCSV() == "line,id,rules,reasons,text\n"
        + #""2","1","unknown-stratum;non-positive-weight","S (column 2): value ""3"" is not a stratum listed in the codebook (1, 2)"#
        + "\n" + #"W (column 3): weight ""0"" is not positive","1,3,0,100,1,2,1,1,0,0,1;2,1,2,""#
        + "\n")
  }

  @Test func aHeaderNameWithALineBreakStaysOnOneLine() throws {
    let result = try ingest(testHeader + ",\"NOTE\nX\"\n" + askedRow + ",x\n")
    #expect(
      result.diagnostics.map(\.description) == [
        #"t.csv:1: warning: column NOTE\nX (column 15) is not in the codebook and is ignored"#
      ])
  }
}
