extension IngestSession {
  /// Checks each question against its filter once the whole row is read: an answer to a question
  /// that was not asked (the filter is false) and a blank where it was asked (the filter is true,
  /// or there is no filter). A blank where the question was not asked becomes 非該当.
  func applyFilters(_ record: CSVRecord) {
    for binding in bindings {
      guard binding.isQuestion else { continue }
      // An absent column is reported once, in the header.
      guard let position = binding.firstPosition else { continue }
      let index = binding.variableIndex
      guard let state = columns.lastState(index) else { continue }
      var asked = true
      if let filter = binding.variable.filter {
        guard let result = filter.evaluate({ value(of: $0) }) else { continue }
        asked = result
      }
      if asked && (state != .blank || binding.variable.isOptional) { continue }
      if !asked && state != .blank && !state.isValid { continue }
      if !asked && state == .blank {
        columns.setLastState(index, .notAsked)
        continue
      }
      let variable = binding.variable
      let label = variableLabel(variable, binding.positions)
      let detail = filterDetail(variable.filter, asked: asked)
      let line = record.fieldLines[position]
      if asked {
        _ = report(
          .askedNotAnswered, line: line, position: position, variable: variable, value: "",
          "\(label): left blank, but the question was asked\(detail)")
      } else {
        let action = report(
          .notAsked, line: line, position: position, variable: variable, value: nil,
          "\(label): answered, but the question was not asked\(detail)")
        if action == .setMissing { columns.setLastState(index, .notAsked) }
      }
    }
  }

  /// The current row's value of a variable a filter reads.
  private func value(of name: String) -> Double? {
    variableIndexByName[name].flatMap { columns.lastNumber($0) }
  }

  /// ` (filter Q2 < Q1 is false: Q2 = 2, Q1 = 2)`, or nothing without a filter.
  private func filterDetail(_ filter: FilterExpression?, asked: Bool) -> String {
    guard let filter else { return "" }
    var shown: [String] = []
    for name in filter.variables {
      let text = "\(name) = \(value(of: name).map(formatNumber) ?? "?")"
      if !shown.contains(text) { shown.append(text) }
    }
    return " (filter \(filter) is \(asked): \(shown.joined(separator: ", ")))"
  }
}
