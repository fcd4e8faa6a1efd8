/// What reading an export against a codebook produced: the table, every diagnostic, the reject
/// log and the row accounting (`rowsRead == rowsAccepted + rowsRejected`, always).
public struct IngestResult: Sendable {
  /// The export as the user named it.
  public var file: String
  public var encoding: TextEncoding
  /// Whether the encoding was guessed (no `--encoding`).
  public var encodingWasDetected: Bool
  public var hasByteOrderMark: Bool
  /// The encoding the file's first chunk looks like, when the user chose another one and some
  /// fields could not be decoded.
  public var suggestedEncoding: TextEncoding?
  public var lineEnding: LineEnding
  /// The statistical format of a .sav/.zsav/.dta file; nil for a CSV export.
  public var fileFormat: StatisticalFileFormat? = nil
  /// The header names as read.
  public var header: [String]
  public var table: ResponseTable
  /// Every problem, in file order (header first).
  public var diagnostics: [Diagnostic]
  /// Data records read: every record after the header, whatever became of it. Blank lines are
  /// not records.
  public var rowsRead: Int
  public var rejectedRows: [RejectedRow]
  public var physicalLines: Int

  public var rowsAccepted: Int { table.rowCount }
  public var rowsRejected: Int { rejectedRows.count }

  public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
  public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}

/// A row left out of the table, with its original text and why.
public struct RejectedRow: Sendable, Hashable {
  /// The physical line where the row starts.
  public var line: Int
  /// The row's lines as in the file (decoded; undecodable bytes written as `\xNN`).
  public var text: String
  public var respondentID: String?
  /// The rules whose action rejected the row.
  public var rules: [Rule]
  /// The messages of those diagnostics.
  public var reasons: [String]
}
