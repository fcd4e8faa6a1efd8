/// The report for a terminal: each table's columns aligned by display width (a kanji takes two
/// cells), percentages with one decimal, counts with thousands separators, "−" where a
/// percentage is 0 or a figure cannot be computed.
///
/// ```text
/// Q5 住みやすさ（単一回答）
/// 苫小牧は住みやすいまちだと思いますか。
///                                   n   推計数      %  標準誤差  95%信頼区間  deff
///   住みやすい                    392   47,632   33.1      1.37    30.5–35.8  1.02
///   どちらかといえば住みやすい    436   52,357   36.4      1.40    33.7–39.2  1.02
/// ```
/// Interval columns are aligned on their dash (` 3.2– 5.6` under `30.5–35.8`).
public struct TextFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public func render(_ report: FrequencyReport) -> String {
    let layout = FrequencyLayout(report, language: language)
    var lines = [layout.title] + layout.headerLines
    for block in layout.blocks {
      lines.append("")
      lines.append(block.title)
      if let question = block.question { lines.append(question) }
      lines += Self.grid(block)
      lines += block.notes.map { "  " + $0 }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The table of a block, its columns separated by two spaces.
  static func grid(_ block: FrequencyLayout.Block) -> [String] {
    let labelWidth = block.lines.map { TextWidth.of($0.label) }.max() ?? 0
    let columns = block.header.count
    var widths = block.header.map { TextWidth.of($0) }
    var lowerWidths = [Int](repeating: 0, count: columns)
    var upperWidths = [Int](repeating: 0, count: columns)
    for line in block.lines {
      for (index, cell) in line.cells.enumerated() {
        switch cell {
        case .empty: break
        case .text(let text): widths[index] = max(widths[index], TextWidth.of(text))
        case .interval(let lower, let upper):
          lowerWidths[index] = max(lowerWidths[index], TextWidth.of(lower))
          upperWidths[index] = max(upperWidths[index], TextWidth.of(upper))
        }
      }
    }
    for index in 0..<columns where lowerWidths[index] > 0 {
      widths[index] = max(widths[index], lowerWidths[index] + 1 + upperWidths[index])
    }
    func row(_ flag: String, _ label: String, _ cells: [String]) -> String {
      var text = TextWidth.padding(flag, to: 2) + TextWidth.padding(label, to: labelWidth)
      for (index, cell) in cells.enumerated() {
        text += "  " + TextWidth.leftPadding(cell, to: widths[index])
      }
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    var lines = [row("", "", block.header)]
    for line in block.lines {
      let cells = line.cells.enumerated().map { index, cell -> String in
        switch cell {
        case .empty: return ""
        case .text(let text): return text
        case .interval(let lower, let upper):
          // Right-align the whole interval with its dash in the column's dash position.
          return TextWidth.leftPadding(lower, to: lowerWidths[index]) + "–"
            + TextWidth.leftPadding(upper, to: upperWidths[index])
        }
      }
      lines.append(row(line.flag, line.label, cells))
    }
    return lines
  }
}
