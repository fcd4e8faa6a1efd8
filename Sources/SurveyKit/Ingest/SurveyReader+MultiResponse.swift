extension IngestSession {
  /// Reads a multi-response answer in any of the three shapes into one bit set, then checks it:
  /// unknown codes, repeated codes, exclusive codes chosen with others, too many choices, and a
  /// missing code given together with answers.
  func readMulti(
    _ variable: Variable, _ positions: [Int?], _ record: CSVRecord,
    into column: inout MultiResponseColumn
  ) {
    guard let shape = variable.shape else {
      column.append(0, .blank)
      return
    }
    let setPosition = positions.compactMap { $0 }.first
    let setLine = setPosition.map { record.fieldLines[$0] } ?? record.startLine
    var chosen: [Int] = []
    var invalid = false
    // The answer as messages quote it: the cell of a delimited answer, else the chosen codes.
    var answerText: String?
    var answer: String { answerText ?? chosen.map(String.init).joined(separator: ";") }

    func problem(_ rule: Rule, _ value: String, _ message: String) {
      let action = report(
        rule, line: setLine, position: setPosition, variable: variable, value: value,
        "\(variableLabel(variable, positions)): \(message)")
      if action == .setMissing { invalid = true }
    }

    switch shape {
    case .delimited:
      let position = positions[0]
      switch fieldText(record, position) {
      case .blank:
        column.append(0, .blank)
        return
      case .undecodable(let display):
        if undecodable(display, variable, position!, record) {
          column.append(0, .invalid)
          return
        }
        answerText = display
      case .text(let text):
        answerText = text
      }
      for token in Self.splitCodes(answer) {
        if let number = NumberSyntax.parse(token), number == number.rounded(), abs(number) < 32760 {
          chosen.append(Int(number))
        } else {
          problem(
            .unknownCode, answer,
            unknownCodeMessage(variable, answer: answer, code: token))
        }
      }
    case .dichotomy:
      var texts: [String] = []
      for (offset, position) in positions.enumerated() {
        guard let position else { continue }
        switch fieldText(record, position) {
        case .blank:
          continue
        case .undecodable(let display):
          if undecodable(display, variable, position, record) { invalid = true }
        case .text(let text):
          texts.append(text)
          let number = NumberSyntax.parse(text)
          if number == 1 {
            chosen.append(variable.values[offset].code)
          } else if number != 0 {
            let action = report(
              .notDichotomous, line: record.fieldLines[position], position: position,
              variable: variable, value: text,
              "\(columnLabel(position)): value \(quotedValue(text)) is not 0 or 1")
            if action == .setMissing { invalid = true }
          }
        }
      }
    case .spread:
      for position in positions {
        guard let position else { continue }
        switch fieldText(record, position) {
        case .blank:
          continue
        case .undecodable(let display):
          if undecodable(display, variable, position, record) { invalid = true }
        case .text(let text):
          if let number = NumberSyntax.parse(text), number == number.rounded(),
            abs(number) < 32760,
            variable.valueLabel(of: Int(number)) != nil || variable.missingCode(Int(number)) != nil
          {
            chosen.append(Int(number))
          } else {
            let action = reportUnknownSpreadCode(variable, position, record, text)
            if action == .setMissing { invalid = true }
          }
        }
      }
    }

    if invalid {
      column.append(0, .invalid)
      return
    }
    if chosen.isEmpty {
      column.append(0, .blank)
      return
    }
    // A missing code (99 = 無回答) stands for the whole answer.
    if let missing = chosen.first(where: { variable.missingCode($0) != nil }) {
      if chosen.count == 1, let index = variable.missing.firstIndex(where: { $0.code == missing }) {
        column.append(0, .declared(index))
        return
      }
      let label = variable.missingCode(missing)!.label.japanese
      problem(
        .exclusiveChoice, answer,
        "missing code \(missing) (\(label)) may only be given alone, but the answer \(quotedValue(answer)) "
          + "has other codes too")
      if invalid {
        column.append(0, .invalid)
        return
      }
    }
    var bits: UInt64 = 0
    var seen: Set<Int> = []
    var repeated: [Int] = []
    for code in chosen where variable.missingCode(code) == nil {
      guard let bit = variable.values.firstIndex(where: { $0.code == code }) else {
        if case .delimited = shape {
          problem(
            .unknownCode, answer,
            unknownCodeMessage(variable, answer: answer, code: String(code)))
        }
        continue
      }
      if !seen.insert(code).inserted {
        if !repeated.contains(code) { repeated.append(code) }
        continue
      }
      bits |= UInt64(1) << UInt64(bit)
    }
    for code in repeated {
      problem(
        .repeatedChoice, answer, "code \(code) is chosen more than once in \(quotedValue(answer))")
    }
    if seen.count > 1 {
      for code in variable.exclusive where seen.contains(code) {
        let label = variable.valueLabel(of: code)?.label.japanese ?? ""
        problem(
          .exclusiveChoice, answer,
          "code \(code) (\(label)) may only be chosen alone, but the answer \(quotedValue(answer)) "
            + "has other codes too")
      }
    }
    let maximum: Int?
    switch shape {
    case .spread(let columns): maximum = variable.maximumChoices ?? columns.count
    default: maximum = variable.maximumChoices
    }
    if let maximum, seen.count > maximum {
      problem(
        .tooManyChoices, answer,
        "the answer \(quotedValue(answer)) has \(seen.count) codes, more than the \(maximum) allowed"
      )
    }
    column.append(invalid ? 0 : bits, invalid ? .invalid : .valid)
  }

  private func reportUnknownSpreadCode(
    _ variable: Variable, _ position: Int, _ record: CSVRecord, _ text: String
  ) -> Action {
    report(
      .unknownCode, line: record.fieldLines[position], position: position, variable: variable,
      value: text,
      "\(columnLabel(position)): value \(quotedValue(text)) is not a code of \(variable.name) "
        + "(\(variable.codeSummary))")
  }

  /// `value "1;12" has "12", which is not a code of Q4 (…)`, or without the repetition when the
  /// cell holds that one code.
  private func unknownCodeMessage(_ variable: Variable, answer: String, code: String) -> String {
    let what = answer == code ? "" : " has \(quotedValue(code)), which"
    return
      "value \(quotedValue(answer))\(what) is not a code of \(variable.name) (\(variable.codeSummary))"
  }

  /// The codes of a delimited cell: "1;3;5", "1,3,5", "１、３", "1；3".
  static func splitCodes(_ text: String) -> [String] {
    text.split(whereSeparator: { ";,、，；".contains($0) })
      .map { trimmed(String($0)) }
      .filter { !$0.isEmpty }
  }
}
