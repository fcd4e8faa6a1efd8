import Glibc

/// Reads a survey export against a codebook in one streaming pass: libcsv parses, every field is
/// decoded, typed and checked, and accepted rows are appended to a columnar `ResponseTable`.
///
/// ```swift
/// let codebook = try Codebook(contentsOf: "codebooks/citizen-survey-2019.yaml")
/// let result = try SurveyReader(codebook: codebook).read(contentsOf: "samples/citizen-survey-2019.csv")
/// print(result.rowsRead, result.rowsAccepted, result.rowsRejected)  // 1200 1200 0
/// ```
/// Memory grows with the table, not with the file: the file is read in `chunkSize` pieces and only
/// one record's text is held at a time (plus the text of rejected rows, for the reject log).
public struct SurveyReader: Sendable {
  public var codebook: Codebook
  /// The encoding to read; nil detects it from the first chunk.
  public var encoding: TextEncoding?
  public var chunkSize: Int
  /// Whether clean cells are read straight from their bytes (`SurveyReader+FastPath.swift`).
  /// Off, every cell takes the general path; tests compare the two.
  var usesFastPath = true
  /// Files of at least this many bytes are parsed on a second thread (`IngestPipeline`).
  var pipelineThreshold = 4 << 20

  public init(codebook: Codebook, encoding: TextEncoding? = nil, chunkSize: Int = 1 << 18) {
    self.codebook = codebook
    self.encoding = encoding
    self.chunkSize = max(chunkSize, 1)
  }

  /// Reads the file at `path`; `progress` is called after each chunk with bytes read and total.
  public func read(
    contentsOf path: String, displayPath: String? = nil,
    progress: ((Int64, Int64) -> Void)? = nil
  ) throws(FileError) -> IngestResult {
    let name = displayPath ?? path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw FileError(path: name, reason: FileError.reason(forReading: path))
    }
    defer { close(descriptor) }
    var status = stat()
    if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
      throw FileError(path: name, reason: "is a directory, not a file")
    }
    let total = Int64(status.st_size)
    var buffer = [UInt8](repeating: 0, count: chunkSize)
    var done: Int64 = 0
    var readError: Int32 = 0
    let result = ingest(file: name, totalBytes: Int(total)) { () -> [UInt8]? in
      let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        readError = errno
        return nil
      }
      if count == 0 { return nil }
      done += Int64(count)
      progress?(done, total)
      return Array(buffer[0..<count])
    }
    if readError != 0 {
      throw FileError(path: name, reason: "reading failed: \(String(cString: strerror(readError)))")
    }
    return result
  }

  /// Reads an export held in memory (tests, fuzzing).
  public func read(bytes: [UInt8], file: String) -> IngestResult {
    var offset = 0
    return ingest(file: file, totalBytes: bytes.count) { () -> [UInt8]? in
      guard offset < bytes.count else { return nil }
      let end = min(bytes.count, offset + chunkSize)
      defer { offset = end }
      return Array(bytes[offset..<end])
    }
  }

  private func ingest(
    file: String, totalBytes: Int, nextChunk: @escaping () -> [UInt8]?
  ) -> IngestResult {
    guard var chunk = nextChunk() else {
      return IngestSession(codebook: codebook, file: file, encoding: encoding ?? .utf8).finish(
        reader: CSVRecordReader(), detected: encoding == nil, byteOrderMark: false)
    }
    var byteOrderMark = false
    if chunk.starts(with: [0xEF, 0xBB, 0xBF]) {
      byteOrderMark = true
      chunk.removeFirst(3)
    }
    let detected = byteOrderMark ? TextEncoding.utf8 : TextEncoding.detect(chunk)
    let chosen = encoding ?? detected
    // A first chunk of plain ASCII says nothing; the first non-ASCII field will decide.
    let firstChunkHasText = chunk.contains(where: { $0 >= 0x80 })
    let tentative = encoding == nil && !byteOrderMark && !firstChunkHasText
    let session = IngestSession(
      codebook: codebook, file: file, encoding: chosen, tentative: tentative)
    session.usesFastPath = usesFastPath
    let reader = CSVRecordReader()
    if chunk.contains(0x0D) && !chunk.contains(0x0A) { reader.lineBreak = 0x0D }
    var reserved = false
    // Size the columns once from the first chunk's bytes per row, so a large file's columns are
    // not copied over and over as they grow.
    func reserve(bytesRead: Int) {
      guard !reserved && session.rowsRead > 100 && totalBytes > bytesRead && bytesRead > 0
      else { return }
      reserved = true
      let estimate = Double(totalBytes) / Double(bytesRead) * Double(session.rowsRead) * 1.05
      session.reserve(rows: Int(min(estimate, 1e9)))
    }
    if totalBytes >= pipelineThreshold {
      let first = chunk
      IngestPipeline().run(
        produce: { send, take, bytesRead in
          reader.recordSink = take
          defer { reader.recordSink = nil }
          var chunk = first
          var total = 0
          while true {
            chunk.withUnsafeBytes { reader.feed($0, handler: send) }
            total += chunk.count
            bytesRead(total)
            guard let next = nextChunk() else { break }
            chunk = next
          }
          reader.finish(handler: send)
        },
        consume: { batch in
          // Records are read in place: copying one out of the batch would retain its arrays.
          batch.records.withUnsafeBufferPointer { records in
            for item in batch.items {
              switch item {
              case .record(let slot): session.handle(record: records[slot])
              case .other(let event): session.handle(event)
              }
            }
          }
          reserve(bytesRead: batch.bytesRead)
        })
      return finish(
        session, reader, detected: detected, chosen: chosen, tentative: tentative,
        firstChunkHasText: firstChunkHasText, byteOrderMark: byteOrderMark)
    }
    let handler: (CSVEvent) -> Void = { session.handle($0) }
    var bytesRead = 0
    while true {
      chunk.withUnsafeBytes { reader.feed($0, handler: handler) }
      bytesRead += chunk.count
      reserve(bytesRead: bytesRead)
      guard let next = nextChunk() else { break }
      chunk = next
    }
    reader.finish(handler: handler)
    return finish(
      session, reader, detected: detected, chosen: chosen, tentative: tentative,
      firstChunkHasText: firstChunkHasText, byteOrderMark: byteOrderMark)
  }

  private func finish(
    _ session: IngestSession, _ reader: CSVRecordReader, detected: TextEncoding,
    chosen: TextEncoding, tentative: Bool, firstChunkHasText: Bool, byteOrderMark: Bool
  ) -> IngestResult {
    var result = session.finish(
      reader: reader, detected: encoding == nil, byteOrderMark: byteOrderMark)
    // A suggestion needs evidence: a first chunk of plain ASCII says nothing about the encoding.
    if detected != chosen && !tentative && encoding != nil && !byteOrderMark
      && firstChunkHasText
      && result.diagnostics.contains(where: { $0.rule == .undecodableBytes })
    {
      result.suggestedEncoding = detected
    }
    return result
  }
}

/// Where a codebook variable's columns are in the header.
final class ColumnBinding {
  let variableIndex: Int
  /// The variable, held by reference so reading a cell does not copy it.
  let variable: Variable
  /// For each of the variable's columns, its 0-based position in the header (nil if absent).
  let positions: [Int?]
  /// The first column of the variable present in the header.
  let firstPosition: Int?
  /// Whether the variable is a question (checked against filters and for blanks).
  let isQuestion: Bool
  let isID: Bool
  let isOptional: Bool
  /// Where the variable's column is among the column builders.
  let slot: ColumnBuilders.Slot
  /// The look-up tables of the fast path.
  let plan: FastCellPlan
  /// Strata and clusters: the level of each small integer code seen valid so far (−1: not yet).
  let levelCache: RawTable<Int32>
  /// A unique variable's values seen so far, with the line of their first row.
  let uniqueIntegers = UniqueIntegerIndex()
  /// Whether some filter reads the variable.
  var isFilterInput = false
  /// The question's filter when it is one comparison (others are evaluated as written).
  var simpleFilter: ComparisonFilter?
  /// The variable's only column (nil for several or none): read by the fast path.
  let position: Int?
  /// Whether the fast path stores the value a filter reads (codes and numbers).
  let fastPathSetsValue: Bool
  var uniqueTexts: [String: Int] = [:]

  init(variableIndex: Int, variable: Variable, positions: [Int?], slot: ColumnBuilders.Slot) {
    self.slot = slot
    self.position = positions.count == 1 ? positions[0] : nil
    switch slot {
    case .codes, .numbers: fastPathSetsValue = true
    default: fastPathSetsValue = false
    }
    self.variableIndex = variableIndex
    self.variable = variable
    self.positions = positions
    self.firstPosition = positions.compactMap { $0 }.first
    self.isQuestion = [.single, .multi, .numeric, .text].contains(variable.type)
    self.isID = variable.type == .id
    self.isOptional = variable.isOptional
    self.plan = FastCellPlan(variable)
    let hasLevels = variable.type == .stratum || variable.type == .cluster
    self.levelCache = RawTable(repeating: -1, count: hasLevels ? FastCellPlan.codeLimit : 0)
  }
}

extension ColumnBinding {
  /// Frees the look-up tables when the session's bindings go.
  func freeTables() {
    plan.deallocate()
    levelCache.deallocate()
  }
}

/// The mutable state of one pass over an export.
final class IngestSession {
  let codebook: Codebook
  let file: String
  let decoder: FieldDecoder
  @exclusivity(unchecked) var columns: ColumnBuilders
  /// The line where each accepted row starts.
  @exclusivity(unchecked) var lines: [Int] = []
  var diagnostics: [Diagnostic] = []
  var rejectedRows: [RejectedRow] = []
  var header: [String]?
  var bindings: [ColumnBinding] = [] {
    didSet { bindingReferences = bindings.map { Unmanaged.passUnretained($0) } }
  }
  /// The bindings without reference counting, for the per-cell loop (`bindings` keeps them).
  private(set) var bindingReferences: [Unmanaged<ColumnBinding>] = []
  /// The bindings checked against filters and for blanks (questions present in the header).
  var questionBindings: [ColumnBinding] = [] {
    didSet { questionReferences = questionBindings.map { Unmanaged.passUnretained($0) } }
  }
  private(set) var questionReferences: [Unmanaged<ColumnBinding>] = []
  /// The state of each variable's cell in the row being read, by variable index.
  var rowStates = RawTable<CellState>(repeating: .blank, count: 0)
  var usesFastPath = true
  /// The value of each variable a filter reads, in the row being read (nil: missing).
  var rowValues = RawTable<Double?>(repeating: nil, count: 0)
  var rowsRead = 0
  /// Diagnostics of the row being read.
  @exclusivity(unchecked) var rowDiagnostics: [Diagnostic] = []
  @exclusivity(unchecked) var rowRejected = false
  let variableIndexByName: [String: Int]
  /// Whether records are cases of a .sav/.dta file: their `startLine` is the case number (0 for
  /// the variable names), and diagnostics name the case and the variable, not a line and column.
  let locatesCases: Bool

  init(
    codebook: Codebook, file: String, encoding: TextEncoding, tentative: Bool = false,
    locatesCases: Bool = false
  ) {
    self.locatesCases = locatesCases
    self.codebook = codebook
    self.file = file
    self.decoder = FieldDecoder(encoding: encoding, tentative: tentative)
    self.columns = ColumnBuilders(variables: codebook.variables)
    var indexByName: [String: Int] = [:]
    for (index, variable) in codebook.variables.enumerated() { indexByName[variable.name] = index }
    self.variableIndexByName = indexByName
  }

  deinit {
    rowStates.deallocate()
    rowValues.deallocate()
    for binding in bindings { binding.freeTables() }
  }

  func reserve(rows: Int) {
    columns.reserve(rows: rows)
    lines.reserveCapacity(rows)
  }

  func handle(_ event: CSVEvent) {
    switch event {
    case .blankLine(let line):
      diagnostics.append(
        Diagnostic(rule: .blankLine, file: file, line: line, message: "the line is blank"))
    case .record(let record):
      handle(record: record)
    case .malformed(let startLine, let line, let fieldIndex, let problem, let raw):
      let columnName = header.flatMap { fieldIndex < $0.count ? $0[fieldIndex] : nil }
      var message = problem
      if let columnName { message = "\(columnName) (column \(fieldIndex + 1)): " + problem }
      if header == nil { message = "the header row cannot be read: " + problem }
      let diagnostic = Diagnostic(
        rule: .malformedQuotes, file: file, line: line,
        column: header == nil ? nil : fieldIndex + 1, columnName: columnName, message: message)
      diagnostics.append(diagnostic)
      if header == nil {
        header = []
        return
      }
      rowsRead += 1
      rejectedRows.append(
        RejectedRow(
          line: startLine, text: displayText(raw), respondentID: nil, rules: [.malformedQuotes],
          reasons: [message]))
    }
  }

  func handle(record: CSVRecord) {
    if header == nil {
      readHeader(record)
    } else {
      readRow(record)
    }
  }

  func finish(reader: CSVRecordReader, detected: Bool, byteOrderMark: Bool) -> IngestResult {
    finish(
      lineEnding: reader.lineEnding, physicalLines: reader.currentLine, detected: detected,
      byteOrderMark: byteOrderMark)
  }

  func finish(lineEnding: LineEnding, physicalLines: Int, detected: Bool, byteOrderMark: Bool)
    -> IngestResult
  {
    if header == nil {
      diagnostics.append(
        Diagnostic(
          rule: .missingColumn, action: .setMissing, file: file, line: 1,
          message: "the file is empty: there is no header row"))
    }
    if locatesCases {
      for index in diagnostics.indices {
        diagnostics[index].caseNumber = diagnostics[index].line.flatMap { $0 > 0 ? $0 : nil }
        diagnostics[index].line = nil
      }
    }
    return IngestResult(
      file: file, encoding: decoder.encoding, encodingWasDetected: detected,
      hasByteOrderMark: byteOrderMark, suggestedEncoding: nil, lineEnding: lineEnding,
      header: header ?? [],
      table: ResponseTable(variables: codebook.variables, columns: columns.columns(), lines: lines),
      diagnostics: diagnostics, rowsRead: rowsRead, rejectedRows: rejectedRows,
      physicalLines: physicalLines)
  }

  func displayText(_ bytes: [UInt8]) -> String {
    bytes.withUnsafeBytes { decoder.display($0) }
  }

  // MARK: Header

  func readHeader(_ record: CSVRecord) {
    var names: [String] = []
    for index in 0..<record.fieldCount {
      let name = record.withField(index) { decoder.display($0) }
      // Kept printable: a header name with a line break would split a message in two.
      names.append(String(quotedValue(trimmed(name)).dropFirst().dropLast()))
    }
    header = names
    var firstPosition: [String: Int] = [:]
    for (position, name) in names.enumerated() {
      if let first = firstPosition[name] {
        diagnostics.append(
          Diagnostic(
            rule: .duplicateColumn, file: file, line: record.startLine, column: position + 1,
            columnName: name,
            message:
              "column \(name) appears twice in the header (columns \(first + 1) and "
              + "\(position + 1)); column \(position + 1) is ignored"))
      } else {
        firstPosition[name] = position
      }
    }
    var known: Set<String> = []
    for (index, variable) in codebook.variables.enumerated() {
      var positions: [Int?] = []
      for column in variable.columns {
        known.insert(column)
        let position = firstPosition[column]
        positions.append(position)
        if position == nil {
          diagnostics.append(
            Diagnostic(
              rule: .missingColumn, file: file, line: record.startLine, columnName: column,
              variable: variable.name,
              message:
                "column \(column) of the codebook is not in the header; "
                + "\(variable.name) is missing for every row"))
        }
      }
      bindings.append(
        ColumnBinding(
          variableIndex: index, variable: variable, positions: positions,
          slot: columns.slots[index]))
    }
    rowStates.deallocate()
    rowValues.deallocate()
    rowStates = RawTable(repeating: .blank, count: codebook.variables.count)
    rowValues = RawTable(repeating: nil, count: codebook.variables.count)
    var filterInputs: Set<String> = []
    for variable in codebook.variables { filterInputs.formUnion(variable.filter?.variables ?? []) }
    for binding in bindings where filterInputs.contains(binding.variable.name) {
      binding.isFilterInput = true
    }
    questionBindings = bindings.filter { $0.isQuestion && $0.firstPosition != nil }
    for binding in questionBindings {
      binding.simpleFilter = binding.variable.filter.flatMap {
        ComparisonFilter($0, indexByName: variableIndexByName)
      }
    }
    for (position, name) in names.enumerated() where !known.contains(name) {
      if firstPosition[name] != position { continue }
      let label =
        name.isEmpty
        ? "column \(position + 1) has no name and"
        : "column \(name) (column \(position + 1)) is not in the codebook and"
      diagnostics.append(
        Diagnostic(
          rule: .unknownColumn, file: file, line: record.startLine, column: position + 1,
          columnName: name, message: "\(label) is ignored"))
    }
  }

  // MARK: Rows

  func readRow(_ record: CSVRecord) {
    rowsRead += 1
    let expected = header?.count ?? 0
    if record.fieldCount != expected {
      let rule: Rule = record.fieldCount < expected ? .tooFewFields : .tooManyFields
      let id = structuralRowID(record)
      let message =
        expected == 0
        ? "the row cannot be matched to columns, because the header row could not be read"
        : "the row has \(record.fieldCount) fields, but the header has \(expected)"
      diagnostics.append(
        Diagnostic(
          rule: rule, file: file, line: record.startLine, respondentID: id, message: message))
      rejectedRows.append(
        RejectedRow(
          line: record.startLine, text: displayText(record.raw), respondentID: id, rules: [rule],
          reasons: [message]))
      return
    }
    rowDiagnostics.removeAll(keepingCapacity: true)
    rowRejected = false
    var respondentID: String?
    // The id's position when the fast path took it: its text is needed only for a message.
    var fastIDPosition: Int?
    for reference in bindingReferences {
      // The session holds every binding for the whole read: no retain per cell.
      reference._withUnsafeGuaranteedRef { readCell($0, record, &respondentID, &fastIDPosition) }
    }
    applyFilters(record)
    if rowDiagnostics.isEmpty && !rowRejected {
      lines.append(record.startLine)
      return
    }
    if respondentID == nil, let position = fastIDPosition {
      respondentID = record.withField(position) { String(decoding: $0, as: UTF8.self) }
    }
    for index in rowDiagnostics.indices { rowDiagnostics[index].respondentID = respondentID }
    rowDiagnostics.sort { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
    diagnostics.append(contentsOf: rowDiagnostics)
    if rowRejected {
      columns.removeLastRow()
      let rejecting = rowDiagnostics.filter { $0.action == .reject }
      rejectedRows.append(
        RejectedRow(
          line: record.startLine, text: displayText(record.raw), respondentID: respondentID,
          rules: rejecting.map(\.rule), reasons: rejecting.map(\.message)))
    } else {
      lines.append(record.startLine)
    }
  }

  /// Reads one variable's cells of the row: the fast path, else the general one.
  @inline(__always)
  private func readCell(
    _ binding: ColumnBinding, _ record: CSVRecord, _ respondentID: inout String?,
    _ fastIDPosition: inout Int?
  ) {
    let index = binding.variableIndex
    if usesFastPath, let state = readCellsFast(binding, record) {
      rowStates[index] = state
      if binding.isID { fastIDPosition = binding.position }
      // The fast path sets the values of codes and numbers itself.
      if binding.isFilterInput && !binding.fastPathSetsValue {
        rowValues[index] = withUnsafeMutablePointer(to: &columns) { $0.pointee.lastNumber(index) }
      }
    } else {
      let id = readCells(binding, record)
      if let id { respondentID = id }
      rowStates[index] = columns.lastState(index) ?? .blank
      if binding.isFilterInput {
        rowValues[index] = withUnsafeMutablePointer(to: &columns) { $0.pointee.lastNumber(index) }
      }
    }
  }

  /// The id of a row whose fields do not line up with the header, if the id column is there.
  private func structuralRowID(_ record: CSVRecord) -> String? {
    guard let idIndex = codebook.variables.firstIndex(where: { $0.type == .id }),
      let position = bindings.first(where: { $0.variableIndex == idIndex })?.positions.first ?? nil,
      position < record.fieldCount
    else { return nil }
    let id = trimmed(record.withField(position) { decoder.display($0) })
    return id.isEmpty ? nil : id
  }

  /// Records a problem of the current row; its action decides what happens to the row or cell.
  func report(
    _ rule: Rule, action fixedAction: Action? = nil, line: Int, position: Int?,
    variable: Variable, value: String?, _ message: String
  ) -> Action {
    let action = fixedAction ?? codebook.action(for: rule)
    let columnName = position.flatMap { header?[$0] }
    rowDiagnostics.append(
      Diagnostic(
        rule: rule, action: action, file: file, line: line, column: position.map { $0 + 1 },
        columnName: columnName, variable: variable.name, value: value, message: message))
    if action == .reject { rowRejected = true }
    return action
  }
}

/// `text` without leading or trailing spaces (ASCII and full-width).
func trimmed(_ text: String) -> String {
  // Fast path: libcsv already trims unquoted fields, so most values need nothing.
  if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, first < 0x80,
    last > 0x20, last < 0x80
  {
    return text
  }
  var scalars = Substring(text).unicodeScalars
  while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
  while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
  return String(scalars)
}
