import Foundation
import Yams

/// The parts of a table spec: recodes, category order, cells, base filters, nets and means.
extension SpecLoader {
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
