import Foundation
import Testing

/// `survey weight --out` never lets an id become a formula in a spreadsheet (OWASP "CSV
/// Injection"): an id read as text that starts with `=`, `+`, `-`, `@` or a tab gets a leading
/// `'`; a numeric id and the weights are written as they are. The other CSV writers are covered
/// by SurveyKitTests' FormulaInjectionTests.
@Suite("survey weight --out: formula injection")
struct WeightFormulaInjectionTests {
  static let codebook = """
    survey: {id: hostile}
    variables:
      - {name: ID, type: id}
      - name: SEX
        type: single
        values: {1: 男性, 2: 女性}
    """

  @Test("hostile ids get a quote, plain ids and weights stay as they are")
  func hostileIDs() async throws {
    let folder = try SurveyCLI.makeTemporaryFolder()
    defer { SurveyCLI.removeTemporaryFolder(folder) }
    func file(_ name: String, _ text: String) throws -> String {
      let path = folder.appendingPathComponent(name).path
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return path
    }
    let codebook = try file("c.yaml", Self.codebook)
    let export = try file(
      "e.csv",
      "ID,SEX\n=1+1,1\n@SUM(A1),1\n-1+2,2\n+cmd,2\n\"\tTAB\",1\n-7,2\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1\n"
    )
    let targets = try file("t.csv", "variable,code,count\nSEX,1,300\nSEX,2,400\n")
    let out = folder.appendingPathComponent("w.csv").path
    let result = try await SurveyCLI.run([
      "weight", export, "--codebook", codebook, "--targets", targets, "--out", out, "--lang", "en",
    ])
    #expect(result.status == 0, "\(result.stderrText)")
    // The reader trims the blanks around a field, so the tab-led id arrives as TAB; -7 is a
    // plain number and stays as it is.
    let written = try String(contentsOfFile: out, encoding: .utf8)
    #expect(
      written
        == """
        ID,weight
        '=1+1,75.0
        '@SUM(A1),75.0
        '-1+2,133.33333333333334
        '+cmd,133.33333333333334
        TAB,75.0
        -7,133.33333333333334
        "'=HYPERLINK(""http://x"",""y"")",75.0

        """)
  }
}
