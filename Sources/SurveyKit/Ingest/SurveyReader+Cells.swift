extension IngestSession {
  /// The decoded, trimmed text of the field at `position` (nil: the column is absent).
  func fieldText(_ record: CSVRecord, _ position: Int?) -> FieldText {
    guard let position else { return .blank }
    return record.withField(position) { bytes -> FieldText in
      if bytes.isEmpty { return .blank }
      guard let text = decoder.decode(bytes) else { return .undecodable(decoder.display(bytes)) }
      let clean = trimmed(text)
      return clean.isEmpty ? .blank : .text(clean)
    }
  }

  /// `Q9 (column 14)`: how messages name one column.
  func columnLabel(_ position: Int) -> String {
    if locatesCases { return header?[position] ?? "?" }
    return "\(header?[position] ?? "?") (column \(position + 1))"
  }

  /// `line 57`, or `case 57` in a .sav/.dta file.
  func place(_ line: Int) -> String {
    locatesCases ? "case \(line)" : "line \(line)"
  }

  /// `Q3 (columns 9–16)`: how messages name a variable spread over several columns.
  func variableLabel(_ variable: Variable, _ positions: [Int?]) -> String {
    let present = positions.compactMap { $0 }
    if locatesCases { return variable.name }
    if present.count == 1 && variable.columns.count == 1 {
      return "\(variable.name) (column \(present[0] + 1))"
    }
    guard let first = present.first, let last = present.last else { return variable.name }
    // Columns in the header in another order than the codebook's are listed one by one (found
    // by fuzz-export: `first...last` traps when the last comes before the first).
    if first <= last && present == Array(first...last) {
      return "\(variable.name) (columns \(first + 1)–\(last + 1))"
    }
    return "\(variable.name) (columns \(present.map { String($0 + 1) }.joined(separator: ", ")))"
  }

  /// Reports undecodable bytes; true when the cell should be treated as missing.
  ///
  /// A respondent id or a design value (weight, stratum, cluster, population size) that cannot be
  /// read leaves the row unusable, so there the row is always rejected.
  func undecodable(
    _ display: String, _ variable: Variable, _ position: Int, _ record: CSVRecord
  ) -> Bool {
    let isDesign = [.id, .weight, .fpc, .stratum, .cluster].contains(variable.type)
    let action = report(
      .undecodableBytes, action: isDesign ? .reject : nil, line: record.fieldLines[position],
      position: position,
      variable: variable, value: display,
      "\(columnLabel(position)): value \(quotedValue(display)) is not valid \(decoder.encoding.displayName) text"
    )
    return action != .warn
  }

  /// Reads one variable's cells of the row into its column; returns the row's id for the id.
  func readCells(_ binding: ColumnBinding, _ record: CSVRecord) -> String? {
    switch columns.slots[binding.variableIndex] {
    case .codes(let slot):
      readSingle(binding.variable, binding.positions[0], record, into: &columns.codes[slot])
    case .numbers(let slot):
      readNumber(binding.variable, binding.positions[0], record, into: &columns.numbers[slot])
    case .multi(let slot):
      readMulti(binding.variable, binding.positions, record, into: &columns.multi[slot])
    case .text(let slot):
      return readText(binding, record, into: &columns.text[slot])
    case .levels(let slot):
      readLevel(binding.variable, binding.positions[0], record, into: &columns.levels[slot])
      // Remember a valid small code's level, so the fast path takes the next one.
      if let position = binding.positions[0], columns.levels[slot].states.last == .valid,
        let code = record.withField(position, FieldBytes.smallInteger),
        code < binding.levelCache.count, let level = columns.levels[slot].indices.last
      {
        binding.levelCache[code] = level
      }
    }
    return nil
  }

  // MARK: Single choice

  private func readSingle(
    _ variable: borrowing Variable, _ position: Int?, _ record: CSVRecord,
    into column: inout CodeColumn
  ) {
    var text: String
    switch fieldText(record, position) {
    case .blank:
      column.append(0, .blank)
      return
    case .undecodable(let display):
      if undecodable(display, variable, position!, record) {
        column.append(0, .invalid)
        return
      }
      text = display
    case .text(let value):
      text = value
    }
    if let number = NumberSyntax.parse(text), number == number.rounded(), abs(number) < 32760 {
      let code = Int(number)
      if let missingIndex = variable.missing.firstIndex(where: { $0.code == code }) {
        column.append(Int16(code), .declared(missingIndex))
        return
      }
      if variable.valueLabel(of: code) != nil {
        column.append(Int16(code), .valid)
        return
      }
      let action = reportUnknownCode(variable, position!, record, text)
      column.append(Int16(code), action == .warn ? .valid : .invalid)
      return
    }
    _ = reportUnknownCode(variable, position!, record, text)
    column.append(0, .invalid)
  }

  private func reportUnknownCode(
    _ variable: Variable, _ position: Int, _ record: CSVRecord, _ text: String
  ) -> Action {
    report(
      .unknownCode, line: record.fieldLines[position], position: position, variable: variable,
      value: text,
      "\(columnLabel(position)): value \(quotedValue(text)) is not a code of \(variable.name) (\(variable.codeSummary))"
    )
  }

  // MARK: Numbers: numeric questions, weights, population sizes

  private func readNumber(
    _ variable: borrowing Variable, _ position: Int?, _ record: CSVRecord,
    into column: inout NumberColumn
  ) {
    let label = position.map(columnLabel) ?? variable.name
    let line = position.map { record.fieldLines[$0] } ?? record.startLine
    func problem(_ rule: Rule, _ value: String?, _ message: String) -> Action {
      report(
        rule, line: line, position: position, variable: variable, value: value,
        "\(label): \(message)")
    }
    var text: String
    switch fieldText(record, position) {
    case .blank:
      if position != nil {
        switch variable.type {
        case .weight: _ = problem(.missingWeight, "", "the weight is blank")
        case .fpc: _ = problem(.missingDesignValue, "", "the population size is blank")
        default: break
        }
      }
      column.append(0, .blank)
      return
    case .undecodable(let display):
      if undecodable(display, variable, position!, record) {
        column.append(0, .invalid)
        return
      }
      text = display
    case .text(let value):
      text = value
    }
    guard let number = NumberSyntax.parse(text) else {
      let action: Action
      switch variable.type {
      case .weight:
        action = problem(.nonNumericWeight, text, "weight \(quotedValue(text)) is not a number")
      case .fpc:
        action = problem(
          .invalidPopulationSize, text,
          "value \(quotedValue(text)) is not a population size or sampling fraction")
      default:
        action = problem(.notANumber, text, "value \(quotedValue(text)) is not a number")
      }
      _ = action
      column.append(0, .invalid)
      return
    }
    switch variable.type {
    case .weight:
      if number <= 0 {
        let action = problem(
          .nonPositiveWeight, text, "weight \(quotedValue(text)) is not positive")
        _ = action
        column.append(number, .invalid)
        return
      }
    case .fpc:
      if number <= 0 {
        _ = problem(
          .invalidPopulationSize, text,
          "value \(quotedValue(text)) is not a population size or sampling fraction")
        column.append(number, .invalid)
        return
      }
    default:
      if number == number.rounded(),
        let missingIndex = variable.missing.firstIndex(where: { Double($0.code) == number })
      {
        column.append(number, .declared(missingIndex))
        return
      }
      if let range = variable.range, !range.contains(number) {
        let action = problem(
          .outOfRange, text,
          "value \(quotedValue(text)) is outside the valid range of \(variable.name) "
            + "(\(formatNumber(range.lowerBound))–\(formatNumber(range.upperBound)))")
        column.append(number, action == .warn ? .valid : .invalid)
        return
      }
    }
    column.append(number, .valid)
  }

  // MARK: Text and ids

  private func readText(
    _ binding: ColumnBinding, _ record: CSVRecord, into column: inout TextColumn
  ) -> String? {
    let variable = binding.variable
    guard let position = binding.positions[0] else {
      column.append("", .blank)
      return nil
    }
    let line = record.fieldLines[position]
    let raw: String
    switch record.withField(
      position,
      { bytes -> FieldText in
        if bytes.isEmpty { return .blank }
        guard let text = decoder.decode(bytes) else { return .undecodable(decoder.display(bytes)) }
        return .text(text)
      })
    {
    case .blank:
      raw = ""
    case .undecodable(let display):
      if undecodable(display, variable, position, record) {
        column.append("", .invalid)
        return nil
      }
      raw = display
    case .text(let text):
      raw = text
    }
    // Line breaks inside quoted fields are stored as LF, whatever the file used.
    let text =
      raw.contains("\r")
      ? raw.replacingOccurrences(of: "\r\n", with: "\n")
        .replacingOccurrences(of: "\r", with: "\n") : raw
    let clean = variable.type == .id ? trimmed(text) : text
    if trimmed(clean).isEmpty {
      if variable.type == .id {
        _ = report(
          .missingID, line: line, position: position, variable: variable, value: "",
          "\(columnLabel(position)): the respondent id is blank")
      }
      column.append("", .blank)
      return nil
    }
    column.append(clean, .valid)
    if variable.isUnique { checkUnique(binding, key: clean, position: position, line: line) }
    return variable.type == .id ? clean : nil
  }

  /// Reports a value of a unique variable seen on an earlier line.
  private func checkUnique(_ binding: ColumnBinding, key: String, position: Int, line: Int) {
    let variable = binding.variable
    let firstLine: Int?
    if let integer = canonicalInteger(key) {
      firstLine = binding.uniqueIntegers.line(of: integer)
      if firstLine == nil { _ = binding.uniqueIntegers.insert(integer, line: line) }
    } else {
      firstLine = binding.uniqueTexts[key]
      if firstLine == nil { binding.uniqueTexts[key] = line }
    }
    guard let firstLine else { return }
    if variable.type == .id {
      _ = report(
        .duplicateID, line: line, position: position, variable: variable, value: key,
        "\(columnLabel(position)): id \(quotedValue(key)) already appears on \(place(firstLine))")
    } else {
      _ = report(
        .duplicateValue, line: line, position: position, variable: variable, value: key,
        "\(columnLabel(position)): value \(quotedValue(key)) already appears on \(place(firstLine)), "
          + "but \(variable.name) is unique")
    }
  }

  /// The value of a plain decimal id ("10023", not "010023"), stored more compactly.
  private func canonicalInteger(_ text: String) -> Int64? {
    let utf8 = text.utf8
    guard !utf8.isEmpty, utf8.count <= 18, utf8.first != 0x30 || utf8.count == 1,
      utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    else { return nil }
    return Int64(text)
  }

  // MARK: Strata and clusters

  private func readLevel(
    _ variable: borrowing Variable, _ position: Int?, _ record: CSVRecord,
    into column: inout LevelColumn
  ) {
    guard let position else {
      column.append(0, .blank)
      return
    }
    let line = record.fieldLines[position]
    let what = variable.type == .stratum ? "stratum" : "cluster"
    switch fieldText(record, position) {
    case .blank:
      _ = report(
        .missingDesignValue, line: line, position: position, variable: variable, value: "",
        "\(columnLabel(position)): the \(what) is blank")
      column.append(0, .blank)
    case .undecodable(let display):
      _ = undecodable(display, variable, position, record)
      column.append(0, .invalid)
    case .text(let text):
      var level = text
      if let number = NumberSyntax.parse(text), number == number.rounded(), abs(number) < 1e15 {
        level = formatNumber(number)
      }
      if variable.type == .stratum && !variable.values.isEmpty
        && !variable.values.contains(where: { String($0.code) == level })
      {
        let action = report(
          .unknownStratum, line: line, position: position, variable: variable, value: text,
          "\(columnLabel(position)): value \(quotedValue(text)) is not a stratum listed in the codebook "
            + "(\(variable.codeSummary))")
        if action != .warn {
          column.append(0, .invalid)
          return
        }
      }
      column.append(column.index(of: level), .valid)
    }
  }
}
