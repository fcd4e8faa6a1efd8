/// The charts of a banner table's sheet: each stub's `Chart` as a native Excel chart placed
/// under the stub (column chart for `.bar`, bar chart for `.horizontalBar`, 100% stacked bar chart
/// for `.stackedPercent`), drawn from cells of the same sheet. Those cells sit right of the table,
/// level with the chart and outside the print area: the chart's title in the first column, the
/// series names in the row under it, then one row per category with its label and one value
/// (a percentage, 0–100, `0.0`) per series; a figure not shown (a suppressed base) stays blank,
/// which the chart draws as a gap.
///
/// ```text
///                                  Q5 住みやすさ（n = 1,191）
///                                             全体
///                                  住みやすい   33.1
///                                  …
/// ```
struct ChartArea {
  /// The first column of the chart data (a column left empty after the table).
  var firstColumn: Int
  /// The most series a chart of the sheet has, for the column widths.
  var seriesColumns = 8

  /// Labels the chart data columns and sets their widths.
  func heading(on sheet: Worksheet, row: Int, say: Wording) {
    sheet.setColumns(firstColumn...firstColumn, width: 30)
    sheet.setColumns((firstColumn + 1)...(firstColumn + seriesColumns), width: 10)
    sheet.write(
      say("グラフ用データ（印刷範囲外）", "chart data (not printed)"), row: row, column: firstColumn,
      style: .note)
  }

  /// Writes `chart`'s data from `row` on and places the chart at column B of `row`; returns the
  /// first row below the space the chart and its data take.
  func place(_ chart: Chart, on sheet: Worksheet, at row: Int, language: Language) -> Int {
    guard !chart.categories.isEmpty, !chart.series.isEmpty else { return row }
    let say = Wording(language: language)
    let title = chart.title + (chart.baseNote.map { say("（\($0)）", " (\($0))") } ?? "")
    sheet.write(title, row: row, column: firstColumn, style: .blockTitle)
    for (index, series) in chart.series.enumerated() {
      sheet.write(
        series.name, row: row + 1, column: firstColumn + 1 + index, style: .header(last: true))
    }
    let firstDataRow = row + 2
    for (position, category) in chart.categories.enumerated() {
      sheet.write(category, row: firstDataRow + position, column: firstColumn, style: .text)
      for (index, series) in chart.series.enumerated() {
        guard position < series.values.count, let value = series.values[position] else { continue }
        sheet.write(
          number: value, row: firstDataRow + position, column: firstColumn + 1 + index,
          style: .percent)
      }
    }
    let lastDataRow = firstDataRow + chart.categories.count - 1
    let size = Self.size(of: chart)
    sheet.insertChart(
      chart.kind, titleCell: (row, firstColumn), categoryColumn: firstColumn,
      series: chart.series.indices.map { (nameRow: row + 1, column: firstColumn + 1 + $0) },
      dataRows: firstDataRow...lastDataRow, at: (row, 1), size: size)
    // Rows of the default 20 pixels; taller rows leave the chart room to spare.
    let chartRows = (size.height + 19) / 20
    return row + max(chartRows, chart.categories.count + 2) + 1
  }

  /// The chart's size in pixels: bars get about 24 pixels each.
  static func size(of chart: Chart) -> (width: Int, height: Int) {
    switch chart.kind {
    case .bar:
      return (width: max(480, min(960, 120 + 56 * chart.categories.count)), height: 300)
    case .horizontalBar:
      return (width: 600, height: max(240, 70 + 24 * chart.categories.count))
    case .stackedPercent:
      return (width: 680, height: max(240, 100 + 26 * chart.categories.count))
    }
  }
}
