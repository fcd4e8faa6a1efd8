/// The banner report as CSV, one row per cell (a stub row in a banner column), for a
/// spreadsheet's pivot table or another program: unrounded numbers, the column's base beside every
/// cell, the letters and the test against Total. UTF-8 with a byte-order mark, so that Excel
/// opens it with the Japanese labels intact; LF line endings; a field quoted only when it holds
/// a comma, a quote or a line break; a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (`CSVCell`).
///
/// ```csv
/// table,title,filter,question,type,row,code,value,net_codes,label,column,break,column_code,…
/// 1,住みやすさ（性別・年齢別）,,Q5,single,category,1,,,住みやすい,0,,,全体,,1191,…
/// ```
/// The columns are described in docs/tables.md.
public struct BannerCSVFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public static let columns = [
    "table", "title", "filter", "question", "type", "row", "code", "value", "net_codes", "label",
    "column", "break", "column_code", "column_label", "column_letter", "base_n", "base_weighted",
    "base_effective", "base_size", "n", "weighted", "statistic", "estimate", "se", "ci_lower",
    "ci_upper", "deff", "letters", "versus_total", "versus_total_p", "row_percent",
    "total_percent", "column_outer_code", "column_outer_label",
  ]

  public func render(_ report: BannerTableReport) -> String {
    let wording = Wording(language: language)
    var lines = [Self.columns.joined(separator: ",")]
    // Text cells (titles, names, labels, letters) are neutralised against formulas; numbers and
    // lists of codes never are.
    func number(_ value: Double?) -> CSVCell {
      guard let value, value.isFinite else { return .number("") }
      return .number(Figures.exact(value))
    }
    func code(_ value: Int?) -> CSVCell { .number(value.map(String.init) ?? "") }
    func count(_ value: Int) -> CSVCell { .number(String(value)) }
    let empty = CSVCell.number("")
    for (tableIndex, table) in report.tables.enumerated() {
      for block in table.blocks {
        for row in block.rows {
          let statistic: String
          let scale: Double
          switch row.kind {
          case .mean:
            statistic = row.meanScale.map(CSVFormat.statistic) ?? "mean"
            scale = 1
          case .category, .net:
            statistic = "percent"
            scale = 100
          case .missingCode, .notAsked, .blankOrInvalid:
            statistic = ""
            scale = 1
          }
          for (columnIndex, column) in table.columns.enumerated() {
            let cell = row.cells[columnIndex]
            let base = block.bases[columnIndex]
            let item = column.breakIndex.map { table.breaks[$0] }
            let estimate = row.isInBase ? cell.estimate : nil
            let title: String = table.title.map(wording.text) ?? ""
            let netCodes: String = row.codes.map(String.init).joined(separator: ";")
            var fields: [CSVCell] = [
              count(tableIndex + 1), .text(title), .text(table.filter ?? ""),
            ]
            fields += [.text(block.variable), .text(block.type.rawValue), .text(row.kind.rawValue)]
            fields += [code(row.code), number(row.value), .number(netCodes)]
            fields += [.text(wording.text(row.label)), count(columnIndex), .text(item?.name ?? "")]
            fields += [code(column.code), .text(wording.text(column.label))]
            fields += [.text(column.letter ?? ""), count(base.respondents), number(base.weighted)]
            fields += [number(base.effective), .text(base.size.rawValue), count(cell.respondents)]
            fields.append(number(cell.weighted))
            if let estimate {
              fields += [
                .text(statistic), number(estimate.estimate * scale),
                number(estimate.standardError.map { $0 * scale }),
                number(estimate.confidenceInterval.map { $0.lower * scale }),
                number(estimate.confidenceInterval.map { $0.upper * scale }),
                number(estimate.designEffect),
              ]
            } else {
              fields += [empty, empty, empty, empty, empty, empty]
            }
            fields.append(.text(cell.letters))
            if let test = cell.versusTotal, row.isInBase {
              let direction =
                test.level == nil || test.difference == 0
                ? "" : test.difference > 0 ? "higher" : "lower"
              fields += [
                .text(direction.isEmpty ? "" : "\(direction)-\(test.level!.rawValue)"),
                number(test.adjustedPValue),
              ]
            } else {
              fields += [empty, empty]
            }
            // Row and total percentages, when the table's `cells` asks for them.
            let shares = row.kind == .category || row.kind == .net
            fields.append(
              shares && table.cellFigures.contains(.row)
                ? number(cell.rowShare.map { $0 * 100 }) : empty)
            fields.append(
              shares && table.cellFigures.contains(.total)
                ? number(cell.totalShare.map { $0 * 100 }) : empty)
            // A nested break's outer category (column_code and column_label are the inner one).
            fields.append(code(column.outerCode))
            fields.append(.text(column.outerLabel.map(wording.text) ?? ""))
            lines.append(CSVCell.line(fields))
          }
        }
      }
    }
    return "\u{FEFF}" + lines.joined(separator: "\n") + "\n"
  }
}
