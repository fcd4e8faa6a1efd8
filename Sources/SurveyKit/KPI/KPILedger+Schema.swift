import GRDB

extension KPILedger {
  /// `PRAGMA application_id` of a ledger file: "SVKL" (SurveyKit ledger), so that a ledger is told
  /// apart from any other SQLite database (sqlite3 `.dbinfo` and file(1) show it).
  static let applicationID: Int32 = 0x5356_4B4C

  /// The schema, one migration per version. Each migration runs in its own immediate transaction
  /// and ends by setting `PRAGMA user_version` to its version, so that an older SurveyKit can
  /// refuse a file it does not understand.
  static let migrator: DatabaseMigrator = {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(sql: schemaV1)
      try db.execute(sql: "PRAGMA application_id = \(applicationID)")
      try db.execute(sql: "PRAGMA user_version = 1")
    }
    return migrator
  }()

  /// Version 1: one row per value ever recorded; a replaced value keeps its row, with the time it
  /// was superseded. At most one current (not superseded) row per indicator and year.
  static let schemaV1 = """
    CREATE TABLE kpi_value (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kpi TEXT NOT NULL,
      year INTEGER NOT NULL,
      value REAL NOT NULL,
      published_text TEXT,
      standard_error REAL,
      lower REAL,
      upper REAL,
      confidence_level REAL,
      respondents INTEGER,
      source TEXT NOT NULL CHECK (source IN ('survey', 'manual', 'import')),
      source_file TEXT,
      source_hash TEXT,
      note TEXT,
      recorded_at TEXT NOT NULL,
      superseded_at TEXT
    );
    CREATE INDEX kpi_value_kpi_year ON kpi_value (kpi, year);
    CREATE UNIQUE INDEX kpi_value_current ON kpi_value (kpi, year) WHERE superseded_at IS NULL;
    """
}
