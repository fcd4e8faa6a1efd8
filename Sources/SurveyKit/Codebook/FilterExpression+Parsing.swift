extension FilterExpression {
  /// A filter that could not be read, with the character offset (0-based) where reading stopped.
  public struct SyntaxError: Error, Sendable, Hashable {
    public var offset: Int
    public var message: String
  }

  /// Reads a filter written in the codebook, e.g. `Q2 < Q1`.
  public init(parsing text: String) throws(SyntaxError) {
    var parser = FilterParser(text: text)
    let expression = try parser.parseOr()
    parser.skipSpaces()
    if !parser.atEnd {
      throw SyntaxError(
        offset: parser.offset, message: "unexpected \"\(parser.rest)\" after the condition")
    }
    self = expression
  }
}

private struct FilterParser {
  let characters: [Character]
  var offset = 0

  init(text: String) { characters = Array(text) }

  var atEnd: Bool { offset >= characters.count }
  var rest: String { String(characters[offset...]) }

  mutating func skipSpaces() {
    while offset < characters.count, characters[offset].isWhitespace { offset += 1 }
  }

  /// Consumes `token` if the text continues with it (a keyword must end at a word boundary).
  mutating func take(_ token: String) -> Bool {
    skipSpaces()
    let tokenCharacters = Array(token)
    guard offset + tokenCharacters.count <= characters.count,
      Array(characters[offset..<offset + tokenCharacters.count]) == tokenCharacters
    else { return false }
    if let last = tokenCharacters.last, last.isLetter,
      offset + tokenCharacters.count < characters.count
    {
      let next = characters[offset + tokenCharacters.count]
      if next.isLetter || next.isNumber || next == "_" { return false }
    }
    offset += tokenCharacters.count
    return true
  }

  func error(_ message: String) -> FilterExpression.SyntaxError {
    FilterExpression.SyntaxError(offset: offset, message: message)
  }

  mutating func parseOr() throws(FilterExpression.SyntaxError) -> FilterExpression {
    var expression = try parseAnd()
    while take("or") || take("||") {
      expression = .or(expression, try parseAnd())
    }
    return expression
  }

  mutating func parseAnd() throws(FilterExpression.SyntaxError) -> FilterExpression {
    var expression = try parseNot()
    while take("and") || take("&&") {
      expression = .and(expression, try parseNot())
    }
    return expression
  }

  mutating func parseNot() throws(FilterExpression.SyntaxError) -> FilterExpression {
    if take("not") || (peek("!") && !peek("!=") && take("!")) {
      return .not(try parseNot())
    }
    if take("(") {
      let inner = try parseOr()
      guard take(")") else { throw error("expected \")\"") }
      return inner
    }
    return try parseComparison()
  }

  mutating func peek(_ token: String) -> Bool {
    let saved = offset
    defer { offset = saved }
    return take(token)
  }

  mutating func parseComparison() throws(FilterExpression.SyntaxError) -> FilterExpression {
    let left = try parseOperand()
    if take("in") {
      guard take("[") else { throw error("expected \"[\" after \"in\"") }
      var list: [Double] = []
      repeat {
        guard case .number(let number) = try parseOperand() else {
          throw error("expected a number in the list")
        }
        list.append(number)
      } while take(",")
      guard take("]") else { throw error("expected \"]\" to close the list") }
      return .member(left, list)
    }
    for comparison in [
      FilterExpression.Comparison.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater,
    ] where take(comparison.rawValue) {
      return .compare(left, comparison, try parseOperand())
    }
    if take("=") {
      return .compare(left, .equal, try parseOperand())
    }
    throw error("expected a comparison (==, !=, <, <=, >, >=, in)")
  }

  mutating func parseOperand() throws(FilterExpression.SyntaxError) -> FilterExpression.Operand {
    skipSpaces()
    guard !atEnd else { throw error("the condition ends too early") }
    let start = offset
    let first = characters[offset]
    if first.isNumber || first == "-" || first == "." {
      offset += 1
      while offset < characters.count,
        characters[offset].isNumber || characters[offset] == "."
      {
        offset += 1
      }
      guard let number = Double(String(characters[start..<offset])) else {
        offset = start
        throw error("\"\(String(characters[start..<characters.count]))\" is not a number")
      }
      return .number(number)
    }
    if first.isLetter || first == "_" {
      while offset < characters.count,
        characters[offset].isLetter || characters[offset].isNumber || characters[offset] == "_"
          || characters[offset] == "."
      {
        offset += 1
      }
      return .variable(String(characters[start..<offset]))
    }
    throw error("expected a variable name or a number, found \"\(first)\"")
  }
}
