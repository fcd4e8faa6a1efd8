/// A chart of a report, independent of how it is drawn: the HTML report renders it as inline SVG,
/// the workbook as a native Excel chart. Values are percentages (0–100).
///
/// - `bar`: vertical bars, one per answer category (a single-choice question, Total column);
/// - `horizontalBar`: horizontal bars, longest first as listed (a multi-response question);
/// - `stackedPercent`: 100% stacked horizontal bars, one bar per banner column and one segment per
///   scale point (a 5-point scale by banner).
public struct Chart: Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    case bar
    case horizontalBar
    case stackedPercent
  }

  /// One series: a name (a scale point, or the column shown) and a value per category.
  public struct Series: Sendable, Equatable {
    public var name: String
    /// Percentages, one per category; nil where the figure is not shown (a suppressed base).
    public var values: [Double?]

    public init(name: String, values: [Double?]) {
      self.name = name
      self.values = values
    }
  }

  public var kind: Kind
  public var title: String
  /// The category axis: answer categories (bar, horizontalBar) or banner columns (stacked).
  public var categories: [String]
  public var series: [Series]
  /// The base the percentages are of, for the caption (`n = 1,191`).
  public var baseNote: String?

  public init(
    kind: Kind, title: String, categories: [String], series: [Series], baseNote: String? = nil
  ) {
    self.kind = kind
    self.title = title
    self.categories = categories
    self.series = series
    self.baseNote = baseNote
  }
}

extension Chart {
  /// The chart of one stub of a banner table, or nil for a stub without a chart (numeric):
  /// a single-choice question with a 5-point rating scale (five categories and a mean row) is
  /// drawn as 100% stacked bars by banner column; another single-choice question as vertical
  /// bars of its Total column; a multi-response question as horizontal bars of Total. Only the
  /// categories count (no nets, no missing rows); suppressed bases give gaps.
  public static func chart(for block: BannerBlock, in table: BannerTable, language: Language)
    -> Chart?
  {
    let categories = block.rows.filter { $0.kind == .category }
    guard !categories.isEmpty else { return nil }
    let title =
      block.variable + (block.label.map { " " + $0.text(in: language) } ?? "")
    func share(_ row: BannerRow, _ column: Int) -> Double? {
      guard column < row.cells.count, column < block.bases.count,
        block.bases[column].size != .suppressed && block.bases[column].size != .empty,
        let estimate = row.cells[column].estimate
      else { return nil }
      return estimate.estimate * 100
    }
    let total = block.bases.first
    let baseNote = total.map { "n = \(grouped($0.respondents))" }
    let isScale =
      block.type == .single && categories.count == 5
      && block.rows.contains { $0.kind == .mean }
    switch block.type {
    case .single where isScale && table.columns.count > 1:
      let columns = table.columns.indices.filter {
        block.bases[$0].size != .suppressed && block.bases[$0].size != .empty
      }
      return Chart(
        kind: .stackedPercent, title: title,
        categories: columns.map { columnLabel(table.columns[$0], language: language) },
        series: categories.map { row in
          Series(name: row.label.text(in: language), values: columns.map { share(row, $0) })
        }, baseNote: baseNote)
    case .single:
      return Chart(
        kind: .bar, title: title, categories: categories.map { $0.label.text(in: language) },
        series: [
          Series(
            name: table.columns.first.map { columnLabel($0, language: language) } ?? "",
            values: categories.map { share($0, 0) })
        ], baseNote: baseNote)
    case .multi:
      return Chart(
        kind: .horizontalBar, title: title,
        categories: categories.map { $0.label.text(in: language) },
        series: [
          Series(
            name: table.columns.first.map { columnLabel($0, language: language) } ?? "",
            values: categories.map { share($0, 0) })
        ], baseNote: baseNote)
    case .numeric:
      return nil
    }
  }

  /// A banner column's label: the category, after its outer category in a nested break.
  static func columnLabel(_ column: BannerColumn, language: Language) -> String {
    let label = column.label.text(in: language)
    guard let outer = column.outerLabel else { return label }
    return outer.text(in: language) + " " + label
  }
}
