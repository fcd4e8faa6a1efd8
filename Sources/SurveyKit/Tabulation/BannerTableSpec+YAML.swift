import Foundation
import Yams

extension BannerTableSpec {
  /// Reads a YAML table spec (docs/tables.md) and checks it against the codebook; every problem
  /// is reported with its line and column.
  ///
  /// - Parameter displayPath: the name used in messages (defaults to `path`).
  public init(contentsOf path: String, codebook: Codebook, displayPath: String? = nil) throws {
    let name = displayPath ?? path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FileError(path: name, reason: FileError.reason(forReading: path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw BannerTableSpecError(
        file: name, problems: [.init(line: 1, column: 1, message: "the spec is not UTF-8 text")])
    }
    try self.init(yaml: text, file: name, codebook: codebook)
  }

  /// Reads a table spec from YAML text; `file` names it in messages.
  public init(yaml: String, file: String, codebook: Codebook) throws(BannerTableSpecError) {
    var loader = SpecLoader(file: file, codebook: codebook)
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw loader.syntaxError(error)
    } catch {
      throw BannerTableSpecError(
        file: file, problems: [.init(line: 1, column: 1, message: "\(error)")])
    }
    guard let root else {
      throw BannerTableSpecError(
        file: file, problems: [.init(line: 1, column: 1, message: "the spec is empty")])
    }
    let spec = loader.spec(from: root)
    if !loader.problems.isEmpty || spec == nil {
      throw BannerTableSpecError(file: file, problems: inFileOrder(loader.problems))
    }
    self = spec!
  }
}

/// Walks the spec's YAML node tree, keeping every problem with its position.
private struct SpecLoader: YAMLNodeReading {
  let file: String
  let codebook: Codebook
  var problems: [BannerTableSpecError.Problem] = []
  /// The spec's recodes, as the variables tables see.
  var recoded: [String: Variable] = [:]

  /// A variable of the codebook, or a recode of the spec.
  func variable(named name: String) -> Variable? {
    recoded[name] ?? codebook.variable(named: name)
  }

  init(file: String, codebook: Codebook) {
    self.file = file
    self.codebook = codebook
  }

  mutating func report(_ node: Node?, _ message: String) {
    let mark = node?.mark
    problems.append(.init(line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
  }

  func syntaxError(_ error: YamlError) -> BannerTableSpecError {
    let problem = yamlSyntaxProblem(error)
    return BannerTableSpecError(
      file: file,
      problems: [.init(line: problem.line, column: problem.column, message: problem.message)])
  }

  // MARK: Generic readers

  /// A number strictly between 0 and 1 (a significance or confidence level).
  mutating func level(_ node: Node?, _ what: String) -> Double? {
    guard let value = number(node, what) else { return nil }
    guard value > 0 && value < 1 else {
      report(node, "\(what) must be between 0 and 1, not \(formatNumber(value))")
      return nil
    }
    return value
  }

  /// A list of names, or one name: `[F1, F2]`, `F1`.
  mutating func names(_ node: Node, _ what: String) -> [(String, Node)] {
    switch node {
    case .scalar(let scalar):
      return [(scalar.string, node)]
    case .sequence(let sequence):
      var result: [(String, Node)] = []
      for item in sequence {
        guard let name = string(item, what) else { continue }
        result.append((name, item))
      }
      return result
    default:
      report(node, "\(what) must be a variable name or a list of them")
      return []
    }
  }

  // MARK: The spec

  static let topKeys = ["title", "defaults", "recodes", "tables"]
  static let defaultKeys = [
    "alpha", "adjust", "test", "total_test", "column_tests", "rao_scott", "small_base",
    "suppress_below", "confidence", "ci_method",
  ]
  static let tableKeys = [
    "title", "rows", "by", "filter", "nets", "mean", "hide_empty", "cells", "order",
  ]

  mutating func spec(from root: Node) -> BannerTableSpec? {
    guard let top = mapping(root, "the spec", allowed: Self.topKeys) else { return nil }
    let title = localized(top["title"], "title")
    var options = BannerOptions()
    if let node = top["defaults"] { options = defaults(node) }
    var recodes: [BannerTableSpec.Recode] = []
    if let node = top["recodes"] { recodes = self.recodes(node) }
    guard let tableNode = top["tables"] else {
      report(root, "the spec has no \"tables\" list")
      return nil
    }
    guard case .sequence(let sequence) = tableNode else {
      report(tableNode, "tables must be a list of tables")
      return nil
    }
    guard !sequence.isEmpty else {
      report(tableNode, "the list of tables is empty")
      return nil
    }
    var tables: [BannerTableSpec.Table] = []
    for (index, node) in sequence.enumerated() {
      if let table = table(node, number: index + 1) { tables.append(table) }
    }
    return BannerTableSpec(title: title, options: options, tables: tables, recodes: recodes)
  }

  mutating func defaults(_ node: Node) -> BannerOptions {
    var options = BannerOptions()
    guard let fields = mapping(node, "defaults", allowed: Self.defaultKeys) else { return options }
    if let alpha = fields["alpha"] {
      if case .sequence(let levels) = alpha {
        let values = levels.compactMap { level($0, "defaults.alpha") }
        if levels.count < 1 || levels.count > 2 {
          report(alpha, "defaults.alpha must be one level or two ([0.01, 0.05])")
        } else if values.count == levels.count {
          options.strictAlpha = values.count == 2 ? values.min() : nil
          options.alpha = values.max()!
          if values.count == 2 && values[0] == values[1] {
            report(alpha, "defaults.alpha: the two levels must differ")
          }
        }
      } else if let value = level(alpha, "defaults.alpha") {
        options.strictAlpha = nil
        options.alpha = value
      }
    }
    if let node = fields["adjust"], let text = string(node, "defaults.adjust") {
      if let adjustment = PValueAdjustment(rawValue: text) {
        options.adjustment = adjustment
      } else {
        report(node, "defaults.adjust: \"\(text)\" is not one of none, bonferroni, bh")
      }
    }
    if let node = fields["test"], let text = string(node, "defaults.test") {
      if let method = BannerOptions.TestMethod(rawValue: text) {
        options.testMethod = method
      } else {
        report(node, "defaults.test: \"\(text)\" is not one of spss, design")
      }
    }
    if let value = boolean(fields["total_test"], "defaults.total_test") {
      options.testAgainstTotal = value
    }
    if let value = boolean(fields["column_tests"], "defaults.column_tests") {
      options.columnTests = value
    }
    if let value = boolean(fields["rao_scott"], "defaults.rao_scott") {
      options.independenceTests = value
    }
    if let node = fields["small_base"], let value = integer(node, "defaults.small_base") {
      if value < 0 {
        report(node, "defaults.small_base must not be negative")
      } else {
        options.smallBase = value
      }
    }
    if let node = fields["suppress_below"], let value = integer(node, "defaults.suppress_below") {
      if value < 0 {
        report(node, "defaults.suppress_below must not be negative")
      } else {
        options.suppressBelow = value
      }
    }
    if options.suppressBelow > options.smallBase {
      report(
        fields["suppress_below"] ?? fields["small_base"] ?? node,
        "defaults: suppress_below (\(options.suppressBelow)) must not be above small_base "
          + "(\(options.smallBase))")
    }
    if let value = level(fields["confidence"], "defaults.confidence") {
      options.confidenceLevel = value
    }
    if let node = fields["ci_method"], let text = string(node, "defaults.ci_method") {
      if let method = ProportionIntervalMethod(rawValue: text) {
        options.intervalMethod = method
      } else {
        report(
          node, "defaults.ci_method: \"\(text)\" is not one of wald, logit, beta, wilson, asin")
      }
    }
    return options
  }

  mutating func table(_ node: Node, number: Int) -> BannerTableSpec.Table? {
    let what = "table \(number)"
    guard let fields = mapping(node, what, allowed: Self.tableKeys) else { return nil }
    let before = problems.count
    let title = localized(fields["title"], "\(what): title")
    guard let rowsNode = fields["rows"] else {
      report(node, "\(what) needs \"rows\" (the questions to tabulate)")
      return nil
    }
    var rows: [String] = []
    for (name, item) in names(rowsNode, "\(what): rows") {
      guard let variable = variable(named: name) else {
        report(item, "\(what): rows: \(name) is not a variable of the codebook")
        continue
      }
      guard BannerTableBuilder.stubTypes.contains(variable.type) else {
        report(item, "\(what): rows: \(BannerTableError.notAStub(name, variable.type))")
        continue
      }
      if rows.contains(name) {
        report(item, "\(what): rows: \(name) is listed twice")
        continue
      }
      rows.append(name)
    }
    if case .sequence(let sequence) = rowsNode, sequence.isEmpty {
      report(rowsNode, "\(what): the list of rows is empty")
    }
    var by: [String] = []
    if let byNode = fields["by"] {
      for (written, item) in names(byNode, "\(what): by") {
        let parts = BannerTableSpec.breakParts(written)
        if parts.count != 1 {
          guard parts.count == 2, !parts.contains(where: \.isEmpty) else {
            report(item, "\(what): by: \(BannerTableError.badNesting(written))")
            continue
          }
          var nestable = true
          for name in parts {
            guard let variable = variable(named: name) else {
              report(item, "\(what): by: \(name) is not a variable of the codebook")
              nestable = false
              break
            }
            guard variable.type == .single else {
              report(item, "\(what): by: \(BannerTableError.notNestable(name, variable.type))")
              nestable = false
              break
            }
          }
          guard nestable else { continue }
          if parts[0] == parts[1] {
            report(item, "\(what): by: \(parts[0]) cannot be nested in itself")
            continue
          }
          let name = BannerTableSpec.normalizedBreak(written)
          if by.contains(name) {
            report(item, "\(what): by: \(name) is listed twice")
            continue
          }
          by.append(name)
          continue
        }
        let name = parts[0]
        guard let variable = variable(named: name) else {
          report(item, "\(what): by: \(name) is not a variable of the codebook")
          continue
        }
        guard BannerTableBuilder.breakTypes.contains(variable.type) else {
          report(item, "\(what): by: \(BannerTableError.notABreak(name, variable.type))")
          continue
        }
        if by.contains(name) {
          report(item, "\(what): by: \(name) is listed twice")
          continue
        }
        by.append(name)
      }
    }
    let filter = fields["filter"].flatMap { filterExpression($0, what: what) }
    var nets: [String: [BannerTableSpec.Net]] = [:]
    if let netsNode = fields["nets"] { nets = self.nets(netsNode, rows: rows, what: what) }
    var means: [String: BannerTableSpec.MeanRow] = [:]
    if let meanNode = fields["mean"] { means = self.means(meanNode, rows: rows, what: what) }
    let hideEmpty = boolean(fields["hide_empty"], "\(what): hide_empty") ?? false
    var order: [String: [Int]] = [:]
    if let orderNode = fields["order"] {
      order = self.order(orderNode, rows: rows, by: by, what: what)
    }
    var cells: [BannerTableSpec.CellFigure] = [.column]
    if let cellsNode = fields["cells"] { cells = self.cells(cellsNode, what: what) }
    guard problems.count == before else { return nil }
    return BannerTableSpec.Table(
      title: title, rows: rows, by: by, filter: filter,
      filterText: filter == nil ? nil : fields["filter"]?.string, nets: nets, means: means,
      hideEmpty: hideEmpty, cells: cells, order: order)
  }

  /// `recodes: {AGE3: {from: F2, label: …, groups: [{label: …, codes: [1, 2]}, …]}}`.
  mutating func recodes(_ node: Node) -> [BannerTableSpec.Recode] {
    guard case .mapping(let pairs) = node else {
      report(node, "recodes must map each new name to its recode")
      return []
    }
    var result: [BannerTableSpec.Recode] = []
    for (key, value) in pairs {
      let name = key.string ?? ""
      let what = "recodes: \(name)"
      if codebook.variable(named: name) != nil {
        report(key, "\(what): \(name) is already a variable of the codebook; choose another name")
        continue
      }
      if recoded[name] != nil {
        report(key, "\(what): the name is used by another recode")
        continue
      }
      guard let fields = mapping(value, what, allowed: ["from", "label", "groups"]) else {
        continue
      }
      guard let fromNode = fields["from"] else {
        report(value, "\(what) needs \"from\" (the variable recoded)")
        continue
      }
      guard let from = string(fromNode, "\(what): from") else { continue }
      guard let source = codebook.variable(named: from) else {
        report(fromNode, "\(what): from: \(from) is not a variable of the codebook")
        continue
      }
      guard source.type == .single || source.type == .numeric else {
        report(
          fromNode, "\(what): from: \(BannerTableError.notRecodable(from, source.type))")
        continue
      }
      let label = localized(fields["label"], "\(what): label")
      guard let groupsNode = fields["groups"] else {
        report(value, "\(what) needs \"groups\" (a list of labels with their codes)")
        continue
      }
      guard case .sequence(let items) = groupsNode, !items.isEmpty else {
        report(groupsNode, "\(what): groups must be a non-empty list of {label, codes}")
        continue
      }
      var groups: [BannerTableSpec.Net] = []
      var seen: [Int: String] = [:]
      var usable = true
      for item in items {
        guard let group = mapping(item, "\(what): groups", allowed: ["label", "codes"]) else {
          usable = false
          continue
        }
        guard let groupLabel = localized(group["label"], "\(what): groups: label") else {
          report(item, "\(what): a group needs a label")
          usable = false
          continue
        }
        guard let codesNode = group["codes"] else {
          report(item, "\(what): \(groupLabel.japanese) needs its codes")
          usable = false
          continue
        }
        guard
          let net = net(
            groupLabel, codes: codesNode, variable: source,
            what: "\(what): \(groupLabel.japanese)")
        else {
          usable = false
          continue
        }
        for (code, codeNode) in zip(net.codes, codeNodes(codesNode)) {
          if let other = seen[code] {
            report(codeNode, "\(what): \(groupLabel.japanese): code \(code) is already in \(other)")
            usable = false
          }
          seen[code] = groupLabel.japanese
        }
        groups.append(net)
      }
      guard usable else { continue }
      let recode = BannerTableSpec.Recode(name: name, source: from, label: label, groups: groups)
      recoded[name] = recode.variable(from: source)
      result.append(recode)
    }
    return result
  }

  func codeNodes(_ node: Node) -> [Node] {
    if case .sequence(let sequence) = node { return Array(sequence) }
    return [node]
  }

  /// `order: {Q5: [5, 4, 3, 2, 1]}`: a single question of the rows or the banner.
  mutating func order(_ node: Node, rows: [String], by: [String], what: String) -> [String: [Int]] {
    guard case .mapping(let pairs) = node else {
      report(node, "\(what): order must map each variable to its codes in order")
      return [:]
    }
    var result: [String: [Int]] = [:]
    for (key, value) in pairs {
      let name = key.string ?? ""
      guard let variable = variable(named: name) else {
        report(key, "\(what): order: \(name) is not a variable of the codebook")
        continue
      }
      let breakNames = Set(by.flatMap(BannerTableSpec.breakParts))
      guard rows.contains(name) || breakNames.contains(name) else {
        report(key, "\(what): order: \(name) is not one of the table's rows or breaks")
        continue
      }
      guard variable.type == .single else {
        report(
          key,
          "\(what): order: \(name) is a \(variable.type.rawValue) variable; only the categories "
            + "of a single-choice question can be reordered")
        continue
      }
      if let net = net(
        LocalizedText(japanese: name), codes: value, variable: variable,
        what: "\(what): order: \(name)")
      {
        result[name] = net.codes
      }
    }
    return result
  }

  /// `cells: [column, row, total, n]`: column first, each figure once.
  mutating func cells(_ node: Node, what: String) -> [BannerTableSpec.CellFigure] {
    var result: [BannerTableSpec.CellFigure] = []
    for (name, item) in names(node, "\(what): cells") {
      guard let figure = BannerTableSpec.CellFigure(rawValue: name.lowercased()) else {
        report(item, "\(what): cells: \"\(name)\" is not one of column, row, total, n")
        continue
      }
      if result.contains(figure) {
        report(item, "\(what): cells: \(name) is listed twice")
        continue
      }
      result.append(figure)
    }
    if !result.isEmpty && result.first != .column {
      report(node, "\(what): cells must start with column (the column percentage is always shown)")
    }
    if case .sequence(let sequence) = node, sequence.isEmpty {
      report(node, "\(what): the list of cells is empty")
    }
    return result.isEmpty ? [.column] : result
  }

  mutating func filterExpression(_ node: Node, what: String) -> FilterExpression? {
    guard let text = string(node, "\(what): filter") else { return nil }
    let expression: FilterExpression
    do {
      expression = try FilterExpression(parsing: text)
    } catch {
      let mark = node.mark
      let plain = node.scalar?.style == .plain
      problems.append(
        .init(
          line: mark?.line ?? 1, column: (mark?.column ?? 1) + (plain ? error.offset : 0),
          message: "\(what): the filter \"\(text)\" cannot be read: \(error.message)"))
      return nil
    }
    var usable = true
    for name in Set(expression.variables).sorted() {
      guard let variable = codebook.variable(named: name) else {
        report(node, "\(what): the filter refers to \"\(name)\", which is not a variable")
        usable = false
        continue
      }
      if ![.single, .numeric, .stratum].contains(variable.type) {
        report(
          node,
          "\(what): the filter refers to \(name), a \(variable.type.rawValue) variable; "
            + "filters compare single-choice and numeric answers")
        usable = false
      }
    }
    return usable ? expression : nil
  }

  /// `{Q5: {住みやすい計: [1, 2]}}` or `{Q5: [{label: {ja: 住みやすい計, en: Good}, codes: [1, 2]}]}`.
  mutating func nets(_ node: Node, rows: [String], what: String) -> [String: [BannerTableSpec.Net]]
  {
    guard case .mapping(let variables) = node else {
      report(node, "\(what): nets must map each row variable to its nets")
      return [:]
    }
    var result: [String: [BannerTableSpec.Net]] = [:]
    for (key, value) in variables {
      let name = key.string ?? ""
      guard let variable = variable(named: name) else {
        report(key, "\(what): nets: \(name) is not a variable of the codebook")
        continue
      }
      guard rows.contains(name) else {
        report(key, "\(what): nets: \(name) is not one of the table's rows")
        continue
      }
      var nets: [BannerTableSpec.Net] = []
      switch value {
      case .mapping(let pairs):
        for (label, codes) in pairs {
          let text = label.string ?? ""
          if let net = net(
            LocalizedText(japanese: text), codes: codes, variable: variable,
            what: "\(what): nets: \(name): \(text)")
          {
            nets.append(net)
          }
        }
      case .sequence(let items):
        for item in items {
          guard
            let fields = mapping(item, "\(what): nets: \(name)", allowed: ["label", "codes"])
          else { continue }
          guard let label = localized(fields["label"], "\(what): nets: \(name): label") else {
            report(item, "\(what): nets: \(name): a net needs a label")
            continue
          }
          guard let codes = fields["codes"] else {
            report(item, "\(what): nets: \(name): \(label.japanese) needs its codes")
            continue
          }
          if let net = net(
            label, codes: codes, variable: variable,
            what: "\(what): nets: \(name): \(label.japanese)")
          {
            nets.append(net)
          }
        }
      default:
        report(value, "\(what): nets: \(name) must map each net's label to its codes")
      }
      result[name] = nets
    }
    return result
  }

  mutating func net(_ label: LocalizedText, codes node: Node, variable: Variable, what: String)
    -> BannerTableSpec.Net?
  {
    var items: [Node]
    switch node {
    case .sequence(let sequence): items = Array(sequence)
    case .scalar: items = [node]
    default:
      report(node, "\(what) must be a list of codes")
      return nil
    }
    guard !items.isEmpty else {
      report(node, "\(what): the list of codes is empty")
      return nil
    }
    var codes: [Int] = []
    for item in items {
      guard let code = integer(item, what) else { continue }
      let known =
        variable.type == .numeric
        ? variable.range.map { $0.contains(Double(code)) } ?? true
        : variable.valueLabel(of: code) != nil
      guard known else {
        report(
          item,
          "\(what): \(code) is not a code of \(variable.name) (\(variable.codeSummary))")
        continue
      }
      if codes.contains(code) {
        report(item, "\(what): code \(code) is listed twice")
        continue
      }
      codes.append(code)
    }
    return codes.count == items.count ? BannerTableSpec.Net(label: label, codes: codes) : nil
  }

  /// `mean: true`, `mean: reversed` (every single scale of the rows) or
  /// `mean: {Q5: reversed, Q6: true}`.
  mutating func means(_ node: Node, rows: [String], what: String)
    -> [String: BannerTableSpec.MeanRow]
  {
    func kind(_ node: Node, _ what: String) -> BannerTableSpec.MeanRow?? {
      let text = (node.string ?? "").lowercased()
      switch text {
      case "true", "yes", "on", "codes": return .some(.codes)
      case "reversed", "reverse": return .some(.reversed)
      case "false", "no", "off": return .some(nil)
      default:
        report(node, "\(what) must be true, reversed or false, not \"\(node.string ?? "")\"")
        return nil
      }
    }
    var result: [String: BannerTableSpec.MeanRow] = [:]
    switch node {
    case .scalar:
      guard let chosen = kind(node, "\(what): mean"), let mean = chosen else { return [:] }
      var any = false
      for name in rows {
        guard let variable = variable(named: name) else { continue }
        if variable.type == .numeric { any = true }
        if variable.type == .single, FrequencyTableBuilder.scaleRange(of: variable) != nil {
          result[name] = mean
          any = true
        }
      }
      if !any {
        report(
          node,
          "\(what): mean: none of the rows has a mean (only single questions whose codes are "
            + "consecutive whole numbers, and numeric questions, do)")
      }
    case .mapping(let pairs):
      for (key, value) in pairs {
        let name = key.string ?? ""
        guard let variable = variable(named: name) else {
          report(key, "\(what): mean: \(name) is not a variable of the codebook")
          continue
        }
        guard rows.contains(name) else {
          report(key, "\(what): mean: \(name) is not one of the table's rows")
          continue
        }
        guard let chosen = kind(value, "\(what): mean: \(name)") else { continue }
        if variable.type == .numeric {
          if chosen == .reversed {
            report(value, "\(what): mean: \(name) is numeric; only a rating scale can be reversed")
          }
          continue
        }
        guard variable.type == .single, FrequencyTableBuilder.scaleRange(of: variable) != nil
        else {
          report(key, "\(what): mean: \(BannerTableError.notAScale(name))")
          continue
        }
        if let chosen { result[name] = chosen }
      }
    default:
      report(node, "\(what): mean must be true, reversed, false, or a mapping of rows to them")
    }
    return result
  }
}
