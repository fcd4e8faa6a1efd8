import Foundation

extension WorkbookWriter {
  // MARK: - 評価指標

  static func writeKPI(
    _ report: KPIReport, layout: KPILayout, on sheet: Worksheet, contents: String
  ) {
    let say = layout.say
    let years = layout.actualYears
    // Columns: indicator, unit, baseline, its year, actuals…, target, its year, achievement.
    let firstYear = 4
    let targetColumn = firstYear + years.count
    let achievementColumn = targetColumn + 2
    sheet.setColumns(0...0, width: 46)
    sheet.setColumns(1...1, width: 10)
    sheet.setColumns(2...achievementColumn, width: 12)
    sheet.write(layout.title, row: 0, column: 0, style: .sheetTitle)
    sheet.link(toSheet: contents, text: say("目次へ", "Contents"), row: 1, column: 0, style: .link)
    var row = 2
    for line in layout.headerLines {
      sheet.write(line, row: row, column: 0, style: .note)
      row += 1
    }
    row += 1
    let top = row
    let bottom = row + 1
    func spanning(_ text: String, _ column: Int) {
      sheet.merge(text, rows: top...bottom, columns: column...column, style: .header(last: true))
    }
    spanning(say("指標", "indicator"), 0)
    spanning(say("単位", "unit"), 1)
    spanning(say("基準値", "baseline"), 2)
    spanning(say("基準年度", "baseline year"), 3)
    if !years.isEmpty {
      sheet.merge(
        say("実績", "actual"), rows: top...top, columns: firstYear...(targetColumn - 1),
        style: .header(last: false))
      for (index, year) in years.enumerated() {
        sheet.write(
          JapaneseYear.labelWithWestern(year), row: bottom, column: firstYear + index,
          style: .header(last: true))
      }
    }
    spanning(say("目標値", "target"), targetColumn)
    spanning(say("目標年度", "target year"), targetColumn + 1)
    spanning(say("達成状況", "achievement"), achievementColumn)
    row = bottom + 1
    let firstDataRow = row

    var rated: [Int] = []
    func rate(_ value: Double?, capped: Bool, row: Int, style: CellStyle) {
      guard let value, value.isFinite else {
        sheet.write(Figures.dash, row: row, column: achievementColumn, style: .dash)
        return
      }
      var style = style
      style.numberFormat = capped ? "0%\"*\"" : "0%"
      // Binary noise removed, so that Excel rounds the shown percent as roundHalfUp does.
      sheet.write(
        number: (value * 1e9).rounded() / 1e9, row: row, column: achievementColumn, style: style)
      rated.append(row)
    }
    for goal in report.goals {
      sheet.write(layout.goalTitle(goal), row: row, column: 0, style: .blockTitle)
      row += 1
      for item in goal.rows {
        let definition = item.definition
        let value = CellStyle.kpiValue(decimals: definition.decimals)
        sheet.write(layout.name(item), row: row, column: 0, style: .rowLabel)
        sheet.write(
          definition.unit.map { say.text($0) } ?? "", row: row, column: 1, style: .centered)
        if let baseline = definition.baseline {
          sheet.write(number: baseline.value, row: row, column: 2, style: value)
          sheet.write(JapaneseYear.label(baseline.year), row: row, column: 3, style: .centered)
        } else {
          sheet.write(Figures.dash, row: row, column: 2, style: .dash)
          sheet.write(Figures.dash, row: row, column: 3, style: .centered)
        }
        for (index, year) in years.enumerated() {
          if let recorded = item.values[year] {
            sheet.write(
              number: recorded.entry.value, row: row, column: firstYear + index, style: value)
          } else {
            sheet.write(Figures.dash, row: row, column: firstYear + index, style: .dash)
          }
        }
        sheet.write(number: definition.target.value, row: row, column: targetColumn, style: value)
        sheet.write(
          JapaneseYear.label(definition.target.year), row: row, column: targetColumn + 1,
          style: .centered)
        rate(
          item.achievement?.cappedRate, capped: item.achievement?.isCapped == true, row: row,
          style: .centered)
        row += 1
      }
      let count = goal.rows.filter { $0.achievement != nil }.count
      sheet.write(
        say("平均（\(count)指標）", "mean (\(count) indicators)"), row: row, column: 0,
        style: .meanLabel)
      rate(goal.meanRate, capped: false, row: row, style: .meanRate)
      row += 2
    }
    sheet.write(
      say("全体（\(report.ratedCount)指標の平均）", "overall (mean of \(report.ratedCount) indicators)"),
      row: row, column: 0, style: .meanLabel)
    rate(report.meanRate, capped: false, row: row, style: .meanRate)
    let lastTableRow = row
    row += 2

    // Green from 100% as shown (99.5%), yellow from 80% (79.5%), red below.
    for rows in consecutiveRuns(rated) {
      sheet.conditionalFormat(
        rows: rows, column: achievementColumn,
        rules: [
          ConditionalRule(minimum: 0.995, maximum: nil, style: .achieved),
          ConditionalRule(minimum: 0.795, maximum: 0.995, style: .nearlyAchieved),
          ConditionalRule(minimum: nil, maximum: 0.795, style: .notAchieved),
        ])
    }
    for note in layout.notes {
      sheet.write(note, row: row, column: 0, style: .note)
      row += 1
    }
    let changes = layout.changeLines
    if !changes.isEmpty {
      row += 1
      sheet.write(
        say(
          "調査に基づく指標の変化（差の標準誤差 √(se₁² + se₂²)、▲▼ 5%水準で有意）",
          "changes of the survey-based indicators (SE of a difference √(se₁² + se₂²); ▲▼ significant at 5%)"
        ), row: row, column: 0, style: .blockTitle)
      row += 1
      for line in changes {
        sheet.write(line.trimmingCharacters(in: .whitespaces), row: row, column: 0, style: .note)
        row += 1
      }
    }
    sheet.freezePanes(row: firstDataRow, column: 1)
    sheet.setUpPrinting(
      landscape: true, repeatRows: top...bottom,
      area: (0...max(row, lastTableRow), 0...achievementColumn))
  }

  /// Sorted row numbers as runs of consecutive rows.
  private static func consecutiveRuns(_ rows: [Int]) -> [ClosedRange<Int>] {
    var runs: [ClosedRange<Int>] = []
    for row in rows.sorted() {
      if let last = runs.last, last.upperBound + 1 == row {
        runs[runs.count - 1] = last.lowerBound...row
      } else {
        runs.append(row...row)
      }
    }
    return runs
  }
}
