import Foundation
import Testing

@testable import SurveyKit

/// SPSS (.sav, .zsav) and Stata (.dta) files read through ReadStat into the same table, with the
/// same validation, as the CSV export of the same cases. The fixtures are made by
/// `samples/make_sav.R` (R haven); the tests do not need R.
@Suite("SPSS and Stata input")
struct StatisticalFileTests {
  static let fixtures = "Tests/SurveyKitTests/Fixtures/sav/"

  let codebook: Codebook

  init() throws {
    codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
  }

  func read(_ relative: String) throws(FileError) -> IngestResult {
    try SurveyReader(codebook: codebook).read(
      export: packagePath(relative), displayPath: (relative as NSString).lastPathComponent)
  }

  @Test("the bundled sample as .sav gives the CSV's table and frequency tables")
  func bundledSample() throws {
    let csv = try read("samples/citizen-survey-2019.csv")
    let sav = try read("samples/citizen-survey-2019.sav")
    #expect(sav.rowsRead == 1200)
    #expect(sav.rowsAccepted == 1200)
    #expect(sav.diagnostics.isEmpty)
    #expect(sav.header == csv.header)
    #expect(sav.table.columns == csv.table.columns)
    #expect(sav.table.lines == Array(1...1200))
    #expect(sav.fileFormat == .spss)
    #expect(csv.fileFormat == nil)

    func frequencies(_ result: IngestResult) throws -> [FrequencyTable] {
      let design = try SurveyDesign(table: result.table)
      return try FrequencyTableBuilder(
        table: result.table, design: design, options: FrequencyOptions()
      ).frequencyTables()
    }
    #expect(try frequencies(sav) == frequencies(csv))
  }

  @Test(
    "the small fixture as .sav, .zsav and .dta: the CSV's table, diagnostics by case",
    arguments: ["small.sav", "small.zsav", "small.dta"])
  func smallFixture(file: String) throws {
    let csv = try read(Self.fixtures + "small.csv")
    let result = try read(Self.fixtures + file)
    #expect(result.rowsRead == 20)
    #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
    #expect(result.table.columns == csv.table.columns)
    #expect(result.table.invariantViolations().isEmpty)
    #expect(
      result.diagnostics.map(\.description) == [
        "\(file): case 12: error: Q5: value \"7\" is not a code of Q5 (1–5; 9 = 無回答) [id=10012]",
        "\(file): case 15: error: WEIGHT: the weight is blank [id=10015]",
      ])
    #expect(result.diagnostics.allSatisfy { $0.line == nil })
    #expect(result.rejectedRows.map(\.line) == [15])
    // The CSV export of the same cases keeps its line and column numbers.
    #expect(
      csv.diagnostics.map(\.description) == [
        "small.csv:13: error: Q5 (column 18): value \"7\" is not a code of Q5 (1–5; 9 = 無回答) [id=10012]",
        "small.csv:18: error: WEIGHT (column 3): the weight is blank [id=10015]",
      ])
  }

  @Test(
    "a CP932 .sav (code page 932, with or without an encoding record) reads correct Japanese",
    arguments: [("cp932.sav", nil), ("cp932.sav", TextEncoding.cp932), ("cp932-declared.sav", nil)])
  func cp932(file: String, encoding: TextEncoding?) throws {
    let codebook = try Codebook(
      yaml: """
        survey: {id: cp932}
        missing: {9: no-answer}
        variables:
          - {name: ID, type: id}
          - name: F1
            type: single
            values: {1: 男性, 2: 女性}
          - {name: Q8, type: text}
        """, file: "cp932.yaml")
    let result = try SurveyReader(codebook: codebook, encoding: encoding).read(
      export: packagePath(Self.fixtures + file), displayPath: file)
    #expect(result.encoding == .cp932)
    #expect(result.rowsAccepted == 3)
    #expect(result.diagnostics.isEmpty)
    guard case .text(let comments) = result.table.column(named: "Q8") else {
      Issue.record("Q8 is not a text column")
      return
    }
    #expect((0..<3).map { comments[$0] } == ["髙橋です、①番", nil, "子育て支援"])

    let yaml = try Codebook.importedYAML(
      fromStatisticalFile: packagePath(Self.fixtures + file), format: .spss, displayPath: file,
      encoding: encoding)
    #expect(yaml.contains("label: \"性別\""))
    #expect(yaml.contains("2: \"女性\""))
    #expect(yaml.contains("9: \"無回答\""))
  }

  @Test("a truncated or corrupt file is one sentence naming the file")
  func brokenFiles() throws {
    do {
      _ = try read(Self.fixtures + "truncated.sav")
      Issue.record("truncated.sav was read")
    } catch {
      #expect(
        error.description
          == "truncated.sav: error: the file ends early: it is truncated, or not an SPSS file")
    }
    do {
      _ = try read(Self.fixtures + "corrupt.sav")
      Issue.record("corrupt.sav was read")
    } catch {
      #expect(
        error.description
          == "corrupt.sav: error: the file is not a readable SPSS file: it is corrupt or truncated "
          + "(invalid file, or file has unsupported features)")
    }
    do {
      _ = try read(Self.fixtures + "absent.sav")
      Issue.record("absent.sav was read")
    } catch {
      #expect(error.description == "absent.sav: error: no such file")
    }
  }

  @Test("an imported codebook loads and reads its file without errors")
  func importedCodebook() throws {
    let path = packagePath("samples/citizen-survey-2019.sav")
    let yaml = try Codebook.importedYAML(
      fromStatisticalFile: path, format: .spss, displayPath: "citizen-survey-2019.sav")
    #expect(yaml.contains("does not read SPSS multiple-response sets"))
    let imported = try Codebook(yaml: yaml, file: "imported.yaml")
    #expect(imported.variables.count == 23)
    let q6 = try #require(imported.variables.first { $0.name == "Q6" })
    #expect(q6.type == .single)
    #expect(q6.missing.map(\.code) == [8, 9])
    #expect(imported.variables.first { $0.name == "Q8" }?.type == .text)
    let result = try SurveyReader(codebook: imported).read(export: path)
    #expect(result.rowsAccepted == 1200)
    #expect(result.errorCount == 0)
  }

  @Test("values as a CSV export writes them")
  func fieldText() {
    #expect(ReadStatFile.numberText(90, float: false) == "90")
    #expect(ReadStatFile.numberText(-3, float: false) == "-3")
    #expect(ReadStatFile.numberText(126.66666666666667, float: false) == "126.66666666666667")
    #expect(ReadStatFile.numberText(0.1, float: false) == "0.1")
    #expect(ReadStatFile.numberText(Double(Float(0.1)), float: true) == "0.1")
    #expect(ReadStatFile.numberText(.nan, float: false) == "")
    #expect(StatisticalFileFormat(path: "a.SAV") == .spss)
    #expect(StatisticalFileFormat(path: "a.zsav") == .spss)
    #expect(StatisticalFileFormat(path: "a.dta") == .stata)
    #expect(StatisticalFileFormat(path: "a.csv") == nil)
  }

  /// Flips, overwrites and cuts bytes of a small file 300 times (fixed seed): every
  /// result accounts for its rows, or is a one-sentence error naming the file.
  @Test("mutated .sav, .zsav and .dta files never crash", arguments: ["sav", "zsav", "dta"])
  func mutations(fileExtension: String) throws {
    let original = try #require(
      FileManager.default.contents(atPath: packagePath(Self.fixtures + "small." + fileExtension)))
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("surveykit-sav-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let name = "mutant." + fileExtension
    let path = folder.appendingPathComponent(name).path
    var random = SplitMix64(state: 0x5AF_2019)
    var errors = 0
    for round in 0..<300 {
      var bytes = [UInt8](original)
      switch round % 3 {
      case 0:
        for _ in 0..<Int.random(in: 1...8, using: &random) {
          let index = Int.random(in: 0..<bytes.count, using: &random)
          bytes[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
        }
      case 1:
        let index = Int.random(in: 0..<bytes.count, using: &random)
        bytes[index] = UInt8.random(in: 0...255, using: &random)
      default:
        bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
      }
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      do {
        let result = try SurveyReader(codebook: codebook).read(
          export: path, displayPath: name)
        #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
        #expect(result.table.invariantViolations().isEmpty)
      } catch {
        errors += 1
        let text = error.description
        #expect(text.hasPrefix(name + ": error: "))
        #expect(!text.contains("\n"))
        #expect(text.filter { $0 == "." }.count <= 1)
      }
    }
    #expect(errors > 0)
  }
}
