import Foundation
import Yams

extension KPIDefinitions {
  /// Reads a KPI definitions file (docs/kpi.md); every problem is reported with its line and
  /// column. Survey-based indicators are checked against a codebook by `check(against:)`.
  ///
  /// - Parameter displayPath: the name used in messages (defaults to `path`).
  public init(contentsOf path: String, displayPath: String? = nil) throws {
    let name = displayPath ?? path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FileError(path: name, reason: FileError.reason(forReading: path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw KPIDefinitionsError(
        file: name,
        problems: [
          .init(
            line: 1, column: 1,
            message: "the definitions file is not UTF-8 text; save it as UTF-8")
        ])
    }
    try self.init(yaml: text, file: name)
  }

  /// Reads KPI definitions from YAML text; `file` names it in messages.
  public init(yaml: String, file: String) throws(KPIDefinitionsError) {
    let root: Node
    switch composeYAML(yaml, what: "definitions file") {
    case .success(let node): root = node
    case .failure(let problem):
      throw KPIDefinitionsError(
        file: file,
        problems: [.init(line: problem.line, column: problem.column, message: problem.message)])
    }
    var loader = DefinitionsLoader(file: file)
    let definitions = loader.definitions(from: root)
    guard loader.problems.isEmpty, let definitions else {
      throw KPIDefinitionsError(file: file, problems: inFileOrder(loader.problems))
    }
    self = definitions
  }

  /// The problems of the survey-based indicators with `codebook`, in file order: each question
  /// must be a single-choice question of the codebook, and the codes of a share must be its
  /// listed values, not missing codes. A problem is located at the indicator's first line.
  public func check(against codebook: Codebook) -> [KPIDefinitionsError.Problem] {
    var problems: [KPIDefinitionsError.Problem] = []
    for indicator in indicators {
      guard let survey = indicator.survey else { continue }
      let what = "indicator \(indicator.id): survey"
      func report(_ message: String) {
        problems.append(.init(line: indicator.line, column: 1, message: "\(what): \(message)"))
      }
      guard let variable = codebook.variable(named: survey.question) else {
        report("\(survey.question) is not a variable of the codebook")
        continue
      }
      guard variable.type == .single else {
        report(
          "\(survey.question) is a \(variable.type.rawValue) variable; a survey-based indicator "
            + "needs a single-choice question")
        continue
      }
      guard case .share(let codes) = survey.statistic else { continue }
      for code in codes {
        if let missing = variable.missingCode(code) {
          report(
            "share code \(code) is a missing code of \(variable.name) "
              + "(\(missing.label.japanese)); missing codes are left out of the share's base, so "
              + "they cannot be counted in it")
        } else if variable.valueLabel(of: code) == nil {
          report(
            "share code \(code) is not a code of \(variable.name) (\(variable.codeSummary))")
        }
      }
    }
    return inFileOrder(problems)
  }
}

// MARK: - Reading

/// A number as written in the file: `5958`, `"5,958"` (thousands commas), `-1.5`, full-width
/// digits (`２３．３`); nil if it is not one.
private func parsedNumber(_ text: String) -> Double? {
  var text = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
  if text.contains(","),
    text.range(of: #"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$"#, options: .regularExpression)
      != nil
  {
    text.removeAll { $0 == "," }
  }
  return NumberSyntax.parse(text)
}

/// A number as shown in messages: `23.3`, `300`, `0.5`.
private func shownNumber(_ value: Double) -> String {
  var text = String(format: "%.10g", value)
  if text.contains(".") && !text.contains("e") {
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
  }
  return text
}

/// `, on lines 3 and 9`, or ` on line 3` when both are on one line.
private func onLines(_ first: Int, _ second: Int) -> String {
  first == second ? " on line \(first)" : ", on lines \(first) and \(second)"
}

/// Whether an id is lower-case letters, digits and hyphens, starting with a letter or digit.
private func isValidID(_ id: String) -> Bool {
  guard let first = id.unicodeScalars.first, first != "-" else { return false }
  return id.unicodeScalars.allSatisfy {
    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
  }
}

/// A baseline or a target with the nodes its problems are located at.
private struct LocatedYearValue {
  var value: KPIYearValue
  var yearNode: Node
  var valueNode: Node

  /// The year as written, with the Western year when it is an era year: `H31 (2019)`, `2019`.
  var yearText: String {
    let written = yearNode.string ?? ""
    let western = String(value.year)
    return written == western ? western : "\(written) (\(western))"
  }
}

/// Walks the definitions file's YAML node tree, keeping every problem with its position.
private struct DefinitionsLoader: YAMLNodeReading {
  typealias Definition = KPIDefinition

  let file: String
  var problems: [KPIDefinitionsError.Problem] = []

  init(file: String) { self.file = file }

  mutating func report(_ node: Node?, _ message: String) {
    let mark = node?.mark
    problems.append(.init(line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
  }

  static let topKeys = ["strategy", "goals", "indicators"]
  static let indicatorKeys = [
    "id", "name", "goal", "unit", "direction", "cumulative", "baseline", "target", "rule", "cap",
    "decimals", "plausible", "survey", "published-rate",
  ]
  static let yearValueKeys = ["year", "value"]
  static let surveyKeys = ["question", "share", "mean", "scale", "targets"]
  static let meanForms = ["reversed", "as-coded"]

  /// The key node of `name` in a mapping, for problems located at a key.
  func key(_ name: String, in node: Node) -> Node? {
    guard case .mapping(let pairs) = node else { return nil }
    return pairs.first { $0.key.string == name }?.key
  }

  // MARK: The file

  mutating func definitions(from root: Node) -> KPIDefinitions? {
    guard let top = mapping(root, "the definitions file", allowed: Self.topKeys) else {
      return nil
    }
    var definitions = KPIDefinitions(file: file)
    definitions.strategy = localized(top["strategy"], "strategy")
    var goalNumbers: [Int]?
    if let node = top["goals"] {
      if let read = goals(node) {
        definitions.goals = read.goals
        goalNumbers = read.numbers
      }
    } else {
      report(
        root,
        "the definitions file needs \"goals\" (the basic goals, 基本目標, by number)")
    }
    if let node = top["indicators"] {
      definitions.indicators = indicators(node, goals: goalNumbers)
    } else {
      report(root, "the definitions file needs \"indicators\" (the list of indicators)")
    }
    return definitions
  }

  /// `{1: {ja: 安定した雇用を創出する, en: Create stable jobs}, 2: …}`: the goals, and every
  /// number listed (also those whose name has a problem); nil if `goals` is not a mapping.
  mutating func goals(_ node: Node) -> (goals: [KPIGoal], numbers: [Int])? {
    guard case .mapping(let pairs) = node else {
      report(
        node,
        "goals must map each goal's number to its name, such as "
          + "1: {ja: 安定した雇用を創出する, en: Create stable jobs}")
      return nil
    }
    if pairs.count == 0 { report(node, "goals lists no goals") }
    var goals: [KPIGoal] = []
    var lines: [Int: Int] = [:]
    for (numberNode, nameNode) in pairs {
      let text = numberNode.string ?? ""
      guard case .scalar = numberNode, let number = Int(text.trimmingCharacters(in: .whitespaces)),
        number >= 1
      else {
        report(numberNode, "goals: \"\(text)\" is not a goal number (a whole number from 1)")
        continue
      }
      let line = numberNode.mark?.line ?? 1
      if let first = lines[number] {
        report(numberNode, "goals: goal \(number) is listed twice\(onLines(first, line))")
        continue
      }
      lines[number] = line
      if let name = localized(nameNode, "goal \(number)") {
        goals.append(KPIGoal(number: number, name: name))
      }
    }
    return (goals, lines.keys.sorted())
  }

  // MARK: Indicators

  mutating func indicators(_ node: Node, goals: [Int]?) -> [Definition] {
    guard let items = sequence(node, "indicators") else { return [] }
    if items.isEmpty { report(node, "the list of indicators is empty") }
    var indicators: [Definition] = []
    var lines: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      var duplicate = false
      // An id used twice is found even when either indicator has other problems.
      if let idNode = idNode(of: item), let id = idNode.string, !id.isEmpty {
        let line = idNode.mark?.line ?? 1
        if let first = lines[id] {
          report(idNode, "indicator \(id): the id \(id) is used twice\(onLines(first, line))")
          duplicate = true
        } else {
          lines[id] = line
        }
      }
      let indicator = self.indicator(item, number: index + 1, goals: goals)
      if let indicator, !duplicate { indicators.append(indicator) }
    }
    return indicators
  }

  /// The value of an indicator's `id` key, if it is a scalar.
  func idNode(of node: Node) -> Node? {
    guard case .mapping(let pairs) = node,
      let value = pairs.first(where: { $0.key.string == "id" })?.value,
      case .scalar = value
    else { return nil }
    return value
  }

  mutating func indicator(_ node: Node, number: Int, goals: [Int]?) -> Definition? {
    var what = "indicator #\(number)"
    if let id = idNode(of: node)?.string, !id.isEmpty { what = "indicator \(id)" }
    guard let fields = mapping(node, what, allowed: Self.indicatorKeys) else { return nil }
    let before = problems.count

    var id: String?
    if let idNode = fields["id"] {
      if let text = string(idNode, "\(what): id") {
        if isValidID(text) {
          id = text
        } else {
          report(
            idNode,
            "\(what): the id \"\(text)\" must be lower-case letters, digits and hyphens, "
              + "starting with a letter or digit (such as new-jobs)")
        }
      }
    } else {
      report(node, "\(what) needs \"id\" (a short name such as new-jobs)")
    }

    var name: LocalizedText?
    if let nameNode = fields["name"] {
      name = localized(nameNode, "\(what): name")
    } else {
      report(node, "\(what) needs \"name\" (its name as the strategy prints it)")
    }

    var goal: Int?
    if let goalNode = fields["goal"] {
      goal = integer(goalNode, "\(what): goal")
      if let value = goal, let goals, !goals.contains(value) {
        let listed = goals.isEmpty ? "none" : goals.map(String.init).joined(separator: ", ")
        report(goalNode, "\(what): goal \(value) is not listed under goals (\(listed))")
      }
    } else {
      report(node, "\(what) needs \"goal\" (the number of its basic goal, 基本目標)")
    }

    let unit = localized(fields["unit"], "\(what): unit")
    let direction =
      choice(fields["direction"], "\(what): direction", Definition.Direction.self) ?? .higher
    let cumulative = boolean(fields["cumulative"], "\(what): cumulative") ?? false
    let rule = choice(fields["rule"], "\(what): rule", Definition.Rule.self) ?? .ratio
    let baseline = fields["baseline"].flatMap { self.yearValue($0, "\(what): baseline") }

    var target: LocatedYearValue?
    if let targetNode = fields["target"] {
      target = yearValue(targetNode, "\(what): target")
    } else {
      report(
        node, "\(what) needs \"target\" (the target, 目標値, such as {year: H31, value: 300})")
    }

    let cap = fields["cap"].flatMap { self.cap($0, what) } ?? 1.2
    var decimals = 1
    if let decimalsNode = fields["decimals"], let value = integer(decimalsNode, "\(what): decimals")
    {
      if (0...6).contains(value) {
        decimals = value
      } else {
        report(decimalsNode, "\(what): decimals must be from 0 to 6, not \(value)")
      }
    }
    let plausible = fields["plausible"].flatMap { self.plausible($0, what) }
    let survey = fields["survey"].flatMap { self.survey($0, what) }
    let publishedRate = fields["published-rate"].flatMap {
      self.rate($0, "\(what): published-rate")
    }

    judge(
      what, rule: rule, ruleNode: fields["rule"], direction: direction, baseline: baseline,
      target: target, plausible: plausible, plausibleNode: fields["plausible"])

    guard problems.count == before, let id, let name, let goal, let target else { return nil }
    return Definition(
      id: id, name: name, goal: goal, unit: unit, direction: direction, cumulative: cumulative,
      baseline: baseline?.value, target: target.value, rule: rule, cap: cap, decimals: decimals,
      plausible: plausible, survey: survey, publishedRate: publishedRate,
      line: node.mark?.line ?? 1)
  }

  /// The problems that make the achievement rate (達成状況) impossible to compute or meaningless.
  mutating func judge(
    _ what: String, rule: Definition.Rule, ruleNode: Node?, direction: Definition.Direction,
    baseline: LocatedYearValue?, target: LocatedYearValue?, plausible: ClosedRange<Double>?,
    plausibleNode: Node?
  ) {
    if let target, target.value.value == 0, rule == .ratio {
      switch direction {
      case .higher:
        report(
          target.valueNode,
          "\(what): a target of 0 cannot be divided by (rule ratio is actual ÷ target); use "
            + "rule: progress with a baseline")
      case .lower:
        report(
          target.valueNode,
          "\(what): with direction lower, rule ratio is target ÷ actual, which is 0% for any "
            + "actual above a target of 0; use rule: progress with a baseline")
      }
    }
    if rule == .progress {
      if baseline == nil {
        report(
          ruleNode,
          "\(what): rule progress needs a baseline (基準値) to measure the change from")
      } else if let baseline, let target, baseline.value.value == target.value.value {
        report(
          target.valueNode,
          "\(what): rule progress needs a target different from the baseline (both are "
            + "\(shownNumber(target.value.value)))")
      }
    }
    if let baseline, let target, baseline.value.year > target.value.year {
      report(
        baseline.yearNode,
        "\(what): the baseline year \(baseline.yearText) is after the target year "
          + "\(target.yearText)")
    }
    if let plausible {
      for (name, located) in [("baseline", baseline), ("target", target)] {
        guard let located, !plausible.contains(located.value.value) else { continue }
        report(
          located.valueNode,
          "\(what): the \(name) \(shownNumber(located.value.value)) is outside the plausible "
            + "range [\(shownNumber(plausible.lowerBound)), \(shownNumber(plausible.upperBound))]")
      }
    }
  }

  /// One of an enumeration's raw values.
  mutating func choice<Choice: RawRepresentable & CaseIterable>(
    _ node: Node?, _ what: String, _ type: Choice.Type
  ) -> Choice? where Choice.RawValue == String {
    guard let node, let text = string(node, what) else { return nil }
    guard let choice = Choice(rawValue: text) else {
      report(
        node,
        "\(what): \"\(text)\" is not one of "
          + Choice.allCases.map(\.rawValue).joined(separator: ", "))
      return nil
    }
    return choice
  }

  /// A number as written in the file, or nil with the problem reported.
  mutating func amount(_ node: Node, _ what: String) -> Double? {
    guard let text = string(node, what) else { return nil }
    guard let value = parsedNumber(text) else {
      report(node, "\(what) must be a number, not \"\(text)\"")
      return nil
    }
    return value
  }

  /// `{year: H31, value: 300}`.
  mutating func yearValue(_ node: Node, _ what: String) -> LocatedYearValue? {
    let example = "such as {year: H31, value: 300}"
    guard case .mapping(let pairs) = node else {
      report(node, "\(what) must be a year and a value, \(example)")
      return nil
    }
    var fields: [String: Node] = [:]
    var previous: Node?
    for (keyNode, valueNode) in pairs {
      defer { previous = valueNode }
      let name = keyNode.string ?? ""
      if Self.yearValueKeys.contains(name) {
        fields[name] = valueNode
        continue
      }
      // `{year: H26, value: 5,958}` splits at the comma into `value: 5` and a key `958`.
      if let before = previous?.string, name.count == 3, name.allSatisfy(\.isNumber),
        let split = parsedNumber("\(before),\(name)")
      {
        report(
          keyNode,
          "\(what): the value \(before),\(name) was split at its comma; write "
            + "\(shownNumber(split)) or \"\(before),\(name)\" in quotes")
        continue
      }
      report(
        keyNode,
        "\(what): unknown key \"\(name)\" (expected one of "
          + "\(Self.yearValueKeys.joined(separator: ", ")))")
    }
    let before = problems.count
    var year: Int?
    if let yearNode = fields["year"], let text = string(yearNode, "\(what): year") {
      year = JapaneseYear.parse(text)
      if year == nil {
        report(
          yearNode,
          "\(what): \"\(text)\" is not a year; write a Western year such as 2019 or an era "
            + "year such as H31, R1 or 令和元年")
      }
    }
    var value: Double?
    if let valueNode = fields["value"] { value = amount(valueNode, "\(what): value") }
    let missing = Self.yearValueKeys.filter { fields[$0] == nil }
    if !missing.isEmpty {
      report(
        node,
        "\(what) needs \(missing.map { "\"\($0)\"" }.joined(separator: " and ")), \(example)")
    }
    guard problems.count == before, let year, let value, let yearNode = fields["year"],
      let valueNode = fields["value"]
    else { return nil }
    return LocatedYearValue(
      value: KPIYearValue(year: year, value: value), yearNode: yearNode, valueNode: valueNode)
  }

  /// `120%` or `1.2`.
  mutating func cap(_ node: Node, _ what: String) -> Double? {
    guard let text = string(node, "\(what): cap") else { return nil }
    var body = text.trimmingCharacters(in: .whitespaces)
    let percent = body.hasSuffix("%") || body.hasSuffix("％")
    if percent { body.removeLast() }
    guard let written = parsedNumber(body) else {
      report(node, "\(what): cap must be a rate such as 120% or 1.2, not \"\(text)\"")
      return nil
    }
    let value = percent ? written / 100 : written
    if value < 1 {
      report(node, "\(what): cap must be at least 100% (1), not \(text)")
      return nil
    }
    if !percent, value > 10 {
      report(
        node,
        "\(what): cap \(text) would be \(shownNumber(value * 100))%; write \(text)% or "
          + "\(shownNumber(value / 100))")
      return nil
    }
    return value
  }

  /// A rate as a document printed it: `110%` or `1.1`.
  mutating func rate(_ node: Node, _ what: String) -> Double? {
    guard let text = string(node, what) else { return nil }
    var body = text.trimmingCharacters(in: .whitespaces)
    let percent = body.hasSuffix("%") || body.hasSuffix("％")
    if percent { body.removeLast() }
    guard let written = parsedNumber(body), written >= 0 else {
      report(node, "\(what) must be a rate such as 110% or 1.1, not \"\(text)\"")
      return nil
    }
    return percent ? written / 100 : written
  }

  /// `[0.5, 3]`.
  mutating func plausible(_ node: Node, _ what: String) -> ClosedRange<Double>? {
    guard case .sequence(let items) = node, items.count == 2 else {
      report(node, "\(what): plausible must be two numbers [low, high], such as [0.5, 3]")
      return nil
    }
    guard let low = amount(items[0], "\(what): plausible: low"),
      let high = amount(items[1], "\(what): plausible: high")
    else { return nil }
    guard low < high else {
      report(
        node,
        "\(what): plausible [\(shownNumber(low)), \(shownNumber(high))] must have its low end "
          + "below its high end")
      return nil
    }
    return low...high
  }

  // MARK: Survey-based indicators

  /// `{question: Q5, share: [1]}` or `{question: Q6, mean: reversed}`.
  mutating func survey(_ node: Node, _ indicator: String) -> Definition.SurveySource? {
    let what = "\(indicator): survey"
    guard let fields = mapping(node, what, allowed: Self.surveyKeys) else { return nil }
    let before = problems.count
    var question: String?
    if let questionNode = fields["question"] {
      question = string(questionNode, "\(what): question")
      if question?.isEmpty == true {
        report(questionNode, "\(what): the question's name is empty")
      }
    } else {
      report(node, "\(what) needs \"question\" (the codebook's question, such as Q5)")
    }

    var statistic: Definition.SurveySource.Statistic?
    switch (key("share", in: node), key("mean", in: node)) {
    case (nil, nil):
      report(
        node,
        "\(what) needs \"share\" (the codes counted, such as [1]) or \"mean\" "
          + "(reversed or as-coded)")
    case (let share?, let mean?):
      let later =
        (mean.mark?.line ?? 0, mean.mark?.column ?? 0)
        > (share.mark?.line ?? 0, share.mark?.column ?? 0)
      report(later ? mean : share, "\(what) has both share and mean; give one of them")
    case (_?, nil):
      if let codes = shareCodes(fields["share"]!, what) { statistic = .share(codes: codes) }
    case (nil, _?):
      let meanNode = fields["mean"]!
      if let text = string(meanNode, "\(what): mean") {
        if Self.meanForms.contains(text) {
          statistic = .mean(reversed: text == "reversed")
        } else {
          report(
            meanNode,
            "\(what): mean: \"\(text)\" is not one of \(Self.meanForms.joined(separator: ", "))")
        }
      }
    }

    var scale: Double?
    if let scaleNode = fields["scale"], let value = amount(scaleNode, "\(what): scale") {
      if value > 0 {
        scale = value
      } else {
        report(scaleNode, "\(what): scale must be greater than 0, not \(shownNumber(value))")
      }
    }
    var targets: String?
    if let targetsNode = fields["targets"] {
      targets = string(targetsNode, "\(what): targets")
      if targets?.isEmpty == true {
        report(targetsNode, "\(what): the targets file's name is empty")
      }
    }
    guard problems.count == before, let question, let statistic else { return nil }
    let defaultScale: Double
    if case .share = statistic { defaultScale = 100 } else { defaultScale = 1 }
    return Definition.SurveySource(
      question: question, statistic: statistic, scale: scale ?? defaultScale,
      weightingTargets: targets)
  }

  /// `[1]` or `[1, 2]`.
  mutating func shareCodes(_ node: Node, _ what: String) -> [Int]? {
    guard case .sequence(let items) = node else {
      report(node, "\(what): share must be a list of codes, such as [1] or [1, 2]")
      return nil
    }
    guard !items.isEmpty else {
      report(node, "\(what): the list of share codes is empty")
      return nil
    }
    var codes: [Int] = []
    var usable = true
    for item in items {
      let text = item.string ?? ""
      guard case .scalar = item, let code = Int(text.trimmingCharacters(in: .whitespaces)) else {
        report(item, "\(what): share code \"\(text)\" is not a whole number")
        usable = false
        continue
      }
      if codes.contains(code) {
        report(item, "\(what): share code \(code) is listed twice")
        usable = false
        continue
      }
      codes.append(code)
    }
    return usable ? codes : nil
  }
}
