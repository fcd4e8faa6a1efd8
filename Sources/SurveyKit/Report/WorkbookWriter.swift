import CLibXlsxWriter
import Foundation
import Glibc

/// The council's workbook (総合戦略推進会議の資料, XLSX) of a `CouncilReport`, written with
/// libxlsxwriter: a cover (表紙), contents with links (目次), one sheet per banner table with a
/// native Excel chart under each stub, the KPI table (評価指標) and the appendix of sampling
/// errors (付録 標本誤差早見表). Sheet names and words follow `report.language`.
///
/// ```swift
/// try WorkbookWriter.write(report, to: "out/council-2019.xlsx")
/// ```
///
/// Percentages are stored as numbers ×100 (`55.3`, not `0.553`) with the format `0.0`, as the
/// text report prints them and as `Chart` holds them; means use `0.00`, counts `#,##0`, and the
/// KPI achievement rates `0%` on the capped rate (1.09 for 109%). Every text from the data is
/// written as a string cell, never as a formula: a label `=SUM(A1)` stays text.
public enum WorkbookWriter {
  /// Writes the workbook atomically: to a temporary file in the same folder, flushed to disk,
  /// then renamed over `path`; a failure leaves `path` as it was.
  ///
  /// Throws a `FileError` naming `path` when its folder is missing or not writable, or when
  /// libxlsxwriter reports an error (`…: error: cannot be written: worksheet_write_string failed
  /// with LXW_ERROR_…`).
  public static func write(_ report: CouncilReport, to path: String) throws(FileError) {
    try AtomicFile.checkWritable(path)
    // libxlsxwriter overwrites the reserved temporary file; AtomicFile flushes and renames it.
    let temporary = try AtomicFile.reserveTemporaryFile(besides: path)
    do throws(WorkbookFailure) {
      let workbook = try Workbook(path: temporary, fontName: report.fontName)
      compose(report, into: workbook)
      try workbook.close()
      let failure = AtomicFile.commit(temporary, to: path)
      if failure != 0 { throw WorkbookFailure(errno: failure) }
    } catch {
      unlink(temporary)
      throw FileError(path: path, reason: "cannot be written: \(error.reason)")
    }
  }
}

/// Why the workbook could not be written, as the end of a `FileError` sentence.
struct WorkbookFailure: Error {
  var reason: String

  init(errno code: Int32) { reason = String(cString: strerror(code)) }

  /// `worksheet_write_string failed with LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED (string exceeds
  /// Excel's limit of 32,767 characters)`.
  init(call: String, error: lxw_error) {
    let message = String(cString: lxw_strerror(error))
      .replacingOccurrences(of: ". ", with: "; ")
    let trimmed = message.hasSuffix(".") ? String(message.dropLast()) : message
    let first = trimmed.prefix(1).lowercased() + trimmed.dropFirst()
    reason = "\(call) failed with \(Self.name(of: error)) (\(first))"
  }

  /// The C name of a libxlsxwriter error code, in the order of `lxw_error` (common.h).
  static func name(of error: lxw_error) -> String {
    let names = [
      "LXW_NO_ERROR", "LXW_ERROR_MEMORY_MALLOC_FAILED", "LXW_ERROR_CREATING_XLSX_FILE",
      "LXW_ERROR_CREATING_TMPFILE", "LXW_ERROR_READING_TMPFILE", "LXW_ERROR_ZIP_FILE_OPERATION",
      "LXW_ERROR_ZIP_PARAMETER_ERROR", "LXW_ERROR_ZIP_BAD_ZIP_FILE", "LXW_ERROR_ZIP_INTERNAL_ERROR",
      "LXW_ERROR_ZIP_FILE_ADD", "LXW_ERROR_ZIP_CLOSE", "LXW_ERROR_FEATURE_NOT_SUPPORTED",
      "LXW_ERROR_NULL_PARAMETER_IGNORED", "LXW_ERROR_PARAMETER_VALIDATION",
      "LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED", "LXW_ERROR_INVALID_SHEETNAME_CHARACTER",
      "LXW_ERROR_SHEETNAME_START_END_APOSTROPHE", "LXW_ERROR_SHEETNAME_ALREADY_USED",
      "LXW_ERROR_32_STRING_LENGTH_EXCEEDED", "LXW_ERROR_128_STRING_LENGTH_EXCEEDED",
      "LXW_ERROR_255_STRING_LENGTH_EXCEEDED", "LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED",
      "LXW_ERROR_SHARED_STRING_INDEX_NOT_FOUND", "LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE",
      "LXW_ERROR_WORKSHEET_MAX_URL_LENGTH_EXCEEDED", "LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED",
      "LXW_ERROR_IMAGE_DIMENSIONS",
    ]
    let index = Int(error.rawValue)
    return index < names.count ? names[index] : "lxw_error \(error.rawValue)"
  }
}

/// How a cell looks: font (always the report's font), number format, alignment, fill, borders.
/// Equal styles share one libxlsxwriter format.
struct CellStyle: Hashable {
  enum Alignment: Hashable {
    case general
    case left
    case center
    case right
  }

  var bold = false
  var italic = false
  var underline = false
  var size: Double = 11
  /// RGB, e.g. 0x1F4E79.
  var color: UInt32?
  var fill: UInt32?
  var numberFormat: String?
  var alignment = Alignment.general
  var verticalCenter = false
  var wrap = false
  var indent = 0
  var topBorder = false
  var bottomBorder = false
}

/// A rule of a conditional format: a fill and font colour for the cells whose value is at least
/// `minimum` and at most `maximum` (either may be open).
struct ConditionalRule {
  var minimum: Double?
  var maximum: Double?
  var style: CellStyle
}

/// The workbook being written. Owns libxlsxwriter's handle until `close()`, and keeps the C
/// strings the library may point to alive until then. Every raw libxlsxwriter call of SurveyKit is
/// in this file (`Workbook`, `Worksheet`); a failing call is remembered and reported by `close()`.
final class Workbook {
  private var handle: UnsafeMutablePointer<lxw_workbook>?
  let fontName: String
  private var formats: [CellStyle: UnsafeMutablePointer<lxw_format>] = [:]
  private var retained: [UnsafeMutablePointer<CChar>] = []
  private var failure: WorkbookFailure?

  init(path: String, fontName: String) throws(WorkbookFailure) {
    var options = lxw_workbook_options()
    options.constant_memory = 0
    options.tmpdir = nil
    options.use_zip64 = 0
    guard let handle = path.withCString({ workbook_new_opt($0, &options) }) else {
      throw WorkbookFailure(call: "workbook_new_opt", error: LXW_ERROR_MEMORY_MALLOC_FAILED)
    }
    self.handle = handle
    self.fontName = fontName
  }

  deinit {
    if let handle { workbook_close(handle) }
    for pointer in retained { free(pointer) }
  }

  /// Remembers the first failing call.
  func check(_ error: lxw_error, _ call: String) {
    guard error != LXW_NO_ERROR, failure == nil else { return }
    failure = WorkbookFailure(call: call, error: error)
  }

  /// A C copy of `text` that lives until the workbook is closed.
  func retain(_ text: String) -> UnsafeMutablePointer<CChar> {
    let pointer = strdup(text)!
    retained.append(pointer)
    return pointer
  }

  /// Writes the file and frees the workbook; throws the first error of any call.
  func close() throws(WorkbookFailure) {
    guard let handle else { return }
    self.handle = nil
    let error = workbook_close(handle)
    for pointer in retained { free(pointer) }
    retained = []
    if let failure { throw failure }
    if error != LXW_NO_ERROR { throw WorkbookFailure(call: "workbook_close", error: error) }
  }

  func setTitle(_ title: String) {
    guard let handle else { return }
    var properties = lxw_doc_properties()
    properties.title = retain(title)
    check(workbook_set_properties(handle, &properties), "workbook_set_properties")
  }

  /// A new sheet named `name` (already a valid, unused sheet name).
  func addSheet(_ name: String) -> Worksheet? {
    guard let handle else { return nil }
    guard let sheet = name.withCString({ workbook_add_worksheet(handle, $0) }) else {
      check(LXW_ERROR_PARAMETER_VALIDATION, "workbook_add_worksheet")
      return nil
    }
    return Worksheet(workbook: self, handle: sheet, name: name)
  }

  /// The format of `style`, in the report's font.
  func format(_ style: CellStyle) -> UnsafeMutablePointer<lxw_format>? {
    if let format = formats[style] { return format }
    guard let handle, let format = workbook_add_format(handle) else { return nil }
    format_set_font_name(format, fontName)
    format_set_font_size(format, style.size)
    if style.bold { format_set_bold(format) }
    if style.italic { format_set_italic(format) }
    if style.underline { format_set_underline(format, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) }
    if let color = style.color { format_set_font_color(format, color) }
    if let fill = style.fill { format_set_bg_color(format, fill) }
    if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
    switch style.alignment {
    case .general: break
    case .left: format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
    case .center: format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
    case .right: format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
    }
    if style.verticalCenter { format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)) }
    if style.wrap { format_set_text_wrap(format) }
    if style.indent > 0 { format_set_indent(format, UInt8(min(style.indent, 15))) }
    if style.topBorder { format_set_top(format, UInt8(LXW_BORDER_THIN.rawValue)) }
    if style.bottomBorder { format_set_bottom(format, UInt8(LXW_BORDER_THIN.rawValue)) }
    formats[style] = format
    return format
  }

  /// A chart of `kind`, not yet placed.
  func addChart(_ kind: Chart.Kind) -> UnsafeMutablePointer<lxw_chart>? {
    guard let handle else { return nil }
    let type: lxw_chart_type
    switch kind {
    case .bar: type = LXW_CHART_COLUMN
    case .horizontalBar: type = LXW_CHART_BAR
    case .stackedPercent: type = LXW_CHART_BAR_STACKED_PERCENT
    }
    let chart = workbook_add_chart(handle, UInt8(type.rawValue))
    if chart == nil { check(LXW_ERROR_MEMORY_MALLOC_FAILED, "workbook_add_chart") }
    return chart
  }
}

/// One sheet of a `Workbook`; rows and columns count from 0 (A1 is row 0, column 0).
struct Worksheet {
  let workbook: Workbook
  let handle: UnsafeMutablePointer<lxw_worksheet>
  let name: String

  /// Excel's limit on the characters of a cell.
  static let maximumTextLength = 32_767

  /// Text as a string cell (never a formula, whatever it starts with).
  func write(_ text: String, row: Int, column: Int, style: CellStyle = CellStyle()) {
    let format = workbook.format(style)
    let text = Self.limited(text)
    workbook.check(
      text.withCString {
        worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), $0, format)
      },
      "worksheet_write_string")
  }

  /// A number; one that is not finite (NaN, ∞), which Excel cannot store, as `−`.
  func write(number: Double, row: Int, column: Int, style: CellStyle) {
    guard number.isFinite else {
      var dash = style
      dash.numberFormat = nil
      dash.alignment = .right
      write(Figures.dash, row: row, column: column, style: dash)
      return
    }
    workbook.check(
      worksheet_write_number(
        handle, lxw_row_t(row), lxw_col_t(column), number, workbook.format(style)),
      "worksheet_write_number")
  }

  /// An empty cell with a format (borders, fill).
  func writeBlank(row: Int, column: Int, style: CellStyle) {
    workbook.check(
      worksheet_write_blank(handle, lxw_row_t(row), lxw_col_t(column), workbook.format(style)),
      "worksheet_write_blank")
  }

  /// Text over merged cells (a single cell is written as is); the text is a string cell.
  func merge(_ text: String, rows: ClosedRange<Int>, columns: ClosedRange<Int>, style: CellStyle) {
    guard rows.count > 1 || columns.count > 1 else {
      write(text, row: rows.lowerBound, column: columns.lowerBound, style: style)
      return
    }
    let format = workbook.format(style)
    let text = Self.limited(text)
    workbook.check(
      text.withCString {
        worksheet_merge_range(
          handle, lxw_row_t(rows.lowerBound), lxw_col_t(columns.lowerBound),
          lxw_row_t(rows.upperBound), lxw_col_t(columns.upperBound), $0, format)
      }, "worksheet_merge_range")
  }

  /// A link to cell A1 of another sheet of the workbook, showing `text`.
  func link(toSheet sheet: String, text: String, row: Int, column: Int, style: CellStyle) {
    let location = "internal:'" + sheet.replacingOccurrences(of: "'", with: "''") + "'!A1"
    let format = workbook.format(style)
    let text = Self.limited(text)
    workbook.check(
      location.withCString { url in
        text.withCString { shown in
          worksheet_write_url_opt(
            handle, lxw_row_t(row), lxw_col_t(column), url, format, shown, nil)
        }
      }, "worksheet_write_url_opt")
  }

  /// The width of columns (in characters of the default font) and their format for empty cells.
  func setColumns(_ columns: ClosedRange<Int>, width: Double, style: CellStyle = CellStyle()) {
    workbook.check(
      worksheet_set_column(
        handle, lxw_col_t(columns.lowerBound), lxw_col_t(columns.upperBound), width,
        workbook.format(style)), "worksheet_set_column")
  }

  /// The height of a row in points.
  func setRow(_ row: Int, height: Double) {
    workbook.check(worksheet_set_row(handle, lxw_row_t(row), height, nil), "worksheet_set_row")
  }

  /// Keeps the rows above `row` and the columns left of `column` in view.
  func freezePanes(row: Int, column: Int) {
    worksheet_freeze_panes(handle, lxw_row_t(row), lxw_col_t(column))
  }

  /// A4, fitted to one page wide; with the header rows and label columns repeated on every page
  /// and the print area, when given.
  func setUpPrinting(
    landscape: Bool, repeatRows: ClosedRange<Int>? = nil, repeatColumns: ClosedRange<Int>? = nil,
    area: (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? = nil
  ) {
    worksheet_set_paper(handle, 9)  // A4
    if landscape { worksheet_set_landscape(handle) } else { worksheet_set_portrait(handle) }
    worksheet_fit_to_pages(handle, 1, 0)
    worksheet_set_margins(handle, 0.5, 0.5, 0.6, 0.6)
    workbook.check(worksheet_set_footer(handle, "&C&P / &N"), "worksheet_set_footer")
    if let repeatRows {
      workbook.check(
        worksheet_repeat_rows(
          handle, lxw_row_t(repeatRows.lowerBound), lxw_row_t(repeatRows.upperBound)),
        "worksheet_repeat_rows")
    }
    if let repeatColumns {
      workbook.check(
        worksheet_repeat_columns(
          handle, lxw_col_t(repeatColumns.lowerBound), lxw_col_t(repeatColumns.upperBound)),
        "worksheet_repeat_columns")
    }
    if let area {
      workbook.check(
        worksheet_print_area(
          handle, lxw_row_t(area.rows.lowerBound), lxw_col_t(area.columns.lowerBound),
          lxw_row_t(area.rows.upperBound), lxw_col_t(area.columns.upperBound)),
        "worksheet_print_area")
    }
  }

  /// Colours the cells of `rows` × `column` by their value, the first matching rule winning.
  func conditionalFormat(rows: ClosedRange<Int>, column: Int, rules: [ConditionalRule]) {
    for rule in rules {
      var condition = lxw_conditional_format()
      condition.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
      switch (rule.minimum, rule.maximum) {
      case (let minimum?, let maximum?):
        condition.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_BETWEEN.rawValue)
        condition.min_value = minimum
        condition.max_value = maximum
      case (let minimum?, nil):
        condition.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
        condition.value = minimum
      case (nil, let maximum?):
        condition.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_LESS_THAN.rawValue)
        condition.value = maximum
      case (nil, nil):
        continue
      }
      condition.format = workbook.format(rule.style)
      condition.stop_if_true = 1
      workbook.check(
        worksheet_conditional_format_range(
          handle, lxw_row_t(rows.lowerBound), lxw_col_t(column), lxw_row_t(rows.upperBound),
          lxw_col_t(column), &condition), "worksheet_conditional_format_range")
    }
  }

  /// A native chart drawn from cells of this sheet: its title from `titleCell`, one series per
  /// entry (name cell, values column), the categories from `categoryColumn`, over `dataRows`.
  /// Placed with its top left corner at (`row`, `column`), moved but not resized with the cells.
  func insertChart(
    _ kind: Chart.Kind, titleCell: (row: Int, column: Int), categoryColumn: Int,
    series: [(nameRow: Int, column: Int)], dataRows: ClosedRange<Int>,
    at position: (row: Int, column: Int), size: (width: Int, height: Int)
  ) {
    guard let chart = workbook.addChart(kind) else { return }
    let sheet = workbook.retain(name)
    var titleFont = lxw_chart_font()
    titleFont.name = workbook.retain(workbook.fontName)
    titleFont.size = 11
    titleFont.bold = 1
    var font = lxw_chart_font()
    font.name = titleFont.name
    font.size = 9
    chart_title_set_name_range(chart, sheet, lxw_row_t(titleCell.row), lxw_col_t(titleCell.column))
    chart_title_set_name_font(chart, &titleFont)
    for item in series {
      guard let line = chart_add_series(chart, nil, nil) else {
        workbook.check(LXW_ERROR_MEMORY_MALLOC_FAILED, "chart_add_series")
        return
      }
      chart_series_set_categories(
        line, sheet, lxw_row_t(dataRows.lowerBound), lxw_col_t(categoryColumn),
        lxw_row_t(dataRows.upperBound), lxw_col_t(categoryColumn))
      chart_series_set_values(
        line, sheet, lxw_row_t(dataRows.lowerBound), lxw_col_t(item.column),
        lxw_row_t(dataRows.upperBound), lxw_col_t(item.column))
      chart_series_set_name_range(line, sheet, lxw_row_t(item.nameRow), lxw_col_t(item.column))
      chart_series_set_labels(line)
      chart_series_set_labels_num_format(line, kind == .stackedPercent ? "0" : "0.0")
      chart_series_set_labels_font(line, &font)
    }
    // A bar chart's x axis is the horizontal one, its values; a column chart's, its categories.
    let horizontal = kind != .bar
    let categoryAxis = horizontal ? chart.pointee.y_axis : chart.pointee.x_axis
    let valueAxis = horizontal ? chart.pointee.x_axis : chart.pointee.y_axis
    chart_axis_set_num_font(categoryAxis, &font)
    chart_axis_set_num_font(valueAxis, &font)
    if horizontal {
      // The first category at the top, as the table lists them; the value axis stays below.
      chart_axis_set_reverse(categoryAxis)
      chart_axis_set_crossing_max(categoryAxis)
    }
    if kind != .stackedPercent {
      chart_axis_set_min(valueAxis, 0)
      chart_axis_set_num_format(valueAxis, "0")
    }
    chart_set_series_gap(chart, kind == .bar ? 80 : 50)
    if series.count > 1 {
      chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
      chart_legend_set_font(chart, &font)
    } else {
      chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
    }
    var options = lxw_chart_options()
    options.x_scale = Double(size.width) / 480
    options.y_scale = Double(size.height) / 288
    options.object_position = UInt8(LXW_OBJECT_MOVE_DONT_SIZE.rawValue)
    workbook.check(
      worksheet_insert_chart_opt(
        handle, lxw_row_t(position.row), lxw_col_t(position.column), chart, &options),
      "worksheet_insert_chart_opt")
  }

  /// Text cut to Excel's limit of characters in a cell.
  private static func limited(_ text: String) -> String {
    guard text.unicodeScalars.count > maximumTextLength else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.prefix(maximumTextLength)))
  }
}
