extension IngestSession {
  /// Checks each question against its filter once the whole row is read: an answer to a question
  /// that was not asked (the filter is false) and a blank where it was asked (the filter is true,
  /// or there is no filter). A blank where the question was not asked becomes 非該当.
  func applyFilters(_ record: CSVRecord) {
    for (index, variable) in codebook.variables.enumerated() {
      guard [.single, .multi, .numeric, .text].contains(variable.type) else { continue }
      guard let state = table.columns[index].lastState else { continue }
      let binding = bindings[index]
      let position = binding.positions.compactMap { $0 }.first
      guard let position else { continue }  // the column is absent: reported once in the header
      let line = record.fieldLines[position]
      var asked = true
      var detail = ""
      if let filter = variable.filter {
        let values = filter.variables.reduce(into: [String: Double?]()) { values, name in
          values[name] = variableIndexByName[name].flatMap { table.columns[$0].lastNumber }
        }
        guard let result = filter.evaluate({ values[$0] ?? nil }) else { continue }
        asked = result
        let shown = filter.variables.reduce(into: [String]()) { list, name in
          let text = "\(name) = \(values[name].flatMap { $0 }.map(formatNumber) ?? "?")"
          if !list.contains(text) { list.append(text) }
        }
        detail = " (filter \(filter) is \(result): \(shown.joined(separator: ", ")))"
      }
      let label = variableLabel(variable, binding.positions)
      if !asked {
        if state.isValid {
          let action = report(
            .notAsked, line: line, position: position, variable: variable, value: nil,
            "\(label): answered, but the question was not asked\(detail)")
          if action == .setMissing { table.columns[index].setLastState(.notAsked) }
        } else if state == .blank {
          table.columns[index].setLastState(.notAsked)
        }
      } else if state == .blank && !variable.isOptional {
        _ = report(
          .askedNotAnswered, line: line, position: position, variable: variable, value: "",
          "\(label): left blank, but the question was asked\(detail)")
      }
    }
  }
}
