/// One cell of a CSV file the tool writes (freq and tab `--format csv`, `kpi show --format csv`,
/// the reject log of `check --rejects`, the weights of `weight --out`): a text cell or a number
/// cell, so that every writer says which of its cells may carry text from an export or a
/// codebook.
///
/// Text becomes a formula when a spreadsheet opens the file if it starts with `=`, `+`, `-` or
/// `@` (or a tab or a carriage return, which some programs skip before reading the rest as a
/// formula): OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
/// A text cell that starts with one of them is written with a leading apostrophe `'`, the
/// common remedy, which spreadsheet programs read as "show this as text" (unless the whole text
/// is a plain number such as `-3.2`, which cannot be a formula). Number cells are written as
/// they are, so a negative estimate stays `-0.5`.
public enum CSVCell: Sendable, Hashable {
  /// Labels, names, ids, free text, messages, raw record text: neutralised, then quoted.
  case text(String)
  /// A number, a list of codes or an empty cell made by the tool: only quoted when it must be.
  case number(String)

  /// The cell as written in the file.
  public var field: String {
    switch self {
    case .text(let text): return csvTextCell(text)
    case .number(let number): return CSVFormat.quote(number)
    }
  }

  /// A whole line (without its line break): the cells' fields joined by commas.
  public static func line(_ cells: [CSVCell]) -> String {
    cells.map(\.field).joined(separator: ",")
  }
}

/// The characters that make a spreadsheet read a cell as a formula when they lead it (OWASP
/// CSV Injection): `=`, `+`, `-`, `@`, tab (0x09) and carriage return (0x0D).
let csvFormulaLeaders: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

/// `text` with a leading apostrophe when it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, so that a spreadsheet shows it as text instead of running it as a formula (OWASP,
/// "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection); other text as it
/// is. A text that is a plain decimal number (`-3.2`, `+5`, `-1e-3`: the label of a numeric
/// value without one of its own, an id written as a number) is left as it is too: a spreadsheet
/// reads it as that number, never as a formula. Not quoted: for a writer with its own quoting
/// (the reject log).
public func csvNeutralised(_ text: String) -> String {
  guard let first = text.unicodeScalars.first, csvFormulaLeaders.contains(first),
    !isPlainNumber(text)
  else {
    return text
  }
  return "'" + text
}

/// Whether `text` is a decimal number and nothing else (`-3.2`, `+5`, `-1e-3`): the syntax the
/// export reader accepts as a number, read by the same function.
func isPlainNumber(_ text: String) -> Bool {
  Array(text.utf8).withUnsafeBytes { FieldBytes.number($0) } != nil
}

/// A text cell of a CSV file: neutralised (`csvNeutralised`, OWASP "CSV Injection"), then quoted
/// when it holds a comma, a quote or a line break. Never use it on numbers.
///
/// ```swift
/// csvTextCell("=HYPERLINK(\"http://x\",\"y\")")  // "'=HYPERLINK(""http://x"",""y"")"
/// csvTextCell("住みやすい")                        // 住みやすい
/// ```
public func csvTextCell(_ text: String) -> String {
  CSVFormat.quote(csvNeutralised(text))
}
