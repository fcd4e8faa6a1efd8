/// The banner report as a Markdown document: a heading per table, a sub-heading and one pipe
/// table per stub question with the same rounded figures, letters and marks as the text format.
///
/// ```markdown
/// ### Q5 住みやすさ（単一回答）
///
/// | | 全体 | 性別: 男性 (A) | 性別: 女性 (B) |
/// |---|---:|---:|---:|
/// | 基数（n） | 1,191 | 556 | 635 |
/// | 住みやすい | 33.1 | 31.2 | 34.7 |
/// ```
public struct BannerMarkdownFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public func render(_ report: BannerTableReport) -> String {
    let layout = BannerLayout(report, language: language)
    let escape = MarkdownFormat.escape
    var lines = ["# " + escape(layout.title), ""]
    lines += layout.headerLines.map { "- " + escape($0) }
    for table in layout.tables {
      lines.append("")
      lines.append("## " + escape(table.heading))
      if let filter = table.filter {
        lines.append("")
        lines.append(escape(filter))
      }
      let headers = table.columns.map { column -> String in
        var text = column.label
        if let subgroup = column.subgroup {
          text = table.subgroups[subgroup].label + " > " + text
        }
        if let breakIndex = column.breakIndex {
          text = table.groups[breakIndex].label + ": " + text
        }
        if let letter = column.letter { text += " (\(letter))" }
        return escape(text)
      }
      for block in table.blocks {
        lines.append("")
        lines.append("### " + escape(block.title))
        if let question = block.question {
          lines.append("")
          lines.append(escape(question))
        }
        lines.append("")
        lines.append("| | " + headers.joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---:|", count: headers.count))
        for line in block.lines {
          switch line.kind {
          case .heading:
            lines.append(
              "| *\(escape(line.label))* |" + String(repeating: " |", count: headers.count))
          case .base, .row, .missing, .detail:
            var label = escape(line.label)
            if line.kind == .base { label = "**\(label)**" }
            if line.kind == .missing || line.kind == .detail { label = "　" + label }
            let cells = line.cells.map { escape($0.value + $0.marks) }
            lines.append("| " + ([label] + cells).joined(separator: " | ") + " |")
          }
        }
        if !block.notes.isEmpty {
          lines.append("")
          lines += block.notes.map { "- " + escape($0) }
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
