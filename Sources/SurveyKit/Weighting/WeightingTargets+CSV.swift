import Foundation

extension WeightingTargets {
  /// Reads margins from a CSV targets file (docs/weighting.md, "Targets as CSV"); every problem is
  /// reported with its line and column.
  ///
  /// - Parameters:
  ///   - displayPath: the name used in messages (defaults to `path`).
  ///   - population: the population total, needed when the file gives shares.
  public init(csvContentsOf path: String, displayPath: String? = nil, population: Double? = nil)
    throws
  {
    let name = displayPath ?? path
    try self.init(
      csv: try Self.text(ofFile: path, name: name), file: name, population: population)
  }

  /// Reads margins from CSV text: a header `variable,code,count` or `variable,code,share`, then one
  /// row per target; blank lines and lines starting with `#` are skipped. `file` names it in
  /// messages; `population` is the population total the shares are of.
  ///
  /// ```
  /// variable,code,count
  /// F1,1,69600
  /// F1,2,75400
  /// ```
  public init(csv: String, file: String, population: Double? = nil)
    throws(WeightingTargetsError)
  {
    var reader = TargetsCSVReader(population: population)
    let margins = reader.margins(csv)
    guard reader.problems.isEmpty else {
      throw WeightingTargetsError(file: file, problems: inFileOrder(reader.problems))
    }
    self.init(file: file, population: population, margins: margins)
  }
}

/// Reads the lines of a CSV targets file, keeping every problem with its line and column.
private struct TargetsCSVReader {
  typealias Targets = WeightingTargets

  /// A field of a line, trimmed, with the column where its text starts.
  struct Field {
    var text: String
    var column: Int
  }

  let population: Double?
  var problems: [WeightingTargetsError.Problem] = []

  init(population: Double?) { self.population = population }

  mutating func report(_ line: Int, _ column: Int, _ message: String) {
    problems.append(.init(line: line, column: column, message: message))
  }

  /// The lines of `text` without their LF or CRLF endings and without a byte order mark.
  static func lines(_ text: String) -> [[Unicode.Scalar]] {
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    return scalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.last == "\r" ? Array(line.dropLast()) : Array(line)
    }
  }

  /// The comma-separated fields of a line, each trimmed of spaces and tabs.
  static func fields(_ line: [Unicode.Scalar]) -> [Field] {
    var fields: [Field] = []
    var start = 0
    for end in line.indices + [line.count] where end == line.count || line[end] == "," {
      var first = start
      var last = end
      while first < last, line[first] == " " || line[first] == "\t" { first += 1 }
      while last > first, line[last - 1] == " " || line[last - 1] == "\t" { last -= 1 }
      var text = String.UnicodeScalarView()
      text.append(contentsOf: line[first..<last])
      fields.append(Field(text: String(text), column: first + 1))
      start = end + 1
    }
    return fields
  }

  mutating func margins(_ text: String) -> [Targets.Margin] {
    if let population, !(population > 0 && population.isFinite) {
      report(
        1, 1, "the population must be a positive number, not \(Targets.numberText(population))")
    }
    var share: Bool?
    var headerLine = 0
    var margins: [Targets.Margin] = []
    var index: [String: Int] = [:]
    var codeLines: [String: [Int: Int]] = [:]
    var broken: Set<String> = []
    var rows = 0
    for (offset, scalars) in Self.lines(text).enumerated() {
      let number = offset + 1
      var line = String.UnicodeScalarView()
      line.append(contentsOf: scalars)
      let content = String(line).trimmingCharacters(in: .whitespaces)
      if content.isEmpty || content.hasPrefix("#") { continue }
      if let quote = scalars.firstIndex(of: "\"") {
        reportQuoted(scalars, from: quote, line: number)
        if share == nil { return [] }
        rows += 1
        continue
      }
      let fields = Self.fields(scalars)
      guard let isShare = share else {
        let names = fields.map { $0.text.lowercased() }
        guard names.count == 3, names[0] == "variable", names[1] == "code",
          names[2] == "count" || names[2] == "share"
        else {
          report(
            number, 1,
            "the header must be variable,code,count or variable,code,share, not \"\(content)\"")
          return []
        }
        share = names[2] == "share"
        headerLine = number
        if names[2] == "share", population == nil {
          report(
            number, fields[2].column,
            "shares need the population total, which a CSV file cannot hold; give it with --population"
          )
        }
        continue
      }
      rows += 1
      let kind = isShare ? "share" : "count"
      guard fields.count == 3 else {
        var message =
          "the row \"\(content)\" has \(fields.count) values, not 3 (variable, code, \(kind))"
        if fields.count == 4, let value = Targets.number("\(fields[2].text),\(fields[3].text)") {
          message += "; write numbers without thousands commas (\(Targets.numberText(value)))"
        }
        report(number, fields.count > 3 ? fields[3].column : 1, message)
        continue
      }
      let variable = fields[0].text
      guard !variable.isEmpty else {
        report(number, fields[0].column, "the row \"\(content)\" has no variable")
        continue
      }
      let what = "margin \(variable)"
      if index[variable] == nil {
        index[variable] = margins.count
        margins.append(
          Targets.Margin(variable: variable, line: number, targets: [], column: fields[0].column))
      }
      guard let code = Int(fields[1].text) else {
        report(
          number, fields[1].column, "\(what): code \"\(fields[1].text)\" is not a whole number")
        broken.insert(variable)
        continue
      }
      if let first = codeLines[variable]?[code] {
        report(
          number, fields[1].column,
          "\(what): " + Targets.listedTwice("code \(code)", first: first, second: number))
        broken.insert(variable)
        continue
      }
      codeLines[variable, default: [:]][code] = number
      switch Targets.amount(fields[2].text, share: isShare) {
      case .success(let amount):
        margins[index[variable]!].targets.append(
          Targets.Target(code: code, amount: amount, line: number, column: fields[1].column))
      case .failure(let problem):
        report(
          number, fields[2].column,
          "\(what): "
            + Targets.describe(
              problem, text: fields[2].text, subject: "code \(code)", share: isShare))
        broken.insert(variable)
      }
    }
    guard share != nil else {
      report(1, 1, "the targets file is empty")
      return []
    }
    if rows == 0 {
      report(headerLine, 1, "the targets file has a header but no targets")
    }
    for margin in margins where !broken.contains(margin.variable) {
      if let problem = Targets.sharesSumProblem(margin.targets.map(\.amount)) {
        report(margin.line, margin.column, "margin \(margin.variable): \(problem)")
      }
    }
    return margins
  }

  /// A quoted field: `"69,600"` is a number with thousands commas, anything else a quoted value.
  mutating func reportQuoted(_ line: [Unicode.Scalar], from quote: Int, line number: Int) {
    let rest = line[(quote + 1)...]
    let end = rest.firstIndex(of: "\"") ?? line.count
    var inner = String.UnicodeScalarView()
    inner.append(contentsOf: line[(quote + 1)..<end])
    let text = String(inner)
    if let value = Targets.number(text.trimmingCharacters(in: .whitespaces)) {
      report(
        number, quote + 1,
        "\"\(text)\" is quoted; write numbers in a targets CSV without quotes or thousands "
          + "commas (\(Targets.numberText(value)))")
    } else {
      report(
        number, quote + 1,
        "\"\(text)\" is quoted; write the values of a targets CSV without quotes")
    }
  }
}
