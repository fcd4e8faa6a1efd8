import CReadStat
import Glibc

/// One variable of a .sav/.dta file as ReadStat describes it.
struct StatisticalVariable {
  var name: String
  var label: String
  var isString: Bool
  /// Bytes of a string variable (its SPSS `A` width); 0 for numbers.
  var storageWidth: Int
  var measure: Measure
  /// The name of the value-label set the variable uses (empty: none).
  var labelSet: String
  /// User-missing values: single values are ranges with `low == high`.
  var missingRanges: [(low: Double, high: Double)]
  /// User-missing strings (SPSS string variables with missing values).
  var missingStrings: [String]

  enum Measure: String {
    case unknown, nominal, ordinal, scale
  }
}

/// A .sav/.dta file read through ReadStat's parser callbacks: variables, value labels and the
/// cases as the text fields a CSV export of them would have.
///
/// Every raw ReadStat call of SurveyKit is in this file. ReadStat reports the variables first,
/// then the value labels (SPSS), then each case variable by variable; `onCase` is called with a
/// case's fields (1-based case number) as soon as its last variable is read, so memory holds one
/// case. A parse error is a `FileError` in one sentence that names the file.
final class ReadStatFile {
  let path: String
  let displayPath: String
  let format: StatisticalFileFormat
  /// An iconv name that overrides the encoding the file records (nil: the file's own), for files
  /// that record none or the wrong one (older Japanese SPSS, Stata before 14).
  let encoding: String?

  private(set) var variables: [StatisticalVariable] = []
  /// Value-label sets by name: (value as CSV text, label).
  private(set) var valueLabels: [String: [(value: String, label: String)]] = [:]
  private(set) var fileEncoding: String?
  private(set) var fileLabel: String = ""
  private(set) var casesRead = 0
  /// Whether the last parse stopped because text could not be converted to UTF-8.
  private(set) var conversionFailed = false
  private var fields: [String] = []
  private var onCase: ((Int, [String]) -> Void)?
  private var wantsCases = true

  init(path: String, displayPath: String, format: StatisticalFileFormat, encoding: String?) {
    self.path = path
    self.displayPath = displayPath
    self.format = format
    self.encoding = encoding
  }

  /// Reads the variables and value labels only.
  func readMetadata() throws(FileError) {
    wantsCases = false
    try parse()
  }

  /// Reads everything, handing each case to `onCase`.
  func readCases(_ onCase: @escaping (Int, [String]) -> Void) throws(FileError) {
    self.onCase = onCase
    wantsCases = true
    defer { self.onCase = nil }
    try parse()
  }

  private func parse() throws(FileError) {
    var status = stat()
    guard stat(path, &status) == 0, access(path, R_OK) == 0 else {
      throw FileError(path: displayPath, reason: FileError.reason(forReading: path))
    }
    if (status.st_mode & S_IFMT) == S_IFDIR {
      throw FileError(path: displayPath, reason: "is a directory, not a file")
    }
    guard let parser = readstat_parser_init() else {
      throw FileError(path: displayPath, reason: "out of memory")
    }
    defer { readstat_parser_free(parser) }
    variables = []
    valueLabels = [:]
    fields = []
    casesRead = 0
    readstat_set_metadata_handler(parser, metadataCallback)
    readstat_set_variable_handler(parser, variableCallback)
    readstat_set_value_label_handler(parser, valueLabelCallback)
    if wantsCases { readstat_set_value_handler(parser, valueCallback) }
    // ReadStat keeps the pointer (and hands it back as the file's encoding), so the C string
    // must live as long as the parser: a Swift String's temporary one would be freed at once.
    let encodingName = encoding.map { strdup($0) } ?? nil
    defer { free(encodingName) }
    if let encodingName { readstat_set_file_character_encoding(parser, encodingName) }
    let context = Unmanaged.passUnretained(self).toOpaque()
    let error: readstat_error_t
    switch format {
    case .spss: error = readstat_parse_sav(parser, path, context)
    case .stata: error = readstat_parse_dta(parser, path, context)
    }
    if error == READSTAT_OK && !fields.isEmpty {
      throw FileError(
        path: displayPath,
        reason: "the file is not a readable \(format.displayName) file: its last case is incomplete"
      )
    }
    conversionFailed = [
      READSTAT_ERROR_CONVERT, READSTAT_ERROR_CONVERT_BAD_STRING,
      READSTAT_ERROR_CONVERT_SHORT_STRING,
      READSTAT_ERROR_CONVERT_LONG_STRING,
    ].contains(error)
    guard error == READSTAT_OK else {
      throw FileError(path: displayPath, reason: Self.reason(error, format: format))
    }
  }

  /// The sentence for a ReadStat error code.
  static func reason(_ error: readstat_error_t, format: StatisticalFileFormat) -> String {
    let name = format.displayName
    switch error {
    case READSTAT_ERROR_OPEN:
      return "the file cannot be opened"
    case READSTAT_ERROR_READ, READSTAT_ERROR_SEEK:
      return "the file ends early: it is truncated, or not \(format.withArticle) file"
    case READSTAT_ERROR_MALLOC:
      return "out of memory while reading the \(name) file (is it corrupt?)"
    case READSTAT_ERROR_UNSUPPORTED_COMPRESSION:
      return "the \(name) file uses a compression ReadStat cannot read"
    case READSTAT_ERROR_UNSUPPORTED_CHARSET:
      return "the \(name) file's character encoding is not supported; try --encoding"
    case READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION:
      return "this version of the \(name) format is not supported"
    case READSTAT_ERROR_CONVERT, READSTAT_ERROR_CONVERT_BAD_STRING,
      READSTAT_ERROR_CONVERT_SHORT_STRING, READSTAT_ERROR_CONVERT_LONG_STRING:
      return "the \(name) file's text cannot be converted to UTF-8; try --encoding cp932"
    default:
      let detail = String(cString: readstat_error_message(error))
        .trimmingSuffix(".").lowercasedFirst()
      return "the file is not a readable \(name) file: it is corrupt or truncated (\(detail))"
    }
  }

  // MARK: Callbacks

  fileprivate func metadata(_ metadata: UnsafeMutablePointer<readstat_metadata_t>?) {
    if let text = readstat_get_file_encoding(metadata) { fileEncoding = String(cString: text) }
    if let text = readstat_get_file_label(metadata) { fileLabel = String(cString: text) }
  }

  fileprivate func variable(
    _ variable: UnsafeMutablePointer<readstat_variable_t>?, labelSet: UnsafePointer<CChar>?
  ) {
    let measure: StatisticalVariable.Measure
    switch readstat_variable_get_measure(variable) {
    case READSTAT_MEASURE_NOMINAL: measure = .nominal
    case READSTAT_MEASURE_ORDINAL: measure = .ordinal
    case READSTAT_MEASURE_SCALE: measure = .scale
    default: measure = .unknown
    }
    let isString = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING
    var ranges: [(low: Double, high: Double)] = []
    var strings: [String] = []
    for index in 0..<max(0, Int(readstat_variable_get_missing_ranges_count(variable))) {
      let low = readstat_variable_get_missing_range_lo(variable, Int32(index))
      let high = readstat_variable_get_missing_range_hi(variable, Int32(index))
      if isString {
        if let text = readstat_string_value(low) { strings.append(String(cString: text)) }
      } else {
        ranges.append((readstat_double_value(low), readstat_double_value(high)))
      }
    }
    variables.append(
      StatisticalVariable(
        name: string(readstat_variable_get_name(variable)),
        label: string(readstat_variable_get_label(variable)), isString: isString,
        storageWidth: isString ? readstat_variable_get_storage_width(variable) : 0,
        measure: measure, labelSet: string(labelSet), missingRanges: ranges,
        missingStrings: strings))
  }

  fileprivate func valueLabel(set: UnsafePointer<CChar>?, value: readstat_value_t, label: String) {
    guard let text = Self.fieldText(value) else { return }
    valueLabels[string(set), default: []].append((text, label))
  }

  /// Returns false to stop parsing: a value out of order means the file is corrupt.
  fileprivate func value(
    case index: Int32, variable: UnsafeMutablePointer<readstat_variable_t>?, value: readstat_value_t
  )
    -> Bool
  {
    let position = Int(readstat_variable_get_index(variable))
    guard Int(index) == casesRead, position == fields.count, position < variables.count else {
      return false
    }
    fields.append(Self.fieldText(value) ?? "")
    if fields.count == variables.count { flushCase() }
    return true
  }

  private func flushCase() {
    casesRead += 1
    onCase?(casesRead, fields)
    fields.removeAll(keepingCapacity: true)
  }

  /// A value as a CSV export writes it: integers without decimals, other numbers in their
  /// shortest round-trip form, system-missing (and Stata's `.a`–`.z`) as an empty field, strings
  /// as they are. User-missing values keep their code (9), as in a CSV export.
  static func fieldText(_ value: readstat_value_t) -> String? {
    if readstat_value_is_system_missing(value) != 0 || readstat_value_is_tagged_missing(value) != 0
    {
      return ""
    }
    switch readstat_value_type(value) {
    case READSTAT_TYPE_STRING, READSTAT_TYPE_STRING_REF:
      return readstat_string_value(value).map { String(cString: $0) } ?? ""
    case READSTAT_TYPE_INT8: return String(readstat_int8_value(value))
    case READSTAT_TYPE_INT16: return String(readstat_int16_value(value))
    case READSTAT_TYPE_INT32: return String(readstat_int32_value(value))
    case READSTAT_TYPE_FLOAT: return numberText(Double(readstat_float_value(value)), float: true)
    case READSTAT_TYPE_DOUBLE: return numberText(readstat_double_value(value), float: false)
    default: return nil
    }
  }

  static func numberText(_ number: Double, float: Bool) -> String {
    guard number.isFinite else { return "" }
    if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
    return float ? String(describing: Float(number)) : String(describing: number)
  }

  private func string(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }
}

extension String {
  fileprivate func trimmingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }

  fileprivate func lowercasedFirst() -> String {
    guard let first else { return self }
    return first.lowercased() + dropFirst()
  }
}

private func file(_ context: UnsafeMutableRawPointer?) -> ReadStatFile {
  Unmanaged<ReadStatFile>.fromOpaque(context!).takeUnretainedValue()
}

private let metadataCallback:
  @convention(c) (UnsafeMutablePointer<readstat_metadata_t>?, UnsafeMutableRawPointer?) -> Int32 =
    { metadata, context in
      file(context).metadata(metadata)
      return Int32(READSTAT_HANDLER_OK)
    }

private let variableCallback:
  @convention(c) (
    Int32, UnsafeMutablePointer<readstat_variable_t>?, UnsafePointer<CChar>?,
    UnsafeMutableRawPointer?
  ) -> Int32 =
    { _, variable, labelSet, context in
      file(context).variable(variable, labelSet: labelSet)
      return Int32(READSTAT_HANDLER_OK)
    }

private let valueLabelCallback:
  @convention(c) (
    UnsafePointer<CChar>?, readstat_value_t, UnsafePointer<CChar>?, UnsafeMutableRawPointer?
  ) -> Int32 = { set, value, label, context in
    file(context).valueLabel(
      set: set, value: value, label: label.map { String(cString: $0) } ?? "")
    return Int32(READSTAT_HANDLER_OK)
  }

private let valueCallback:
  @convention(c) (
    Int32, UnsafeMutablePointer<readstat_variable_t>?, readstat_value_t, UnsafeMutableRawPointer?
  ) -> Int32 = {
    index, variable, value, context in
    file(context).value(case: index, variable: variable, value: value)
      ? Int32(READSTAT_HANDLER_OK) : Int32(READSTAT_HANDLER_ABORT)
  }
