/// The report as a Markdown document: a heading per question and a pipe table with the same
/// rounded figures as the text format.
///
/// ```markdown
/// ## Q5 住みやすさ（単一回答）
///
/// | | n | 推計数 | % | 標準誤差 | 95%信頼区間 | deff |
/// |---|---:|---:|---:|---:|---:|---:|
/// | 住みやすい | 392 | 47,632 | 33.1 | 1.37 | 30.5–35.8 | 1.02 |
/// ```
public struct MarkdownFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public func render(_ report: FrequencyReport) -> String {
    let layout = FrequencyLayout(report, language: language)
    var lines = ["# " + Self.escape(layout.title), ""]
    lines += layout.headerLines.map { "- " + Self.escape($0) }
    for block in layout.blocks {
      lines.append("")
      lines.append("## " + Self.escape(block.title))
      if let question = block.question {
        lines.append("")
        lines.append(Self.escape(question))
      }
      lines.append("")
      lines.append("| | " + block.header.map(Self.escape).joined(separator: " | ") + " |")
      lines.append("|---|" + String(repeating: "---:|", count: block.header.count))
      for line in block.lines {
        var label = Self.escape(line.label)
        if line.isTotal { label = "**\(label)**" }
        if !line.flag.isEmpty { label = Self.escape(line.flag) + " " + label }
        let cells = line.cells.map { cell -> String in
          switch cell {
          case .empty: return ""
          case .text(let text): return Self.escape(text)
          case .interval(let lower, let upper): return "\(lower)–\(upper)"
          }
        }
        lines.append("| " + ([label] + cells).joined(separator: " | ") + " |")
      }
      if !block.notes.isEmpty {
        lines.append("")
        lines += block.notes.map { "- " + Self.escape($0) }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Text with Markdown's special characters escaped (`|`, `*`, `_`, …), on one line.
  static func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "\\", "|", "*", "_", "`", "[", "]", "<", ">": result += "\\\(character)"
      case "\n", "\r", "\r\n": result += " "
      default: result.append(character)
      }
    }
    return result
  }
}
