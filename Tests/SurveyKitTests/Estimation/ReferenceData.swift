import Foundation
import Testing

@testable import SurveyKit

// Everything the reference tests need to read the R `survey` fixtures
// (Tests/SurveyKitTests/Fixtures/reference, see its README.md): the API data sets, the JSON
// results, the R call strings they were made by, and one comparison helper with the README's
// tolerances.

/// A problem in the fixtures or in reading them (not a disagreement with R).
struct ReferenceError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

let referenceFolder = "Tests/SurveyKitTests/Fixtures/reference"

/// The estimation suites, grouped so that `swift test --filter Estimation` runs them.
@Suite("Estimation") enum Estimation {}

/// The six design files (`<data>_fpc.json`, `<data>_nofpc.json`).
let referenceDesignFiles = [
  "apistrat_fpc", "apistrat_nofpc", "apiclus1_fpc", "apiclus1_nofpc", "apisrs_fpc", "apisrs_nofpc",
]

/// The three lonely-PSU files.
let referenceLonelyFiles = ["apisrs_lonely", "apiclus1_lonely", "apistrat_lonely"]

// MARK: - CSV

/// One field of a CSV record: its text and whether it was written in double quotes.
struct CSVField: Equatable {
  var text: String
  var quoted: Bool
}

/// Parses CSV text: comma-separated, fields in double quotes may hold commas, line breaks and
/// doubled quotes (`""`); records end with LF or CRLF.
func parseCSV(_ text: String) -> [[CSVField]] {
  var records: [[CSVField]] = []
  var record: [CSVField] = []
  var field: [UInt8] = []
  var quoted = false
  var inQuotes = false
  var fieldStarted = false
  let bytes = Array(text.utf8)
  var index = 0
  func endField() {
    record.append(CSVField(text: String(decoding: field, as: UTF8.self), quoted: quoted))
    field = []
    quoted = false
    fieldStarted = false
  }
  while index < bytes.count {
    let byte = bytes[index]
    if inQuotes {
      if byte == UInt8(ascii: "\"") {
        if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
          field.append(byte)
          index += 1
        } else {
          inQuotes = false
        }
      } else {
        field.append(byte)
      }
    } else {
      switch byte {
      case UInt8(ascii: "\""):
        inQuotes = true
        quoted = true
        fieldStarted = true
      case UInt8(ascii: ","):
        endField()
        fieldStarted = true
      case UInt8(ascii: "\r"):
        break
      case UInt8(ascii: "\n"):
        endField()
        records.append(record)
        record = []
      default:
        field.append(byte)
        fieldStarted = true
      }
    }
    index += 1
  }
  if fieldStarted || !field.isEmpty || !record.isEmpty {
    endField()
    records.append(record)
  }
  return records
}

// MARK: - Data sets

/// A categorical variable: the level index of each row (nil = missing) and the level names in
/// R's order.
struct ReferenceFactor {
  var codes: [Int?]
  var levels: [String]
}

/// A variable named in a formula, ready for SurveyKit.
enum ReferenceVariable {
  /// A numeric column (NaN = missing).
  case numeric(name: String, values: [Double])
  /// A factor, or a logical expression `I(...)` (levels FALSE, TRUE).
  case factor(name: String, factor: ReferenceFactor)

  /// R's term names: the variable name, or the name followed by each level.
  var termNames: [String] {
    switch self {
    case .numeric(let name, _): return [name]
    case .factor(let name, let factor): return factor.levels.map { name + $0 }
    }
  }
}

/// An API data set as R's `data(api)`: quoted columns are text (factors, levels in R's
/// alphabetical order), the others numbers (an empty field is missing).
struct ReferenceDataset {
  let name: String
  let rowCount: Int
  private(set) var numbers: [String: [Double]] = [:]
  private(set) var factors: [String: ReferenceFactor] = [:]
  /// The field texts as written, for ids (PSUs, strata).
  private(set) var texts: [String: [String?]] = [:]

  init(name: String) throws {
    self.name = name
    let path = packagePath("\(referenceFolder)/api/\(name).csv")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let records = parseCSV(text)
    guard let header = records.first else { throw ReferenceError("\(name).csv is empty") }
    let rows = Array(records.dropFirst())
    rowCount = rows.count
    for (column, field) in header.enumerated() {
      let cells = try rows.enumerated().map { (row, record) -> CSVField in
        guard record.count == header.count else {
          throw ReferenceError("\(name).csv row \(row + 2) has \(record.count) fields")
        }
        return record[column]
      }
      // Unquoted fields are numbers; a few (avg.ed) are padded with spaces by R's writer.
      let texts = cells.map { cell -> String? in
        let text = cell.quoted ? cell.text : cell.text.trimmingCharacters(in: .whitespaces)
        return text.isEmpty && !cell.quoted ? nil : text
      }
      self.texts[field.text] = texts
      if cells.contains(where: \.quoted) {
        factors[field.text] = Self.factor(texts)
      } else {
        numbers[field.text] = try texts.enumerated().map { (row, text) in
          guard let text else { return .nan }
          guard let value = Double(text) else {
            throw ReferenceError("\(name).csv row \(row + 2) \(field.text): \(text) is no number")
          }
          return value
        }
      }
    }
  }

  /// A factor with the levels sorted, as R's `factor()` of text.
  static func factor(_ texts: [String?], levels: [String]? = nil) -> ReferenceFactor {
    let levels = levels ?? Array(Set(texts.compactMap { $0 })).sorted()
    var index: [String: Int] = [:]
    for (position, level) in levels.enumerated() { index[level] = position }
    return ReferenceFactor(codes: texts.map { $0.flatMap { index[$0] } }, levels: levels)
  }

  mutating func addNumbers(_ name: String, _ values: [Double]) { numbers[name] = values }

  mutating func addFactor(_ name: String, _ factor: ReferenceFactor) { factors[name] = factor }

  func numbers(_ name: String) throws -> [Double] {
    guard let values = numbers[name] else {
      throw ReferenceError("\(self.name) has no numeric \(name)")
    }
    return values
  }

  func texts(_ name: String) throws -> [String] {
    guard let values = texts[name] else {
      throw ReferenceError("\(self.name) has no column \(name)")
    }
    return try values.enumerated().map { row, text in
      guard let text else {
        throw ReferenceError("\(self.name) \(name) is missing on row \(row + 1)")
      }
      return text
    }
  }

  /// The variable of a one-term formula: `~api00`, `~stype`, `~I(sch.wide == "Yes")`.
  func variable(_ formula: String) throws -> ReferenceVariable {
    var name = formula.trimmingCharacters(in: .whitespaces)
    if name.hasPrefix("~") { name.removeFirst() }
    name = name.trimmingCharacters(in: .whitespaces)
    if name.hasPrefix("I(") && name.hasSuffix(")") {
      let inner = String(name.dropFirst(2).dropLast())
      let truth = try condition(inner)
      let factor = ReferenceFactor(
        codes: truth.map { $0.map { $0 ? 1 : 0 } }, levels: ["FALSE", "TRUE"])
      return .factor(name: name, factor: factor)
    }
    if let values = numbers[name] { return .numeric(name: name, values: values) }
    if let factor = factors[name] { return .factor(name: name, factor: factor) }
    throw ReferenceError("\(self.name) has no variable \(name) (formula \(formula))")
  }

  /// A logical formula `~I(expr)` as R's `as.numeric`: 1, 0 or NaN (missing).
  func indicator(_ formula: String) throws -> [Double] {
    guard case .factor(_, let factor) = try variable(formula), factor.levels == ["FALSE", "TRUE"]
    else { throw ReferenceError("\(formula) is not a logical expression") }
    return factor.codes.map { $0.map(Double.init) ?? .nan }
  }

  /// A comparison `variable op literal` (op one of == != >= <= > <) per row; nil where the
  /// variable is missing, as R's NA.
  func condition(_ expression: String) throws -> [Bool?] {
    let operators = ["==", "!=", ">=", "<=", ">", "<"]
    guard let op = operators.first(where: { expression.contains($0) }),
      let range = expression.range(of: op)
    else { throw ReferenceError("cannot read the condition \(expression)") }
    let lhs = expression[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
    let rhs = expression[range.upperBound...].trimmingCharacters(in: .whitespaces)
    if rhs.hasPrefix("\"") && rhs.hasSuffix("\"") && rhs.count >= 2 {
      let literal = String(rhs.dropFirst().dropLast())
      guard let factor = factors[lhs] else {
        throw ReferenceError("\(lhs) in \(expression) is not a text variable")
      }
      return factor.codes.map { code in
        code.map { code in
          switch op {
          case "==": return factor.levels[code] == literal
          case "!=": return factor.levels[code] != literal
          default: return factor.levels[code] < literal  // not used by the fixtures
          }
        }
      }
    }
    guard let literal = Double(rhs) else {
      throw ReferenceError("cannot read \(rhs) in \(expression)")
    }
    let values = try numbers(lhs)
    return values.map { value in
      guard !value.isNaN else { return nil }
      switch op {
      case "==": return value == literal
      case "!=": return value != literal
      case ">=": return value >= literal
      case "<=": return value <= literal
      case ">": return value > literal
      default: return value < literal
      }
    }
  }

  /// R's `subset(design, expr)`: the rows where `expr` is TRUE (NA is left out).
  func domain(_ expression: String) throws -> [Bool] {
    try condition(expression).map { $0 == true }
  }

  /// The rows of one group of `svyby`: each by-variable at the given level.
  func group(_ levels: [(variable: String, level: String)]) throws -> [Bool] {
    var rows = [Bool](repeating: true, count: rowCount)
    for (variable, level) in levels {
      guard case .factor(_, let factor) = try self.variable(variable) else {
        throw ReferenceError("the by-variable \(variable) is not a factor")
      }
      guard let code = factor.levels.firstIndex(of: level) else {
        throw ReferenceError("\(variable) has no level \(level)")
      }
      for row in 0..<rowCount where factor.codes[row] != code { rows[row] = false }
    }
    return rows
  }

  /// The questionnaire-item recodes of `questionnaire_item.setup_calls[0]` (README).
  func withQuestionnaireItem() throws -> ReferenceDataset {
    var data = self
    let snum = try numbers("snum")
    let api00 = try numbers("api00")
    let qSat = (0..<rowCount).map { row -> Double in
      if snum[row].truncatingRemainder(dividingBy: 10) == 0 { return 9 }
      let score = api00[row]
      return 1 + (score < 775 ? 1 : 0) + (score < 700 ? 1 : 0) + (score < 625 ? 1 : 0)
        + (score < 550 ? 1 : 0)
    }
    let valid = qSat.map { $0 == 9 ? Double.nan : $0 }
    let reversed = valid.map { 6 - $0 }
    data.addNumbers("q_sat", qSat)
    data.addNumbers("q_sat_valid", valid)
    data.addNumbers("q_sat_rev", reversed)
    func label(_ value: Double) -> String? { value.isNaN ? nil : String(Int(value)) }
    data.addFactor("q_sat_f", Self.factor(valid.map(label), levels: ["1", "2", "3", "4", "5"]))
    data.addFactor(
      "q_sat_all", Self.factor(qSat.map(label), levels: ["1", "2", "3", "4", "5", "9"]))
    data.addFactor(
      "q_top2",
      Self.factor(
        reversed.map { $0.isNaN ? nil : ($0 >= 4 ? "Yes" : "No") }, levels: ["No", "Yes"]))
    return data
  }
}

// MARK: - R calls

/// An R call `f(a, b, name = value)` split into its top-level arguments.
struct RCall {
  var function: String
  var positional: [String] = []
  var named: [String: String] = [:]

  init(_ text: String) throws {
    let text = text.trimmingCharacters(in: .whitespaces)
    guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else {
      throw ReferenceError("cannot read the call \(text)")
    }
    function = String(text[..<open])
    let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
    for argument in splitTopLevel(inner) {
      if let (name, value) = namedArgument(argument) {
        named[name] = value
      } else {
        positional.append(argument)
      }
    }
  }

  /// A string argument without its quotes.
  func string(_ name: String) -> String? {
    guard var value = named[name] else { return nil }
    if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
      value = String(value.dropFirst().dropLast())
    }
    return value
  }
}

/// Splits at commas outside parentheses, brackets, braces and string literals.
func splitTopLevel(_ text: Substring) -> [String] {
  var parts: [String] = []
  var depth = 0
  var inString = false
  var current = ""
  var previous: Character = " "
  for character in text {
    if inString {
      current.append(character)
      if character == "\"" && previous != "\\" { inString = false }
    } else {
      switch character {
      case "\"": inString = true
      case "(", "[", "{": depth += 1
      case ")", "]", "}": depth -= 1
      default: break
      }
      if character == "," && depth == 0 {
        parts.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      } else {
        current.append(character)
      }
    }
    previous = character
  }
  let last = current.trimmingCharacters(in: .whitespaces)
  if !last.isEmpty { parts.append(last) }
  return parts
}

/// `name = value` (not `name == value`) with an R identifier as the name.
private func namedArgument(_ argument: String) -> (String, String)? {
  let characters = Array(argument)
  var index = 0
  while index < characters.count
    && (characters[index].isLetter || characters[index].isNumber || characters[index] == "."
      || characters[index] == "_")
  {
    index += 1
  }
  guard index > 0 else { return nil }
  let name = String(characters[..<index])
  while index < characters.count && characters[index] == " " { index += 1 }
  guard index < characters.count, characters[index] == "=",
    index + 1 >= characters.count || characters[index + 1] != "="
  else { return nil }
  let value = String(characters[(index + 1)...]).trimmingCharacters(in: .whitespaces)
  return (name, value)
}

/// The text inside the parentheses that open at the end of `prefix` in `text`, balanced.
func balancedArgument(after prefix: String, in text: String) -> String? {
  guard let start = text.range(of: prefix) else { return nil }
  var depth = 1
  var inString = false
  var previous: Character = " "
  var result = ""
  for character in text[start.upperBound...] {
    if inString {
      if character == "\"" && previous != "\\" { inString = false }
    } else if character == "\"" {
      inString = true
    } else if character == "(" {
      depth += 1
    } else if character == ")" {
      depth -= 1
      if depth == 0 { return result }
    }
    result.append(character)
    previous = character
  }
  return nil
}

/// The domain of a call: the condition of `subset(design, cond)`, or nil for the whole design.
func subsetCondition(in call: String) -> String? {
  guard let inner = balancedArgument(after: "subset(design, ", in: call) else { return nil }
  return inner.trimmingCharacters(in: .whitespaces)
}

// MARK: - Designs

/// `svydesign(id = ~..., strata = ~..., weights = ~..., data = ..., fpc = ~...)`.
struct DesignCall {
  var ids: String
  var strata: String?
  var weights: String
  var data: String
  var fpc: String?

  init(_ text: String) throws {
    let call = try RCall(text)
    guard call.function == "svydesign" else { throw ReferenceError("not a design: \(text)") }
    func formula(_ key: String) -> String? {
      call.named[key].map { $0.hasPrefix("~") ? String($0.dropFirst()) : $0 }
    }
    guard let ids = formula("id"), let weights = formula("weights"), let data = call.named["data"]
    else { throw ReferenceError("design without id, weights or data: \(text)") }
    guard call.positional.isEmpty,
      Set(call.named.keys).isSubset(of: ["id", "strata", "weights", "data", "fpc"])
    else { throw ReferenceError("design arguments not covered: \(text)") }
    self.ids = ids
    self.strata = formula("strata")
    self.weights = weights
    self.data = data
    self.fpc = formula("fpc")
  }

  /// The SurveyKit design of this call on `dataset`.
  func make(
    _ dataset: ReferenceDataset, lonelyPSU: LonelyPSUPolicy = .fail,
    adjustDomainLonely: Bool = false
  ) throws -> SurveyDesign {
    guard dataset.name == data else {
      throw ReferenceError("design on \(data), data \(dataset.name)")
    }
    return try SurveyDesign(
      weights: dataset.numbers(weights),
      strata: try strata.map { try dataset.texts($0) },
      clusters: ids == "1" ? [] : [try dataset.texts(ids)],
      populationSizes: try fpc.map { [try dataset.numbers($0)] } ?? [],
      lonelyPSU: lonelyPSU, adjustDomainLonely: adjustDomainLonely)
  }
}

// MARK: - JSON

/// A value in a fixture with its path from the file's root (`svymean[0].terms[0].se`).
struct JSONNode {
  let value: Any?
  let path: String

  static func load(_ file: String) throws -> JSONNode {
    let url = URL(fileURLWithPath: packagePath("\(referenceFolder)/r-survey/\(file).json"))
    let data = try Data(contentsOf: url)
    return JSONNode(value: try JSONSerialization.jsonObject(with: data), path: "")
  }

  subscript(key: String) -> JSONNode {
    JSONNode(
      value: (value as? [String: Any])?[key], path: path.isEmpty ? key : "\(path).\(key)")
  }

  subscript(index: Int) -> JSONNode {
    let array = value as? [Any]
    return JSONNode(
      value: array.flatMap { index < $0.count ? $0[index] : nil }, path: "\(path)[\(index)]")
  }

  var exists: Bool { value != nil }
  var isNull: Bool { value is NSNull }
  var keys: [String] { (value as? [String: Any]).map { Array($0.keys) } ?? [] }
  var array: [JSONNode] { (0..<((value as? [Any])?.count ?? 0)).map { self[$0] } }
  var string: String? { value as? String }

  /// JSON true/false (Foundation boxes them as NSNumber of type "c"; 0 and 1 are integers).
  var bool: Bool? {
    guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
      return nil
    }
    return number.boolValue
  }

  /// A JSON number. Foundation's parser may be 1 ulp off the double the text denotes (see
  /// `fixturesReadBack`), far inside every tolerance.
  var number: Double? {
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
      return nil
    }
    return number.doubleValue
  }

  var strings: [String] {
    if let single = string { return [single] }
    return array.compactMap(\.string)
  }
}

// MARK: - Comparison

/// Compares SurveyKit's numbers with R's, with the README's tolerances, and counts them. Every
/// failure names the file, the JSON path and both numbers.
final class Checker {
  let file: String
  let section: String
  private(set) var compared = 0
  private(set) var skipped: [String] = []
  /// The largest relative difference seen (where R's value is not 0) per tolerance, and where.
  private(set) var worst: [Double: (difference: Double, path: String)] = [:]

  init(file: String, section: String) {
    self.file = file
    self.section = section
  }

  private func describe(_ value: Double?) -> String {
    value.map { "\($0)" } ?? "nil"
  }

  private func fail(_ message: String, _ location: SourceLocation) {
    Issue.record(Comment(rawValue: "\(file).json \(message)"), sourceLocation: location)
  }

  /// R's value at `node`, or a recorded issue when the fixture has none.
  private func reference(_ node: JSONNode, _ location: SourceLocation) -> Double?? {
    if node.isNull { return .some(nil) }
    guard let number = node.number else {
      fail("\(node.path): no number in the fixture", location)
      return nil
    }
    return .some(number)
  }

  /// A null (R's NA/NaN/Inf) must be nil or not finite on our side.
  private func checkNull(_ ours: Double?, _ node: JSONNode, _ location: SourceLocation) {
    compared += 1
    if let ours, ours.isFinite {
      fail("\(node.path): ours \(ours) vs R null (NA/NaN/Inf)", location)
    }
  }

  /// |ours − R| ≤ relative·|R|.
  func value(
    _ ours: Double?, _ node: JSONNode, relative: Double = 1e-9,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let reference = reference(node, sourceLocation) else { return }
    guard let r = reference else { return checkNull(ours, node, sourceLocation) }
    compared += 1
    if let ours, r != 0, abs(ours - r) / abs(r) > worst[relative]?.difference ?? 0 {
      worst[relative] = (abs(ours - r) / abs(r), node.path)
    }
    guard let ours, abs(ours - r) <= relative * abs(r) else {
      let difference = ours.map { abs($0 - r) / abs(r) }
      fail(
        "\(node.path): ours \(describe(ours)) vs R \(r) (relative difference "
          + "\(describe(difference)), tolerance \(relative))", sourceLocation)
      return
    }
  }

  /// A standard error: relative, except that an SE below 1e-9 × |estimate| in R is rounding
  /// noise and ours need only be as small (absolute).
  func standardError(
    _ ours: Double?, _ node: JSONNode, estimate: Double,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let reference = reference(node, sourceLocation) else { return }
    guard let r = reference else { return checkNull(ours, node, sourceLocation) }
    let bound = 1e-9 * abs(estimate)
    if abs(r) <= bound {
      compared += 1
      guard let ours, abs(ours) <= bound else {
        fail(
          "\(node.path): ours \(describe(ours)) vs R \(r) (tiny SE: |ours| must be ≤ \(bound))",
          sourceLocation)
        return
      }
      return
    }
    value(ours, node, sourceLocation: sourceLocation)
  }

  /// A design effect: relative, except that a deff below 1e-9 in R (0 in exact arithmetic) is
  /// compared absolutely.
  func designEffect(
    _ ours: Double?, _ node: JSONNode, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let reference = reference(node, sourceLocation) else { return }
    guard let r = reference else { return checkNull(ours, node, sourceLocation) }
    if abs(r) < 1e-9 {
      compared += 1
      guard let ours, abs(ours) <= 1e-9 else {
        fail(
          "\(node.path): ours \(describe(ours)) vs R \(r) (tiny deff: |ours| must be ≤ 1e-9)",
          sourceLocation)
        return
      }
      return
    }
    value(ours, node, sourceLocation: sourceLocation)
  }

  /// Both ends of an interval, `[lower, upper]` in the fixture.
  func interval(
    _ ours: ConfidenceInterval, _ node: JSONNode, relative: Double = 1e-9,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard node.array.count == 2 else {
      fail("\(node.path): no interval in the fixture", sourceLocation)
      return
    }
    value(ours.lower, node[0], relative: relative, sourceLocation: sourceLocation)
    value(ours.upper, node[1], relative: relative, sourceLocation: sourceLocation)
  }

  /// An exact count (degrees of freedom, rows).
  func count(_ ours: Int, _ node: JSONNode, sourceLocation: SourceLocation = #_sourceLocation) {
    value(Double(ours), node, relative: 0, sourceLocation: sourceLocation)
  }

  /// A structural expectation about the fixture or our result.
  func require(
    _ condition: Bool, _ message: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    if !condition { fail(message(), sourceLocation) }
  }

  /// Keys of a result node that no check reads must be listed, so nothing is skipped silently.
  func coverKeys(
    _ node: JSONNode, handled: Set<String>, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let unknown = Set(node.keys).subtracting(handled)
    if !unknown.isEmpty {
      fail("\(node.path): keys not compared: \(unknown.sorted())", sourceLocation)
    }
  }

  func skip(_ path: String, _ reason: String) { skipped.append("\(path) (\(reason))") }

  /// Prints the tally, which the report sums up.
  func finish() {
    var line = "[reference] \(file) \(section): \(compared) numbers compared"
    for (tolerance, worst) in worst.sorted(by: { $0.key < $1.key }) {
      line +=
        ", worst relative difference \(worst.difference) at \(worst.path) (tolerance \(tolerance))"
    }
    if !skipped.isEmpty { line += ", skipped: \(skipped.joined(separator: "; "))" }
    print(line)
  }
}

// MARK: - Estimation on the reference data

/// Terms of a formula estimated over one base.
struct Evaluation {
  var terms: [String]
  var estimates: [Estimate]
  var warnings: [String]

  func estimate(_ term: String) -> Estimate? {
    terms.firstIndex(of: term).map { estimates[$0] }
  }
}

enum ReferenceStatistic: String {
  case mean = "svymean"
  case total = "svytotal"
}

extension ReferenceDataset {
  /// `svymean` / `svytotal` of a one-term formula, in the whole design or a domain; missing
  /// values are left out (R's `na.rm = TRUE`). Numbers go through `mean`/`total` (or, to get
  /// the variance warnings, `means`/`totals`), factors through `proportions`/`counts`.
  func evaluate(
    _ formula: String, _ statistic: ReferenceStatistic, design: SurveyDesign, domain: [Bool]?,
    withWarnings: Bool = false
  ) throws -> Evaluation {
    let variable = try variable(formula)
    switch variable {
    case .numeric(_, let values):
      if withWarnings {
        let missing: (Int) -> Bool = { values[$0].isNaN }
        let value: (Int, Int) -> Double = { row, _ in values[row] }
        let set =
          statistic == .mean
          ? try design.means(columns: 1, domain: domain, isMissing: missing, value: value)
          : try design.totals(columns: 1, domain: domain, isMissing: missing, value: value)
        return Evaluation(
          terms: variable.termNames, estimates: set.estimates, warnings: set.warnings)
      }
      let estimate =
        statistic == .mean
        ? try design.mean(values, domain: domain) : try design.total(values, domain: domain)
      return Evaluation(terms: variable.termNames, estimates: [estimate], warnings: [])
    case .factor(_, let factor):
      let set =
        statistic == .mean
        ? try design.proportions(factor.codes, levels: factor.levels.count, domain: domain)
        : try design.counts(factor.codes, levels: factor.levels.count, domain: domain)
      return Evaluation(terms: variable.termNames, estimates: set.estimates, warnings: set.warnings)
    }
  }

  /// `svyciprop(~I(expr), design)`: the weighted mean of the 0/1 indicator (missing left out).
  func proportion(_ formula: String, design: SurveyDesign, domain: [Bool]?) throws -> Estimate {
    try design.mean(indicator(formula), domain: domain)
  }

  /// The groups of `svyby(..., ~by1 + by2, ...)` in R's order (the first variable varies
  /// fastest, as `interaction()`), those with rows only.
  func groups(_ byVariables: [String]) throws -> [[(variable: String, level: String)]] {
    var groups: [[(variable: String, level: String)]] = [[]]
    for variable in byVariables {
      guard case .factor(_, let factor) = try self.variable(variable) else {
        throw ReferenceError("the by-variable \(variable) is not a factor")
      }
      groups = factor.levels.flatMap { level in groups.map { $0 + [(variable, level)] } }
    }
    return try groups.filter { try group($0).contains(true) }
  }

}

/// The by-variables of `~stype + awards`.
func byVariables(_ formula: String) -> [String] {
  formula.trimmingCharacters(in: .whitespaces).drop(while: { $0 == "~" })
    .split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
}

/// R's `confint(x, df = df)` (`tconfint`): the Wald interval with t on `df` degrees of freedom.
func waldInterval(_ estimate: Estimate, degreesOfFreedom: Int, level: Double = 0.95)
  -> ConfidenceInterval
{
  var estimate = estimate
  estimate.degreesOfFreedom = degreesOfFreedom
  return estimate.confidenceInterval(level: level)
}

/// R's `confint(x)`: the Wald interval on the normal quantile, est + se·qnorm(c(a, 1 − a)).
func normalInterval(_ estimate: Estimate, level: Double = 0.95) -> ConfidenceInterval {
  let a = (1 - level) / 2
  return ConfidenceInterval(
    lower: estimate.estimate + estimate.standardError * Distribution.normalQuantile(a),
    upper: estimate.estimate + estimate.standardError * Distribution.normalQuantile(1 - a),
    level: level)
}

/// The degrees of freedom a `call_ci_wald_t` passes: `df = degf(design)` or
/// `df = degf(subset(design, cond))`.
func waldDegreesOfFreedom(
  _ call: String, design: SurveyDesign, data: ReferenceDataset
) throws -> Int {
  guard let argument = balancedArgument(after: "df = degf(", in: call) else {
    throw ReferenceError("no df = degf(...) in \(call)")
  }
  if argument == "design" || argument == "weighted" { return design.degreesOfFreedom() }
  guard let condition = subsetCondition(in: argument) else {
    throw ReferenceError("cannot read the df of \(call)")
  }
  return design.degreesOfFreedom(active: try data.domain(condition))
}

/// A fixture method name as SurveyKit's interval; nil for `likelihood` (not implemented).
func intervalMethod(_ name: String) -> (method: ProportionIntervalMethod, relative: Double)? {
  switch name {
  case "mean": return (.wald, 1e-9)
  case "beta": return (.beta, 1e-9)
  case "asin": return (.arcsine, 1e-9)
  case "xlogit": return (.logit, 1e-9)
  case "wilson": return (.wilson, 1e-9)
  // R fits logit by svyglm IRLS: 1e-7 for its estimate and interval (README).
  case "logit": return (.logit, 1e-7)
  default: return nil
  }
}

// MARK: - Shared checks

/// A design file with its data and design.
struct DesignFixture {
  let file: String
  let json: JSONNode
  let data: ReferenceDataset
  let design: SurveyDesign

  init(_ file: String) throws {
    self.file = file
    json = try JSONNode.load(file)
    guard let designCall = json["design_call"].string, let dataset = json["dataset"].string else {
      throw ReferenceError("\(file).json has no design_call or dataset")
    }
    data = try ReferenceDataset(name: dataset)
    design = try DesignCall(designCall).make(data)
  }

  func checker(_ section: String) -> Checker { Checker(file: file, section: section) }
}

/// The result keys every svymean-shaped term may hold.
let estimateTermKeys: Set<String> = [
  "term", "level", "estimate", "se", "deff", "deff_replace", "ci_wald_normal", "ci_wald_t",
]

/// One entry in the svymean-entry shape (`svymean[i]`, `svytotal[i]`, `domains.subset.*`,
/// `questionnaire_item.svymean[i]`): every term's estimate, SE, deffs and Wald intervals.
func checkEstimateEntry(
  _ entry: JSONNode, data: ReferenceDataset, design: SurveyDesign, checker: Checker,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  guard let callText = entry["call"].string else { throw ReferenceError("\(entry.path): no call") }
  let call = try RCall(callText)
  guard let statistic = ReferenceStatistic(rawValue: call.function),
    let formula = call.positional.first
  else { throw ReferenceError("\(entry.path): cannot read \(callText)") }
  let domain = try subsetCondition(in: callText).map { try data.domain($0) }
  let result = try data.evaluate(formula, statistic, design: design, domain: domain)
  let terms = entry["terms"].array
  checker.require(
    terms.count == result.terms.count,
    "\(entry.path).terms: R has \(terms.count) terms, ours \(result.terms)",
    sourceLocation: sourceLocation)
  if let replaceCall = entry["call_deff_replace"].string {
    checker.require(
      replaceCall == callText.replacingOccurrences(of: "deff = TRUE", with: "deff = \"replace\""),
      "\(entry.path).call_deff_replace is not the call with deff = \"replace\"",
      sourceLocation: sourceLocation)
  }
  let tDegrees = try entry["call_ci_wald_t"].string.map {
    try waldDegreesOfFreedom($0, design: design, data: data)
  }
  for term in terms {
    guard let name = term["term"].string, let ours = result.estimate(name) else {
      checker.require(
        false, "\(term.path): term \(term["term"].string ?? "?") not among ours \(result.terms)",
        sourceLocation: sourceLocation)
      continue
    }
    checker.coverKeys(term, handled: estimateTermKeys, sourceLocation: sourceLocation)
    checker.value(ours.estimate, term["estimate"], sourceLocation: sourceLocation)
    let estimate = term["estimate"].number ?? ours.estimate
    checker.standardError(
      ours.standardError, term["se"], estimate: estimate, sourceLocation: sourceLocation)
    if term["deff"].exists {
      checker.designEffect(ours.designEffect, term["deff"], sourceLocation: sourceLocation)
    }
    if term["deff_replace"].exists {
      checker.designEffect(
        ours.designEffectWithReplacement, term["deff_replace"], sourceLocation: sourceLocation)
    }
    if term["ci_wald_normal"].exists {
      checker.interval(normalInterval(ours), term["ci_wald_normal"], sourceLocation: sourceLocation)
    }
    if term["ci_wald_t"].exists {
      guard let tDegrees else { throw ReferenceError("\(entry.path): no call_ci_wald_t") }
      checker.interval(
        waldInterval(ours, degreesOfFreedom: tDegrees), term["ci_wald_t"],
        sourceLocation: sourceLocation)
    }
  }
}

/// One `svyby` entry (either shape): each group's terms, with deff and Wald intervals where
/// present, or svyciprop's estimate, SE and interval for `svyby(..., svyciprop, ...)`.
func checkByEntry(
  _ entry: JSONNode, data: ReferenceDataset, design: SurveyDesign, checker: Checker,
  withWarnings: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String] {
  guard let callText = entry["call"].string else { throw ReferenceError("\(entry.path): no call") }
  let call = try RCall(callText)
  guard call.function == "svyby", call.positional.count >= 4 else {
    throw ReferenceError("\(entry.path): cannot read \(callText)")
  }
  let formula = call.positional[0]
  let by = byVariables(call.positional[1])
  checker.require(
    ["design", "weighted"].contains(call.positional[2]),
    "\(entry.path): svyby on \(call.positional[2])",
    sourceLocation: sourceLocation)
  if entry["by"].exists {
    checker.require(
      entry["by"].strings == by, "\(entry.path).by is \(entry["by"].strings), call by \(by)",
      sourceLocation: sourceLocation)
  }
  let function = call.positional[3]
  let tDegrees = try entry["call_ci_wald_t"].string.map {
    try waldDegreesOfFreedom($0, design: design, data: data)
  }
  var warnings: [String] = []
  let results = entry["results"].array
  checker.require(!results.isEmpty, "\(entry.path): no results", sourceLocation: sourceLocation)
  for result in results {
    let levels = try by.map { variable -> (variable: String, level: String) in
      guard let level = result[variable].string else {
        throw ReferenceError("\(result.path): no \(variable)")
      }
      return (variable, level)
    }
    let domain = try data.group(levels)
    guard let termName = result["term"].string else {
      throw ReferenceError("\(result.path): no term")
    }
    if function == "svyciprop" {
      checker.coverKeys(
        result, handled: Set(by + ["term", "estimate", "se", "ci"]), sourceLocation: sourceLocation)
      guard let methodName = call.string("method") else {
        throw ReferenceError("\(entry.path): no method")
      }
      checker.require(
        "~" + termName == formula, "\(result.path).term \(termName) for formula \(formula)",
        sourceLocation: sourceLocation)
      let ours = try data.proportion(formula, design: design, domain: domain)
      guard let (method, relative) = intervalMethod(methodName) else {
        checker.skip(result.path, "svyciprop method \(methodName) is not implemented")
        continue
      }
      checker.value(
        ours.estimate, result["estimate"], relative: relative, sourceLocation: sourceLocation)
      checker.standardError(
        ours.standardError, result["se"], estimate: ours.estimate, sourceLocation: sourceLocation)
      checker.interval(
        ours.proportionInterval(method), result["ci"], relative: relative,
        sourceLocation: sourceLocation)
      continue
    }
    guard let statistic = ReferenceStatistic(rawValue: function) else {
      throw ReferenceError("\(entry.path): svyby with \(function)")
    }
    checker.coverKeys(
      result,
      handled: Set(by + ["term", "estimate", "se", "deff", "ci_wald_normal", "ci_wald_t"]),
      sourceLocation: sourceLocation)
    let evaluation = try data.evaluate(
      formula, statistic, design: design, domain: domain, withWarnings: withWarnings)
    warnings += evaluation.warnings
    guard let ours = evaluation.estimate(termName) else {
      checker.require(
        false, "\(result.path): term \(termName) not among ours \(evaluation.terms)",
        sourceLocation: sourceLocation)
      continue
    }
    checker.value(ours.estimate, result["estimate"], sourceLocation: sourceLocation)
    checker.standardError(
      ours.standardError, result["se"], estimate: result["estimate"].number ?? ours.estimate,
      sourceLocation: sourceLocation)
    if result["deff"].exists {
      checker.designEffect(ours.designEffect, result["deff"], sourceLocation: sourceLocation)
    }
    if result["ci_wald_normal"].exists {
      checker.interval(
        normalInterval(ours), result["ci_wald_normal"], sourceLocation: sourceLocation)
    }
    if result["ci_wald_t"].exists {
      guard let tDegrees else { throw ReferenceError("\(entry.path): no call_ci_wald_t") }
      checker.interval(
        waldInterval(ours, degreesOfFreedom: tDegrees), result["ci_wald_t"],
        sourceLocation: sourceLocation)
    }
  }
  // Every group R reports, in R's order, and no other.
  var reported: [[String]] = []
  for result in results {
    let key = by.map { result[$0].string ?? "?" }
    if reported.last != key { reported.append(key) }
  }
  let expected = try data.groups(by).map { $0.map(\.level) }
  checker.require(
    reported == expected, "\(entry.path): R's groups \(reported), ours \(expected)",
    sourceLocation: sourceLocation)
  return warnings
}

/// One `svyciprop` entry (also the Wilson `local({...})` entries): df, estimate, SE and interval.
func checkProportionEntry(
  _ entry: JSONNode, data: ReferenceDataset, design: SurveyDesign, checker: Checker,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  guard let callText = entry["call"].string, let formula = entry["formula"].string,
    let methodName = entry["method"].string
  else { throw ReferenceError("\(entry.path): no call, formula or method") }
  if let error = entry["error"].string {
    checker.skip(entry.path, "R failed: \(error)")
    return
  }
  guard let (method, relative) = intervalMethod(methodName) else {
    checker.skip(entry.path, "svyciprop method \(methodName) is not implemented")
    return
  }
  checker.coverKeys(
    entry,
    handled: [
      "formula", "method", "call", "level", "df", "estimate", "se", "ci", "note", "warnings",
    ],
    sourceLocation: sourceLocation)
  if methodName != "wilson" {
    let call = try RCall(callText)
    checker.require(
      call.function == "svyciprop" && call.positional.first == formula
        && call.string("method") == methodName,
      "\(entry.path): call \(callText) does not match formula and method",
      sourceLocation: sourceLocation)
  }
  let level = entry["level"].number ?? 0.95
  let domain = try subsetCondition(in: callText).map { try data.domain($0) }
  let ours = try data.proportion(formula, design: design, domain: domain)
  if entry["df"].exists {
    checker.count(ours.degreesOfFreedom, entry["df"], sourceLocation: sourceLocation)
  }
  checker.value(
    ours.estimate, entry["estimate"], relative: relative, sourceLocation: sourceLocation)
  checker.standardError(
    ours.standardError, entry["se"], estimate: ours.estimate, sourceLocation: sourceLocation)
  checker.interval(
    ours.proportionInterval(method, level: level), entry["ci"], relative: relative,
    sourceLocation: sourceLocation)
}
