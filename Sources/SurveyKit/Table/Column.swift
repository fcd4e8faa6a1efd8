/// One variable's values for every accepted row, stored by type.
public enum Column: Sendable, Hashable {
  /// Single-choice codes.
  case codes(CodeColumn)
  /// Numbers: numeric questions, weights, population sizes.
  case numbers(NumberColumn)
  /// Multi-response answers as bit sets over the variable's codes.
  case multi(MultiResponseColumn)
  /// Free text and respondent ids.
  case text(TextColumn)
  /// Strata and clusters: labels numbered in order of appearance.
  case levels(LevelColumn)

  public var count: Int { states.count }

  /// The state of every cell.
  public var states: [CellState] {
    switch self {
    case .codes(let column): return column.states
    case .numbers(let column): return column.states
    case .multi(let column): return column.states
    case .text(let column): return column.states
    case .levels(let column): return column.states
    }
  }

}

/// Single-choice codes: `codes[row]` is meaningful when `states[row]` is valid.
public struct CodeColumn: Sendable, Hashable {
  public internal(set) var codes: [Int16] = []
  public internal(set) var states: [CellState] = []

  public init() {}

  /// The code of `row`, or nil when the cell is missing.
  public subscript(row: Int) -> Int? {
    states[row].isValid ? Int(codes[row]) : nil
  }

  mutating func reserve(_ rows: Int) {
    codes.reserveCapacity(rows)
    states.reserveCapacity(rows)
  }

  mutating func append(_ code: Int16, _ state: CellState) {
    codes.append(code)
    states.append(state)
  }

  mutating func removeLast() {
    codes.removeLast()
    states.removeLast()
  }
}

/// Numbers: `values[row]` is meaningful when `states[row]` is valid.
public struct NumberColumn: Sendable, Hashable {
  public internal(set) var values: [Double] = []
  public internal(set) var states: [CellState] = []

  public init() {}

  public subscript(row: Int) -> Double? {
    states[row].isValid ? values[row] : nil
  }

  mutating func reserve(_ rows: Int) {
    values.reserveCapacity(rows)
    states.reserveCapacity(rows)
  }

  mutating func append(_ value: Double, _ state: CellState) {
    values.append(value)
    states.append(state)
  }

  mutating func removeLast() {
    values.removeLast()
    states.removeLast()
  }
}

/// Multi-response answers: bit `i` of `choices[row]` is set when the respondent chose the
/// variable's `i`-th code (in codebook order), whatever the export's shape.
public struct MultiResponseColumn: Sendable, Hashable {
  public internal(set) var choices: [UInt64] = []
  public internal(set) var states: [CellState] = []

  public init() {}

  /// The chosen positions of `row` as a bit set, or nil when the answer is missing.
  public subscript(row: Int) -> UInt64? {
    states[row].isValid ? choices[row] : nil
  }

  mutating func reserve(_ rows: Int) {
    choices.reserveCapacity(rows)
    states.reserveCapacity(rows)
  }

  mutating func append(_ bits: UInt64, _ state: CellState) {
    choices.append(bits)
    states.append(state)
  }

  mutating func removeLast() {
    choices.removeLast()
    states.removeLast()
  }
}

/// Text stored as one UTF-8 buffer with row offsets, so a million short answers cost a few bytes each.
public struct TextColumn: Sendable, Hashable {
  public internal(set) var utf8: [UInt8] = []
  /// `ends[row]` is the offset just past the row's text in `utf8`.
  public internal(set) var ends: [Int] = []
  public internal(set) var states: [CellState] = []

  public init() {}

  /// The text of `row`, or nil when the cell is missing.
  public subscript(row: Int) -> String? {
    guard states[row].isValid else { return nil }
    let start = row == 0 ? 0 : ends[row - 1]
    return String(decoding: utf8[start..<ends[row]], as: UTF8.self)
  }

  mutating func reserve(_ rows: Int) {
    ends.reserveCapacity(rows)
    states.reserveCapacity(rows)
  }

  mutating func append(_ text: String, _ state: CellState) {
    utf8.append(contentsOf: text.utf8)
    ends.append(utf8.count)
    states.append(state)
  }

  /// Appends text already known to be valid UTF-8.
  mutating func append(bytes: UnsafeRawBufferPointer, _ state: CellState) {
    utf8.append(contentsOf: bytes)
    ends.append(utf8.count)
    states.append(state)
  }

  mutating func removeLast() {
    ends.removeLast()
    utf8.removeSubrange((ends.last ?? 0)...)
    states.removeLast()
  }
}

/// Labels of strata or clusters, numbered in the order they first appear (or the codebook's order).
public struct LevelColumn: Sendable, Hashable {
  public internal(set) var levels: [String] = []
  public internal(set) var indices: [Int32] = []
  public internal(set) var states: [CellState] = []
  var levelIndex: [String: Int32] = [:]

  public init(levels: [String] = []) {
    for level in levels { _ = index(of: level) }
  }

  /// The level of `row`, or nil when the cell is missing.
  public subscript(row: Int) -> String? {
    states[row].isValid ? levels[Int(indices[row])] : nil
  }

  /// The number of `level`, adding it when new.
  mutating func index(of level: String) -> Int32 {
    if let index = levelIndex[level] { return index }
    let index = Int32(levels.count)
    levels.append(level)
    levelIndex[level] = index
    return index
  }

  mutating func reserve(_ rows: Int) {
    indices.reserveCapacity(rows)
    states.reserveCapacity(rows)
  }

  mutating func append(_ index: Int32, _ state: CellState) {
    indices.append(index)
    states.append(state)
  }

  mutating func removeLast() {
    indices.removeLast()
    states.removeLast()
  }
}
