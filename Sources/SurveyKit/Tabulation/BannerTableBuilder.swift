import Foundation

/// Makes banner tables (クロス集計) under a sampling design: each stub question against Total and
/// the categories of the break variables, every cell with its n, weighted count, column
/// percentage (or mean), standard error and design effect, every column with its unweighted,
/// weighted and effective base.
///
/// ```swift
/// let builder = BannerTableBuilder(table: result.table, design: design)
/// let table = try builder.bannerTable(.init(rows: ["Q5"], by: ["F1", "F2"]))
/// table.blocks[0].rows[0].cells[1].estimate?.estimate   // 住みやすい among men
/// ```
/// A stub is a list of (stub row, value) entries per respondent: 1 for a chosen category or a
/// net that holds the answer, the score for the mean row; a respondent without an answer (a
/// missing code, not asked, blank, or failing the table's filter) has none and is outside every
/// base but stays in the design (a domain: Lumley 2010, §2.3). The banner is the list of columns
/// each respondent belongs to: Total, and one category of every single break or any number of
/// options of a multi-response break. All cells of a stub come from one `CrossTabulation` (one scan
/// for the estimates, one for the scores), so a column's percentages are R's
/// `svyby(~stub, ~break, design, svymean)` and the covariance of two columns, overlapping or not,
/// is there for a design-based test of their difference.
public struct BannerTableBuilder: Sendable {
  public var table: ResponseTable
  public var design: SurveyDesign
  public var options: BannerOptions

  public init(table: ResponseTable, design: SurveyDesign, options: BannerOptions = .init()) {
    self.table = table
    self.design = design
    self.options = options
  }

  /// The types of variable that can be rows of a table.
  public static let stubTypes: Set<VariableType> = [.single, .multi, .numeric, .stratum]
  /// The types of variable that can be banner columns.
  public static let breakTypes: Set<VariableType> = [.single, .multi, .numeric, .stratum]

  /// Checks a table's names against the codebook before any data is read.
  public static func check(_ spec: BannerTableSpec.Table, in codebook: Codebook)
    throws(BannerTableError)
  {
    for name in spec.rows {
      guard let variable = codebook.variable(named: name) else { throw .unknownVariable(name) }
      guard stubTypes.contains(variable.type) else { throw .notAStub(name, variable.type) }
    }
    for item in spec.by {
      let parts = BannerTableSpec.breakParts(item)
      guard parts.count <= 2, !parts.contains(where: \.isEmpty) else { throw .badNesting(item) }
      for name in parts {
        guard let variable = codebook.variable(named: name) else { throw .unknownVariable(name) }
        if parts.count == 2 {
          guard variable.type == .single else { throw .notNestable(name, variable.type) }
        } else {
          guard breakTypes.contains(variable.type) else { throw .notABreak(name, variable.type) }
        }
      }
    }
    for (name, mean) in spec.means.sorted(by: { $0.key < $1.key }) {
      guard let variable = codebook.variable(named: name) else { throw .unknownVariable(name) }
      if variable.type == .numeric { continue }
      guard variable.type == .single, FrequencyTableBuilder.scaleRange(of: variable) != nil else {
        throw .notAScale(name)
      }
      _ = mean
    }
    for (name, nets) in spec.nets.sorted(by: { $0.key < $1.key }) {
      guard let variable = codebook.variable(named: name) else { throw .unknownVariable(name) }
      for net in nets {
        for code in net.codes where variable.valueLabel(of: code) == nil {
          throw .unknownNetCode(variable: name, net: net.label.japanese, code: code)
        }
      }
    }
  }

  /// The banner table of one spec table.
  public func bannerTable(_ spec: BannerTableSpec.Table) throws(BannerTableError) -> BannerTable {
    let inFilter = filterMask(spec.filter)
    let banner = try makeBanner(
      spec.by, order: spec.order, hidingEmpty: spec.hideEmpty ? (inFilter ?? []) : nil)
    // The rows in stratum and PSU order, for the scores of every stub.
    let order = CrossTabulation.rowOrder(of: design)
    // The stub questions are independent: on a large export they are made side by side.
    let results = BlockResults(count: spec.rows.count)
    let make: @Sendable (Int) -> Void = { index in
      results[index] = Result { () throws(BannerTableError) in
        try self.block(
          spec.rows[index], spec: spec, banner: banner, inFilter: inFilter, order: order)
      }
    }
    if spec.rows.count > 1 && table.rowCount >= Self.parallelRows {
      DispatchQueue.concurrentPerform(iterations: spec.rows.count, execute: make)
    } else {
      for index in spec.rows.indices { make(index) }
    }
    var blocks: [BannerBlock] = []
    for index in spec.rows.indices {
      guard let result = results[index] else { continue }
      blocks.append(try result.get())
    }
    return BannerTable(
      title: spec.title, filter: spec.filterText ?? spec.filter?.description,
      columns: banner.columns,
      breaks: banner.breaks, blocks: blocks, cellFigures: spec.cells)
  }

  /// From this many rows on, the blocks of a table are made in parallel.
  static let parallelRows = 100_000

  // MARK: The banner

  /// The banner's columns and each row's membership.
  struct Banner {
    var columns: [BannerColumn]
    var breaks: [BannerBreak]
    /// For each row, the columns it belongs to, ascending (Total first), stored flat.
    var membership: CrossTabulation.Banner
    /// For each break, each row's category (0-based within the break), for a single-choice
    /// break; nil for a multi-response break.
    var categories: [[Int?]?]
  }

  /// `hidingEmpty`: leave out the combinations of a nested break nobody is in (among the rows
  /// whose flag is true; an empty list: among all rows); nil shows them all.
  func makeBanner(
    _ names: [String], order: [String: [Int]] = [:], hidingEmpty: [Bool]? = nil
  ) throws(BannerTableError) -> Banner {
    let n = table.rowCount
    var columns = [
      BannerColumn(kind: .total, label: LocalizedText(japanese: "全体", english: "Total"))
    ]
    var breaks: [BannerBreak] = []
    // Each break's columns per row, assembled into the flat membership at the end.
    var breakColumns: [BreakMembership] = []
    var categories: [[Int?]?] = []
    for item in names {
      let parts = BannerTableSpec.breakParts(item)
      if parts.count != 1 {
        try addNested(
          item, parts: parts, order: order, hidingEmpty: hidingEmpty, columns: &columns,
          breaks: &breaks, breakColumns: &breakColumns, categories: &categories)
        continue
      }
      let name = parts[0]
      guard let index = table.index(of: name) else { throw .unknownVariable(name) }
      let variable = table.variables[index]
      guard Self.breakTypes.contains(variable.type) else {
        throw .notABreak(name, variable.type)
      }
      let first = columns.count
      let breakIndex = breaks.count
      var labels: [(code: Int?, label: LocalizedText)] = []
      var categoryOf = [Int?](repeating: nil, count: n)
      var isMulti = false
      var chosen: [UInt64] = []
      switch table.columns[index] {
      case .codes(let column):
        let categories = Self.ordered(singleCategories(variable, column), by: order[name])
        labels = categories.list.map { ($0.code, $0.label) }
        for row in 0..<n where column.states[row].isValid {
          categoryOf[row] = categories.position[Int(column.codes[row])]
        }
      case .levels(let column):
        var position: [Int32: Int] = [:]
        for (level, text) in column.levels.enumerated() {
          let code = Int(text)
          position[Int32(level)] = labels.count
          let label = code.flatMap { variable.valueLabel(of: $0)?.label }
          labels.append((code, label ?? LocalizedText(japanese: text)))
        }
        for row in 0..<n where column.states[row].isValid {
          categoryOf[row] = position[column.indices[row]]
        }
      case .numbers(let column):
        let values = numericCategories(variable, column, limit: 20)
        guard let values else { throw .tooManyValues(name, distinctValues(column)) }
        labels = values.list.map { ($0.code, $0.label) }
        for row in 0..<n where column.states[row].isValid {
          categoryOf[row] = values.position[column.values[row]]
        }
      case .multi(let column):
        isMulti = true
        labels = variable.values.map { ($0.code, $0.label) }
        let limit = FrequencyTableBuilder.mask(variable.values.count)
        chosen = [UInt64](repeating: 0, count: n)
        for row in 0..<n where column.states[row].isValid {
          chosen[row] = column.choices[row] & limit
        }
      case .text:
        throw .notABreak(name, variable.type)
      }
      if isMulti {
        breakColumns.append(.multi(first: first, chosen: chosen))
      } else {
        breakColumns.append(.single(categoryOf.map { $0.map { Int32(first + $0) } ?? -1 }))
      }
      for (offset, label) in labels.enumerated() {
        columns.append(
          BannerColumn(
            kind: .category, breakIndex: breakIndex, code: label.code, label: label.label,
            letter: Self.letter(offset)))
      }
      breaks.append(
        BannerBreak(
          variable: name, type: isMulti ? .multi : variable.type == .numeric ? .numeric : .single,
          label: variable.label ?? variable.question, columns: first..<columns.count))
      categories.append(isMulti ? nil : categoryOf)
    }
    return Banner(
      columns: columns, breaks: breaks,
      membership: Self.membership(breakColumns, rows: n, columnCount: columns.count),
      categories: categories)
  }

  /// The columns of a row within one break.
  enum BreakMembership {
    /// The one column of each row (−1: none).
    case single([Int32])
    /// The options chosen on each row (bit i: column first + i).
    case multi(first: Int, chosen: [UInt64])
  }

  /// Total and each break's columns of every row, ascending, flat.
  static func membership(_ parts: [BreakMembership], rows n: Int, columnCount: Int)
    -> CrossTabulation.Banner
  {
    var offsets = [Int](repeating: 0, count: n + 1)
    var flat: [Int32] = []
    flat.reserveCapacity(n * (parts.count + 1))
    for row in 0..<n {
      flat.append(0)
      for part in parts {
        switch part {
        case .single(let column):
          if column[row] >= 0 { flat.append(column[row]) }
        case .multi(let first, let chosen):
          var bits = chosen[row]
          while bits != 0 {
            flat.append(Int32(first + bits.trailingZeroBitCount))
            bits &= bits - 1
          }
        }
      }
      offsets[row + 1] = flat.count
    }
    return CrossTabulation.Banner(columnCount: columnCount, offsets: offsets, flatColumns: flat)
  }

  /// Adds a nested break (`F1 > F2`): a column for every combination of an outer and an inner
  /// category (outer first), each respondent in the one of its two answers. Rao–Scott is not
  /// made for it (its categories stay nil).
  func addNested(
    _ item: String, parts: [String], order: [String: [Int]], hidingEmpty: [Bool]?,
    columns: inout [BannerColumn], breaks: inout [BannerBreak],
    breakColumns: inout [BreakMembership],
    categories: inout [[Int?]?]
  ) throws(BannerTableError) {
    guard parts.count == 2, !parts.contains(where: \.isEmpty) else { throw .badNesting(item) }
    let n = table.rowCount
    var lists: [Categories] = []
    var positions: [[Int?]] = []
    var variables: [Variable] = []
    for name in parts {
      guard let index = table.index(of: name) else { throw .unknownVariable(name) }
      let variable = table.variables[index]
      guard variable.type == .single, case .codes(let column) = table.columns[index] else {
        throw .notNestable(name, variable.type)
      }
      let list = Self.ordered(singleCategories(variable, column), by: order[name])
      var position = [Int?](repeating: nil, count: n)
      for row in 0..<n where column.states[row].isValid {
        position[row] = list.position[Int(column.codes[row])]
      }
      lists.append(list)
      positions.append(position)
      variables.append(variable)
    }
    let innerCount = lists[1].list.count
    let combinations = lists[0].list.count * innerCount
    var combinationOf = [Int?](repeating: nil, count: n)
    var occupied = [Bool](repeating: false, count: combinations)
    for row in 0..<n {
      guard let outer = positions[0][row], let inner = positions[1][row] else { continue }
      let combination = outer * innerCount + inner
      combinationOf[row] = combination
      if let mask = hidingEmpty, mask.isEmpty || mask[row] { occupied[combination] = true }
    }
    let first = columns.count
    let breakIndex = breaks.count
    var columnOf = [Int?](repeating: nil, count: combinations)
    var groups: [Range<Int>] = []
    for (outerOffset, outer) in lists[0].list.enumerated() {
      let start = columns.count
      var letter = 0
      for (innerOffset, inner) in lists[1].list.enumerated() {
        let combination = outerOffset * innerCount + innerOffset
        if hidingEmpty != nil && !occupied[combination] { continue }
        columnOf[combination] = columns.count
        columns.append(
          BannerColumn(
            kind: .category, breakIndex: breakIndex, code: inner.code, label: inner.label,
            letter: Self.letter(letter), outerCode: outer.code, outerLabel: outer.label))
        letter += 1
      }
      if columns.count > start { groups.append(start..<columns.count) }
    }
    var columnOfRow = [Int32](repeating: -1, count: n)
    for row in 0..<n {
      if let combination = combinationOf[row], let column = columnOf[combination] {
        columnOfRow[row] = Int32(column)
      }
    }
    breakColumns.append(.single(columnOfRow))
    breaks.append(
      BannerBreak(
        variable: parts[0], type: .single,
        label: variables[0].label ?? variables[0].question, columns: first..<columns.count,
        innerVariable: parts[1], innerLabel: variables[1].label ?? variables[1].question,
        groups: groups))
    categories.append(nil)
  }

  /// `A` … `Z`, then `AA`, `AB`, …: a column's letter within its break.
  static func letter(_ index: Int) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if index < 26 { return String(alphabet[index]) }
    return String(alphabet[index / 26 - 1]) + String(alphabet[index % 26])
  }

  // MARK: Categories

  struct Categories {
    var list: [(code: Int?, value: Double?, label: LocalizedText)]
    var position: [Int: Int]
  }

  struct NumericCategories {
    var list: [(code: Int?, value: Double, label: LocalizedText)]
    var position: [Double: Int]
  }

  /// A single question's codes in codebook order, then codes kept although not listed (a
  /// codebook that only warns on unknown codes), as `survey freq` shows them.
  func singleCategories(_ variable: Variable, _ column: CodeColumn) -> Categories {
    var list: [(code: Int?, value: Double?, label: LocalizedText)] = variable.values.map {
      ($0.code, nil, $0.label)
    }
    var position: [Int: Int] = [:]
    for (index, value) in variable.values.enumerated() { position[value.code] = index }
    var unlisted = Set<Int>()
    for row in 0..<table.rowCount where column.states[row].isValid {
      let code = Int(column.codes[row])
      if position[code] == nil { unlisted.insert(code) }
    }
    for code in unlisted.sorted() {
      position[code] = list.count
      list.append((code, nil, FrequencyTableBuilder.unlistedLabel(code)))
    }
    return Categories(list: list, position: position)
  }

  /// A numeric question's labelled values and every value observed, ascending; nil when more
  /// than `limit` values have no label.
  func numericCategories(_ variable: Variable, _ column: NumberColumn, limit: Int)
    -> NumericCategories?
  {
    var labels: [Double: LocalizedText] = [:]
    for value in variable.values { labels[Double(value.code)] = value.label }
    var observed = Set<Double>()
    for row in 0..<table.rowCount where column.states[row].isValid {
      observed.insert(column.values[row])
    }
    guard observed.subtracting(labels.keys).count <= limit else { return nil }
    let values = Array(observed.union(labels.keys)).sorted()
    var position: [Double: Int] = [:]
    for (index, value) in values.enumerated() { position[value] = index }
    return NumericCategories(
      list: values.map { value in
        (
          labels[value] != nil ? Int(value) : nil, value,
          labels[value] ?? FrequencyTableBuilder.valueLabel(value, unit: variable.unit)
        )
      }, position: position)
  }

  func distinctValues(_ column: NumberColumn) -> Int {
    var observed = Set<Double>()
    for row in 0..<table.rowCount where column.states[row].isValid {
      observed.insert(column.values[row])
    }
    return observed.count
  }

  // MARK: The filter

  /// Whether each row passes the table's filter (a filter that cannot be decided, because it
  /// reads a missing answer, does not pass); nil without a filter.
  func filterMask(_ filter: FilterExpression?) -> [Bool]? {
    guard let filter else { return nil }
    var columns: [String: Column] = [:]
    for name in filter.variables {
      if let column = table.column(named: name) { columns[name] = column }
    }
    return (0..<table.rowCount).map { row in
      filter.evaluate { name in
        switch columns[name] {
        case .codes(let column)?: return column[row].map(Double.init)
        case .numbers(let column)?: return column[row]
        case .levels(let column)?: return column[row].flatMap { Double($0) }
        default: return nil
        }
      } == true
    }
  }
}

/// The blocks of a table as they are made, possibly on several threads.
private final class BlockResults: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Result<BannerBlock, BannerTableError>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  subscript(index: Int) -> Result<BannerBlock, BannerTableError>? {
    get { lock.withLock { results[index] } }
    set { lock.withLock { results[index] = newValue } }
  }
}
