import Foundation
import GRDB

/// One value of an indicator (KPI) in a year, with where it came from: what is written to the
/// ledger.
public struct LedgerEntry: Sendable, Equatable {
  /// How the value was obtained.
  public enum Source: String, Sendable, CaseIterable {
    /// Estimated from a survey wave (`survey kpi estimate`).
    case survey
    /// Entered by hand (from a statistics table, a department's report).
    case manual
    /// Read from a file of values (a seed's table, another ledger's export).
    case `import`
  }

  /// The indicator: a `KPIDefinition.id`.
  public var kpi: String
  /// The Western (Gregorian) year, counted as the strategy counts it (fiscal or calendar).
  public var year: Int
  public var value: Double
  /// The figure as printed in a source, when it differs from `value` ("15.6" for 1.56).
  public var publishedText: String?
  /// The standard error of a survey estimate.
  public var standardError: Double?
  /// The lower end of the confidence interval.
  public var lower: Double?
  /// The upper end of the confidence interval.
  public var upper: Double?
  /// The level of the confidence interval (0.95).
  public var confidenceLevel: Double?
  /// The number of respondents behind a survey estimate.
  public var respondents: Int?
  public var source: Source
  /// The source file's name as given on the command line.
  public var sourceFile: String?
  /// The SHA-256 of the source file's bytes, in hex (computed by the caller).
  public var sourceHash: String?
  public var note: String?
  /// When the value was recorded; the ledger keeps it to the millisecond.
  public var recordedAt: Date

  public init(
    kpi: String, year: Int, value: Double, publishedText: String? = nil,
    standardError: Double? = nil, lower: Double? = nil, upper: Double? = nil,
    confidenceLevel: Double? = nil, respondents: Int? = nil, source: Source,
    sourceFile: String? = nil, sourceHash: String? = nil, note: String? = nil,
    recordedAt: Date = Date()
  ) {
    self.kpi = kpi
    self.year = year
    self.value = value
    self.publishedText = publishedText
    self.standardError = standardError
    self.lower = lower
    self.upper = upper
    self.confidenceLevel = confidenceLevel
    self.respondents = respondents
    self.source = source
    self.sourceFile = sourceFile
    self.sourceHash = sourceHash
    self.note = note
    self.recordedAt = recordedAt
  }
}

/// A value as stored in the ledger: the entry, its row id and whether it has been replaced.
public struct LedgerValue: Sendable, Equatable {
  /// The row id: increases in the order values were recorded.
  public var id: Int64
  public var entry: LedgerEntry
  /// When a newer value for the same indicator and year replaced this one; nil for the current
  /// value.
  public var supersededAt: Date?

  public init(id: Int64, entry: LedgerEntry, supersededAt: Date? = nil) {
    self.id = id
    self.entry = entry
    self.supersededAt = supersededAt
  }
}

/// A ledger that cannot be opened, read or written (one sentence that starts with the file's
/// path), or values it refuses (one sentence naming the indicator and year: `livability 2019
/// already has the value 33.1 …`).
public struct LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String

  public init(message: String) {
    self.message = message
  }

  public var description: String { message }
}

/// The KPI ledger: an SQLite file (`kpi.sqlite`) that records every value of every indicator,
/// with its source, and keeps the values that were replaced as history.
///
/// Every write is one SQLite transaction, so a process killed while writing leaves the file as
/// it was. The file keeps SQLite's rollback journal (no `-wal`/`-shm` files beside it): a reader
/// always sees the last committed transaction. Writers take the write lock when their
/// transaction begins (`BEGIN IMMEDIATE`) and wait up to 30 seconds for one another, so two
/// processes recording at once run one after the other instead of failing, and the check for an
/// existing value cannot race with another writer.
public final class KPILedger: Sendable {
  /// The newest schema this code writes (`PRAGMA user_version` of the files it creates).
  public static let schemaVersion = 1

  /// How long a writer or reader waits for another process's lock, in seconds.
  static let busyTimeout: TimeInterval = 30

  /// The file's path as given.
  public let path: String

  private let queue: DatabaseQueue

  /// Opens the ledger at `path`, creating it (and running migrations) when it does not exist.
  ///
  /// Refuses a file that is not an SQLite database, an SQLite database of another program, a
  /// ledger written by a newer SurveyKit, and a path whose folder does not exist.
  public init(path: String) throws(LedgerError) {
    self.path = path
    try Self.checkLocation(path)
    var configuration = Configuration()
    configuration.busyMode = .timeout(Self.busyTimeout)
    configuration.label = "KPILedger"
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
    } catch {
      throw Self.failure(error, path: path, writing: false)
    }
    try checkOwnership()
    try migrate()
  }

  /// Records entries in ONE transaction: all or none. For a (kpi, year) that already has a current
  /// value: without `replace`, throws (nothing is written); with `replace`, the old row gets
  /// `supersededAt` = now and stays as history.
  ///
  /// Also refuses a batch with two entries for the same indicator and year, and a value, standard
  /// error, interval end or level that is not a finite number.
  public func record(_ entries: [LedgerEntry], replace: Bool) throws(LedgerError) {
    guard !entries.isEmpty else { return }
    try check(entries)
    try checkWritable()
    try perform(writing: true) {
      try queue.inTransaction(.immediate) { db in
        let now = Date()
        for entry in entries {
          let current = try values(
            db, where: "kpi = ? AND year = ? AND superseded_at IS NULL",
            arguments: [entry.kpi, entry.year])
          if let current = current.first {
            guard replace else { throw conflict(current.entry, entry) }
            try db.execute(
              sql: "UPDATE kpi_value SET superseded_at = ? WHERE id = ?",
              arguments: [now, current.id])
          }
          try insert(entry, into: db)
        }
        Self.pauseForFaultInjection()
        return .commit
      }
    }
  }

  /// SQLite's own check of the file: `["ok"]` when it is sound (`PRAGMA integrity_check`).
  public func integrityCheck() throws(LedgerError) -> [String] {
    try perform(writing: false) {
      try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }
  }

  /// Fault injection for the crash tests: with `SURVEYKIT_LEDGER_PAUSE` naming a file, a write
  /// creates that file once its rows are in the open transaction and then waits 60 seconds
  /// before committing, so a test can kill the process mid-transaction.
  private static func pauseForFaultInjection() {
    guard let marker = ProcessInfo.processInfo.environment["SURVEYKIT_LEDGER_PAUSE"],
      !marker.isEmpty
    else { return }
    FileManager.default.createFile(atPath: marker, contents: Data("paused\n".utf8))
    Thread.sleep(forTimeInterval: 60)
  }

  /// The current values (not superseded), ordered by kpi then year.
  public func currentValues() throws(LedgerError) -> [LedgerValue] {
    try perform(writing: false) {
      try queue.read { db in
        try values(db, where: "superseded_at IS NULL", orderBy: "kpi, year")
      }
    }
  }

  /// Every value ever recorded (current and superseded) for one kpi or all, in the order recorded.
  public func history(kpi: String? = nil) throws(LedgerError) -> [LedgerValue] {
    try perform(writing: false) {
      try queue.read { db in
        if let kpi {
          return try values(db, where: "kpi = ?", arguments: [kpi])
        }
        return try values(db)
      }
    }
  }

  // MARK: - Opening

  /// Refuses a path whose folder does not exist, or that is a folder.
  private static func checkLocation(_ path: String) throws(LedgerError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      if isDirectory.boolValue {
        throw LedgerError(message: "\(path) cannot be opened: it is a folder, not a file")
      }
      return
    }
    let folder = folder(of: path)
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw LedgerError(
        message: "\(path) cannot be opened: the folder \(folder) does not exist")
    }
  }

  /// Refuses an SQLite database of another program, and a ledger of a newer schema.
  private func checkOwnership() throws(LedgerError) {
    let (applicationID, version, tables) = try perform(writing: false) {
      try queue.read { db in
        (
          try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
          try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
          // A creation killed before its first migration committed leaves grdb_migrations alone.
          try Int.fetchOne(
            db,
            sql: """
              SELECT count(*) FROM sqlite_master WHERE type = 'table'
              AND name NOT GLOB 'sqlite_*' AND name <> 'grdb_migrations'
              """) ?? 0
        )
      }
    }
    if applicationID == Self.applicationID {
      if version > Self.schemaVersion {
        throw LedgerError(
          message: "\(path) was written by a newer SurveyKit: its ledger schema is \(version) "
            + "and this version reads schemas up to \(Self.schemaVersion)")
      }
    } else if applicationID != 0 || tables > 0 {
      throw LedgerError(
        message: "\(path) is not a KPI ledger: it is an SQLite database of another program "
          + "(application_id \(Self.hex(applicationID)), not SurveyKit's "
          + "\(Self.hex(Self.applicationID)))")
    }
  }

  /// Runs the migrations the file lacks.
  private func migrate() throws(LedgerError) {
    do {
      try Self.migrator.migrate(queue)
    } catch {
      // Another process creating the same file may have run a migration between our look at the
      // applied migrations and our write: the migration then fails (its table exists) and is
      // rolled back. Accept the file if it is now complete.
      let complete = (try? queue.read { try Self.migrator.hasCompletedMigrations($0) }) ?? false
      if !complete { throw Self.failure(error, path: path, writing: true) }
    }
  }

  // MARK: - Writing

  /// Refuses values that are not finite numbers, and two entries for one indicator and year.
  private func check(_ entries: [LedgerEntry]) throws(LedgerError) {
    var seen: [String: [Int: Double]] = [:]
    for entry in entries {
      let numbers: [(String, Double?)] = [
        ("value", entry.value), ("standard error", entry.standardError),
        ("lower confidence limit", entry.lower), ("upper confidence limit", entry.upper),
        ("confidence level", entry.confidenceLevel),
      ]
      for case (let name, let number?) in numbers where !number.isFinite {
        throw LedgerError(
          message: "\(entry.kpi) \(entry.year) has the \(name) \(number); "
            + "the ledger records finite numbers only")
      }
      if let earlier = seen[entry.kpi]?[entry.year] {
        throw LedgerError(
          message: "\(entry.kpi) \(entry.year) is given twice in one batch "
            + "(\(formatNumber(earlier)) and \(formatNumber(entry.value))); "
            + "record one value per indicator and year")
      }
      seen[entry.kpi, default: [:]][entry.year] = entry.value
    }
  }

  /// Refuses to write to a read-only file, or beside it in a read-only folder (SQLite keeps its
  /// journal there), before SQLite tries.
  private func checkWritable() throws(LedgerError) {
    if !FileManager.default.isWritableFile(atPath: path) {
      throw LedgerError(message: "\(path) cannot be written: the file is read-only")
    }
    let folder = Self.folder(of: path)
    if !FileManager.default.isWritableFile(atPath: folder) {
      throw LedgerError(
        message: "\(path) cannot be written: the folder \(folder) is read-only "
          + "(SQLite keeps its journal beside the file)")
    }
  }

  /// The refusal of a second value for an indicator and year.
  private func conflict(_ old: LedgerEntry, _ new: LedgerEntry) -> LedgerError {
    let origin: String
    if let file = old.sourceFile {
      origin = " from \(file)"
    } else {
      switch old.source {
      case .survey: origin = " from a survey"
      case .manual: origin = ", entered by hand"
      case .import: origin = " by import"
      }
    }
    return LedgerError(
      message: "\(new.kpi) \(new.year) already has the value \(formatNumber(old.value)) "
        + "(recorded \(Self.day(old.recordedAt))\(origin)); give --replace to record the new "
        + "value \(formatNumber(new.value)) (the old one is kept as history)")
  }

  private func insert(_ entry: LedgerEntry, into db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO kpi_value (
          kpi, year, value, published_text, standard_error, lower, upper, confidence_level,
          respondents, source, source_file, source_hash, note, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        entry.kpi, entry.year, entry.value, entry.publishedText, entry.standardError,
        entry.lower, entry.upper, entry.confidenceLevel, entry.respondents,
        entry.source.rawValue, entry.sourceFile, entry.sourceHash, entry.note, entry.recordedAt,
      ])
  }

  // MARK: - Reading

  /// The rows matching `condition`, in `order` (the order recorded by default).
  private func values(
    _ db: Database, where condition: String? = nil, arguments: StatementArguments = [],
    orderBy order: String = "id"
  ) throws -> [LedgerValue] {
    let filter = condition.map { " WHERE \($0)" } ?? ""
    let rows = try Row.fetchAll(
      db, sql: "SELECT * FROM kpi_value\(filter) ORDER BY \(order)", arguments: arguments)
    return try rows.map(value)
  }

  private func value(_ row: Row) throws -> LedgerValue {
    let id: Int64 = try row.decode(forColumn: "id")
    let sourceText: String = try row.decode(forColumn: "source")
    guard let source = LedgerEntry.Source(rawValue: sourceText) else {
      throw LedgerError(
        message: "\(path) has a value (id \(id)) with the unknown source \"\(sourceText)\"; "
          + "a newer SurveyKit may have written it")
    }
    let entry = LedgerEntry(
      kpi: try row.decode(forColumn: "kpi"),
      year: try row.decode(forColumn: "year"),
      value: try row.decode(forColumn: "value"),
      publishedText: try row.decode(forColumn: "published_text"),
      standardError: try row.decode(forColumn: "standard_error"),
      lower: try row.decode(forColumn: "lower"),
      upper: try row.decode(forColumn: "upper"),
      confidenceLevel: try row.decode(forColumn: "confidence_level"),
      respondents: try row.decode(forColumn: "respondents"),
      source: source,
      sourceFile: try row.decode(forColumn: "source_file"),
      sourceHash: try row.decode(forColumn: "source_hash"),
      note: try row.decode(forColumn: "note"),
      recordedAt: try row.decode(forColumn: "recorded_at"))
    return LedgerValue(
      id: id, entry: entry, supersededAt: try row.decode(forColumn: "superseded_at"))
  }

  // MARK: - Errors

  /// Runs `body`, turning what it throws into a `LedgerError` naming the file.
  private func perform<T>(writing: Bool, _ body: () throws -> T) throws(LedgerError) -> T {
    do {
      return try body()
    } catch {
      throw Self.failure(error, path: path, writing: writing)
    }
  }

  /// What went wrong with the file at `path`, in one sentence.
  static func failure(_ error: any Error, path: String, writing: Bool) -> LedgerError {
    if let error = error as? LedgerError { return error }
    let verb = writing ? "written" : "read"
    guard let error = error as? DatabaseError else {
      return LedgerError(message: "\(path) cannot be \(verb): \(error)")
    }
    let reason = error.message ?? "SQLite error \(error.resultCode.rawValue)"
    switch error.resultCode {
    case .SQLITE_NOTADB:
      return LedgerError(message: "\(path) is not a KPI ledger: it is not an SQLite database")
    case .SQLITE_READONLY:
      return LedgerError(message: "\(path) cannot be written: the file is read-only")
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return LedgerError(
        message: "\(path) cannot be \(verb): another process kept it locked for more than "
          + "\(formatNumber(busyTimeout)) seconds")
    case .SQLITE_FULL:
      return LedgerError(message: "\(path) cannot be written: the disk is full")
    case .SQLITE_CORRUPT:
      return LedgerError(message: "\(path) is damaged: \(reason)")
    case .SQLITE_CANTOPEN:
      return LedgerError(message: "\(path) cannot be opened: \(reason)")
    default:
      return LedgerError(message: "\(path) cannot be \(verb): \(reason)")
    }
  }

  // MARK: - Helpers

  /// The folder a path is in: `.` for a bare name.
  private static func folder(of path: String) -> String {
    guard let end = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<end])
    return folder.isEmpty ? "/" : folder
  }

  /// A date as yyyy-MM-dd, in UTC.
  static func day(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
  }

  private static func hex(_ number: Int32) -> String {
    String(format: "0x%08X", UInt32(bitPattern: number))
  }
}
