extension IngestSession {
  /// Checks each question against its filter once the whole row is read: an answer to a question
  /// that was not asked (the filter is false) and a blank where it was asked (the filter is true,
  /// or there is no filter). A blank where the question was not asked becomes 非該当.
  func applyFilters(_ record: CSVRecord) {
    // Only questions present in the header: an absent column is reported once, in the header.
    for reference in questionReferences {
      // The session holds every binding for the whole read: no retain per row.
      reference._withUnsafeGuaranteedRef { checkFilter($0, record) }
    }
  }

  /// Checks one question of the row against its filter (and for a blank).
  @inline(__always)
  private func checkFilter(_ binding: ColumnBinding, _ record: CSVRecord) {
    let state = rowStates[binding.variableIndex]
    var asked = true
    if let filter = binding.simpleFilter {
      guard let result = filter.evaluate({ rowValues[$0] }) else { return }
      asked = result
    } else if let filter = binding.variable.filter {
      guard let result = filter.evaluate({ value(of: $0) }) else { return }
      asked = result
    }
    if asked && (state != .blank || binding.isOptional) { return }
    let position = binding.firstPosition!
    let index = binding.variableIndex
    if !asked && state != .blank && !state.isValid { return }
    if !asked && state == .blank {
      columns.setLastState(index, .notAsked)
      rowStates[index] = .notAsked
      rowValues[index] = nil
      return
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
      if action == .setMissing {
        columns.setLastState(index, .notAsked)
        rowStates[index] = .notAsked
        rowValues[index] = nil
      }
    }
  }

  /// The current row's value of a variable a filter reads.
  private func value(of name: String) -> Double? {
    variableIndexByName[name].flatMap { rowValues[$0] }
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

/// A filter of the form `A < B` or `Q1 == 2` (most filters are) with its variables resolved to
/// their indices in the codebook: checking a row costs no name look-up and no reference counting.
/// Other filters are evaluated as written (`FilterExpression.evaluate`).
struct ComparisonFilter {
  enum Operand {
    case variable(Int)
    case number(Double)
    /// A name the codebook does not have (the codebook check reports it): never a value.
    case unknown
  }

  var left: Operand
  var comparison: FilterExpression.Comparison
  var right: Operand

  /// The filter as a comparison, or nil when it is anything else.
  init?(_ filter: FilterExpression, indexByName: [String: Int]) {
    guard case .compare(let left, let comparison, let right) = filter else { return nil }
    func operand(_ operand: FilterExpression.Operand) -> Operand {
      switch operand {
      case .variable(let name): return indexByName[name].map(Operand.variable) ?? .unknown
      case .number(let number): return .number(number)
      }
    }
    self.left = operand(left)
    self.comparison = comparison
    self.right = operand(right)
  }

  /// As `FilterExpression.evaluate`: nil when a value is missing.
  func evaluate(_ value: (Int) -> Double?) -> Bool? {
    func resolve(_ operand: Operand) -> Double? {
      switch operand {
      case .variable(let index): return value(index)
      case .number(let number): return number
      case .unknown: return nil
      }
    }
    guard let a = resolve(left), let b = resolve(right) else { return nil }
    return comparison.holds(a, b)
  }
}
