extension ResponseTable {
  /// Every way the table breaks its invariants, in words; empty when it is sound.
  ///
  /// The invariants: every column has one cell per row; a declared-missing state names one of the
  /// variable's missing codes; valid codes are codes of the variable and numbers lie in its range
  /// (unless `codebook` only warns on unknown codes or out-of-range values); weights are positive;
  /// multi-response bits stay within the
  /// variable's codes; level indices name a level; text offsets grow; line numbers never go back
  /// (two records share a line only when a bare carriage return separates them).
  public func invariantViolations(codebook: Codebook? = nil) -> [String] {
    let allowUnlabelledCodes = codebook?.action(for: .unknownCode) == .warn
    let allowOutOfRange = codebook?.action(for: .outOfRange) == .warn
    var violations: [String] = []
    if columns.count != variables.count {
      violations.append("\(columns.count) columns for \(variables.count) variables")
    }
    for (variable, column) in zip(variables, columns) {
      let name = variable.name
      if column.count != rowCount {
        violations.append("\(name) has \(column.count) cells for \(rowCount) rows")
      }
      for (row, state) in column.states.enumerated() {
        if let index = state.declaredIndex, index >= variable.missing.count {
          violations.append("\(name) row \(row): missing-code index \(index) out of range")
        }
      }
      switch column {
      case .codes(let codes):
        let allowed = Set(variable.values.map { Int16($0.code) })
        for row in 0..<codes.codes.count where codes.states[row].isValid {
          if !allowUnlabelledCodes && !allowed.contains(codes.codes[row]) {
            violations.append("\(name) row \(row): code \(codes.codes[row]) is not a code")
          }
        }
      case .numbers(let numbers):
        if numbers.values.count != numbers.states.count {
          violations.append(
            "\(name): \(numbers.values.count) values for \(numbers.states.count) states")
        }
        for row in 0..<numbers.values.count where numbers.states[row].isValid {
          let value = numbers.values[row]
          if !value.isFinite { violations.append("\(name) row \(row): \(value) is not finite") }
          if let range = variable.range, !range.contains(value), !allowOutOfRange {
            violations.append("\(name) row \(row): \(value) is outside \(range)")
          }
          if variable.type == .weight, value <= 0 {
            violations.append("\(name) row \(row): weight \(value) is not positive")
          }
        }
      case .multi(let multi):
        let limit: UInt64 =
          variable.values.count >= 64 ? .max : (UInt64(1) << UInt64(variable.values.count)) - 1
        for row in 0..<multi.choices.count where multi.choices[row] & ~limit != 0 {
          violations.append("\(name) row \(row): choices beyond the variable's codes")
        }
      case .text(let text):
        var previous = 0
        for end in text.ends {
          if end < previous || end > text.utf8.count {
            violations.append("\(name): text offsets are not increasing")
            break
          }
          previous = end
        }
        if text.ends.count != text.states.count {
          violations.append("\(name): \(text.ends.count) offsets for \(text.states.count) states")
        }
      case .levels(let levels):
        for row in 0..<levels.indices.count
        where levels.states[row].isValid && Int(levels.indices[row]) >= levels.levels.count {
          violations.append("\(name) row \(row): level \(levels.indices[row]) does not exist")
        }
      }
    }
    for index in lines.indices.dropFirst() where lines[index] < lines[index - 1] {
      violations.append("row \(index): line \(lines[index]) does not follow \(lines[index - 1])")
      break
    }
    return violations
  }
}
