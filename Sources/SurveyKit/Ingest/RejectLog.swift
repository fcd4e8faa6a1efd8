extension IngestResult {
  /// The reject log as CSV: one row per rejected record with its line, id, the rules and messages
  /// that rejected it (one message per line of the cell), and its original text (line breaks
  /// kept, inside quotes). A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
  /// return gets a leading `'`, so that a spreadsheet shows it as text (`csvNeutralised`).
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
      // The line number is a number; the id, rules, reasons and the original text are text,
      // neutralised against formulas (`csvNeutralised`) before libcsv's quoting.
      let texts = [
        row.respondentID ?? "", row.rules.map(\.rawValue).joined(separator: ";"),
        row.reasons.joined(separator: "\n"), original,
      ]
      let fields = [csvQuoted(String(row.line))] + texts.map { csvQuoted(csvNeutralised($0)) }
      text += fields.joined(separator: ",") + "\n"
    }
    return text
  }
}
