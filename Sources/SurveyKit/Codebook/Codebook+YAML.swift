import Foundation
import Yams

extension Codebook {
  /// Reads and checks a YAML codebook; every problem is reported with its line and column.
  ///
  /// - Parameter displayPath: the name used in messages (defaults to `path`).
  public init(contentsOf path: String, displayPath: String? = nil) throws {
    let name = displayPath ?? path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FileError(path: name, reason: FileError.reason(forReading: path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CodebookError(
        file: name,
        problems: [.init(line: 1, column: 1, message: "the codebook is not UTF-8 text")])
    }
    try self.init(yaml: text, file: name)
  }

  /// Reads and checks a codebook from YAML text; `file` names it in messages.
  public init(yaml: String, file: String) throws(CodebookError) {
    var loader = CodebookLoader(file: file)
    let root: Node
    switch composeYAML(yaml, what: "codebook") {
    case .success(let node): root = node
    case .failure(let problem):
      throw CodebookError(
        file: file,
        problems: [.init(line: problem.line, column: problem.column, message: problem.message)])
    }
    let codebook = loader.codebook(from: root)
    if !loader.problems.isEmpty || codebook == nil {
      throw CodebookError(file: file, problems: inFileOrder(loader.problems))
    }
    self = codebook!
  }
}

/// Walks the YAML node tree, keeping every problem with its position.
private struct CodebookLoader: YAMLNodeReading {
  let file: String
  var problems: [CodebookError.Problem] = []

  init(file: String) { self.file = file }

  mutating func report(_ node: Node?, _ message: String) {
    let mark = node?.mark
    problems.append(.init(line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
  }

  // MARK: The codebook

  mutating func codebook(from root: Node) -> Codebook? {
    guard
      let top = mapping(root, "the codebook", allowed: ["survey", "missing", "rules", "variables"])
    else { return nil }
    let survey = surveyInfo(top["survey"], root: root)
    var defaultMissing: [MissingCode] = []
    if let node = top["missing"] { defaultMissing = missingCodes(node, "missing") }
    var actions: [Rule: Action] = [:]
    if let rules = top["rules"] { actions = ruleActions(rules) }
    guard let variableNodes = sequence(top["variables"], "variables") else {
      if top["variables"] == nil { report(root, "the codebook has no \"variables\" list") }
      return nil
    }
    var variables: [Variable] = []
    var variableNodesByName: [String: Node] = [:]
    var filterNodes: [(Variable, Node)] = []
    var brokenNames: Set<String> = []
    for node in variableNodes {
      guard let (variable, filterNode) = self.variable(node, defaultMissing: defaultMissing)
      else {
        // Already reported; a filter naming it should not be reported again.
        if case .mapping(let mapping) = node, let name = mapping["name"]?.string {
          brokenNames.insert(name)
        }
        continue
      }
      if variableNodesByName[variable.name] != nil {
        report(node, "\(variable.name): a variable of this name is already defined")
        continue
      }
      variableNodesByName[variable.name] = node
      variables.append(variable)
      if let filterNode { filterNodes.append((variable, filterNode)) }
    }
    checkColumns(variables, nodes: variableNodesByName)
    checkRoles(variables, nodes: variableNodesByName)
    for (variable, node) in filterNodes {
      for name in variable.filter?.variables ?? [] {
        guard let referenced = variables.first(where: { $0.name == name }) else {
          if brokenNames.contains(name) { continue }
          report(
            node, "\(variable.name): the filter refers to \"\(name)\", which is not a variable")
          continue
        }
        if ![.single, .numeric, .stratum].contains(referenced.type) {
          report(
            node,
            "\(variable.name): the filter refers to \(name), a \(referenced.type.rawValue) "
              + "variable; filters compare single-choice and numeric answers")
        }
      }
    }
    guard let survey else { return nil }
    return Codebook(survey: survey, variables: variables, actions: actions)
  }

  mutating func surveyInfo(_ node: Node?, root: Node) -> SurveyInfo? {
    guard let node else {
      report(root, "the codebook has no \"survey\" section")
      return nil
    }
    guard
      let fields = mapping(
        node, "survey", allowed: ["id", "title", "wave", "population", "note"])
    else { return nil }
    guard let id = string(fields["id"], "survey.id") else {
      report(node, "survey needs an id")
      return nil
    }
    let title = localized(fields["title"], "survey.title") ?? LocalizedText(japanese: id)
    return SurveyInfo(
      id: id, title: title, wave: string(fields["wave"], "survey.wave"),
      population: number(fields["population"], "survey.population"),
      note: string(fields["note"], "survey.note"))
  }

  mutating func ruleActions(_ node: Node) -> [Rule: Action] {
    guard case .mapping(let mapping) = node else {
      report(node, "rules must be a mapping of rule names to actions")
      return [:]
    }
    var actions: [Rule: Action] = [:]
    for (key, value) in mapping {
      let name = key.string ?? ""
      guard let rule = Rule(rawValue: name) else {
        report(key, "rules: \"\(name)\" is not a rule (see docs/codebook.md for the list)")
        continue
      }
      guard rule.isConfigurable else {
        report(key, "rules: the action of \"\(name)\" is fixed and cannot be changed")
        continue
      }
      let text = value.string ?? ""
      guard let action = Action(rawValue: text) else {
        report(value, "rules: \(name): \"\(text)\" is not an action (reject, set-missing, warn)")
        continue
      }
      guard rule.allowedActions.contains(action) else {
        report(
          value,
          "rules: \(name) cannot be \(action.rawValue); choose "
            + rule.allowedActions.map(\.rawValue).joined(separator: " or "))
        continue
      }
      actions[rule] = action
    }
    return actions
  }

  /// `{9: no-answer, 8: {meaning: dont-know, label: {ja: わからない}}}`.
  mutating func missingCodes(_ node: Node, _ what: String) -> [MissingCode] {
    guard case .mapping(let pairs) = node else {
      report(node, "\(what) must map codes to their meaning (no-answer, not-applicable, dont-know)")
      return []
    }
    var codes: [MissingCode] = []
    for (key, value) in pairs {
      guard let code = integer(key, "\(what): the code") else { continue }
      var meaningNode = value
      var label: LocalizedText?
      if case .mapping = value {
        guard let fields = mapping(value, "\(what): \(code)", allowed: ["meaning", "label"])
        else { continue }
        guard let node = fields["meaning"] else {
          report(value, "\(what): \(code) needs a meaning (no-answer, not-applicable, dont-know)")
          continue
        }
        meaningNode = node
        label = localized(fields["label"], "\(what): \(code).label")
      }
      let text = meaningNode.string ?? ""
      guard let meaning = MissingMeaning(rawValue: text) else {
        report(
          meaningNode,
          "\(what): \(code): \"\(text)\" is not a meaning (no-answer, not-applicable, dont-know)")
        continue
      }
      codes.append(MissingCode(code: code, meaning: meaning, label: label))
    }
    return codes
  }

  /// `{1: {ja: 男性, en: Male}, 2: 女性}` in codebook order.
  mutating func valueLabels(_ node: Node, _ what: String) -> [ValueLabel] {
    guard case .mapping(let mapping) = node else {
      report(node, "\(what) must map codes to labels")
      return []
    }
    var labels: [ValueLabel] = []
    for (key, value) in mapping {
      guard let code = integer(key, "\(what): the code") else { continue }
      guard abs(code) <= Int(Int16.max) - 8 else {
        report(key, "\(what): code \(code) is too large (codes are at most 32759)")
        continue
      }
      if labels.contains(where: { $0.code == code }) {
        report(key, "\(what): code \(code) is listed twice")
        continue
      }
      guard let label = localized(value, "\(what): \(code)") else { continue }
      labels.append(ValueLabel(code: code, label: label))
    }
    return labels
  }

  static let variableKeys = [
    "name", "type", "label", "question", "unit", "values", "missing", "range", "shape", "columns",
    "column", "max_choices", "exclusive", "filter", "unique", "optional",
  ]

  mutating func variable(_ node: Node, defaultMissing: [MissingCode]) -> (Variable, Node?)? {
    guard let fields = mapping(node, "a variable", allowed: Self.variableKeys) else { return nil }
    guard let name = string(fields["name"], "name"), !name.isEmpty else {
      report(node, "a variable needs a name")
      return nil
    }
    guard let typeNode = fields["type"] else {
      report(node, "\(name): the variable needs a type (\(Self.typeList))")
      return nil
    }
    guard let type = VariableType(rawValue: typeNode.string ?? "") else {
      report(
        typeNode,
        "\(name): type \"\(typeNode.string ?? "")\" is not one of \(Self.typeList)")
      return nil
    }
    let problemsBefore = problems.count
    var variable = Variable(name: name, type: type)
    variable.label = localized(fields["label"], "\(name).label")
    variable.question = localized(fields["question"], "\(name).question")
    variable.unit = localized(fields["unit"], "\(name).unit")
    if let valuesNode = fields["values"] {
      variable.values = valueLabels(valuesNode, "\(name).values")
      if ![.single, .multi, .numeric, .stratum].contains(type) {
        report(valuesNode, "\(name): a \(type.rawValue) variable has no value labels")
      }
    }
    if let missingNode = fields["missing"] {
      variable.missing = missingCodes(missingNode, "\(name).missing")
      if ![.single, .multi, .numeric].contains(type) {
        report(missingNode, "\(name): a \(type.rawValue) variable has no missing codes")
      }
    } else if type == .single {
      variable.missing = defaultMissing
    }
    for missing in variable.missing where variable.valueLabel(of: missing.code) != nil {
      report(
        fields["missing"] ?? node,
        "\(name): code \(missing.code) is both a value and a missing code")
    }
    if [.single, .multi].contains(type) && variable.values.isEmpty {
      report(node, "\(name): a \(type.rawValue) question needs its codes under \"values\"")
    }
    if let rangeNode = fields["range"] {
      if type != .numeric {
        report(rangeNode, "\(name): only a numeric variable has a range")
      } else if let bounds = sequence(rangeNode, "\(name).range"), bounds.count == 2,
        let low = number(bounds[0], "\(name).range"), let high = number(bounds[1], "\(name).range")
      {
        if low <= high {
          variable.range = low...high
        } else {
          report(
            rangeNode,
            "\(name): the range [\(formatNumber(low)), \(formatNumber(high))] is empty")
        }
      } else {
        report(rangeNode, "\(name): range must be [minimum, maximum]")
      }
    }
    variable.shape = shape(fields, variable: variable, node: node)
    if let maxNode = fields["max_choices"] {
      if type != .multi {
        report(maxNode, "\(name): only a multi-response question has max_choices")
      } else if let maximum = integer(maxNode, "\(name).max_choices") {
        if maximum < 1 {
          report(maxNode, "\(name): max_choices must be at least 1")
        } else {
          variable.maximumChoices = maximum
        }
      }
    }
    if let exclusiveNode = fields["exclusive"] {
      if type != .multi {
        report(exclusiveNode, "\(name): only a multi-response question has exclusive codes")
      } else if let items = sequence(exclusiveNode, "\(name).exclusive") {
        for item in items {
          guard let code = integer(item, "\(name).exclusive") else { continue }
          if variable.valueLabel(of: code) == nil {
            report(item, "\(name): exclusive code \(code) is not one of its values")
          } else {
            variable.exclusive.append(code)
          }
        }
      }
    }
    let isQuestion = [.single, .multi, .numeric, .text].contains(type)
    for key in ["filter", "optional"] where fields[key] != nil && !isQuestion {
      report(
        fields[key], "\(name): a \(type.rawValue) variable has no \"\(key)\"; only questions do")
    }
    var filterNode: Node?
    if isQuestion, let node = fields["filter"], let text = string(node, "\(name).filter") {
      do {
        variable.filter = try FilterExpression(parsing: text)
        filterNode = node
      } catch {
        let mark = node.mark
        let plain = (node.scalar?.style == .plain)
        problems.append(
          .init(
            line: mark?.line ?? 1, column: (mark?.column ?? 1) + (plain ? error.offset : 0),
            message: "\(name): the filter \"\(text)\" cannot be read: \(error.message)"))
      }
    }
    variable.isUnique = type == .id || (boolean(fields["unique"], "\(name).unique") ?? false)
    if variable.isUnique && type != .id && type != .text {
      report(fields["unique"], "\(name): only id and text variables can be unique")
    }
    variable.isOptional = boolean(fields["optional"], "\(name).optional") ?? (type == .text)
    return problems.count == problemsBefore ? (variable, filterNode) : nil
  }

  static let typeList = VariableType.allCases.map(\.rawValue).joined(separator: ", ")

  mutating func shape(_ fields: [String: Node], variable: Variable, node: Node)
    -> MultiResponseShape?
  {
    let name = variable.name
    guard variable.type == .multi else {
      for key in ["shape", "columns", "column"] where fields[key] != nil {
        report(fields[key], "\(name): only a multi-response question has \"\(key)\"")
      }
      return nil
    }
    guard let shapeNode = fields["shape"] else {
      report(
        node, "\(name): a multi-response question needs a shape (dichotomy, spread, delimited)")
      return nil
    }
    let shapeName = shapeNode.string ?? ""
    switch shapeName {
    case "delimited":
      if let columnsNode = fields["columns"] {
        report(columnsNode, "\(name): a delimited question reads one column; use \"column\"")
      }
      return .delimited(column: string(fields["column"], "\(name).column") ?? name)
    case "dichotomy", "spread":
      guard let columnNodes = sequence(fields["columns"], "\(name).columns") else {
        report(node, "\(name): a \(shapeName) question needs its \"columns\"")
        return nil
      }
      let columns = columnNodes.compactMap { string($0, "\(name).columns") }
      guard !columns.isEmpty else {
        report(fields["columns"], "\(name): the list of columns is empty")
        return nil
      }
      if shapeName == "dichotomy" {
        if columns.count != variable.values.count {
          report(
            fields["columns"],
            "\(name): a dichotomy has one column per code, but there "
              + "\(columns.count == 1 ? "is 1 column" : "are \(columns.count) columns") for "
              + "\(variable.values.count == 1 ? "1 code" : "\(variable.values.count) codes")")
        }
        return .dichotomy(columns: columns)
      }
      return .spread(columns: columns)
    default:
      report(
        shapeNode, "\(name): shape \"\(shapeName)\" is not one of dichotomy, spread, delimited")
      return nil
    }
  }

  mutating func checkColumns(_ variables: [Variable], nodes: [String: Node]) {
    var owner: [String: String] = [:]
    for variable in variables {
      if variable.type == .multi, variable.values.count > 64 {
        report(
          nodes[variable.name], "\(variable.name): a multi-response question has at most 64 codes")
      }
      for column in variable.columns {
        if let other = owner[column] {
          if other == variable.name {
            report(nodes[variable.name], "\(variable.name): column \(column) is listed twice")
          } else {
            report(
              nodes[variable.name],
              "\(variable.name): column \(column) is already read by \(other)")
          }
          continue
        }
        owner[column] = variable.name
      }
    }
  }

  mutating func checkRoles(_ variables: [Variable], nodes: [String: Node]) {
    for type in [VariableType.id, .weight, .stratum] {
      let holders = variables.filter { $0.type == type }
      if holders.count > 1 {
        report(
          nodes[holders[1].name],
          "\(holders[1].name): the codebook already has \(type == .id ? "an" : "a") "
            + "\(type.rawValue) variable, "
            + "\(holders[0].name)")
      }
    }
  }
}
