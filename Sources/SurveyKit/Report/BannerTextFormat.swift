/// The banner report for a terminal: columns aligned by display width (a kanji takes two
/// cells), percentages with one decimal and their letters, counts with thousands separators,
/// "−" for nobody. A banner wider than `width` is wrapped into blocks of columns; each block
/// repeats the row labels and the Total column, and keeps a break's columns together when they fit.
///
/// ```text
///                           性別                年齢
///                     全体  男性  女性          18～29歳  30～39歳  …
///                             (A)   (B)              (A)       (B)
///   基数（n）        1,191   556   635               76       155
///   住みやすい        33.1  31.2  34.7             22.4▽     27.1
/// ```
public struct BannerTextFormat: ReportFormat {
  public var language: Language
  /// The terminal's width in cells.
  public var width: Int

  public init(language: Language = .japanese, width: Int = 100) {
    self.language = language
    self.width = width
  }

  public func render(_ report: BannerTableReport) -> String {
    let layout = BannerLayout(report, language: language)
    var lines = [layout.title] + layout.headerLines
    for table in layout.tables {
      lines.append("")
      lines.append(table.heading)
      if let filter = table.filter { lines.append(filter) }
      let grid = Grid(table, width: width)
      for block in table.blocks {
        lines.append("")
        lines.append(block.title)
        if let question = block.question { lines.append(question) }
        for (index, chunk) in grid.chunks.enumerated() {
          if index > 0 { lines.append("") }
          lines += grid.render(block, columns: chunk)
        }
        lines += block.notes.map { "  " + $0 }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The widths of a table's columns and how they are split into blocks that fit the width.
  struct Grid {
    let table: BannerLayout.Table
    let labelWidth: Int
    let valueWidths: [Int]
    let markWidths: [Int]
    let widths: [Int]
    /// The wrapped header label of each column.
    let labels: [[String]]
    /// Each block of columns (Total first in every block).
    let chunks: [[Int]]

    /// A column label is wrapped at this many cells unless its figures are wider.
    static let labelWrap = 12

    init(_ table: BannerLayout.Table, width: Int) {
      self.table = table
      let count = table.columns.count
      var labelWidth = 0
      var valueWidths = [Int](repeating: 0, count: count)
      var markWidths = [Int](repeating: 0, count: count)
      for block in table.blocks {
        for line in block.lines {
          let indent = line.kind == .missing || line.kind == .detail ? 2 : 0
          labelWidth = max(labelWidth, TextWidth.of(line.label) + indent)
          for (index, cell) in line.cells.enumerated() {
            valueWidths[index] = max(valueWidths[index], TextWidth.of(cell.value))
            markWidths[index] = max(markWidths[index], TextWidth.of(cell.marks))
          }
        }
      }
      var widths = (0..<count).map { valueWidths[$0] + markWidths[$0] }
      var labels: [[String]] = []
      for (index, column) in table.columns.enumerated() {
        let wrapped = Self.wrap(column.label, width: max(widths[index], Self.labelWrap))
        labels.append(wrapped)
        let letter = column.letter.map { "(\($0))" } ?? ""
        widths[index] = max(
          widths[index], TextWidth.of(letter), wrapped.map { TextWidth.of($0) }.max() ?? 0)
      }
      // A break's label, and a nested break's outer category, fits over its columns.
      for group in table.subgroups + table.groups where !group.columns.isEmpty {
        let span = group.columns.reduce(0) { $0 + widths[$1] } + 2 * (group.columns.count - 1)
        let need = TextWidth.of(group.label)
        if need > span { widths[group.columns.upperBound - 1] += need - span }
      }
      self.labelWidth = labelWidth
      self.valueWidths = valueWidths
      self.markWidths = markWidths
      self.widths = widths
      self.labels = labels
      // Blocks of columns: Total, then whole breaks while they fit, a break split only when it
      // does not fit on its own.
      let fixed = 2 + labelWidth + 2 + widths[0]
      var chunks: [[Int]] = []
      var current: [Int] = [0]
      var used = fixed
      for group in table.groups {
        let span = group.columns.reduce(0) { $0 + 2 + widths[$1] }
        if used + span > width && current.count > 1 {
          chunks.append(current)
          current = [0]
          used = fixed
        }
        for column in group.columns {
          if used + 2 + widths[column] > width && current.count > 1 {
            chunks.append(current)
            current = [0]
            used = fixed
          }
          current.append(column)
          used += 2 + widths[column]
        }
      }
      chunks.append(current)
      self.chunks = chunks
    }

    /// `text` in as few lines as lines of `width` cells would need, as even as the breaks allow:
    /// the narrowest width from an even split upwards that needs no more lines.
    static func wrap(_ text: String, width: Int) -> [String] {
      let total = TextWidth.of(text)
      guard total > width else { return [text] }
      let count = (total + width - 1) / width
      var candidate = max(1, (total + count - 1) / count)
      while candidate < total {
        let lines = greedy(text, width: candidate)
        if lines.count <= count { return lines }
        candidate += 1
      }
      return [text]
    }

    /// Lines of at most `width` cells, broken between characters (after a `・`, `、`, `/` or a
    /// space when there is one in the second half of the line).
    static func greedy(_ text: String, width: Int) -> [String] {
      var lines: [String] = []
      var current = ""
      for character in text {
        if !current.isEmpty && TextWidth.of(current) + TextWidth.of(character) > width {
          if let index = current.lastIndex(where: { "・、 /".contains($0) }),
            TextWidth.of(current[...index]) * 2 >= width,
            current.index(after: index) != current.endIndex
          {
            let after = current.index(after: index)
            lines.append(String(current[..<after]).trimmingTrailingSpaces)
            current = String(current[after...])
          } else {
            lines.append(current)
            current = ""
          }
        }
        current.append(character)
      }
      if !current.isEmpty { lines.append(current) }
      return lines
    }

    /// The header and rows of one block for the columns of one chunk.
    func render(_ block: BannerLayout.Block, columns: [Int]) -> [String] {
      func line(_ label: String, _ cells: [String], rightAligned: Bool = true) -> String {
        var text = "  " + TextWidth.padding(label, to: labelWidth)
        for (position, column) in columns.enumerated() {
          let cell = cells[position]
          text +=
            "  "
            + (rightAligned
              ? TextWidth.leftPadding(cell, to: widths[column])
              : TextWidth.padding(cell, to: widths[column]))
        }
        return text.trimmingTrailingSpaces
      }
      var lines: [String] = []
      // The breaks' labels over their columns.
      var groupLine = "  " + String(repeating: " ", count: labelWidth)
      var hasGroups = false
      var position = 0
      while position < columns.count {
        let column = columns[position]
        guard let breakIndex = table.columns[column].breakIndex else {
          groupLine += "  " + String(repeating: " ", count: widths[column])
          position += 1
          continue
        }
        var span = 0
        var end = position
        while end < columns.count && table.columns[columns[end]].breakIndex == breakIndex {
          span += 2 + widths[columns[end]]
          end += 1
        }
        groupLine += "  " + TextWidth.padding(table.groups[breakIndex].label, to: span - 2)
        hasGroups = true
        position = end
      }
      if hasGroups { lines.append(groupLine.trimmingTrailingSpaces) }
      // A nested break's outer categories over their inner columns.
      if columns.contains(where: { table.columns[$0].subgroup != nil }) {
        var subgroupLine = "  " + String(repeating: " ", count: labelWidth)
        var position = 0
        while position < columns.count {
          let column = columns[position]
          guard let subgroup = table.columns[column].subgroup else {
            subgroupLine += "  " + String(repeating: " ", count: widths[column])
            position += 1
            continue
          }
          var span = 0
          var end = position
          while end < columns.count && table.columns[columns[end]].subgroup == subgroup {
            span += 2 + widths[columns[end]]
            end += 1
          }
          subgroupLine +=
            "  " + TextWidth.padding(table.subgroups[subgroup].label, to: span - 2)
          position = end
        }
        lines.append(subgroupLine.trimmingTrailingSpaces)
      }
      // Header text ends over the figures rather than over the marks after them, as far as the
      // widest header text of the column allows (the same for all of a column's header lines).
      func overFigures(_ text: String, _ column: Int) -> String {
        let letter = table.columns[column].letter.map { TextWidth.of("(\($0))") } ?? 0
        let widest = max(letter, labels[column].map { TextWidth.of($0) }.max() ?? 0)
        let shift = max(0, min(markWidths[column], widths[column] - widest))
        return text + String(repeating: " ", count: shift)
      }
      let depth = columns.map { labels[$0].count }.max() ?? 1
      for level in 0..<depth {
        let cells = columns.map { column -> String in
          let wrapped = labels[column]
          let offset = level - (depth - wrapped.count)
          return offset >= 0 ? overFigures(wrapped[offset], column) : ""
        }
        lines.append(line("", cells))
      }
      if columns.contains(where: { table.columns[$0].letter != nil }) {
        lines.append(
          line(
            "",
            columns.map { column in
              table.columns[column].letter.map { overFigures("(\($0))", column) } ?? ""
            }))
      }
      for row in block.lines {
        switch row.kind {
        case .heading:
          lines.append("  " + row.label)
        case .base, .row, .missing, .detail:
          let cells = columns.map { column -> String in
            let cell = row.cells[column]
            if cell.value.isEmpty && cell.marks.isEmpty { return "" }
            return TextWidth.leftPadding(cell.value, to: valueWidths[column])
              + TextWidth.padding(cell.marks, to: markWidths[column])
          }
          lines.append(
            line(
              row.kind == .missing || row.kind == .detail ? "  " + row.label : row.label, cells))
        }
      }
      return lines
    }
  }
}

extension StringProtocol {
  /// The text without spaces at its end.
  var trimmingTrailingSpaces: String {
    var text = String(self)
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
