import Foundation
import Yams

extension WeightingTargets {
  /// Reads a YAML targets file (docs/weighting.md); every problem is reported with its line and
  /// column. The variables and codes are checked against a codebook by `check(against:)`.
  ///
  /// - Parameter displayPath: the name used in messages (defaults to `path`).
  public init(contentsOf path: String, displayPath: String? = nil) throws {
    let name = displayPath ?? path
    try self.init(yaml: try Self.text(ofFile: path, name: name), file: name)
  }

  /// Reads targets from YAML text; `file` names it in messages.
  public init(yaml: String, file: String) throws(WeightingTargetsError) {
    let root: Node
    switch composeYAML(yaml, what: "targets file") {
    case .success(let node): root = node
    case .failure(let problem):
      throw WeightingTargetsError(
        file: file,
        problems: [.init(line: problem.line, column: problem.column, message: problem.message)])
    }
    var loader = TargetsLoader(file: file)
    let targets = loader.targets(from: root)
    guard loader.problems.isEmpty, let targets else {
      throw WeightingTargetsError(file: file, problems: inFileOrder(loader.problems))
    }
    self = targets
  }

  /// The text of a targets file, which must be UTF-8.
  static func text(ofFile path: String, name: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FileError(path: name, reason: FileError.reason(forReading: path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw WeightingTargetsError(
        file: name,
        problems: [
          .init(
            line: 1, column: 1,
            message: "the targets file is not UTF-8 text; save it as UTF-8 (in Excel: CSV UTF-8)")
        ])
    }
    return text
  }
}

/// Walks the targets file's YAML node tree, keeping every problem with its position.
private struct TargetsLoader: YAMLNodeReading {
  typealias Targets = WeightingTargets

  let file: String
  var problems: [WeightingTargetsError.Problem] = []
  /// The first `shares` key, where a missing population is reported.
  var firstShares: (key: Node, what: String)?

  init(file: String) { self.file = file }

  mutating func report(_ node: Node?, _ message: String) {
    let mark = node?.mark
    problems.append(.init(line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
  }

  static let topKeys = [
    "population", "method", "tolerance", "rake", "bounds", "trim", "margins", "cells",
  ]
  static let rakeKeys = ["max-iterations", "epsilon"]
  static let trimKeys = ["lower", "upper", "relative-to", "strict"]
  static let marginKeys = ["variable", "missing", "counts", "shares"]
  static let cellsKeys = ["variables", "missing", "counts", "shares"]

  /// The key node of `name` in a mapping, for problems located at a key.
  func key(_ name: String, in node: Node) -> Node? {
    guard case .mapping(let pairs) = node else { return nil }
    return pairs.first { $0.key.string == name }?.key
  }

  // MARK: The file

  mutating func targets(from root: Node) -> Targets? {
    guard let top = mapping(root, "the targets file", allowed: Self.topKeys) else { return nil }
    var targets = Targets(file: file)
    if let node = top["population"] { targets.population = population(node) }
    if let node = top["method"], let text = string(node, "method") {
      if let method = Targets.Method(rawValue: text) {
        targets.method = method
      } else {
        report(
          node,
          "method: \"\(text)\" is not one of "
            + Targets.Method.allCases.map(\.rawValue).joined(separator: ", "))
      }
    }
    if let node = top["tolerance"], let value = number(node, "tolerance") {
      if value > 0 && value < 1 {
        targets.tolerance = value
      } else {
        report(node, "tolerance must be between 0 and 1, not \(Targets.numberText(value))")
      }
    }
    if let node = top["rake"] { rake(node, into: &targets) }
    if let node = top["bounds"] { targets.bounds = bounds(node) }
    if let node = top["trim"] { targets.trim = trim(node) }
    if let node = top["margins"] { targets.margins = margins(node) }
    if let node = top["cells"] { targets.cells = cells(node) }

    if top["margins"] != nil, top["cells"] != nil {
      report(
        key("cells", in: root),
        "cells cannot be used together with margins; give one or the other")
    } else if top["margins"] == nil, top["cells"] == nil {
      report(root, "the targets file needs \"margins\" (a list of margins) or \"cells\"")
    }
    if targets.population == nil, top["population"] == nil, let (key, what) = firstShares {
      report(key, "\(what): shares need the population total; add \"population:\" to the file")
    }
    if let method = targets.method, let node = top["method"] {
      if top["cells"] != nil, method != .postStratify {
        report(
          node,
          "method: \(method.rawValue) cannot use cells; cells are for method poststratify")
      }
      if method == .postStratify, targets.margins.count > 1 {
        report(
          node,
          "method: poststratify takes one margin, not \(targets.margins.count); use cells to "
            + "post-stratify on several variables, or rake")
      }
    }
    return targets
  }

  mutating func population(_ node: Node) -> Double? {
    guard let text = string(node, "population") else { return nil }
    switch Targets.amount(text, share: false) {
    case .success(let amount):
      guard case .count(let value) = amount, value > 0 else {
        report(node, "population must be a positive number, not \(text)")
        return nil
      }
      return value
    case .failure(.notFinite):
      report(node, "population must be a finite number, not \"\(text)\"")
    case .failure(.negative):
      report(node, "population must be a positive number, not \(text)")
    case .failure:
      report(node, "population must be a number, not \"\(text)\"")
    }
    return nil
  }

  /// `rake: {max-iterations: 100, epsilon: 1e-10}`.
  mutating func rake(_ node: Node, into targets: inout Targets) {
    guard let fields = mapping(node, "rake", allowed: Self.rakeKeys) else { return }
    if let node = fields["max-iterations"],
      let value = integer(node, "rake.max-iterations")
    {
      if value >= 1 {
        targets.maxIterations = value
      } else {
        report(node, "rake.max-iterations must be at least 1, not \(value)")
      }
    }
    if let node = fields["epsilon"], let value = number(node, "rake.epsilon") {
      if value > 0 {
        targets.epsilon = value
      } else {
        report(node, "rake.epsilon must be positive, not \(Targets.numberText(value))")
      }
    }
  }

  /// `bounds: [0.5, 2]`.
  mutating func bounds(_ node: Node) -> ClosedRange<Double>? {
    guard case .sequence(let items) = node, items.count == 2 else {
      report(node, "bounds must be two numbers [low, high], such as [0.5, 2]")
      return nil
    }
    guard let low = number(items[0], "bounds: low"), let high = number(items[1], "bounds: high")
    else { return nil }
    guard 0 <= low, low < 1, 1 < high else {
      report(
        node,
        "bounds [\(Targets.numberText(low)), \(Targets.numberText(high))] must have "
          + "0 ≤ low < 1 < high (g = 1 keeps the design weight)")
      return nil
    }
    return low...high
  }

  /// `trim: {lower: 0.3, upper: 3, relative-to: mean, strict: true}`.
  mutating func trim(_ node: Node) -> Targets.Trim? {
    guard let fields = mapping(node, "trim", allowed: Self.trimKeys) else { return nil }
    let before = problems.count
    var trim = Targets.Trim()
    for (name, path) in [("lower", \Targets.Trim.lower), ("upper", \Targets.Trim.upper)] {
      guard let node = fields[name], let value = number(node, "trim.\(name)") else { continue }
      if value < 0 {
        report(node, "trim.\(name) must not be negative, not \(Targets.numberText(value))")
      } else {
        trim[keyPath: path] = value
      }
    }
    if let node = fields["relative-to"], let text = string(node, "trim.relative-to") {
      switch text {
      case "mean": trim.relativeToMean = true
      case "weight": trim.relativeToMean = false
      default: report(node, "trim.relative-to: \"\(text)\" is not one of mean, weight")
      }
    }
    trim.strict = boolean(fields["strict"], "trim.strict") ?? false
    if fields["lower"] == nil, fields["upper"] == nil {
      report(node, "trim needs lower, upper or both")
    }
    if let lower = trim.lower, let upper = trim.upper, lower >= upper {
      report(
        fields["lower"],
        "trim: lower (\(Targets.numberText(lower))) must be below upper "
          + "(\(Targets.numberText(upper)))")
    }
    return problems.count == before ? trim : nil
  }

  mutating func policy(_ node: Node?, _ what: String) -> Targets.MissingPolicy {
    guard let node, let text = string(node, "\(what): missing") else { return .error }
    guard let policy = Targets.MissingPolicy(rawValue: text) else {
      report(
        node,
        "\(what): missing: \"\(text)\" is not one of "
          + Targets.MissingPolicy.allCases.map(\.rawValue).joined(separator: ", "))
      return .error
    }
    return policy
  }

  // MARK: Margins

  mutating func margins(_ node: Node) -> [Targets.Margin] {
    guard let items = sequence(node, "margins") else { return [] }
    if items.isEmpty { report(node, "the list of margins is empty") }
    var margins: [Targets.Margin] = []
    var lines: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      // A variable in two margins is found even when either margin has other problems.
      if let variable = variableNode(of: item), let name = variable.string, !name.isEmpty {
        let line = variable.mark?.line ?? 1
        if let first = lines[name] {
          report(variable, "margin \(name): \(name) has two margins, on lines \(first) and \(line)")
          _ = margin(item, number: index + 1)
          continue
        }
        lines[name] = line
      }
      if let margin = margin(item, number: index + 1) { margins.append(margin) }
    }
    return margins
  }

  /// The value of a margin's `variable` key, if it is a scalar.
  func variableNode(of node: Node) -> Node? {
    guard case .mapping(let pairs) = node,
      let value = pairs.first(where: { $0.key.string == "variable" })?.value,
      case .scalar = value
    else { return nil }
    return value
  }

  mutating func margin(_ node: Node, number: Int) -> Targets.Margin? {
    var what = "margin \(number)"
    if let name = variableNode(of: node)?.string, !name.isEmpty { what = "margin \(name)" }
    guard let fields = mapping(node, what, allowed: Self.marginKeys) else { return nil }
    let before = problems.count
    var variable: String?
    if let variableNode = fields["variable"] {
      variable = string(variableNode, "\(what): variable")
      if variable?.isEmpty == true {
        report(variableNode, "\(what): the variable's name is empty")
      }
    } else {
      report(node, "\(what) needs \"variable\" (the weighting variable)")
    }
    let missing = policy(fields["missing"], what)
    let targets = amounts(in: node, fields: fields, what: what)
    guard problems.count == before, let variable, let mark = fields["variable"]?.mark else {
      return nil
    }
    return Targets.Margin(
      variable: variable, line: mark.line, missing: missing, targets: targets,
      column: mark.column)
  }

  /// The `counts` or `shares` of a margin, with the problems of having both or neither.
  mutating func amounts(in node: Node, fields: [String: Node], what: String) -> [Targets.Target] {
    let counts = key("counts", in: node)
    let shares = key("shares", in: node)
    switch (counts, shares) {
    case (nil, nil):
      report(node, "\(what) needs \"counts\" or \"shares\" (the population targets)")
      return []
    case (let counts?, let shares?):
      let later =
        (shares.mark?.line ?? 0, shares.mark?.column ?? 0)
        > (counts.mark?.line ?? 0, counts.mark?.column ?? 0)
      report(later ? shares : counts, "\(what) has both counts and shares; give one of them")
      return []
    case (let counts?, nil):
      return targets(fields["counts"]!, key: counts, share: false, what: what)
    case (nil, let shares?):
      return targets(fields["shares"]!, key: shares, share: true, what: what)
    }
  }

  /// `{1: 69600, 2: 75400}` or `{1: 0.48, 2: 52%}`.
  mutating func targets(_ node: Node, key: Node, share: Bool, what: String) -> [Targets.Target] {
    let name = share ? "shares" : "counts"
    let example = share ? "{1: 0.48, 2: 0.52}" : "{1: 69600, 2: 75400}"
    guard case .mapping(let pairs) = node else {
      report(node, "\(what): \(name) must map each code to its amount, such as \(example)")
      return []
    }
    if share, firstShares == nil { firstShares = (key, what) }
    guard pairs.count > 0 else {
      report(node, "\(what): \(name) lists no codes")
      return []
    }
    let before = problems.count
    var targets: [Targets.Target] = []
    var lines: [Int: Int] = [:]
    var previous: Node?
    for (codeNode, amountNode) in pairs {
      defer { previous = amountNode }
      let codeText = codeNode.string ?? ""
      guard case .scalar = codeNode, let code = Int(codeText.trimmingCharacters(in: .whitespaces))
      else {
        report(codeNode, "\(what): code \"\(codeText)\" is not a whole number")
        continue
      }
      let line = codeNode.mark?.line ?? 1
      if let first = lines[code] {
        report(
          codeNode, "\(what): " + Targets.listedTwice("code \(code)", first: first, second: line))
        continue
      }
      lines[code] = line
      guard
        let amount = amount(
          amountNode, subject: "code \(code)", share: share, what: what,
          emptyAt: (codeNode, isFlow(node) ? splitNumber(previous, codeNode) : nil))
      else { continue }
      targets.append(
        Targets.Target(code: code, amount: amount, line: line, column: codeNode.mark?.column ?? 1))
    }
    if share, problems.count == before,
      let problem = Targets.sharesSumProblem(targets.map(\.amount))
    {
      report(key, "\(what): \(problem)")
    }
    return targets
  }

  /// Whether a mapping is written `{…}`: its start is not its first key.
  func isFlow(_ node: Node) -> Bool {
    guard case .mapping(let pairs) = node, let first = pairs.first?.key.mark,
      let start = node.mark
    else { return false }
    return (start.line, start.column) != (first.line, first.column)
  }

  /// The number that `{1: 69,600}` splits into the amount 69 and the code 600 without one:
  /// `69,600`, or nil when the two do not look like one number with thousands commas.
  func splitNumber(_ amount: Node?, _ code: Node) -> String? {
    guard let before = amount?.string, let after = code.string else { return nil }
    let text = "\(before),\(after)"
    return Targets.number(text) == nil ? nil : text
  }

  /// One amount. A missing amount is reported at `emptyAt`'s code, with the hint to quote the
  /// number with thousands commas that a `{…}` mapping split into another code.
  mutating func amount(
    _ node: Node, subject: String, share: Bool, what: String,
    emptyAt: (code: Node, split: String?)? = nil
  ) -> Targets.Amount? {
    let kind = share ? "share" : "count"
    guard case .scalar(let scalar) = node else {
      report(node, "\(what): the \(kind) of \(subject) must be a number")
      return nil
    }
    switch Targets.amount(scalar.string, share: share) {
    case .success(let amount): return amount
    case .failure(let problem):
      var message = Targets.describe(problem, text: scalar.string, subject: subject, share: share)
      guard problem == .empty, let (code, split) = emptyAt else {
        report(node, "\(what): \(message)")
        return nil
      }
      if let split {
        message += "; in {…} write a number with thousands commas in quotes (\"\(split)\")"
      }
      report(code, "\(what): \(message)")
      return nil
    }
  }

  // MARK: Cells

  /// `cells: {variables: [F1, F2], counts: [[1, 1, 9744], …]}`.
  mutating func cells(_ node: Node) -> Targets.Cells? {
    let what = "cells"
    guard let fields = mapping(node, what, allowed: Self.cellsKeys) else { return nil }
    let before = problems.count
    var variables: [String]?
    if let variablesNode = fields["variables"] {
      variables = cellVariables(variablesNode)
    } else {
      report(node, "cells needs \"variables\" (the variables crossed, such as [F1, F2])")
    }
    let missing = policy(fields["missing"], what)
    var rows: [Targets.Cell] = []
    switch (key("counts", in: node), key("shares", in: node)) {
    case (nil, nil):
      report(node, "cells needs \"counts\" or \"shares\" (one row per cell)")
    case (let counts?, let shares?):
      let later =
        (shares.mark?.line ?? 0, shares.mark?.column ?? 0)
        > (counts.mark?.line ?? 0, counts.mark?.column ?? 0)
      report(later ? shares : counts, "cells has both counts and shares; give one of them")
    case (let counts?, nil):
      rows = cellRows(fields["counts"]!, key: counts, share: false, variables: variables)
    case (nil, let shares?):
      rows = cellRows(fields["shares"]!, key: shares, share: true, variables: variables)
    }
    guard problems.count == before, let variables, let mark = fields["variables"]?.mark else {
      return nil
    }
    return Targets.Cells(
      variables: variables, line: mark.line, missing: missing, cells: rows, column: mark.column)
  }

  mutating func cellVariables(_ node: Node) -> [String]? {
    guard case .sequence(let items) = node else {
      report(node, "cells: variables must be a list of variable names, such as [F1, F2]")
      return nil
    }
    guard !items.isEmpty else {
      report(node, "cells: the list of variables is empty")
      return nil
    }
    var names: [String] = []
    var usable = true
    for item in items {
      guard let name = string(item, "cells: variables"), !name.isEmpty else {
        usable = false
        continue
      }
      if names.contains(name) {
        report(item, "cells: variables: \(name) is listed twice")
        usable = false
        continue
      }
      names.append(name)
    }
    return usable ? names : nil
  }

  /// `[[1, 1, 9744], [1, 2, 9744]]`: a code for each variable, then the amount.
  mutating func cellRows(_ node: Node, key: Node, share: Bool, variables: [String]?)
    -> [Targets.Cell]
  {
    let name = share ? "shares" : "counts"
    let kind = share ? "share" : "count"
    guard case .sequence(let items) = node else {
      report(
        node, "cells: \(name) must be a list of rows, each a code per variable then the \(kind)")
      return []
    }
    if share, firstShares == nil { firstShares = (key, "cells") }
    guard !items.isEmpty else {
      report(node, "cells: the list of \(name) is empty")
      return []
    }
    let before = problems.count
    var cells: [Targets.Cell] = []
    var lines: [[Int]: Int] = [:]
    for item in items {
      guard case .sequence(let values) = item else {
        report(
          item, "cells: each row must be a list of codes then the \(kind), such as [1, 1, 9744]")
        continue
      }
      let texts = values.map { $0.string ?? "…" }
      let row = "[\(texts.joined(separator: ", "))]"
      if let variables, values.count != variables.count + 1 {
        report(
          item,
          "cells: the row \(row) has \(values.count) values, not \(variables.count + 1) (a code "
            + "for each of \(variables.joined(separator: ", ")), then the \(kind))")
        continue
      }
      guard values.count >= 2 else {
        report(item, "cells: the row \(row) needs codes and the \(kind)")
        continue
      }
      var codes: [Int] = []
      for codeNode in values.dropLast() {
        let text = codeNode.string ?? ""
        guard case .scalar = codeNode, let code = Int(text.trimmingCharacters(in: .whitespaces))
        else {
          report(codeNode, "cells: code \"\(text)\" is not a whole number")
          continue
        }
        codes.append(code)
      }
      guard codes.count == values.count - 1 else { continue }
      let line = item.mark?.line ?? 1
      let subject = "the cell (\(codes.map(String.init).joined(separator: ", ")))"
      if let first = lines[codes] {
        report(item, "cells: " + Targets.listedTwice(subject, first: first, second: line))
        continue
      }
      lines[codes] = line
      guard
        let amount = amount(
          values[values.count - 1], subject: subject, share: share, what: "cells")
      else { continue }
      cells.append(
        Targets.Cell(codes: codes, amount: amount, line: line, column: item.mark?.column ?? 1))
    }
    if share, problems.count == before,
      let problem = Targets.sharesSumProblem(cells.map(\.amount))
    {
      report(key, "cells: \(problem)")
    }
    return cells
  }
}
