/// The columns of a table while it is being read: one array per kind of column, so appending a
/// cell is one in-place append, without unwrapping and re-wrapping a `Column` enum per cell.
struct ColumnBuilders {
  enum Slot {
    case codes(Int)
    case numbers(Int)
    case multi(Int)
    case text(Int)
    case levels(Int)
  }

  var codes: [CodeColumn] = []
  var numbers: [NumberColumn] = []
  var multi: [MultiResponseColumn] = []
  var text: [TextColumn] = []
  var levels: [LevelColumn] = []
  /// Where each variable's column is, in codebook order.
  private(set) var slots: [Slot] = []

  init(variables: [Variable]) {
    for variable in variables {
      switch variable.type {
      case .single:
        slots.append(.codes(codes.count))
        codes.append(CodeColumn())
      case .numeric, .weight, .fpc:
        slots.append(.numbers(numbers.count))
        numbers.append(NumberColumn())
      case .multi:
        slots.append(.multi(multi.count))
        multi.append(MultiResponseColumn())
      case .id, .text:
        slots.append(.text(text.count))
        text.append(TextColumn())
      case .stratum, .cluster:
        slots.append(.levels(levels.count))
        levels.append(LevelColumn(levels: variable.values.map { String($0.code) }))
      }
    }
  }

  /// The state of variable `index` in the last row.
  func lastState(_ index: Int) -> CellState? {
    switch slots[index] {
    case .codes(let slot): return codes[slot].states.last
    case .numbers(let slot): return numbers[slot].states.last
    case .multi(let slot): return multi[slot].states.last
    case .text(let slot): return text[slot].states.last
    case .levels(let slot): return levels[slot].states.last
    }
  }

  /// Changes the state of variable `index` in the last row (a filter turning an answer into 非該当).
  mutating func setLastState(_ index: Int, _ state: CellState) {
    switch slots[index] {
    case .codes(let slot): codes[slot].states[codes[slot].states.count - 1] = state
    case .numbers(let slot): numbers[slot].states[numbers[slot].states.count - 1] = state
    case .multi(let slot): multi[slot].states[multi[slot].states.count - 1] = state
    case .text(let slot): text[slot].states[text[slot].states.count - 1] = state
    case .levels(let slot): levels[slot].states[levels[slot].states.count - 1] = state
    }
  }

  /// The last row's value of variable `index` as a number, for filters. Reads in place: a copy
  /// of the column would retain its arrays once per row.
  func lastNumber(_ index: Int) -> Double? {
    switch slots[index] {
    case .codes(let slot):
      guard let state = codes[slot].states.last, state.isValid else { return nil }
      return Double(codes[slot].codes[codes[slot].codes.count - 1])
    case .numbers(let slot):
      guard let state = numbers[slot].states.last, state.isValid else { return nil }
      return numbers[slot].values[numbers[slot].values.count - 1]
    case .levels(let slot):
      guard let state = levels[slot].states.last, state.isValid else { return nil }
      let level = levels[slot].indices[levels[slot].indices.count - 1]
      return Double(levels[slot].levels[Int(level)])
    case .multi, .text:
      return nil
    }
  }

  /// Takes back the last row of every column (the row was rejected).
  mutating func removeLastRow() {
    for slot in codes.indices { codes[slot].removeLast() }
    for slot in numbers.indices { numbers[slot].removeLast() }
    for slot in multi.indices { multi[slot].removeLast() }
    for slot in text.indices { text[slot].removeLast() }
    for slot in levels.indices { levels[slot].removeLast() }
  }

  /// Makes room for `rows` rows in every column, so a large file is not copied as it grows.
  mutating func reserve(rows: Int) {
    for slot in codes.indices { codes[slot].reserve(rows) }
    for slot in numbers.indices { numbers[slot].reserve(rows) }
    for slot in multi.indices { multi[slot].reserve(rows) }
    for slot in text.indices { text[slot].reserve(rows) }
    for slot in levels.indices { levels[slot].reserve(rows) }
  }

  /// The finished columns, in codebook order.
  func columns() -> [Column] {
    slots.map { slot in
      switch slot {
      case .codes(let slot): return .codes(codes[slot])
      case .numbers(let slot): return .numbers(numbers[slot])
      case .multi(let slot): return .multi(multi[slot])
      case .text(let slot): return .text(text[slot])
      case .levels(let slot): return .levels(levels[slot])
      }
    }
  }
}
