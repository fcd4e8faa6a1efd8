import Foundation
import GRDB
import Testing

@testable import SurveyKit

@Suite("KPI ledger: an SQLite file of every value recorded")
struct KPILedgerTests {
  @Test func aNewLedgerRecordsAndReadsBackEveryField() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      let full = LedgerEntry(
        kpi: "livability", year: 2019, value: 33.1, publishedText: "33.1%", standardError: 1.25,
        lower: 30.65, upper: 35.55, confidenceLevel: 0.95, respondents: 1234, source: .survey,
        sourceFile: "samples/x.csv", sourceHash: String(repeating: "ab", count: 32),
        note: "wave 3", recordedAt: date("2026-11-25T09:30:12Z"))
      let minimal = LedgerEntry(kpi: "births", year: 2020, value: 1.56, source: .manual)
      let other = LedgerEntry(
        kpi: "births", year: 2018, value: 1.5, publishedText: "15.0", source: .import,
        recordedAt: date("2026-11-24T00:00:00Z"))
      try ledger.record([full, minimal, other], replace: false)

      let current = try ledger.currentValues()
      #expect(current.map(\.entry.kpi) == ["births", "births", "livability"])
      #expect(current.map(\.entry.year) == [2018, 2020, 2019])
      #expect(current.allSatisfy { $0.supersededAt == nil })
      #expect(current[0].entry == other)
      #expect(current[2].entry == full)
      // A default recordedAt (now) is kept to the millisecond.
      var stored = current[1].entry
      #expect(abs(stored.recordedAt.timeIntervalSince(minimal.recordedAt)) < 0.001)
      stored.recordedAt = minimal.recordedAt
      #expect(stored == minimal)

      let history = try ledger.history()
      #expect(history.map(\.entry.kpi) == ["livability", "births", "births"])
      #expect(history.map(\.id) == history.map(\.id).sorted())
      #expect(try ledger.history(kpi: "livability").map(\.entry) == [full])
      #expect(try ledger.history(kpi: "unknown").isEmpty)

      let header = try DatabaseQueue(path: path).read { db in
        (
          try Int.fetchOne(db, sql: "PRAGMA application_id"),
          try Int.fetchOne(db, sql: "PRAGMA user_version")
        )
      }
      #expect(header.0 == 0x5356_4B4C)
      #expect(header.1 == KPILedger.schemaVersion)
    }
  }

  @Test func replacingSupersedesTheOldValueAndKeepsItAsHistory() throws {
    try withTemporaryFolder { folder in
      let ledger = try KPILedger(path: folder + "/kpi.sqlite")
      let old = LedgerEntry(
        kpi: "livability", year: 2019, value: 33.1, source: .survey,
        recordedAt: date("2026-11-25T09:30:00Z"))
      let new = LedgerEntry(
        kpi: "livability", year: 2019, value: 33.4, source: .survey,
        recordedAt: date("2026-11-26T10:00:00Z"))
      let unrelated = LedgerEntry(
        kpi: "births", year: 2019, value: 1.56, source: .manual,
        recordedAt: date("2026-11-25T09:30:00Z"))
      try ledger.record([old, unrelated], replace: false)
      let before = Date()
      try ledger.record([new], replace: true)

      let current = try ledger.currentValues()
      #expect(current.map(\.entry) == [unrelated, new])
      let history = try ledger.history(kpi: "livability")
      #expect(history.map(\.entry) == [old, new])
      let superseded = try #require(history[0].supersededAt)
      #expect(superseded.timeIntervalSince(before) > -0.001)
      #expect(superseded.timeIntervalSinceNow < 1)
      #expect(history[1].supersededAt == nil)
      #expect(try ledger.history().count == 3)
    }
  }

  @Test func aSecondValueWithoutReplaceIsRefusedAndNothingChanges() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      try ledger.record(
        [
          LedgerEntry(
            kpi: "livability", year: 2019, value: 33.1, source: .survey,
            sourceFile: "samples/x.csv", recordedAt: date("2026-11-25T23:59:59Z"))
        ], replace: false)
      let before = try ledger.history()
      #expect(
        throws: LedgerError(
          message: "livability 2019 already has the value 33.1 (recorded 2026-11-25 "
            + "from samples/x.csv); give --replace to record the new value 33.4 (the old one is "
            + "kept as history)")
      ) {
        try ledger.record(
          [LedgerEntry(kpi: "livability", year: 2019, value: 33.4, source: .survey)],
          replace: false)
      }
      #expect(try ledger.history() == before)
    }
  }

  @Test func aBatchWhoseSecondEntryConflictsWritesNothing() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      try ledger.record(
        [
          LedgerEntry(
            kpi: "births", year: 2020, value: 1.5, source: .manual,
            recordedAt: date("2026-01-02T03:04:05Z"))
        ], replace: false)
      let before = try ledger.history()
      #expect(
        throws: LedgerError(
          message: "births 2020 already has the value 1.5 (recorded 2026-01-02, "
            + "entered by hand); give --replace to record the new value 2 (the old one is kept "
            + "as history)")
      ) {
        try ledger.record(
          [
            LedgerEntry(kpi: "livability", year: 2020, value: 40, source: .survey),
            LedgerEntry(kpi: "births", year: 2020, value: 2.0, source: .manual),
          ], replace: false)
      }
      #expect(try ledger.history() == before)
      #expect(try ledger.currentValues().map(\.entry.kpi) == ["births"])
    }
  }

  @Test func aBatchGivingOneIndicatorAndYearTwiceIsRefused() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      #expect(
        throws: LedgerError(
          message: "births 2020 is given twice in one batch (1.5 and 1.6); "
            + "record one value per indicator and year")
      ) {
        try ledger.record(
          [
            LedgerEntry(kpi: "births", year: 2020, value: 1.5, source: .manual),
            LedgerEntry(kpi: "births", year: 2020, value: 1.6, source: .manual),
          ], replace: true)
      }
      #expect(try ledger.history().isEmpty)
    }
  }

  @Test func aValueThatIsNotAFiniteNumberIsRefused() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      #expect(
        throws: LedgerError(
          message: "births 2020 has the standard error nan; "
            + "the ledger records finite numbers only")
      ) {
        try ledger.record(
          [
            LedgerEntry(
              kpi: "births", year: 2020, value: 1.5, standardError: .nan, source: .manual)
          ], replace: false)
      }
      #expect(try ledger.history().isEmpty)
    }
  }

  @Test func aFileThatIsNotSQLiteIsRefusedAndLeftAsItWas() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let text = Data("kpi,year,value\nlivability,2019,33.1\n".utf8)
      try text.write(to: URL(fileURLWithPath: path))
      #expect(
        throws: LedgerError(
          message: "\(path) is not a KPI ledger: it is not an SQLite database")
      ) {
        _ = try KPILedger(path: path)
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }
  }

  @Test func anSQLiteDatabaseOfAnotherProgramIsRefused() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/other.sqlite"
      try DatabaseQueue(path: path).write { db in
        try db.execute(sql: "CREATE TABLE player (id INTEGER PRIMARY KEY, name TEXT)")
      }
      #expect(
        throws: LedgerError(
          message: "\(path) is not a KPI ledger: it is an SQLite database of another program "
            + "(application_id 0x00000000, not SurveyKit's 0x53564B4C)")
      ) {
        _ = try KPILedger(path: path)
      }
      let tables = try DatabaseQueue(path: path).read { db in
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
      }
      #expect(tables == ["player"])
    }
  }

  @Test func aLedgerOfANewerSchemaIsRefused() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      _ = try KPILedger(path: path)
      try DatabaseQueue(path: path).writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA user_version = 99")
      }
      #expect(
        throws: LedgerError(
          message: "\(path) was written by a newer SurveyKit: its ledger schema is 99 and this "
            + "version reads schemas up to 1")
      ) {
        _ = try KPILedger(path: path)
      }
    }
  }

  @Test func aFolderThatDoesNotExistIsRefused() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/missing/kpi.sqlite"
      #expect(
        throws: LedgerError(
          message: "\(path) cannot be opened: the folder \(folder)/missing does not exist")
      ) {
        _ = try KPILedger(path: path)
      }
      #expect(!FileManager.default.fileExists(atPath: folder + "/missing"))
    }
  }

  @Test(.enabled(if: geteuid() != 0, "root writes read-only files"))
  func aReadOnlyFileIsReadButNotWritten() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      try KPILedger(path: path).record(
        [LedgerEntry(kpi: "births", year: 2020, value: 1.5, source: .manual)], replace: false)
      try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
      let ledger = try KPILedger(path: path)
      #expect(try ledger.currentValues().count == 1)
      #expect(
        throws: LedgerError(message: "\(path) cannot be written: the file is read-only")
      ) {
        try ledger.record(
          [LedgerEntry(kpi: "births", year: 2021, value: 1.4, source: .manual)], replace: false)
      }
    }
  }

  @Test func reopeningALedgerRunsNoMigrationTwice() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let entry = LedgerEntry(
        kpi: "births", year: 2020, value: 1.5, source: .manual,
        recordedAt: date("2026-01-02T03:04:05Z"))
      try KPILedger(path: path).record([entry], replace: false)
      let reopened = try KPILedger(path: path)
      _ = try KPILedger(path: path)
      #expect(try reopened.currentValues().map(\.entry) == [entry])
      let migrations = try DatabaseQueue(path: path).read { db in
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
      }
      #expect(migrations == ["v1"])
    }
  }

  @Test func theFilePassesTheIntegrityCheckAfterWrites() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      for round in 0..<3 {
        try ledger.record(
          (2015...2024).map {
            LedgerEntry(kpi: "births", year: $0, value: 1.4 + Double(round) / 10, source: .manual)
          }, replace: true)
      }
      #expect(try ledger.currentValues().count == 10)
      #expect(try ledger.history().count == 30)
      let check = try DatabaseQueue(path: path).read { db in
        try String.fetchAll(db, sql: "PRAGMA integrity_check")
      }
      #expect(check == ["ok"])
    }
  }

  @Test func twoLedgersWritingAtOnceLoseNothing() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledgers = [try KPILedger(path: path), try KPILedger(path: path)]
      let failures = Failures()
      DispatchQueue.concurrentPerform(iterations: 2) { writer in
        for year in 0..<50 {
          do {
            try ledgers[writer].record(
              [
                LedgerEntry(
                  kpi: "writer\(writer)", year: 2000 + year, value: Double(year), source: .import)
              ], replace: false)
          } catch {
            failures.append("\(error)")
          }
        }
      }
      #expect(failures.all.isEmpty)
      let current = try KPILedger(path: path).currentValues()
      #expect(current.count == 100)
      #expect(Set(current.map { "\($0.entry.kpi) \($0.entry.year)" }).count == 100)
    }
  }

  @Test func twoLedgersReplacingOneValueAtOnceKeepOneCurrentValue() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledgers = [try KPILedger(path: path), try KPILedger(path: path)]
      let failures = Failures()
      DispatchQueue.concurrentPerform(iterations: 2) { writer in
        for round in 0..<25 {
          do {
            try ledgers[writer].record(
              [
                LedgerEntry(
                  kpi: "livability", year: 2019, value: Double(writer * 100 + round),
                  source: .survey)
              ], replace: true)
          } catch {
            failures.append("\(error)")
          }
        }
      }
      #expect(failures.all.isEmpty)
      let history = try ledgers[0].history()
      #expect(history.count == 50)
      #expect(history.filter { $0.supersededAt == nil }.map(\.id) == [history.last!.id])
      #expect(try ledgers[1].currentValues().map(\.id) == [history.last!.id])
    }
  }

  @Test func aWriterWaitsWhileAnotherConnectionHoldsTheWriteLock() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let ledger = try KPILedger(path: path)
      var configuration = Configuration()
      configuration.busyMode = .timeout(10)
      let other = try DatabaseQueue(path: path, configuration: configuration)
      let locked = DispatchSemaphore(value: 0)
      let done = DispatchSemaphore(value: 0)
      DispatchQueue.global().async {
        try? other.inTransaction(.immediate) { db in
          try db.execute(
            sql: """
              INSERT INTO kpi_value (kpi, year, value, source, recorded_at)
              VALUES ('other', 2020, 1, 'manual', '2026-01-01 00:00:00.000')
              """)
          locked.signal()
          Thread.sleep(forTimeInterval: 0.5)
          return .commit
        }
        done.signal()
      }
      locked.wait()
      let start = Date()
      try ledger.record(
        [LedgerEntry(kpi: "births", year: 2020, value: 1.5, source: .manual)], replace: false)
      #expect(Date().timeIntervalSince(start) > 0.3)
      done.wait()
      #expect(try ledger.currentValues().map(\.entry.kpi) == ["births", "other"])
    }
  }

  @Test func ledgersCreatingOneFileAtOnceAllOpenIt() throws {
    try withTemporaryFolder { folder in
      let path = folder + "/kpi.sqlite"
      let failures = Failures()
      DispatchQueue.concurrentPerform(iterations: 4) { writer in
        do {
          try KPILedger(path: path).record(
            [LedgerEntry(kpi: "k\(writer)", year: 2020, value: 1, source: .manual)],
            replace: false)
        } catch {
          failures.append("\(error)")
        }
      }
      #expect(failures.all.isEmpty)
      let current = try KPILedger(path: path).currentValues()
      #expect(current.map(\.entry.kpi) == ["k0", "k1", "k2", "k3"])
    }
  }
}

/// Errors collected from several threads.
private final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var messages: [String] = []

  func append(_ message: String) {
    lock.lock()
    messages.append(message)
    lock.unlock()
  }

  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return messages
  }
}

/// A date from ISO 8601 text in UTC.
private func date(_ text: String) -> Date {
  ISO8601DateFormatter().date(from: text)!
}

/// Runs `body` with the path of a new temporary folder, removed afterwards.
private func withTemporaryFolder(_ body: (String) throws -> Void) throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("KPILedgerTests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  try body(folder.path)
}
