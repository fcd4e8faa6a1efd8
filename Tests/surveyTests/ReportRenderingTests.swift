import Foundation
import SurveyKit
import Testing

/// The council's reports as a person sees them: `survey run` on the bundled sample, then the HTML
/// report opened in headless Chromium (a screenshot and a print to PDF) and the workbook opened in
/// headless LibreOffice (a PDF export and the sheets read back as CSV).
///
/// The other tests compare bytes; these check that the files open in the programs the council
/// uses, show the survey, the tables and the KPI figure, and that the page fetches nothing.
///
/// The tools are Debian packages (`scripts/debian-test-packages`: chromium, libreoffice-calc,
/// poppler-utils, unzip, fonts-noto-cjk), installed by `.ci/run`. Where one is missing, the test
/// that needs it is skipped and says which package to install.
@Suite("Reports as a person sees them")
struct ReportRenderingTests {
  /// The KPI table's overall achievement of the sample (the seed's 86%, docs/kpi.md).
  static let overallAchievement = "86%"

  // MARK: - The HTML report in Chromium

  @Test(
    "the HTML report: a screenshot that is not blank, no console message, nothing fetched",
    RenderTools.requiring(.chromium, .japaneseFont), .timeLimit(.minutes(1)))
  func htmlScreenshot() async throws {
    let sample = try await SampleReport.make()
    defer { SurveyCLI.removeTemporaryFolder(sample.folder) }
    let folder = sample.folder

    // A copy of the page under a policy that forbids every fetch (the page sets one itself; the
    // test adds its own so as not to depend on it). Chromium logs each refused load, each script
    // error and each console message on standard error as `…:INFO:CONSOLE…`.
    let html = try String(contentsOfFile: sample.html, encoding: .utf8)
    let guarded = folder.appendingPathComponent("guarded.html")
    try Data(Self.forbiddingFetches(html).utf8).write(to: guarded)
    let screenshot = folder.appendingPathComponent("report.png")
    let shot = try await RenderTools.chromiumScreenshot(of: guarded, to: screenshot, in: folder)
    #expect(shot.status == 0, "chromium failed: \(shot.stderrText)")
    let messages = shot.stderrText.split(separator: "\n").filter {
      $0.contains(":CONSOLE") || $0.contains("net::ERR_") || $0.contains("Failed to load")
    }
    if !messages.isEmpty {
      Issue.record(
        "the page logged \(messages.count) messages:\n\(messages.joined(separator: "\n"))")
    }

    // The screenshot is a 1280×1800 PNG much larger than one of an empty page: a blank white
    // page compresses to a few KB, the report's text, tables and charts do not.
    let png = try #require(
      try? Data(contentsOf: screenshot), "chromium wrote no screenshot: \(shot.stderrText)")
    #expect(RenderTools.pngSize(png) == RenderTools.PixelSize(width: 1280, height: 1800))
    let blankPage = folder.appendingPathComponent("blank.html")
    try Data(
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>"
        .utf8
    ).write(to: blankPage)
    let blankShot = folder.appendingPathComponent("blank.png")
    let blank = try await RenderTools.chromiumScreenshot(of: blankPage, to: blankShot, in: folder)
    #expect(blank.status == 0, "chromium failed on an empty page: \(blank.stderrText)")
    let blankBytes = (try? Data(contentsOf: blankShot))?.count ?? 0
    #expect(blankBytes > 0)
    #expect(
      png.count > max(4 * blankBytes, blankBytes + 60_000),
      "the screenshot has \(png.count) bytes, an empty page's \(blankBytes): is it blank?")
  }

  @Test(
    "the HTML report printed to PDF: A4 pages with the title, every table and the KPI figure",
    RenderTools.requiring(.chromium, .pdftotext, .pdfinfo, .japaneseFont),
    .timeLimit(.minutes(1)))
  func htmlPrinted() async throws {
    let sample = try await SampleReport.make()
    defer { SurveyCLI.removeTemporaryFolder(sample.folder) }
    let pdf = sample.folder.appendingPathComponent("report-html.pdf")
    let printed = try await RenderTools.chromium(
      [
        "--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer",
        URL(fileURLWithPath: sample.html).absoluteString,
      ], in: sample.folder)
    #expect(printed.status == 0, "chromium failed: \(printed.stderrText)")
    #expect(FileManager.default.fileExists(atPath: pdf.path), "no PDF: \(printed.stderrText)")
    let info = try await RenderTools.pdfInfo(pdf, in: sample.folder)
    #expect(info.pageSize.contains("(A4)"), "the page size is \(info.pageSize)")
    #expect(
      info.pages > SampleReport.tableTitles.count,
      "\(info.pages) pages for \(SampleReport.tableTitles.count) tables")
    let text = try await RenderTools.pdfText(pdf, in: sample.folder)
    Self.expectShown(text, SampleReport.surveyTitle, in: "the printed page")
    for title in SampleReport.tableTitles {
      Self.expectShown(text, title, in: "the printed page")
    }
    Self.expectOverallAchievement(in: text, "the printed page")
  }

  // MARK: - The workbook in LibreOffice

  @Test(
    "the workbook: its sheets, LibreOffice's PDF of it, and the cells it reads back",
    RenderTools.requiring(.soffice, .pdftotext, .pdfinfo, .unzip, .japaneseFont),
    .timeLimit(.minutes(3)))
  func workbook() async throws {
    let sample = try await SampleReport.make()
    defer { SurveyCLI.removeTemporaryFolder(sample.folder) }
    let folder = sample.folder

    // The sheets, in order: cover, contents, a sheet per table, the KPIs, the appendix.
    let workbookXML = try await RenderTools.run(
      "unzip", ["-p", sample.workbook, "xl/workbook.xml"], in: folder)
    #expect(workbookXML.status == 0, "unzip failed: \(workbookXML.stderrText)")
    let sheets = Self.sheetNames(workbookXML.stdoutText)
    let tableSheets = SampleReport.tableTitles.indices.map { "表\($0 + 1)" }
    #expect(sheets == ["表紙", "目次"] + tableSheets + ["評価指標", "付録 標本誤差早見表"])
    // A native chart for each chart of the HTML report (both are the report's `charts(of:)`).
    let listing = try await RenderTools.run("unzip", ["-Z1", sample.workbook], in: folder)
    let charts = listing.stdoutText.split(separator: "\n").filter {
      $0.hasPrefix("xl/charts/chart") && $0.hasSuffix(".xml")
    }.count
    let figures =
      try String(contentsOfFile: sample.html, encoding: .utf8).components(separatedBy: "<figure")
      .count - 1
    #expect(charts > 0)
    #expect(charts == figures, "\(charts) charts in the workbook, \(figures) in the HTML report")

    // LibreOffice opens it and prints every sheet.
    let office = RenderTools.Office(folder: folder)
    let pdfFolder = folder.appendingPathComponent("pdf")
    let converted = try await office.convert(sample.workbook, to: "pdf", outdir: pdfFolder)
    #expect(converted.status == 0, "soffice failed: \(converted.stderrText)")
    let pdf = pdfFolder.appendingPathComponent("report.pdf")
    try #require(
      FileManager.default.fileExists(atPath: pdf.path),
      "soffice wrote no PDF: \(converted.stdoutText)\(converted.stderrText)")
    let info = try await RenderTools.pdfInfo(pdf, in: folder)
    #expect(info.pages >= sheets.count, "\(info.pages) pages for \(sheets.count) sheets")
    let text = try await RenderTools.pdfText(pdf, in: folder)
    Self.expectShown(text, SampleReport.surveyTitle, in: "LibreOffice's PDF")
    Self.expectShown(text, SampleReport.tableTitles[0], in: "LibreOffice's PDF")
    Self.expectOverallAchievement(in: text, "LibreOffice's PDF")

    // The cells as LibreOffice reads them, every sheet as CSV (UTF-8, formatted as shown).
    let csvFolder = folder.appendingPathComponent("csv")
    let csv = try await office.convert(
      sample.workbook,
      to: "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
      outdir: csvFolder)
    #expect(csv.status == 0, "soffice failed: \(csv.stderrText)")
    func sheet(_ name: String) -> String {
      let url = csvFolder.appendingPathComponent("report-\(name).csv")
      return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
    let cover = sheet("表紙").split(separator: "\n").map { $0.split(separator: ",") }
    let surveyName = cover.first { $0.first == "調査名" }
    #expect(
      surveyName?.dropFirst().first.map(String.init) == SampleReport.surveyTitle,
      "the cover's 調査名 row is \(surveyName.map(String.init(describing:)) ?? "missing")")
    // The overall row: 全体（10指標の平均）, then the mean achievement in the last column.
    let overall = sheet("評価指標").split(separator: "\n").filter { $0.hasPrefix("全体（") }
    #expect(
      overall.count == 1 && overall.first?.hasSuffix("," + Self.overallAchievement) == true,
      "the KPI sheet's overall row is \(overall), not …,\(Self.overallAchievement)")
  }

  // MARK: - Helpers

  /// `html` with a second content security policy, before anything else in the head, that
  /// allows inline styles and nothing else.
  static func forbiddingFetches(_ html: String) -> String {
    let policy =
      "<meta http-equiv=\"Content-Security-Policy\" "
      + "content=\"default-src 'none'; style-src 'unsafe-inline'\" />"
    guard let head = html.range(of: "<head>", options: .caseInsensitive) else {
      return policy + html
    }
    return html.replacingCharacters(in: head, with: "<head>" + policy)
  }

  /// The `name` attributes of `<sheet>` in `xl/workbook.xml`, in order, unescaped.
  static func sheetNames(_ xml: String) -> [String] {
    var names: [String] = []
    var rest = xml[...]
    while let start = rest.range(of: "<sheet ") {
      rest = rest[start.upperBound...]
      guard let end = rest.firstIndex(of: ">") else { break }
      let element = rest[..<end]
      if let name = element.range(of: "name=\"") {
        let value = element[name.upperBound...].prefix { $0 != "\"" }
        names.append(
          String(value).replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&"))
      }
    }
    return names
  }

  /// `text` without white space: pdftotext breaks a title over lines and puts spaces or line
  /// breaks between table cells.
  static func squeezed(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }))
  }

  /// Expects `wanted` in text extracted from a PDF, ignoring white space.
  static func expectShown(
    _ text: String, _ wanted: String, in place: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let shown = squeezed(text).contains(squeezed(wanted))
    #expect(shown, "\(place) does not show \(wanted)", sourceLocation: sourceLocation)
  }

  /// Expects the KPI table's overall row, `全体（10指標の平均）86%`, in text extracted from a PDF.
  static func expectOverallAchievement(
    in text: String, _ place: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let flat = squeezed(text)
    let shown =
      flat.range(
        of: "全体（[0-9]+指標の平均）" + overallAchievement, options: .regularExpression) != nil
    let found =
      flat.range(of: "全体（").map { String(flat[$0.lowerBound...].prefix(20)) } ?? "no 全体（…） row"
    #expect(
      shown,
      "\(place) does not show the overall achievement \(overallAchievement) (found \(found))",
      sourceLocation: sourceLocation)
  }
}

/// The bundled sample's yearly job in a temporary folder: a project file whose inputs are the
/// repository's files, and `survey run` writing the workbook and the HTML report beside it.
private struct SampleReport {
  let folder: URL
  var html: String { folder.appendingPathComponent("report.html").path }
  var workbook: String { folder.appendingPathComponent("report.xlsx").path }

  static let root = SurveyCLI.packageRoot.path

  /// The survey's title on the cover (the codebook's, in Japanese).
  static let surveyTitle: String = {
    let codebook = try? Codebook(contentsOf: "\(root)/codebooks/citizen-survey-2019.yaml")
    return codebook?.survey.title.text(in: .japanese) ?? "市民意識調査（合成データ）"
  }()

  /// The titles of the table spec's tables, in order.
  static let tableTitles: [String] = {
    guard let codebook = try? Codebook(contentsOf: "\(root)/codebooks/citizen-survey-2019.yaml"),
      let spec = try? BannerTableSpec(
        contentsOf: "\(root)/codebooks/citizen-survey-2019-tables.yaml", codebook: codebook)
    else { return [] }
    return spec.tables.compactMap { $0.title?.text(in: .japanese) }
  }()

  /// Writes the project and runs it; the caller removes `folder`.
  static func make() async throws -> SampleReport {
    try #require(!tableTitles.isEmpty, "the sample's table spec cannot be read")
    let sample = SampleReport(folder: try SurveyCLI.makeTemporaryFolder())
    let yaml = """
      survey:
        fieldwork: 2019年10月1日～10月31日
        sample-size: 2500
      export: \(root)/samples/citizen-survey-2019.csv
      codebook: \(root)/codebooks/citizen-survey-2019.yaml
      weighting:
        targets: \(root)/codebooks/citizen-survey-2019-targets.yaml
      tables: \(root)/codebooks/citizen-survey-2019-tables.yaml
      kpi:
        definitions: \(root)/codebooks/strategy-kpis.yaml
        ledger: kpi.sqlite
        import: \(root)/codebooks/strategy-kpis-first-period.csv
      report:
        language: ja
        workbook: report.xlsx
        html: report.html

      """
    let project = sample.folder.appendingPathComponent("project.yaml")
    try Data(yaml.utf8).write(to: project)
    let result = try await SurveyCLI.run(["run", project.path, "--quiet"])
    try #require(result.status == 0, "survey run failed: \(result.stderrText)")
    return sample
  }
}

/// The programs that open the reports, found on PATH, and how the tests run them.
private enum RenderTools {
  static let searchPath: [String] = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    var folders = path.split(separator: ":").map(String.init)
    for folder in ["/usr/local/bin", "/usr/bin", "/bin"] where !folders.contains(folder) {
      folders.append(folder)
    }
    return folders
  }()

  /// The first of `names` that is an executable on the search path.
  static func find(_ names: String...) -> String? {
    for name in names {
      for folder in searchPath {
        let candidate = (folder as NSString).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      }
    }
    return nil
  }

  static let chromium = find("chromium", "chromium-browser", "google-chrome")
  static let soffice = find("soffice", "libreoffice")
  static let pdftotext = find("pdftotext")
  static let pdfinfo = find("pdfinfo")
  static let unzip = find("unzip")

  /// fontconfig knows a font with Japanese glyphs (`fc-list :lang=ja`): without one Chromium and
  /// LibreOffice draw the Japanese text as boxes (and pdftotext loses some of it). True when
  /// fc-list itself is missing, as it cannot tell.
  static let japaneseFont: Bool = {
    guard let fcList = find("fc-list") else { return true }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: fcList)
    process.arguments = [":lang=ja", "family"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return true }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return !String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      .isEmpty
  }()

  /// What a test needs, with the Debian package that provides it.
  enum Requirement: String {
    case chromium
    case soffice
    case pdftotext
    case pdfinfo
    case unzip
    case japaneseFont = "a Japanese font"

    var isMet: Bool {
      switch self {
      case .chromium: RenderTools.chromium != nil
      case .soffice: RenderTools.soffice != nil
      case .pdftotext: RenderTools.pdftotext != nil
      case .pdfinfo: RenderTools.pdfinfo != nil
      case .unzip: RenderTools.unzip != nil
      case .japaneseFont: RenderTools.japaneseFont
      }
    }

    var package: String {
      switch self {
      case .chromium: "chromium"
      case .soffice: "libreoffice-calc"
      case .pdftotext, .pdfinfo: "poppler-utils"
      case .unzip: "unzip"
      case .japaneseFont: "fonts-noto-cjk"
      }
    }
  }

  /// Runs the test only when every requirement is met; otherwise it is skipped with a comment
  /// that names what is missing and the packages to install.
  static func requiring(_ requirements: Requirement...) -> ConditionTrait {
    let missing = requirements.filter { !$0.isMet }
    let packages = Set(missing.map(\.package)).sorted().joined(separator: " ")
    let comment = Comment(
      rawValue: "\(missing.map(\.rawValue).joined(separator: ", ")) not found: install with "
        + "`apt-get install \(packages)` (or every package of scripts/debian-test-packages)")
    return .enabled(if: missing.isEmpty, comment)
  }

  typealias Output = SurveyCLI.Result

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs `tool` (a name from the search path, or a path) with `arguments` in `folder`, with
  /// HOME and TMPDIR in `folder`, stdin from /dev/null and the output in files; a child still
  /// running after `timeout` is terminated and the test fails.
  static func run(
    _ tool: String, _ arguments: [String], in folder: URL, timeout: Duration = .seconds(45),
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> Output {
    guard let executable = tool.hasPrefix("/") ? tool : find(tool) else {
      throw Failure(description: "\(tool) is not on PATH")
    }
    let logs = folder.appendingPathComponent("logs-\(UUID().uuidString)", isDirectory: true)
    let home = folder.appendingPathComponent("home", isDirectory: true)
    try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    return try await SurveyCLI.runProcess(
      URL(fileURLWithPath: executable), arguments, name: tool, in: folder,
      environment: [
        "PATH": searchPath.joined(separator: ":"),
        "HOME": home.path,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": folder.path,
      ], logs: logs, timeout: timeout, sourceLocation: sourceLocation)
  }

  /// Headless Chromium with its own profile in `folder`, no sandbox (it refuses to start as
  /// root with one, and the page is our own file), no GPU, no background fetches of its own,
  /// and the page's console on standard error.
  static func chromium(_ arguments: [String], in folder: URL) async throws -> Output {
    guard let chromium else { throw Failure(description: "chromium is not on PATH") }
    let profile = folder.appendingPathComponent("chromium-\(UUID().uuidString)")
    return try await run(
      chromium,
      [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=\(profile.path)", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--enable-logging=stderr", "--v=0",
      ] + arguments, in: folder)
  }

  /// A screenshot of the first 1280×1800 pixels of `page`.
  static func chromiumScreenshot(of page: URL, to png: URL, in folder: URL) async throws
    -> Output
  {
    try await chromium(
      ["--window-size=1280,1800", "--screenshot=\(png.path)", page.absoluteString], in: folder)
  }

  struct PixelSize: Equatable {
    var width: Int
    var height: Int
  }

  /// The width and height in a PNG's IHDR chunk, or nil when `data` is not a PNG.
  static func pngSize(_ data: Data) -> PixelSize? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
      bytes[12..<16] == [0x49, 0x48, 0x44, 0x52]
    else { return nil }
    func integer(_ offset: Int) -> Int {
      bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    return PixelSize(width: integer(16), height: integer(20))
  }

  struct PDFInfo {
    var pages: Int
    /// pdfinfo's `Page size:` line, e.g. `841.92 x 595.32 pts (A4)`.
    var pageSize: String
  }

  static func pdfInfo(_ pdf: URL, in folder: URL) async throws -> PDFInfo {
    let result = try await run("pdfinfo", [pdf.path], in: folder)
    #expect(result.status == 0, "pdfinfo failed: \(result.stderrText)")
    var info = PDFInfo(pages: 0, pageSize: "")
    for line in result.stdoutText.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let value = parts[1].trimmingCharacters(in: .whitespaces)
      switch parts[0] {
      case "Pages": info.pages = Int(value) ?? 0
      case "Page size": info.pageSize = value
      default: break
      }
    }
    return info
  }

  /// The text of every page, UTF-8.
  static func pdfText(_ pdf: URL, in folder: URL) async throws -> String {
    let result = try await run("pdftotext", ["-enc", "UTF-8", pdf.path, "-"], in: folder)
    #expect(result.status == 0, "pdftotext failed: \(result.stderrText)")
    return result.stdoutText
  }

  /// Headless LibreOffice with a profile of its own in the test's folder, so that tests (and a
  /// LibreOffice the developer has open) never share one; the first start in a new profile
  /// takes a few seconds. Conversions with one profile must not overlap.
  struct Office {
    let folder: URL
    var profile: URL { folder.appendingPathComponent("lo-profile", isDirectory: true) }

    /// `soffice --headless --convert-to FILTER --outdir OUTDIR FILE`. LibreOffice's status is 0
    /// even when it cannot load the file: the caller checks for the output.
    func convert(_ file: String, to filter: String, outdir: URL) async throws -> Output {
      guard let soffice else { throw Failure(description: "soffice is not on PATH") }
      return try await run(
        soffice,
        [
          "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
          "--nolockcheck", "--convert-to", filter, "--outdir", outdir.path, file,
        ], in: folder, timeout: .seconds(120))
    }
  }
}
