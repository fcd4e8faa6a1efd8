/// The cells of a banner report as people read it (rounded figures, localized words, letters and
/// marks), shared by the text and Markdown formats, which only differ in how they draw it.
struct BannerLayout {
  /// A banner column as its header shows it.
  struct Column {
    /// The break's position; nil for Total.
    var breakIndex: Int?
    var label: String
    /// The column's letter (`A`); nil for Total.
    var letter: String?
    /// For a column of a nested break, its outer category's position in `Table.subgroups`.
    var subgroup: Int? = nil
  }

  /// A break's label over its columns.
  struct Group {
    var label: String
    var columns: Range<Int>
  }

  /// A figure and the marks after it (`45.2` and `▲Bc`), aligned separately.
  struct Cell: Equatable {
    var value: String
    var marks: String

    static let empty = Cell(value: "", marks: "")
  }

  enum LineKind {
    case base
    case row
    /// A heading inside the grid (the rows outside the base).
    case heading
    case missing
    /// A further figure of the row above (row %, total %, n), indented like the missing rows.
    case detail
  }

  struct Line {
    var kind: LineKind
    var label: String
    var cells: [Cell]
  }

  struct Block {
    var title: String
    var question: String?
    var lines: [Line]
    var notes: [String]
  }

  struct Table {
    var heading: String
    var filter: String?
    var columns: [Column]
    var groups: [Group]
    /// The outer categories of the nested breaks, each over its inner columns.
    var subgroups: [Group] = []
    var blocks: [Block]
  }

  var title: String
  var headerLines: [String]
  var tables: [Table]

  init(_ report: BannerTableReport, language: Language) {
    let wording = Wording(language: language)
    title = wording.bannerReportTitle(report)
    headerLines = wording.bannerHeaderLines(report)
    tables = report.tables.enumerated().map { index, table in
      Self.table(table, number: index + 1, options: report.options, wording: wording)
    }
  }

  static func table(
    _ table: BannerTable, number: Int, options: BannerOptions, wording: Wording
  ) -> Table {
    var columns = table.columns.map { column in
      Column(
        breakIndex: column.breakIndex,
        label: wording.text(column.label), letter: column.letter)
    }
    let groups = table.breaks.map { item in
      var label = wording.text(item.label ?? LocalizedText(japanese: item.variable))
      if let inner = item.innerVariable {
        label += " > " + wording.text(item.innerLabel ?? LocalizedText(japanese: inner))
      }
      return Group(label: label, columns: item.columns)
    }
    var subgroups: [Group] = []
    for item in table.breaks {
      for group in item.groups {
        let outer = table.columns[group.lowerBound].outerLabel
        for column in group { columns[column].subgroup = subgroups.count }
        subgroups.append(
          Group(label: outer.map { wording.text($0) } ?? "", columns: group))
      }
    }
    return Table(
      heading: wording.bannerHeading(table, number: number),
      filter: table.filter.map { wording("対象: \($0)", "base: \($0)") },
      columns: columns, groups: groups, subgroups: subgroups,
      blocks: table.blocks.map { block($0, table: table, options: options, wording: wording) })
  }

  static func block(
    _ block: BannerBlock, table: BannerTable, options: BannerOptions, wording: Wording
  ) -> Block {
    var lines: [Line] = []
    let bases = block.bases
    lines.append(
      Line(
        kind: .base, label: wording("基数（n）", "Base (n)"),
        cells: bases.map { Cell(value: count($0.respondents), marks: sizeMark($0.size)) }))
    lines.append(
      Line(
        kind: .base, label: wording("推計数（N）", "Weighted base"),
        cells: bases.map {
          Cell(value: $0.respondents > 0 ? Figures.weighted($0.weighted) : Figures.dash, marks: "")
        }))
    lines.append(
      Line(
        kind: .base, label: wording("有効基数", "Effective base"),
        cells: bases.map {
          Cell(value: $0.respondents > 0 ? Figures.weighted($0.effective) : Figures.dash, marks: "")
        }))
    for row in block.baseRows {
      let cells = row.cells.enumerated().map { column, cell -> Cell in
        figure(cell, base: bases[column], isMean: row.kind == .mean)
      }
      lines.append(Line(kind: .row, label: wording.text(row.label), cells: cells))
      guard row.kind == .category || row.kind == .net else { continue }
      for figure in table.cellFigures where figure != .column {
        lines.append(detailLine(figure, row: row, bases: bases, wording: wording))
      }
    }
    let missing = block.missingRows
    if !missing.isEmpty {
      lines.append(
        Line(
          kind: .heading, label: wording("基数に含まない回答（n）", "Not in the base (n)"),
          cells: []))
      for row in missing {
        lines.append(
          Line(
            kind: .missing, label: wording.text(row.label),
            cells: row.cells.map { Cell(value: count($0.respondents), marks: "") }))
      }
    }
    var notes: [String] = []
    if block.type == .multi {
      notes.append(
        wording(
          "複数回答: 割合は回答者に対する比率で、合計は100%を超えることがある",
          "multiple answers: percentages are of respondents and may add up to more than 100"))
    }
    for item in table.breaks where item.columnsOverlap {
      notes.append(
        wording(
          "\(item.variable) は複数回答のため、その列は重なる（1人が複数の列に入る）",
          "\(item.variable) has multiple answers, so its columns overlap (a respondent can be in several)"
        ))
    }
    if block.type == .single && options.independenceTests {
      for item in table.breaks where item.isNested {
        notes.append(
          wording(
            "\(item.name) は入れ子の列のため Rao–Scott 検定を行わない"
              + "（列の検定は \(item.variable) の各カテゴリー内で比較）",
            "\(item.name) is nested, so no Rao–Scott test is made against it (its column "
              + "tests compare within each category of \(item.variable))"))
      }
    }
    if let distinct = block.omittedDistinctValues { notes.append(wording.omitted(distinct)) }
    for test in block.independenceTests {
      notes.append(independenceNote(test, table: table, wording: wording))
    }
    notes += block.warnings.map { wording("注意: ", "warning: ") + $0 }
    return Block(
      title: wording.bannerBlockTitle(block), question: wording.bannerQuestion(block), lines: lines,
      notes: notes)
  }

  /// A row's row %, total % or n line.
  static func detailLine(
    _ figure: BannerTableSpec.CellFigure, row: BannerRow, bases: [BannerBase], wording: Wording
  ) -> Line {
    func share(_ value: Double?, _ base: BannerBase) -> Cell {
      if base.size == .suppressed { return .empty }
      guard let value, value.isFinite else { return Cell(value: Figures.dash, marks: "") }
      return Cell(value: value == 0 ? Figures.dash : Figures.percent(value), marks: "")
    }
    switch figure {
    case .row:
      return Line(
        kind: .detail, label: wording("行%", "row %"),
        cells: row.cells.enumerated().map { share($1.rowShare, bases[$0]) })
    case .total:
      return Line(
        kind: .detail, label: wording("全体%", "total %"),
        cells: row.cells.enumerated().map { share($1.totalShare, bases[$0]) })
    case .n, .column:
      return Line(
        kind: .detail, label: "n",
        cells: row.cells.map { Cell(value: count($0.respondents), marks: "") })
    }
  }

  /// A count with thousands separators, "−" for 0 (as Japanese reports show nobody).
  static func count(_ value: Int) -> String { value == 0 ? Figures.dash : Figures.count(value) }

  /// `*` for a small base, `**` for a suppressed one.
  static func sizeMark(_ size: BannerBase.Size) -> String {
    switch size {
    case .small: return "*"
    case .suppressed: return "**"
    case .adequate, .empty: return ""
    }
  }

  /// A cell's figure: the percentage (one decimal) or mean (two), "−" for nobody, nothing in a
  /// suppressed column; then ▲ ▼ △ ▽ against the rest and the letters.
  static func figure(_ cell: BannerCell, base: BannerBase, isMean: Bool) -> Cell {
    switch base.size {
    case .suppressed: return .empty
    case .empty: return Cell(value: Figures.dash, marks: "")
    case .small, .adequate: break
    }
    guard let estimate = cell.estimate else { return Cell(value: Figures.dash, marks: "") }
    let value: String
    if isMean {
      value = Figures.fixed(estimate.estimate, 2)
    } else {
      value = cell.respondents > 0 ? Figures.percent(estimate.estimate) : Figures.dash
    }
    return Cell(value: value, marks: cell.totalSymbol + cell.letters)
  }

  /// `Rao–Scott 検定（性別）: F = 2.31（自由度 3.85, 4,601.2）、p = 0.058；一次補正 χ² = 9.23（自由度 4）、p = 0.056`
  static func independenceNote(
    _ item: BannerIndependenceTest, table: BannerTable, wording: Wording
  ) -> String {
    let name = table.breaks[item.breakIndex]
    let label = name.label.map { wording.text($0) } ?? name.variable
    let head = wording("Rao–Scott 検定（× \(label)）: ", "Rao–Scott test (× \(label)): ")
    guard let test = item.test else {
      return head + wording("計算できない（", "cannot be made (") + (item.reason ?? "")
        + wording("）", ")")
    }
    let second = test.secondOrder
    let first = test.firstOrder
    let df1 = Figures.fixed(second.numeratorDegreesOfFreedom, 2)
    let df2 = grouped2(second.denominatorDegreesOfFreedom)
    return head
      + wording(
        "F = \(Figures.fixed(second.statistic, 2))（自由度 \(df1), \(df2)）、\(pText(second.pValue))；"
          + "一次補正 χ² = \(Figures.fixed(first.statistic, 2))（自由度 \(first.degreesOfFreedom)）、"
          + pText(first.pValue),
        "F = \(Figures.fixed(second.statistic, 2)) on \(df1) and \(df2) df, \(pText(second.pValue)); "
          + "first-order chi-square = \(Figures.fixed(first.statistic, 2)) on "
          + "\(first.degreesOfFreedom) df, \(pText(first.pValue))")
  }

  /// `p = 0.058`, `p < 0.001`.
  static func pText(_ p: Double) -> String {
    guard p.isFinite else { return "p = " + Figures.dash }
    return p < 0.001 ? "p < 0.001" : "p = " + Figures.fixed(p, 3)
  }

  /// A number with two decimals and thousands separators: `4,601.23`.
  static func grouped2(_ value: Double) -> String {
    guard value.isFinite else { return Figures.dash }
    let text = Figures.fixed(value, 2)
    let parts = text.split(separator: ".", maxSplits: 1)
    guard let whole = Int(parts[0]) else { return text }
    return grouped(whole) + (parts.count > 1 ? "." + parts[1] : "")
  }
}

extension Wording {
  func bannerReportTitle(_ report: BannerTableReport) -> String {
    if let title = report.title { return text(title) }
    return text(report.survey.title) + self(" クロス集計", ": cross tabulations")
  }

  /// `表1 住みやすさ（性別・年齢別）`, or for a table without a title `表1 Q5 × F1・F2`.
  func bannerHeading(_ table: BannerTable, number: Int) -> String {
    let prefix = self("表\(number) ", "Table \(number). ")
    if let title = table.title { return prefix + text(title) }
    let rows = table.blocks.map(\.variable).joined(separator: self("・", ", "))
    let by = table.breaks.map(\.name).joined(separator: self("・", ", "))
    return prefix + rows + (by.isEmpty ? "" : " × " + by)
  }

  func bannerBlockTitle(_ block: BannerBlock) -> String {
    var title = block.variable
    if let label = block.label ?? block.question { title += " " + text(label) }
    return title + self("（\(typeName(block.type))）", " (\(typeName(block.type)))")
  }

  func bannerQuestion(_ block: BannerBlock) -> String? {
    guard block.label != nil, let question = block.question else { return nil }
    return text(question)
  }

  /// The header lines: data, accounting, design, tests, legend, rounding.
  func bannerHeaderLines(_ report: BannerTableReport) -> [String] {
    let frequency = FrequencyReport(
      survey: report.survey, file: report.file, codebookPath: report.codebookPath,
      rowsRead: report.rowsRead, rowsAccepted: report.rowsAccepted,
      rowsRejected: report.rowsRejected, errorCount: report.errorCount,
      warningCount: report.warningCount, design: report.design, options: .init(), tables: [])
    // Data, accounting, design, and the weighting line when the design was weighted.
    var lines = Array(headerLines(frequency).prefix(report.design.weighting == nil ? 3 : 4))
    if let spec = report.specPath { lines[0] += self("、表の定義 \(spec)", "; tables \(spec)") }
    let options = report.options
    if options.columnTests {
      let strict = options.strictAlpha.map(Figures.exact)
      let loose = Figures.exact(options.alpha)
      let method =
        options.testMethod == .pooled
        ? self(
          "列比率・列平均の検定（SPSS 方式: 有効基数、重複補正）",
          "column proportions and means tests (SPSS: effective bases, overlap correction)")
        : self(
          "列の差の検定（設計に基づく分散、t 分布 自由度 \(grouped(report.design.degreesOfFreedom))）",
          "tests of column differences (design-based variance, t on \(grouped(report.design.degreesOfFreedom)) df)"
        )
      var levels: String
      if let strict {
        levels = self(
          "大文字 p < \(strict)、小文字 p < \(loose)", "upper case p < \(strict), lower case p < \(loose)")
      } else {
        levels = self("p < \(loose)", "p < \(loose)")
      }
      let adjustment: String
      switch options.adjustment {
      case .none: adjustment = self("多重比較の調整なし", "no adjustment for multiple comparisons")
      case .bonferroni:
        adjustment = self("Bonferroni 調整（行ごと）", "Bonferroni adjustment within a row")
      case .benjaminiHochberg:
        adjustment = self(
          "Benjamini–Hochberg 調整（行ごと）", "Benjamini–Hochberg adjustment within a row")
      }
      lines.append(
        self(
          "検定: \(method)。英字はその列より有意に高いことを示す（\(levels)、\(adjustment)）",
          "tests: \(method); a letter marks a column this one is significantly higher than (\(levels); \(adjustment))"
        ))
      if options.testAgainstTotal {
        let against =
          options.testMethod == .pooled
          ? self("全体の残り", "the rest of the sample") : self("全体", "Total")
        if let strict {
          lines.append(
            self(
              "▲▼ \(against)より有意に高い・低い（p < \(strict)）、△▽ 同（p < \(loose)）",
              "▲ ▼ significantly higher or lower than \(against) (p < \(strict)), △ ▽ (p < \(loose))"
            ))
        } else {
          lines.append(
            self(
              "△▽ \(against)より有意に高い・低い（p < \(loose)）",
              "△ ▽ significantly higher or lower than \(against) (p < \(loose))"))
        }
      }
    }
    lines.append(
      self(
        "* 基数\(options.smallBase)未満（参考値）　** 基数\(options.suppressBelow)未満（割合・平均を表示しない）　− 該当なし",
        "* base below \(options.smallBase) (read with care); ** base below \(options.suppressBelow) (not shown); − none"
      ))
    lines.append(
      self(
        "割合（%）は小数第2位を四捨五入しているため、合計が100.0にならないことがある",
        "percentages are rounded to one decimal, so they may not add up to 100.0"))
    return lines
  }
}
