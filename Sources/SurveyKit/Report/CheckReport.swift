import Foundation

/// How `survey check` presents an `IngestResult`: compiler-style text or JSON (docs/check-json.md).
public struct CheckReport: Sendable {
  public var result: IngestResult
  public var codebookPath: String

  public init(result: IngestResult, codebookPath: String) {
    self.result = result
    self.codebookPath = codebookPath
  }

  /// One line per diagnostic, then the summary:
  /// ```
  /// samples/x.csv:57: error: Q9 (column 14): value "7" is not a code of Q9 (1–5; 9 = 無回答) [id=1042]
  ///
  /// samples/x.csv: UTF-8 (detected), LF line endings, 23 columns
  /// rows read 1,200 = 1,199 accepted + 1 rejected
  /// 2 errors, 0 warnings
  /// ```
  public func text() -> String {
    var lines = result.diagnostics.map(\.description)
    if !lines.isEmpty { lines.append("") }
    lines.append(contentsOf: summaryLines())
    return lines.joined(separator: "\n") + "\n"
  }

  public func summaryLines() -> [String] {
    var lines: [String] = []
    var detected = result.encodingWasDetected ? "detected" : "as requested"
    if result.fileFormat != nil && result.encodingWasDetected { detected = "as the file says" }
    let bom = result.hasByteOrderMark ? " with BOM" : ""
    var endings =
      result.lineEnding == .none ? "no line breaks" : "\(result.lineEnding.rawValue) line endings"
    if let format = result.fileFormat { endings = "\(format.displayName) file" }
    let columns = result.header.count == 1 ? "1 column" : "\(result.header.count) columns"
    lines.append(
      "\(result.file): \(result.encoding.displayName)\(bom) (\(detected)), \(endings), "
        + "\(columns), checked against \(codebookPath)")
    lines.append(
      "rows read \(grouped(result.rowsRead)) = \(grouped(result.rowsAccepted)) accepted + "
        + "\(grouped(result.rowsRejected)) rejected")
    let counts = ruleCounts()
    if !counts.isEmpty {
      let width = counts.map { $0.rule.rawValue.count }.max() ?? 0
      for entry in counts {
        let padding = String(repeating: " ", count: width - entry.rule.rawValue.count)
        lines.append(
          "  \(entry.rule.rawValue)\(padding)  \(entry.action.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(grouped(entry.count))"
        )
      }
    }
    if let suggested = result.suggestedEncoding {
      lines.append(
        "note: the file looks like \(suggested.displayName), not \(result.encoding.displayName); "
          + "try --encoding \(suggested.rawValue)")
    }
    lines.append(
      "\(grouped(result.errorCount)) \(result.errorCount == 1 ? "error" : "errors"), "
        + "\(grouped(result.warningCount)) \(result.warningCount == 1 ? "warning" : "warnings")")
    return lines
  }

  /// How often each rule fired with each action, in the order of `Rule.allCases`.
  public func ruleCounts() -> [(rule: Rule, action: Action, count: Int)] {
    var counts: [Rule: [Action: Int]] = [:]
    for diagnostic in result.diagnostics {
      counts[diagnostic.rule, default: [:]][diagnostic.action, default: 0] += 1
    }
    return Rule.allCases.flatMap { rule in
      Action.allCases.compactMap { action in
        counts[rule]?[action].map { (rule, action, $0) }
      }
    }
  }

  /// The JSON document described in docs/check-json.md (keys sorted, so output is stable).
  public func json() -> String {
    let document = CheckDocument(
      schema: "surveykit-check/1", file: result.file, codebook: codebookPath,
      encoding: result.encoding.rawValue, encodingDetected: result.encodingWasDetected,
      byteOrderMark: result.hasByteOrderMark, lineEnding: result.lineEnding.rawValue,
      columns: result.header,
      rows: .init(
        read: result.rowsRead, accepted: result.rowsAccepted, rejected: result.rowsRejected),
      errors: result.errorCount, warnings: result.warningCount,
      diagnostics: result.diagnostics.map {
        .init(
          severity: $0.severity.rawValue, rule: $0.rule.rawValue, action: $0.action.rawValue,
          line: $0.line, caseNumber: $0.caseNumber, column: $0.column, columnName: $0.columnName,
          variable: $0.variable,
          value: $0.value, id: $0.respondentID, message: $0.message)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

private struct CheckDocument: Encodable {
  struct Rows: Encodable {
    var read: Int
    var accepted: Int
    var rejected: Int
  }
  struct Entry: Encodable {
    var severity: String
    var rule: String
    var action: String
    var line: Int?
    /// The case of a .sav/.dta file; the key is written only for such files.
    var caseNumber: Int?
    var column: Int?
    var columnName: String?
    var variable: String?
    var value: String?
    var id: String?
    var message: String

    enum CodingKeys: String, CodingKey {
      case severity, rule, action, line, column, columnName, variable, value, id, message
      case caseNumber = "case"
    }

    /// Absent values are written as `null`, so every entry has every key.
    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(severity, forKey: .severity)
      try container.encode(rule, forKey: .rule)
      try container.encode(action, forKey: .action)
      try container.encode(line, forKey: .line)
      try container.encodeIfPresent(caseNumber, forKey: .caseNumber)
      try container.encode(column, forKey: .column)
      try container.encode(columnName, forKey: .columnName)
      try container.encode(variable, forKey: .variable)
      try container.encode(value, forKey: .value)
      try container.encode(id, forKey: .id)
      try container.encode(message, forKey: .message)
    }
  }
  var schema: String
  var file: String
  var codebook: String
  var encoding: String
  var encodingDetected: Bool
  var byteOrderMark: Bool
  var lineEnding: String
  var columns: [String]
  var rows: Rows
  var errors: Int
  var warnings: Int
  var diagnostics: [Entry]
}

/// `1234567` as `1,234,567`.
public func grouped(_ number: Int) -> String {
  let digits = String(number.magnitude)
  var result = ""
  for (index, character) in digits.enumerated() {
    if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
    result.append(character)
  }
  return number < 0 ? "-" + result : result
}
