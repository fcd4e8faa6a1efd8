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
    let root: Node
    switch composeYAML(yaml, what: "spec") {
    case .success(let node): root = node
    case .failure(let problem):
      throw BannerTableSpecError(
        file: file,
        problems: [.init(line: problem.line, column: problem.column, message: problem.message)])
    }
    let spec = loader.spec(from: root)
    if !loader.problems.isEmpty || spec == nil {
      throw BannerTableSpecError(file: file, problems: inFileOrder(loader.problems))
    }
    self = spec!
  }
}

/// Walks the spec's YAML node tree, keeping every problem with its position. The parts of a
/// table (recodes, order, cells, filters, nets, means) are read in BannerTableSpec+YAMLParts.swift.
struct SpecLoader: YAMLNodeReading {
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

}
