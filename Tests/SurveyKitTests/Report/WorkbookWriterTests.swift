import CLibXlsxWriter
import Foundation
import Testing

@testable import SurveyKit

/// The council workbook of the bundled sample, read back from its ZIP with /usr/bin/unzip.
@Suite("Workbook writer: sheets, charts, strings, atomic writes")
struct WorkbookWriterTests {
  /// The sample's report, built once for all the tests (about a second).
  static let sample: Result<CouncilReport, any Error> = Result { try CouncilReportFixture.sample() }

  static let unzip = "/usr/bin/unzip"

  /// A fresh folder under the temporary directory.
  func temporaryFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("surveykit-workbook-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  /// One member of the ZIP at `path`, as text.
  func member(_ name: String, of path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.unzip)
    process.arguments = ["-p", path, name]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// The names of the ZIP's members.
  func members(of path: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.unzip)
    process.arguments = ["-Z1", path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test(
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: unzip),
      "needs /usr/bin/unzip to read the workbook back"))
  func theSampleHasItsSheetsInOrderAndAChartPerStub() throws {
    let report = try Self.sample.get()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/council.xlsx"
    try WorkbookWriter.write(report, to: path)

    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(bytes.prefix(2) == Data("PK".utf8))
    let workbook = try member("xl/workbook.xml", of: path)
    let names = workbook.components(separatedBy: "<sheet name=\"").dropFirst().map {
      String($0.prefix { $0 != "\"" })
    }
    let tables = report.tables.tables.indices.map { "表\($0 + 1)" }
    #expect(names == ["表紙", "目次"] + tables + ["評価指標", "付録 標本誤差早見表"])

    let charts = try members(of: path).filter { $0.hasPrefix("xl/charts/chart") }
    let expected = report.tables.tables.map { report.charts(of: $0).count }.reduce(0, +)
    #expect(expected > 0)
    #expect(charts.count == expected)
    #expect(charts.contains("xl/charts/chart1.xml"))
    let kinds = try charts.map { try member($0, of: path) }
    #expect(kinds.contains { $0.contains("<c:barDir val=\"col\"/>") })
    #expect(kinds.contains { $0.contains("<c:grouping val=\"percentStacked\"/>") })

    // The contents link to every other sheet; the KPI sheet colours the achievement column.
    let contents = try member("xl/worksheets/sheet2.xml", of: path)
    #expect(contents.components(separatedBy: "<hyperlink ").count - 1 == names.count - 1)
    #expect(contents.contains("location=\"'表1'!A1\""))
    let kpi = try member("xl/worksheets/sheet\(names.count - 1).xml", of: path)
    #expect(kpi.contains("<conditionalFormatting"))
    let styles = try member("xl/styles.xml", of: path)
    #expect(styles.contains("<name val=\"游ゴシック\"/>"))
    #expect(styles.contains("formatCode=\"0.0;-0.0;&quot;−&quot;\""))
  }

  @Test(
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: unzip),
      "needs /usr/bin/unzip to read the workbook back"))
  func aLabelStartingWithEqualsStaysAString() throws {
    var report = try Self.sample.get()
    let label = "=SUM(A1:A2) 住みやすい"
    report.tables.tables[0].blocks[0].rows[0].label = LocalizedText(japanese: label)
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/council.xlsx"
    try WorkbookWriter.write(report, to: path)

    // The label is a shared string, and the table's cell (and the chart data's) points to it.
    let strings = try member("xl/sharedStrings.xml", of: path)
      .components(separatedBy: "<si>").dropFirst()
      .map { $0.components(separatedBy: "</si>")[0] }
    let index = try #require(strings.firstIndex { $0.hasSuffix(">\(label)</t>") })
    let sheet = try member("xl/worksheets/sheet3.xml", of: path)
    #expect(sheet.components(separatedBy: "t=\"s\"><v>\(index)</v>").count - 1 == 2)
    #expect(!sheet.contains("<f>"))
  }

  @Test func theWriteReplacesTheFileAndLeavesNoTemporaryFile() throws {
    let report = try Self.sample.get()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/council.xlsx"
    try Data("an older workbook".utf8).write(to: URL(fileURLWithPath: path))

    try WorkbookWriter.write(report, to: path)

    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["council.xlsx"])
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(bytes.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o644)
  }

  @Test func aMissingFolderIsAFileErrorNamingThePath() throws {
    let report = try Self.sample.get()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/missing/council.xlsx"
    do {
      try WorkbookWriter.write(report, to: path)
      Issue.record("writing into a missing folder succeeded")
    } catch {
      #expect(
        error.description
          == "\(folder)/missing/council.xlsx: error: cannot be written: the folder \(folder)/missing does not exist"
      )
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
  }

  @Test func sheetNamesAreMadeValidAndUnique() {
    #expect(WorkbookWriter.sheetName("表1", avoiding: []) == "表1")
    #expect(WorkbookWriter.sheetName("a/b:c*d?[e]\\f", avoiding: []) == "abcdef")
    #expect(WorkbookWriter.sheetName("'quoted'", avoiding: []) == "quoted")
    #expect(WorkbookWriter.sheetName("", avoiding: []) == "Sheet")
    let long = String(repeating: "あ", count: 40)
    #expect(WorkbookWriter.sheetName(long, avoiding: []).count == 31)
    #expect(WorkbookWriter.sheetName("表1", avoiding: ["表1"]) == "表1(2)")
    #expect(
      WorkbookWriter.sheetName(long, avoiding: [String(repeating: "あ", count: 31)])
        == String(repeating: "あ", count: 28) + "(2)")
  }

  @Test func aFolderInTheWayIsAFileError() throws {
    let report = try Self.sample.get()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(throws: FileError(path: folder, reason: "cannot be written: it is a directory")) {
      try WorkbookWriter.write(report, to: folder)
    }
  }

  @Test func aLibxlsxwriterErrorIsNamedAfterItsCCode() {
    let failure = WorkbookFailure(
      call: "worksheet_write_string", error: LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
    #expect(
      failure.reason
        == "worksheet_write_string failed with LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED (string exceeds Excel's limit of 32,767 characters)"
    )
    #expect(WorkbookFailure.name(of: LXW_ERROR_IMAGE_DIMENSIONS) == "LXW_ERROR_IMAGE_DIMENSIONS")
  }
}
