/// One problem found in a survey export, located like a compiler message.
///
/// ```
/// survey.csv:57: error: Q9 (column 14): value "7" is not a code of Q9 (1–5; 9 = 無回答) [id=1042]
/// ```
/// `line` is the physical line of the file (1 is the header), so a record whose quoted comment
/// spans several lines is located where the offending field starts.
public struct Diagnostic: Sendable, Hashable, Codable {
  public var severity: Severity
  public var rule: Rule
  public var action: Action
  /// The file as the user named it.
  public var file: String
  public var line: Int?
  /// The 1-based case (row) of a .sav/.dta file, which has no lines; `line` is then nil.
  public var caseNumber: Int?
  /// 1-based column number in the header, when the problem belongs to one column.
  public var column: Int?
  /// The header name at `column`.
  public var columnName: String?
  /// The codebook variable the column belongs to (`Q3` for the column `Q3_1`).
  public var variable: String?
  /// The raw value as read (undecodable bytes shown as `\xNN`).
  public var value: String?
  /// The respondent id of the row, when it is known.
  public var respondentID: String?
  /// One sentence, without the location prefix.
  public var message: String

  public init(
    rule: Rule, action: Action? = nil, file: String, line: Int?, column: Int? = nil,
    columnName: String? = nil, variable: String? = nil, value: String? = nil,
    respondentID: String? = nil, message: String
  ) {
    let action = action ?? rule.defaultAction
    self.rule = rule
    self.action = action
    self.severity = action.severity
    self.file = file
    self.line = line
    self.column = column
    self.columnName = columnName
    self.variable = variable
    self.value = value
    self.respondentID = respondentID
    self.message = message
  }
}

extension Diagnostic: CustomStringConvertible {
  /// The compiler-style line: `file:line: severity: message [id=…]`, or
  /// `file: case 12: severity: message [id=…]` for a case of a .sav/.dta file.
  public var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let caseNumber { text += ": case \(caseNumber)" }
    text += ": \(severity.rawValue): \(message)"
    if let respondentID { text += " [id=\(respondentID)]" }
    return text
  }
}

/// A value as messages quote it: in double quotes, with quotes, tabs and line breaks
/// escaped so that a diagnostic stays on one line (`"a\nb"`). Undecodable bytes are
/// already written `\xNN` by the decoder.
func quotedValue(_ value: String) -> String {
  var text = "\""
  for scalar in value.unicodeScalars {
    switch scalar {
    case "\"": text += "\\\""
    case "\n": text += "\\n"
    case "\r": text += "\\r"
    case "\t": text += "\\t"
    default: text.unicodeScalars.append(scalar)
    }
  }
  return text + "\""
}
