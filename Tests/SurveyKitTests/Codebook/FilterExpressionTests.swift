import Testing

@testable import SurveyKit

@Suite("Filters: parsing and three-valued evaluation")
struct FilterExpressionTests {
  func evaluate(_ text: String, _ values: [String: Double]) throws -> Bool? {
    try FilterExpression(parsing: text).evaluate { values[$0] }
  }

  @Test func comparisons() throws {
    #expect(try evaluate("Q2 < Q1", ["Q1": 2, "Q2": 1]) == true)
    #expect(try evaluate("Q2 < Q1", ["Q1": 2, "Q2": 2]) == false)
    #expect(try evaluate("Q2 <= Q1 && F1 != 9", ["Q1": 2, "Q2": 2, "F1": 1]) == true)
    #expect(try evaluate("F2 in [1, 2]", ["F2": 2]) == true)
    #expect(try evaluate("not (F2 in [1, 2]) or F1 = 1", ["F2": 2, "F1": 1]) == true)
    #expect(try evaluate("!(F1 >= 2)", ["F1": 1]) == true)
  }

  @Test func aMissingAnswerMakesTheFilterUnknown() throws {
    #expect(try evaluate("Q2 < Q1", ["Q1": 2]) == nil)
    // …unless the other side already decides it.
    #expect(try evaluate("Q2 < Q1 and F1 == 1", ["F1": 2]) == false)
    #expect(try evaluate("Q2 < Q1 or F1 == 1", ["F1": 1]) == true)
  }

  @Test func syntaxErrorsNameTheOffset() {
    func failure(_ text: String) -> FilterExpression.SyntaxError? {
      do {
        _ = try FilterExpression(parsing: text)
        return nil
      } catch {
        return error
      }
    }
    #expect(failure("Q1 <") == .init(offset: 4, message: "the condition ends too early"))
    #expect(
      failure("Q1 == 1 Q2") == .init(offset: 8, message: "unexpected \"Q2\" after the condition"))
    #expect(failure("(Q1 == 1") == .init(offset: 8, message: "expected \")\""))
    #expect(failure("Q1 in [1, x]") == .init(offset: 11, message: "expected a number in the list"))
  }

  @Test func descriptionReadsBack() throws {
    let text = "(Q2 < Q1) and (F2 in [1, 2])"
    #expect(try FilterExpression(parsing: text).description == text)
    #expect(
      try FilterExpression(parsing: text) == FilterExpression(parsing: "Q2<Q1 and F2 in [1,2]"))
  }
}
