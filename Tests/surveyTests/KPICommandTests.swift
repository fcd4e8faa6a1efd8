import Foundation
import GRDB
import SurveyKit
import Testing

/// End-to-end tests of `survey kpi`: the seed's first strategy period imported, the bundled
/// sample's survey KPIs recorded, `show` in every format against golden files, every refusal
/// with its exact message, and a process killed in the middle of an update.
@Suite("survey kpi")
struct KPICommandTests {
  static let kpis = "codebooks/strategy-kpis.yaml"
  static let seed = "codebooks/strategy-kpis-first-period.csv"
  static let sample = "samples/citizen-survey-2019.csv"
  static let codebook = "codebooks/citizen-survey-2019.yaml"
  static let fixtures = "Tests/surveyTests/Golden/kpi-fixtures"

  /// A temporary folder with a fresh ledger path, removed afterwards.
  struct Ledger {
    let folder: URL
    var path: String { folder.appendingPathComponent("kpi.sqlite").path }

    init() throws { folder = try SurveyCLI.makeTemporaryFolder() }

    /// The output with the folder's path written as $TMP, for golden files.
    func clean(_ text: String) -> Data {
      Data(text.replacingOccurrences(of: folder.path, with: "$TMP").utf8)
    }
  }

  static func kpi(_ arguments: [String], ledger: Ledger) async throws -> SurveyCLI.Result {
    try await SurveyCLI.run(["kpi"] + arguments + ["--kpis", kpis, "--ledger", ledger.path])
  }

  /// The seed imported and the sample's wave recorded.
  static func seeded() async throws -> Ledger {
    let ledger = try Ledger()
    let imported = try await kpi(["import", seed], ledger: ledger)
    #expect(imported.status == 0, "\(imported.stderrText)")
    let updated = try await kpi(["update", sample, "--codebook", codebook], ledger: ledger)
    #expect(updated.status == 0, "\(updated.stderrText)")
    return ledger
  }

  @Test("the seed reproduced: the published rates, the overall 86%, and both slips flagged")
  func seedTable() async throws {
    let ledger = try await Self.seeded()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    let json = try await Self.kpi(["show", "--format", "json"], ledger: ledger)
    #expect(json.status == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
    let goals = try #require(document["goals"] as? [[String: Any]])
    var percents: [String: Int] = [:]
    var flags: [String: [String]] = [:]
    for goal in goals {
      for indicator in goal["indicators"] as? [[String: Any]] ?? [] {
        let id = indicator["id"] as? String ?? ""
        percents[id] = (indicator["achievement"] as? [String: Any])?["percent"] as? Int
        flags[id] = indicator["flags"] as? [String] ?? []
      }
    }
    #expect(
      percents == [
        "new-jobs": 94, "local-hiring": 74, "fertility-rate": 98, "childcare-satisfaction": 88,
        "female-labour-force": 91, "in-migrants": 95, "tourists": 102, "livability": 109,
        "new-firms": 85, "joint-projects": 20,
      ])
    let overall = try #require(document["overall"] as? [String: Any])
    #expect(overall["meanPercent"] as? Int == 86)
    #expect(flags["fertility-rate"]?.first?.contains("「15.6」は 1.56 として記録") == true)
    #expect(flags["livability"] == ["公表された達成状況 110% は再計算では 109%（33.1 ÷ 30.3 = 109.2%）"])
    for (format, golden) in [
      ("text", "kpi-show-seed.txt"), ("markdown", "kpi-show-seed.md"), ("csv", "kpi-show-seed.csv"),
    ] {
      let result = try await Self.kpi(["show", "--format", format], ledger: ledger)
      #expect(result.status == 0)
      #expect(result.stderrText == "")
      FreqCommandTests.expectGoldenFigures(ledger.clean(result.stdoutText), golden)
    }
    let english = try await Self.kpi(["show", "--lang", "en"], ledger: ledger)
    FreqCommandTests.expectGoldenFigures(ledger.clean(english.stdoutText), "kpi-show-seed-en.txt")
    FreqCommandTests.expectGoldenFigures(ledger.clean(json.stdoutText), "kpi-show-seed.json")
  }

  @Test("update records the sample's livability 33.1% and satisfaction 2.90 with their SEs")
  func update() async throws {
    let ledger = try Ledger()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    let result = try await Self.kpi(
      ["update", Self.sample, "--codebook", Self.codebook], ledger: ledger)
    #expect(result.status == 0)
    SurveyCLI.expectGolden(ledger.clean(result.stdoutText), "kpi-update-sample.txt")
    let values = try KPILedger(path: ledger.path).currentValues()
    #expect(values.map(\.entry.kpi) == ["childcare-satisfaction", "livability"])
    let livability = try #require(values.last?.entry)
    #expect((livability.value * 10).rounded() / 10 == 33.1)
    #expect(livability.year == 2019)
    #expect(livability.standardError.map { $0 > 1 && $0 < 2 } == true)
    #expect(livability.respondents == 1191)
    #expect(livability.source == .survey)
    #expect(livability.sourceHash?.count == 64)
    // The same wave again is refused; --replace keeps the old value as history.
    let again = try await Self.kpi(
      ["update", Self.sample, "--codebook", Self.codebook], ledger: ledger)
    #expect(again.status == 2)
    #expect(again.stdoutText == "")
    #expect(
      again.stderrText.hasPrefix(
        "\(ledger.path): error: childcare-satisfaction 2019 already has the value "))
    let replaced = try await Self.kpi(
      ["update", Self.sample, "--codebook", Self.codebook, "--replace"], ledger: ledger)
    #expect(replaced.status == 0)
    #expect(try KPILedger(path: ledger.path).history().count == 4)
  }

  struct Failure: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let failures: [Failure] = [
    .init(
      arguments: ["record", "no-such-kpi", "2020", "1"],
      message:
        "codebooks/strategy-kpis.yaml: error: no-such-kpi is not an indicator of this file (its "
        + "indicators are new-jobs, local-hiring, fertility-rate, childcare-satisfaction, "
        + "female-labour-force, in-migrants, tourists, livability, new-firms, joint-projects)\n"),
    .init(
      arguments: ["record", "fertility-rate", "H30", "15.6"],
      message:
        "codebooks/strategy-kpis.yaml: error: 15.6 for fertility-rate is outside the plausible "
        + "range 0.5–3; check the decimal point (give --force to record it anyway)\n"),
    .init(
      arguments: ["record", "in-migrants", "2016", "58060"],
      message:
        "codebooks/strategy-kpis.yaml: error: 58060 for in-migrants is outside the range "
        + "1191.6–29790 around its baseline 5958; check the decimal point (give --force to "
        + "record it anyway)\n"),
  ]

  @Test("refusals: one sentence, exit status 2, nothing written", arguments: failures)
  func failure(_ failure: Failure) async throws {
    let ledger = try Ledger()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    let result = try await Self.kpi(failure.arguments, ledger: ledger)
    #expect(result.status == 2)
    #expect(result.stdoutText == "")
    #expect(result.stderrText == failure.message)
    #expect(!FileManager.default.fileExists(atPath: ledger.path))
  }

  @Test("a year recorded twice, and --replace")
  func recordTwice() async throws {
    let ledger = try Ledger()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    let first = try await Self.kpi(["record", "in-migrants", "R2", "6210"], ledger: ledger)
    #expect(first.status == 0)
    #expect(first.stdoutText == "in-migrants R2 (2020): 6,210 recorded in \(ledger.path)\n")
    let second = try await Self.kpi(["record", "in-migrants", "2020", "6230"], ledger: ledger)
    #expect(second.status == 2)
    #expect(
      second.stderrText.hasPrefix(
        "\(ledger.path): error: in-migrants 2020 already has the value 6210 (recorded "))
    #expect(
      second.stderrText.hasSuffix(
        ", entered by hand); give --replace to record the new value 6230 (the old one is kept as history)\n"
      ))
    let third = try await Self.kpi(
      ["record", "in-migrants", "2020", "6230", "--replace"], ledger: ledger)
    #expect(third.status == 0)
    let history = try KPILedger(path: ledger.path).history(kpi: "in-migrants")
    #expect(history.map(\.entry.value) == [6210, 6230])
    #expect(history.map { $0.supersededAt == nil } == [false, true])
  }

  @Test("files that are not ledgers, or from a newer SurveyKit")
  func notLedgers() async throws {
    let ledger = try Ledger()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    try Data("kpi,year,value\n".utf8).write(to: URL(fileURLWithPath: ledger.path))
    let text = try await Self.kpi(["show"], ledger: ledger)
    #expect(text.status == 2)
    #expect(
      text.stderrText
        == "\(ledger.path): error: this file is not a KPI ledger: it is not an SQLite database\n")
    try FileManager.default.removeItem(atPath: ledger.path)
    _ = try KPILedger(path: ledger.path)
    try Self.setUserVersion(7, at: ledger.path)
    let newer = try await Self.kpi(["record", "in-migrants", "2020", "6210"], ledger: ledger)
    #expect(newer.status == 2)
    #expect(
      newer.stderrText
        == "\(ledger.path): error: this file was written by a newer SurveyKit: its ledger schema "
        + "is 7 and this version reads schemas up to 1\n")
    let missing = try await Self.kpi(["show"], ledger: try Ledger())
    #expect(missing.status == 2)
    #expect(missing.stderrText.contains("there is no KPI ledger here yet"))
  }

  /// Marks a ledger as written by a later schema (synchronously: GRDB's async overloads are not
  /// wanted here).
  static func setUserVersion(_ version: Int, at path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA user_version = \(version)")
    }
  }

  @Test("definitions and waves that cannot be used")
  func badDefinitions() async throws {
    let ledger = try Ledger()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    let zero = try await SurveyCLI.run([
      "kpi", "show", "--kpis", "\(Self.fixtures)/target-zero.yaml", "--ledger", ledger.path,
    ])
    #expect(zero.status == 2)
    SurveyCLI.expectGolden(zero.stderr, "kpi-error-target-zero.txt")
    let noQuestion = try await SurveyCLI.run([
      "kpi", "update", Self.sample, "--codebook", Self.codebook, "--kpis",
      "\(Self.fixtures)/no-question.yaml", "--ledger", ledger.path,
    ])
    #expect(noQuestion.status == 2)
    SurveyCLI.expectGolden(noQuestion.stderr, "kpi-error-no-question.txt")
    #expect(!FileManager.default.fileExists(atPath: ledger.path))
  }

  @Test("a process killed in the middle of an update leaves the ledger exactly as it was")
  func killedUpdate() async throws {
    let ledger = try await Self.seeded()
    defer { SurveyCLI.removeTemporaryFolder(ledger.folder) }
    let before = try KPILedger(path: ledger.path).history()
    let marker = ledger.folder.appendingPathComponent("paused").path
    let process = Process()
    process.executableURL = try SurveyCLI.executable()
    process.arguments = [
      "kpi", "update", Self.sample, "--codebook", Self.codebook, "--kpis", Self.kpis, "--ledger",
      ledger.path, "--replace",
    ]
    process.currentDirectoryURL = SurveyCLI.packageRoot
    process.environment = ["PATH": "/usr/bin:/bin", "SURVEYKIT_LEDGER_PAUSE": marker]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The rows are written inside the open transaction once the marker appears.
    var waited = 0
    while !FileManager.default.fileExists(atPath: marker) && waited < 600 {
      try await Task.sleep(for: .milliseconds(100))
      waited += 1
    }
    #expect(FileManager.default.fileExists(atPath: marker))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    let after = try KPILedger(path: ledger.path)
    #expect(try after.integrityCheck() == ["ok"])
    #expect(try after.history() == before)
  }
}
