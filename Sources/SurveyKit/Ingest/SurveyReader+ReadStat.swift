extension SurveyReader {
  /// Reads an export in the format its extension names: SPSS (`.sav`, `.zsav`) and Stata (`.dta`)
  /// through ReadStat, anything else as CSV.
  ///
  /// ```swift
  /// let result = try SurveyReader(codebook: codebook).read(export: "samples/citizen-survey-2019.sav")
  /// print(result.rowsRead, result.rowsAccepted)  // 1200 1200, as for the CSV
  /// ```
  public func read(
    export path: String, displayPath: String? = nil, progress: ((Int64, Int64) -> Void)? = nil
  ) throws(FileError) -> IngestResult {
    if let format = StatisticalFileFormat(path: path) {
      return try read(statisticalFile: path, format: format, displayPath: displayPath)
    }
    return try read(contentsOf: path, displayPath: displayPath, progress: progress)
  }

  /// Reads a .sav/.zsav/.dta file against the codebook with the same validation as a CSV export.
  ///
  /// Each case becomes the record a CSV export of it would have: the file's variables in order as
  /// the header, integers without decimals, other numbers in their shortest round-trip form,
  /// system-missing as an empty field, user-missing values as their codes, strings as they are.
  /// Diagnostics name the case instead of a line (`data.sav: case 12: error: Q5: …`). The text is
  /// read in the file's own encoding, or in `encoding` when one was given (older SPSS files in
  /// CP932 do not record theirs). A truncated or corrupt file throws a `FileError`.
  public func read(
    statisticalFile path: String, format: StatisticalFileFormat, displayPath: String? = nil
  ) throws(FileError) -> IngestResult {
    let name = displayPath ?? path
    var file = ReadStatFile(
      path: path, displayPath: name, format: format, encoding: encoding.map(\.iconvName))
    do {
      return try read(file)
    } catch {
      // Older Japanese SPSS files say Shift_JIS (code page 932) but use CP932's NEC and IBM
      // characters (①, 髙), or say nothing: without --encoding, try CP932 before giving up.
      guard encoding == nil, file.conversionFailed else { throw error }
      file = ReadStatFile(path: path, displayPath: name, format: format, encoding: "CP932")
      guard var result = try? read(file) else { throw error }
      result.encoding = .cp932
      return result
    }
  }

  private func read(_ file: ReadStatFile) throws(FileError) -> IngestResult {
    let session = IngestSession(
      codebook: codebook, file: file.displayPath, encoding: .utf8, locatesCases: true)
    func feedHeader() {
      guard session.header == nil else { return }
      session.readHeader(Self.record(file.variables.map(\.name), number: 0))
    }
    try file.readCases { number, fields in
      feedHeader()
      session.readRow(Self.record(fields, number: number))
    }
    feedHeader()
    var result = session.finish(
      lineEnding: .none, physicalLines: 0, detected: encoding == nil, byteOrderMark: false)
    result.encoding = encoding ?? TextEncoding(name: file.fileEncoding ?? "") ?? .utf8
    result.fileFormat = file.format
    return result
  }

  /// The record a CSV export of one case would hold; its text (for the reject log) is the case as
  /// a CSV line.
  static func record(_ fields: [String], number: Int) -> CSVRecord {
    var record = CSVRecord()
    record.startLine = number
    for field in fields {
      record.fieldBytes.append(contentsOf: field.utf8)
      record.fieldEnds.append(record.fieldBytes.count)
      record.fieldLines.append(number)
    }
    record.raw = Array(fields.map(csvQuoted).joined(separator: ",").utf8)
    return record
  }
}

extension TextEncoding {
  /// The iconv name ReadStat is given for a file that does not record its encoding.
  var iconvName: String {
    switch self {
    case .utf8: return "UTF-8"
    case .cp932: return "CP932"
    }
  }
}
