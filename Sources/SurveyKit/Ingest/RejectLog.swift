extension IngestResult {
  /// The reject log as CSV: one row per rejected record with its line, id, the rules and messages
  /// that rejected it (one message per line of the cell), and its original text (line breaks
  /// kept, inside quotes).
  ///
  /// ```
  /// line,id,rules,reasons,text
  /// "506","10486","unknown-stratum","DISTRICT (column 2): value ""7"" is not …","10486,7,…"
  /// ```
  public func rejectLogCSV() -> String {
    var text = "line,id,rules,reasons,text\n"
    for row in rejectedRows {
      var scalars = Substring(row.text).unicodeScalars
      while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
      let original = String(scalars)
      let fields = [
        String(row.line), row.respondentID ?? "", row.rules.map(\.rawValue).joined(separator: ";"),
        row.reasons.joined(separator: "\n"), original,
      ]
      text += fields.map(csvQuoted).joined(separator: ",") + "\n"
    }
    return text
  }
}
