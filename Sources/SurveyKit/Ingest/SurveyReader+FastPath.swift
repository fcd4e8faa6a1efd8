/// What the fast path needs to know about a variable, worked out once from the codebook so that a
/// clean cell costs a table look-up: the state of each small code, the bit of each multi-response
/// code, the exclusive codes as a mask.
struct FastCellPlan {
  /// The marker of a code the fast path does not decide (unknown, or one to word a message for).
  static let undecided: UInt8 = 0xFF
  /// Codes at or above this go to the general path.
  static let codeLimit = 1024

  /// Single choice and numbers: `codeStates[code]` is the raw `CellState` of the code (valid or a
  /// declared missing code), or `undecided`.
  /// (Each table is allocated once, in `init`, and freed by `deallocate()`.)
  let codeStates: RawTable<UInt8>
  /// Multi-response: `bits[code]` is the bit of a value code, else `undecided`.
  let bits: RawTable<UInt8>
  /// Multi-response: `missingStates[code]` is the declared state of a missing code given alone
  /// (with other codes it needs a message), else `undecided`.
  let missingStates: RawTable<UInt8>
  /// Dichotomy: the bit of each column's `1`, or nil when the fast path cannot decide it.
  var dichotomyBits: [UInt64]?
  var exclusiveMask: UInt64 = 0
  var maximumChoices: Int?
  /// Numbers: the declared missing codes as (value, state).
  var missingNumbers: [(value: Double, state: CellState)] = []

  init(_ variable: Variable) {
    let isSingle = variable.type == .single
    let isMulti = variable.type == .multi
    codeStates = RawTable(repeating: Self.undecided, count: isSingle ? Self.codeLimit : 0)
    bits = RawTable(repeating: Self.undecided, count: isMulti ? Self.codeLimit : 0)
    missingStates = RawTable(repeating: Self.undecided, count: isMulti ? Self.codeLimit : 0)
    switch variable.type {
    case .single:
      for value in variable.values where (0..<Self.codeLimit).contains(value.code) {
        codeStates[value.code] = CellState.valid.rawValue
      }
      // A missing code wins over a value label of the same code, as in the general path.
      for (index, missing) in variable.missing.enumerated().reversed()
      where (0..<Self.codeLimit).contains(missing.code) {
        codeStates[missing.code] = CellState.declared(index).rawValue
      }
    case .multi:
      var seen: Set<Int> = []
      for (bit, value) in variable.values.enumerated().reversed()
      where bit < 64 && (0..<Self.codeLimit).contains(value.code) {
        bits[value.code] = UInt8(bit)
      }
      for (index, missing) in variable.missing.enumerated().reversed()
      where (0..<Self.codeLimit).contains(missing.code) {
        bits[missing.code] = Self.undecided
        missingStates[missing.code] = CellState.declared(index).rawValue
      }
      for code in variable.exclusive where (0..<Self.codeLimit).contains(code) {
        if bits[code] != Self.undecided { exclusiveMask |= UInt64(1) << UInt64(bits[code]) }
      }
      switch variable.shape {
      case .spread(let columns)?:
        maximumChoices = variable.maximumChoices ?? columns.count
      case .dichotomy(let columns)?:
        maximumChoices = variable.maximumChoices
        var perColumn: [UInt64] = []
        for offset in columns.indices {
          guard offset < variable.values.count else { break }
          let code = variable.values[offset].code
          guard (0..<Self.codeLimit).contains(code), bits[code] != Self.undecided,
            seen.insert(code).inserted
          else { break }
          perColumn.append(UInt64(1) << UInt64(bits[code]))
        }
        if perColumn.count == columns.count { dichotomyBits = perColumn }
      default:
        maximumChoices = variable.maximumChoices
      }
    case .numeric:
      missingNumbers = variable.missing.enumerated().map { (Double($1.code), .declared($0)) }
    default:
      break
    }
  }
}

extension FastCellPlan {
  /// Frees the tables (the binding that owns the plan does, once).
  func deallocate() {
    codeStates.deallocate()
    bits.deallocate()
    missingStates.deallocate()
  }
}

/// A fixed-size table in raw memory for the per-cell loop of ingest: reading an array stored in
/// a class costs a retain and a release around each read, reading this costs nothing. Its owner
/// allocates it once and deallocates it once; elements are plain values.
struct RawTable<Element> {
  private let storage: UnsafeMutableBufferPointer<Element>

  init(repeating value: Element, count: Int) {
    storage = .allocate(capacity: count)
    storage.initialize(repeating: value)
  }

  var count: Int { storage.count }

  subscript(index: Int) -> Element {
    get { storage[index] }
    nonmutating set { storage[index] = newValue }
  }

  func deallocate() { storage.deallocate() }
}

extension IngestSession {
  /// Reads a clean cell of one variable straight from its bytes; false when the cell needs the
  /// general path (anything blank-looking, unknown, malformed or worth a message), which then
  /// reads it from the start. The two paths store the same value and state for every cell the
  /// fast path takes.
  @inline(__always)
  func readCellsFast(_ binding: ColumnBinding, _ record: CSVRecord) -> CellState? {
    switch binding.slot {
    case .codes(let slot):
      guard let position = binding.position else { return nil }
      let state = record.withField(position) { bytes -> (Int, UInt8)? in
        guard let code = FieldBytes.smallInteger(bytes), code < FastCellPlan.codeLimit else {
          return nil
        }
        let state = binding.plan.codeStates[code]
        return state == FastCellPlan.undecided ? nil : (code, state)
      }
      guard let (code, raw) = state else { return nil }
      let cellState = CellState(rawValue: raw)
      columns.codes[slot].append(Int16(code), cellState)
      if binding.isFilterInput {
        rowValues[binding.variableIndex] = cellState.isValid ? Double(code) : nil
      }
      return cellState
    case .numbers(let slot):
      guard let position = binding.position,
        let number = record.withField(position, FieldBytes.number)
      else { return nil }
      if binding.isFilterInput { rowValues[binding.variableIndex] = nil }
      switch binding.variable.type {
      case .weight, .fpc:
        guard number > 0 else { return nil }
        columns.numbers[slot].append(number, .valid)
        if binding.isFilterInput { rowValues[binding.variableIndex] = number }
        return .valid
      default:
        if number == number.rounded() {
          for missing in binding.plan.missingNumbers where missing.value == number {
            columns.numbers[slot].append(number, missing.state)
            return missing.state
          }
        }
        if let range = binding.variable.range, !range.contains(number) { return nil }
        columns.numbers[slot].append(number, .valid)
        if binding.isFilterInput { rowValues[binding.variableIndex] = number }
        return .valid
      }
    case .multi(let slot):
      guard let (bits, state) = multiAnswer(binding, record) else { return nil }
      columns.multi[slot].append(bits, state)
      return state
    case .text(let slot):
      guard let position = binding.position else { return nil }
      if binding.variable.type == .id {
        return readIDFast(binding, record, position, into: &columns.text[slot]) ? .valid : nil
      }
      if binding.variable.isUnique { return nil }
      let taken = record.withField(position) { bytes -> Bool in
        if bytes.isEmpty {
          columns.text[slot].append(bytes: bytes, .blank)
          return true
        }
        guard FieldBytes.startsWithVisibleCharacter(bytes),
          !FieldBytes.containsCarriageReturn(bytes),
          FieldBytes.isASCII(bytes)
            || (decoder.encoding == .utf8 && !decoder.isTentative
              && FieldBytes.isValidUTF8(bytes))
        else { return false }
        columns.text[slot].append(bytes: bytes, .valid)
        return true
      }
      guard taken else { return nil }
      return columns.text[slot].states.last
    case .levels(let slot):
      guard let position = binding.position,
        let code = record.withField(position, FieldBytes.smallInteger),
        code < binding.levelCache.count
      else { return nil }
      let level = binding.levelCache[code]
      guard level >= 0 else { return nil }
      columns.levels[slot].append(level, .valid)
      return .valid
    }
  }

  /// The respondent id: plain ASCII without spaces at its ends, unique by its integer value or
  /// its text. Leaves anything else (and every duplicate) to the general path.
  private func readIDFast(
    _ binding: ColumnBinding, _ record: CSVRecord, _ position: Int,
    into column: inout TextColumn
  ) -> Bool {
    record.withField(position) { bytes -> Bool in
      guard let first = bytes.first, let last = bytes.last, first > 0x20, last > 0x20,
        FieldBytes.isASCII(bytes), !FieldBytes.containsCarriageReturn(bytes)
      else { return false }
      if binding.variable.isUnique {
        let line = record.fieldLines[position]
        if let integer = FieldBytes.canonicalInteger(bytes) {
          guard binding.uniqueIntegers.insert(integer, line: line) else { return false }
        } else {
          let key = String(decoding: bytes, as: UTF8.self)
          guard binding.uniqueTexts[key] == nil else { return false }
          binding.uniqueTexts[key] = line
        }
      }
      column.append(bytes: bytes, .valid)
      return true
    }
  }

  /// The bit set and state of a clean multi-response answer: the choices, nothing chosen
  /// (blank), or a missing code alone; nil for the general path.
  private func multiAnswer(_ binding: ColumnBinding, _ record: CSVRecord) -> (UInt64, CellState)? {
    let plan = binding.plan
    var bits: UInt64 = 0
    var count = 0
    // A missing code seen (its state), to be accepted only when it is the whole answer.
    var missing = FastCellPlan.undecided
    var missingCount = 0
    /// Takes one code; false when the general path must decide the answer.
    func take(_ code: Int) -> Bool {
      guard code < FastCellPlan.codeLimit else { return false }
      let bit = plan.bits[code]
      if bit == FastCellPlan.undecided {
        missing = plan.missingStates[code]
        missingCount += 1
        return missing != FastCellPlan.undecided
      }
      let mask = UInt64(1) << UInt64(bit)
      guard bits & mask == 0 else { return false }
      bits |= mask
      count += 1
      return true
    }
    switch binding.variable.shape {
    case .delimited?:
      guard let position = binding.position else { return nil }
      let parsed = record.withField(position) { bytes -> Bool in
        var index = 0
        let end = bytes.count
        while index < end {
          var code = 0
          let start = index
          while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39, index - start < 4 {
            code = code * 10 + Int(bytes[index] - 0x30)
            index += 1
          }
          guard index > start, take(code) else { return false }
          if index < end {
            guard bytes[index] == 0x3B || bytes[index] == 0x2C, index + 1 < end else {
              return false
            }
            index += 1
          }
        }
        return true
      }
      guard parsed else { return nil }
    case .spread?:
      for position in binding.positions {
        guard let position else { return nil }
        let taken = record.withField(position) { bytes -> Bool in
          if bytes.isEmpty { return true }
          guard let code = FieldBytes.smallInteger(bytes) else { return false }
          return take(code)
        }
        guard taken else { return nil }
      }
    case .dichotomy?:
      guard let perColumn = plan.dichotomyBits else { return nil }
      for (offset, position) in binding.positions.enumerated() {
        guard let position else { return nil }
        let taken = record.withField(position) { bytes -> Bool in
          if bytes.isEmpty { return true }
          guard bytes.count == 1 else { return false }
          if bytes[0] == 0x30 { return true }
          guard bytes[0] == 0x31 else { return false }
          bits |= perColumn[offset]
          count += 1
          return true
        }
        guard taken else { return nil }
      }
    case nil:
      return nil
    }
    if missingCount > 0 {
      guard missingCount == 1, count == 0 else { return nil }
      return (0, CellState(rawValue: missing))
    }
    if count > 1 && bits & plan.exclusiveMask != 0 { return nil }
    if let maximum = plan.maximumChoices, count > maximum { return nil }
    return (bits, bits == 0 ? .blank : .valid)
  }
}

/// The line of the first row holding each integer value of a unique variable: a dense array
/// while the values are close together (ids 10001, 10002, …), a dictionary once they are not.
final class UniqueIntegerIndex {
  private var base: Int64 = 0
  /// `dense[value − base]` is the first line + 1 (0 = not seen).
  private var dense: [Int32] = []
  private var sparse: [Int64: Int] = [:]
  private var isDense = true
  private var count = 0

  /// The line where `value` was first seen, or nil.
  func line(of value: Int64) -> Int? {
    if isDense {
      let offset = value &- base
      guard !dense.isEmpty, offset >= 0, offset < Int64(dense.count) else { return nil }
      let stored = dense[Int(offset)]
      return stored == 0 ? nil : Int(stored) - 1
    }
    return sparse[value]
  }

  /// Records `value` at `line`; false (and nothing recorded) when it was seen before.
  func insert(_ value: Int64, line: Int) -> Bool {
    if self.line(of: value) != nil { return false }
    count += 1
    if isDense && line < Int(Int32.max) - 1 {
      if dense.isEmpty {
        base = value
        dense = [Int32](repeating: 0, count: 1024)
      }
      var offset = value &- base
      if offset < 0 || offset >= Int64(dense.count) {
        let low = min(base, value)
        let high = max(base &+ Int64(dense.count), value &+ 1)
        let span = high &- low
        // Stay dense while the span is at most 8 slots per value seen (and at least 1 Mi slots).
        if span > 0 && span <= max(Int64(1) << 20, Int64(count) * 8) {
          var grown = [Int32](repeating: 0, count: Int(min(span * 2, max(span, 1 << 20))))
          let shift = Int(base - low)
          for (index, stored) in dense.enumerated() where stored != 0 {
            grown[index + shift] = stored
          }
          dense = grown
          base = low
        } else {
          moveToDictionary()
          sparse[value] = line
          return true
        }
        offset = value &- base
      }
      dense[Int(offset)] = Int32(line + 1)
      return true
    }
    if isDense { moveToDictionary() }
    sparse[value] = line
    return true
  }

  private func moveToDictionary() {
    isDense = false
    sparse.reserveCapacity(count)
    for (index, stored) in dense.enumerated() where stored != 0 {
      sparse[base &+ Int64(index)] = Int(stored) - 1
    }
    dense = []
  }
}
