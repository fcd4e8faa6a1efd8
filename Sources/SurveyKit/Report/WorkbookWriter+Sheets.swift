import Foundation

/// The sheets of the council workbook and what each row and column holds.
///
/// - 表紙 (cover): label in A, value in B: survey, wave, fieldwork, population, questionnaires
///   sent, responses, rejected, response rate (`0.0%` on the share), weighting (method, margins,
///   iterations, Kish effective n, design effect due to weighting), the files; then how to read
///   the tables (the text report's header lines).
/// - 目次 (contents): A the sheet (a link to it), B what it holds.
/// - 表1 … (one per banner table): A the row labels, B… one column per banner column (全体 first).
///   Rows 1–3 the title, a link back to the contents and the base filter; then the banner header
///   (break labels merged over their columns, nested outer categories, column labels, letters);
///   then per stub: its title and question, the bases (n with `*` below the small-base threshold
///   and `**` below the suppression threshold, weighted and effective bases), each category, net
///   and mean row (percentages ×100 as `0.0`, means `0.00`; suppressed columns blank) with the
///   significance letters in the row under it, the row %, total % or n rows the spec asks for, the
///   rows outside the base, the notes, and the stub's chart. The chart's data sits right of the
///   table, outside the print area. Panes are frozen below the header and right of column A.
/// - 評価指標 (KPI): A the indicator, B the unit, C the baseline and D its year, one column per
///   year's actual, then the target, its year and the achievement (`0%` on the capped rate,
///   coloured: green from 100%, yellow 80–99%, red below 80% as shown); a mean row per goal and the
///   overall mean; the flags and the changes of survey-based indicators below.
/// - 付録 標本誤差早見表 (appendix): A the base n, B… the ± percentage points for p = 10% (90%) …
///   50% as `0.0`; the formula below.
extension WorkbookWriter {
  /// Lays the report out on the workbook's sheets, in tab order.
  static func compose(_ report: CouncilReport, into workbook: Workbook) {
    let say = Wording(language: report.language)
    workbook.setTitle(say.text(report.survey.title))
    var used: Set<String> = []
    func claim(_ proposed: String) -> String {
      let name = sheetName(proposed, avoiding: used)
      used.insert(name.lowercased())
      return name
    }
    let coverName = claim(say("表紙", "Cover"))
    let contentsName = claim(say("目次", "Contents"))
    let layouts = report.tables.tables.enumerated().map { index, table in
      BannerLayout.table(table, number: index + 1, options: report.tables.options, wording: say)
    }
    let tableNames = layouts.indices.map { claim(say("表\($0 + 1)", "Table \($0 + 1)")) }
    let kpiName = report.kpi.map { _ in claim(say("評価指標", "KPI")) }
    let appendixName = claim(say("付録 標本誤差早見表", "Appendix sampling errors"))

    guard let cover = workbook.addSheet(coverName),
      let contents = workbook.addSheet(contentsName)
    else { return }
    var entries: [(sheet: String, description: String)] = [
      (coverName, say("調査の概要（調査期間・回収状況・ウェイト調整）", "the survey, fieldwork, responses and weighting"))
    ]
    writeCover(report, on: cover, contents: contentsName, say: say)
    for (index, table) in report.tables.tables.enumerated() {
      guard let sheet = workbook.addSheet(tableNames[index]) else { return }
      writeBannerTable(
        table, layout: layouts[index], on: sheet, contents: contentsName, report: report, say: say)
      entries.append((tableNames[index], layouts[index].heading))
    }
    if let kpi = report.kpi, let kpiName {
      guard let sheet = workbook.addSheet(kpiName) else { return }
      let layout = KPILayout(kpi, language: report.language)
      writeKPI(kpi, layout: layout, on: sheet, contents: contentsName)
      entries.append((kpiName, layout.title))
    }
    guard let appendix = workbook.addSheet(appendixName) else { return }
    writeSamplingErrors(report, on: appendix, contents: contentsName, say: say)
    entries.append(
      (
        appendixName,
        say("標本誤差早見表（基数と回答比率ごとの ±%ポイント）", "sampling errors by base and proportion (± points)")
      ))
    writeContents(entries, on: contents, say: say)
  }

  /// `proposed` made a valid sheet name that is not in `used` (lower-cased names): without
  /// `[ ] : * ? / \`, without an apostrophe at either end, at most 31 characters, and numbered
  /// `(2)`, `(3)`, … when taken.
  static func sheetName(_ proposed: String, avoiding used: Set<String>) -> String {
    var base = String(
      String.UnicodeScalarView(
        proposed.unicodeScalars.filter { !"[]:*?/\\".unicodeScalars.contains($0) }))
    while base.hasPrefix("'") { base.removeFirst() }
    while base.hasSuffix("'") { base.removeLast() }
    base = base.trimmingCharacters(in: .whitespaces)
    if base.isEmpty { base = "Sheet" }
    func cut(_ text: String, to length: Int) -> String {
      var text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(length)))
      while text.hasSuffix("'") { text.removeLast() }
      return text
    }
    var name = cut(base, to: 31)
    var number = 2
    while used.contains(name.lowercased()) {
      let suffix = "(\(number))"
      name = cut(base, to: 31 - suffix.unicodeScalars.count) + suffix
      number += 1
    }
    return name
  }

  // MARK: - 表紙 and 目次

  static func writeCover(
    _ report: CouncilReport, on sheet: Worksheet, contents: String, say: Wording
  ) {
    sheet.setColumns(0...0, width: 30)
    sheet.setColumns(1...1, width: 70)
    sheet.write(say.text(report.survey.title), row: 0, column: 0, style: .sheetTitle)
    sheet.link(toSheet: contents, text: say("目次へ", "Contents"), row: 1, column: 0, style: .link)
    var row = 3
    func text(_ label: String, _ value: String?) {
      sheet.write(label, row: row, column: 0, style: .coverLabel)
      sheet.write(value ?? Figures.dash, row: row, column: 1, style: .coverValue)
      row += 1
    }
    func number(_ label: String, _ value: Double?, format: String) {
      sheet.write(label, row: row, column: 0, style: .coverLabel)
      if let value {
        sheet.write(number: value, row: row, column: 1, style: .coverNumber(format))
      } else {
        sheet.write(Figures.dash, row: row, column: 1, style: .coverValue)
      }
      row += 1
    }
    text(say("調査名", "Survey"), say.text(report.survey.title))
    text(say("調査回", "Wave"), report.survey.wave)
    text(say("調査期間", "Fieldwork"), report.fieldwork)
    number(say("母集団", "Population"), report.survey.population, format: "#,##0")
    number(say("発送数", "Questionnaires sent"), report.sampleSize.map(Double.init), format: "#,##0")
    number(say("読み込んだ票", "Rows read"), Double(report.rowsRead), format: "#,##0")
    number(say("有効回答数", "Responses (accepted)"), Double(report.rowsAccepted), format: "#,##0")
    number(say("除外した票", "Rejected"), Double(report.rowsRejected), format: "#,##0")
    number(
      say("回収率（有効回答数 ÷ 発送数）", "Response rate (accepted ÷ sent)"), report.responseRate,
      format: "0.0%")
    row += 1
    if let weighting = report.weighting {
      text(say("ウェイト調整", "Weighting"), weighting.method.name(say))
      let margins = weighting.margins.map { margin in
        margin.variable + (margin.label.map { " " + say.text($0) } ?? "")
      }
      text(say("調整に用いた変数", "Margins"), margins.joined(separator: say("、", ", ")))
      number(say("反復回数", "Iterations"), Double(weighting.iterations), format: "#,##0")
      number(
        say("有効標本サイズ（Kish）", "Kish effective sample size"),
        weighting.after.effectiveSampleSize, format: "#,##0.0")
      number(
        say("ウェイトによるデザイン効果", "Design effect due to weighting"),
        weighting.after.designEffect, format: "0.00")
      text(say("目標値", "Targets"), report.weightingTargets)
      for note in weighting.notes {
        text("", say.text(note))
      }
    } else {
      text(say("ウェイト調整", "Weighting"), say("なし", "none"))
    }
    row += 1
    text(say("データ", "Data"), report.tables.file)
    text(say("コードブック", "Codebook"), report.tables.codebookPath)
    if let spec = report.tables.specPath { text(say("表の定義", "Table definitions"), spec) }
    if let kpi = report.kpi {
      text(say("評価指標の定義", "KPI definitions"), kpi.definitionsPath)
      text(say("評価指標の台帳", "KPI ledger"), kpi.ledgerPath)
    }
    row += 1
    sheet.write(say("表の見方", "How to read the tables"), row: row, column: 0, style: .blockTitle)
    row += 1
    // The text report's header lines but the first (the data file, listed above).
    for line in say.bannerHeaderLines(report.tables).dropFirst() {
      sheet.write(line, row: row, column: 0, style: .note)
      row += 1
    }
    sheet.setUpPrinting(landscape: false)
  }

  static func writeContents(
    _ entries: [(sheet: String, description: String)], on sheet: Worksheet, say: Wording
  ) {
    sheet.setColumns(0...0, width: 26)
    sheet.setColumns(1...1, width: 80)
    sheet.write(say("目次", "Contents"), row: 0, column: 0, style: .sheetTitle)
    sheet.write(say("シート", "Sheet"), row: 2, column: 0, style: .header(last: true))
    sheet.write(say("内容", "Contents"), row: 2, column: 1, style: .header(last: true))
    for (index, entry) in entries.enumerated() {
      sheet.link(toSheet: entry.sheet, text: entry.sheet, row: 3 + index, column: 0, style: .link)
      sheet.write(entry.description, row: 3 + index, column: 1, style: .text)
    }
    sheet.setUpPrinting(landscape: false)
  }

  // MARK: - Banner tables

  static func writeBannerTable(
    _ table: BannerTable, layout: BannerLayout.Table, on sheet: Worksheet, contents: String,
    report: CouncilReport, say: Wording
  ) {
    let lastColumn = table.columns.count
    sheet.setColumns(0...0, width: labelWidth(layout))
    if lastColumn >= 1 { sheet.setColumns(1...lastColumn, width: 9) }
    sheet.write(layout.heading, row: 0, column: 0, style: .sheetTitle)
    sheet.link(toSheet: contents, text: say("目次へ", "Contents"), row: 1, column: 0, style: .link)
    if let filter = layout.filter { sheet.write(filter, row: 2, column: 0, style: .note) }

    // The banner: break labels, nested outer categories, column labels, letters.
    let breakRow = 3
    let subgroupRow: Int? = layout.subgroups.isEmpty ? nil : breakRow + 1
    let labelRow = (subgroupRow ?? breakRow) + 1
    let letterRow: Int? = layout.columns.contains { $0.letter != nil } ? labelRow + 1 : nil
    let lastHeaderRow = letterRow ?? labelRow
    for row in breakRow...lastHeaderRow {
      for column in 0...lastColumn {
        sheet.writeBlank(row: row, column: column, style: .header(last: row == lastHeaderRow))
      }
    }
    for group in layout.groups where !group.columns.isEmpty {
      sheet.merge(
        group.label, rows: breakRow...breakRow,
        columns: (group.columns.lowerBound + 1)...group.columns.upperBound,
        style: .header(last: breakRow == lastHeaderRow))
    }
    if let subgroupRow {
      for group in layout.subgroups where !group.columns.isEmpty {
        sheet.merge(
          group.label, rows: subgroupRow...subgroupRow,
          columns: (group.columns.lowerBound + 1)...group.columns.upperBound,
          style: .header(last: false))
      }
    }
    var labelLines = 1
    for (index, column) in layout.columns.enumerated() {
      sheet.write(
        column.label, row: labelRow, column: index + 1,
        style: .header(last: labelRow == lastHeaderRow))
      labelLines = max(labelLines, (TextWidth.of(column.label) + 7) / 8)
      if let letterRow, let letter = column.letter {
        sheet.write("(\(letter))", row: letterRow, column: index + 1, style: .header(last: true))
      }
    }
    sheet.setRow(labelRow, height: Double(min(labelLines, 5)) * 18.75)

    // The stubs, each with its chart below.
    let options = report.tables.options
    let detailFigures = table.cellFigures.filter { $0 != .column }
    let chartArea = ChartArea(firstColumn: lastColumn + 2)
    var row = lastHeaderRow + 1
    for (index, block) in table.blocks.enumerated() {
      let text = layout.blocks[index]
      row += 1
      sheet.write(text.title, row: row, column: 0, style: .blockTitle)
      row += 1
      if let question = text.question {
        sheet.write(question, row: row, column: 0, style: .question)
        row += 1
      }
      var inBase = block.baseRows.makeIterator()
      var outside = block.missingRows.makeIterator()
      var baseLine = 0
      var current: BannerRow?
      var detail = 0
      for line in text.lines {
        switch line.kind {
        case .base:
          sheet.write(line.label, row: row, column: 0, style: .baseLabel)
          for (column, base) in block.bases.enumerated() {
            let value: Double
            var style = CellStyle.base
            switch baseLine {
            case 0:
              value = Double(base.respondents)
              style.numberFormat = countFormat(mark: BannerLayout.sizeMark(base.size))
            case 1: value = base.respondents > 0 ? base.weighted : 0
            default: value = base.respondents > 0 ? base.effective : 0
            }
            sheet.write(number: value, row: row, column: column + 1, style: style)
          }
          baseLine += 1
          row += 1
        case .row:
          guard let item = inBase.next() else { continue }
          current = item
          detail = 0
          sheet.write(line.label, row: row, column: 0, style: .rowLabel)
          for (column, cell) in item.cells.enumerated() where column < block.bases.count {
            writeFigure(
              cell, base: block.bases[column], isMean: item.kind == .mean, on: sheet, row: row,
              column: column + 1)
          }
          row += 1
          if options.columnTests || options.testAgainstTotal
            || line.cells.contains(where: { !$0.marks.isEmpty })
          {
            for (column, cell) in line.cells.enumerated() where !cell.marks.isEmpty {
              sheet.write(cell.marks, row: row, column: column + 1, style: .letters)
            }
            row += 1
          }
        case .detail:
          guard let item = current, detail < detailFigures.count else { continue }
          sheet.write(line.label, row: row, column: 0, style: .detailLabel)
          for (column, cell) in item.cells.enumerated() where column < block.bases.count {
            let base = block.bases[column]
            switch detailFigures[detail] {
            case .row, .total:
              guard base.size != .suppressed else { continue }
              let share = detailFigures[detail] == .row ? cell.rowShare : cell.totalShare
              if let share, share.isFinite {
                sheet.write(number: share * 100, row: row, column: column + 1, style: .percent)
              } else {
                sheet.write(Figures.dash, row: row, column: column + 1, style: .dash)
              }
            case .n, .column:
              sheet.write(
                number: Double(cell.respondents), row: row, column: column + 1, style: .count)
            }
          }
          detail += 1
          row += 1
        case .heading:
          sheet.write(line.label, row: row, column: 0, style: .question)
          row += 1
        case .missing:
          guard let item = outside.next() else { continue }
          sheet.write(line.label, row: row, column: 0, style: .detailLabel)
          for (column, cell) in item.cells.enumerated() {
            sheet.write(
              number: Double(cell.respondents), row: row, column: column + 1, style: .count)
          }
          row += 1
        }
      }
      for note in text.notes {
        sheet.write(note, row: row, column: 0, style: .note)
        row += 1
      }
      if let chart = Chart.chart(for: block, in: table, language: report.language) {
        row += 1
        row = chartArea.place(chart, on: sheet, at: row, language: report.language)
      }
    }
    let lastRow = max(row, lastHeaderRow + 1)
    chartArea.heading(on: sheet, row: breakRow, say: say)
    sheet.freezePanes(row: lastHeaderRow + 1, column: 1)
    sheet.setUpPrinting(
      landscape: true, repeatRows: breakRow...lastHeaderRow, repeatColumns: 0...0,
      area: (0...lastRow, 0...lastColumn))
  }

  /// A percentage (×100) or mean, `−` for nobody or no estimate, nothing on a suppressed base, as
  /// `BannerLayout.figure` shows it.
  private static func writeFigure(
    _ cell: BannerCell, base: BannerBase, isMean: Bool, on sheet: Worksheet, row: Int, column: Int
  ) {
    switch base.size {
    case .suppressed:
      return
    case .empty:
      sheet.write(Figures.dash, row: row, column: column, style: .dash)
      return
    case .small, .adequate:
      break
    }
    guard let estimate = cell.estimate else {
      sheet.write(Figures.dash, row: row, column: column, style: .dash)
      return
    }
    if isMean {
      sheet.write(number: estimate.estimate, row: row, column: column, style: .mean)
    } else {
      let value = cell.respondents > 0 ? estimate.estimate * 100 : 0
      sheet.write(number: value, row: row, column: column, style: .percent)
    }
  }

  /// `#,##0` with the small-base mark after the figure, and `−` for 0.
  private static func countFormat(mark: String) -> String {
    mark.isEmpty ? CellStyle.countFormat : "#,##0\"\(mark)\";-#,##0\"\(mark)\";\"−\""
  }

  /// Column A wide enough for most labels (the widest stub row, within 24–60 characters).
  private static func labelWidth(_ layout: BannerLayout.Table) -> Double {
    let widest = layout.blocks.flatMap { $0.lines.map { TextWidth.of($0.label) } }.max() ?? 20
    return Double(min(max(widest + 2, 24), 60))
  }
}

// MARK: - Styles

extension CellStyle {
  static let countFormat = "#,##0;-#,##0;\"−\""
  /// Percentages stored ×100; an exact 0 shows `−` as the text report does.
  static let percentFormat = "0.0;-0.0;\"−\""

  static let text = CellStyle()
  static let centered = CellStyle(alignment: .center)
  static let sheetTitle = CellStyle(bold: true, size: 14)
  static let link = CellStyle(underline: true, color: 0x0563C1)
  static let note = CellStyle(size: 9, color: 0x404040)
  static let blockTitle = CellStyle(bold: true)
  static let question = CellStyle(italic: true, size: 10)
  static let coverLabel = CellStyle(bold: true, fill: 0xF2F2F2, verticalCenter: true)
  static let coverValue = CellStyle(alignment: .left, wrap: true)
  static let rowLabel = CellStyle(indent: 1)
  static let detailLabel = CellStyle(size: 10, indent: 2)
  static let baseLabel = CellStyle(fill: 0xF2F2F2)
  static let base = CellStyle(fill: 0xF2F2F2, numberFormat: countFormat)
  static let count = CellStyle(numberFormat: countFormat)
  static let percent = CellStyle(numberFormat: percentFormat)
  static let mean = CellStyle(numberFormat: "0.00")
  static let dash = CellStyle(alignment: .right)
  static let letters = CellStyle(size: 9, color: 0x1F4E79, alignment: .right)
  static let meanLabel = CellStyle(bold: true, indent: 1)
  static let meanRate = CellStyle(bold: true, alignment: .center)
  static let achieved = CellStyle(color: 0x006100, fill: 0xC6EFCE)
  static let nearlyAchieved = CellStyle(color: 0x9C5700, fill: 0xFFEB9C)
  static let notAchieved = CellStyle(color: 0x9C0006, fill: 0xFFC7CE)
  static let error = CellStyle(numberFormat: "0.0")
  static let ownBase = CellStyle(bold: true, numberFormat: countFormat)
  static let ownError = CellStyle(bold: true, numberFormat: "0.0")

  static func header(last: Bool) -> CellStyle {
    CellStyle(
      bold: true, fill: 0xDDEBF7, alignment: .center, verticalCenter: true, wrap: true,
      bottomBorder: last)
  }

  static func coverNumber(_ format: String) -> CellStyle {
    CellStyle(numberFormat: format, alignment: .left)
  }

  /// An indicator's value with its decimals: `#,##0`, `#,##0.0`, `#,##0.00`.
  static func kpiValue(decimals: Int) -> CellStyle {
    let places = max(0, min(decimals, 6))
    return CellStyle(
      numberFormat: places == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: places))
  }
}
