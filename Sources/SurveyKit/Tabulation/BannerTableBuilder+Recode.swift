extension BannerTableSpec {
  /// A new grouping of a single-choice or numeric variable, usable in `rows` and `by` like a
  /// variable (`recodes: {AGE3: {from: F2, groups: [{label: 18～39歳, codes: [1, 2]}, …]}}`).
  ///
  /// The groups get the codes 1, 2, … in order. A respondent whose answer is a missing code of
  /// the source keeps it (無回答 stays 無回答); a valid answer in no group is outside the base,
  /// counted in the row 未記入・無効回答 (blank or invalid).
  public struct Recode: Sendable, Hashable {
    public var name: String
    /// The variable recoded (single or numeric).
    public var source: String
    public var label: LocalizedText?
    public var groups: [Net]

    public init(name: String, source: String, label: LocalizedText? = nil, groups: [Net]) {
      self.name = name
      self.source = source
      self.label = label
      self.groups = groups
    }

    /// The recode as a single-choice variable: the groups as codes 1…k, the source's missing
    /// codes, its question.
    public func variable(from source: Variable) -> Variable {
      Variable(
        name: name, type: .single, label: label ?? source.label, question: source.question,
        values: groups.enumerated().map {
          ValueLabel(code: $0.offset + 1, label: $0.element.label)
        },
        missing: source.missing)
    }
  }
}

extension BannerTableBuilder {
  /// The builder with each recode added to its table as a single-choice column, made from its
  /// source's column (one pass over the rows per recode).
  public func adding(_ recodes: [BannerTableSpec.Recode]) throws(BannerTableError)
    -> BannerTableBuilder
  {
    guard !recodes.isEmpty else { return self }
    var variables = table.variables
    var columns = table.columns
    for recode in recodes {
      guard table.index(of: recode.name) == nil else { throw .duplicateRecode(recode.name) }
      guard let index = table.index(of: recode.source) else {
        throw .unknownVariable(recode.source)
      }
      let source = table.variables[index]
      var groupOf: [Int: Int16] = [:]
      for (offset, group) in recode.groups.enumerated() {
        for code in group.codes { groupOf[code] = Int16(offset + 1) }
      }
      var column = CodeColumn()
      column.reserve(table.rowCount)
      switch table.columns[index] {
      case .codes(let codes) where source.type == .single:
        for row in 0..<table.rowCount {
          let state = codes.states[row]
          if state.isValid {
            if let group = groupOf[Int(codes.codes[row])] {
              column.append(group, .valid)
            } else {
              column.append(0, .invalid)
            }
          } else {
            column.append(0, state)
          }
        }
      case .numbers(let numbers) where source.type == .numeric:
        for row in 0..<table.rowCount {
          let state = numbers.states[row]
          if state.isValid {
            let value = numbers.values[row]
            if value == value.rounded(), abs(value) < 1e15, let group = groupOf[Int(value)] {
              column.append(group, .valid)
            } else {
              column.append(0, .invalid)
            }
          } else {
            column.append(0, state)
          }
        }
      default:
        throw .notRecodable(recode.source, source.type)
      }
      variables.append(recode.variable(from: source))
      columns.append(.codes(column))
    }
    var builder = self
    builder.table = ResponseTable(variables: variables, columns: columns, lines: table.lines)
    return builder
  }

  /// The categories of a single question in the table's `order` (codes listed first, in that
  /// order; the rest after, in codebook order).
  static func ordered(_ categories: Categories, by order: [Int]?) -> Categories {
    guard let order, !order.isEmpty else { return categories }
    var first: [(code: Int?, value: Double?, label: LocalizedText)] = []
    var rest: [(code: Int?, value: Double?, label: LocalizedText)] = []
    for code in order {
      if let item = categories.list.first(where: { $0.code == code }) { first.append(item) }
    }
    for item in categories.list where !(item.code.map(order.contains) ?? false) {
      rest.append(item)
    }
    let list = first + rest
    var position: [Int: Int] = [:]
    for (index, item) in list.enumerated() {
      if let code = item.code { position[code] = index }
    }
    return Categories(list: list, position: position)
  }
}
