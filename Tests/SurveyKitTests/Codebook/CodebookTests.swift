import Testing

@testable import SurveyKit

@Suite("Codebook: loading and located errors")
struct CodebookTests {
  @Test func theSampleCodebookLoads() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    #expect(codebook.survey.id == "citizen-survey-2019")
    #expect(
      codebook.variables.map(\.name) == [
        "ID", "DISTRICT", "WEIGHT", "FPC", "F1", "F2", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7",
        "Q8",
      ])
    let q3 = try #require(codebook.variable(named: "Q3"))
    #expect(q3.shape == .dichotomy(columns: (1...8).map { "Q3_\($0)" }))
    #expect(q3.filter == .compare(.variable("Q2"), .less, .variable("Q1")))
    let q4 = try #require(codebook.variable(named: "Q4"))
    #expect(q4.shape == .delimited(column: "Q4"))
    #expect(q4.maximumChoices == 3)
    #expect(q4.exclusive == [9])
    // The survey-wide missing code applies to single-choice questions without their own.
    #expect(codebook.variable(named: "F1")?.missing == [MissingCode(code: 9, meaning: .noAnswer)])
    #expect(codebook.variable(named: "Q6")?.missing.map(\.meaning) == [.dontKnow, .noAnswer])
    #expect(codebook.variable(named: "Q8")?.isOptional == true)
    #expect(codebook.variable(named: "ID")?.isUnique == true)
    #expect(codebook.variable(named: "Q5")?.codeSummary == "1–5; 9 = 無回答")
    #expect(
      codebook.variable(named: "F1")?.valueLabel(of: 2)?.label
        == LocalizedText(japanese: "女性", english: "Female"))
  }

  /// Loads `yaml` and returns the printed error, or nil if it loaded.
  func error(_ yaml: String) -> String? {
    do {
      _ = try Codebook(yaml: yaml, file: "b.yaml")
      return nil
    } catch {
      return error.description
    }
  }

  @Test func yamlSyntaxErrorIsLocated() {
    #expect(
      error("survey: {id: x}\nvariables:\n  - name: A\n    type: [single\n")
        == "b.yaml:5:1: error: the YAML cannot be read: did not find expected ',' or ']' while parsing a flow sequence that starts at line 4, column 11"
    )
  }

  @Test func everyProblemIsReportedWithItsPosition() {
    let yaml = """
      survey: {id: x}
      variables:
        - name: A
          type: singel
        - name: B
          type: single
          values: {1: はい, 2: いいえ}
          max_choice: 2
        - name: C
          type: multi
          shape: dichotomy
          columns: [C_1, C_2]
          values: {1: a, 2: b, 3: c}
          filter: Z == 1
        - name: D
          type: multi
          shape: delimited
          values: {1: a}
          exclusive: [5]
          filter: B >< 1
      rules:
        blank-line: reject
        unknown-code: ignore
      """
    #expect(
      error(yaml) == """
        b.yaml:4:11: error: A: type "singel" is not one of id, single, multi, numeric, text, weight, stratum, cluster, fpc
        b.yaml:8:5: error: a variable: unknown key "max_choice" (expected one of name, type, label, question, unit, values, missing, range, shape, columns, column, max_choices, exclusive, filter, unique, optional)
        b.yaml:12:14: error: C: a dichotomy has one column per code, but there are 2 columns for 3 codes
        b.yaml:19:17: error: D: exclusive code 5 is not one of its values
        b.yaml:20:16: error: D: the filter "B >< 1" cannot be read: expected a variable name or a number, found "<"
        b.yaml:22:3: error: rules: the action of "blank-line" is fixed and cannot be changed
        b.yaml:23:17: error: rules: unknown-code: "ignore" is not an action (reject, set-missing, warn)
        """)
  }

  @Test func filterMustNameQuestionsThatExist() {
    let yaml = """
      survey: {id: x}
      variables:
        - {name: T, type: text}
        - name: A
          type: single
          values: {1: a}
          filter: Z == 1 and T == 2
      """
    #expect(
      error(yaml) == """
        b.yaml:7:13: error: A: the filter refers to "Z", which is not a variable
        b.yaml:7:13: error: A: the filter refers to T, a text variable; filters compare single-choice and numeric answers
        """)
  }

  @Test func structuralMistakes() {
    #expect(error("") == "b.yaml:1:1: error: the codebook is empty")
    #expect(error("variables: []") == "b.yaml:1:1: error: the codebook has no \"survey\" section")
    #expect(
      error(
        "survey: {id: x}\nvariables:\n  - {name: A, type: single}\n  - {name: B, type: text}\n  - {name: B, type: text}\n"
      )
        == """
        b.yaml:3:5: error: A: a single question needs its codes under "values"
        b.yaml:5:5: error: B: a variable of this name is already defined
        """)
    #expect(
      error(
        "survey: {id: x}\nvariables:\n  - {name: W, type: weight}\n  - {name: V, type: weight}\n")
        == "b.yaml:4:5: error: V: the codebook already has a weight variable, W")
    #expect(
      error(
        "survey: {id: x}\nvariables:\n  - {name: A, type: single, values: {1: a}, missing: {1: no-answer}}\n"
      )
        == "b.yaml:3:54: error: A: code 1 is both a value and a missing code")
  }

  @Test func designRulesCannotMerelyWarn() {
    #expect(
      error("survey: {id: x}\nvariables: []\nrules: {non-positive-weight: warn}\n")
        == "b.yaml:3:30: error: rules: non-positive-weight cannot be warn; choose reject or set-missing"
    )
  }

  @Test func aBrokenVariableIsReportedOnce() {
    let yaml = """
      survey: {id: x}
      variables:
        - {name: Q1, type: count}
        - {name: Q2, type: single, values: {1: a}, filter: Q1 == 1}
        - {name: W, type: weight, filter: Q2 == 1}
      """
    #expect(
      error(yaml) == """
        b.yaml:3:22: error: Q1: type "count" is not one of id, single, multi, numeric, text, weight, stratum, cluster, fpc
        b.yaml:5:37: error: W: a weight variable has no "filter"; only questions do
        """)
  }

  @Test func missingCodesTakeMeaningsAndLabels() throws {
    let codebook = try Codebook(
      yaml: """
        survey: {id: x}
        variables:
          - name: A
            type: single
            values: {1: a}
            missing:
              8: {meaning: dont-know, label: {ja: 分からない, en: DK}}
              9: not-applicable
        """, file: "m.yaml")
    #expect(
      codebook.variables[0].missing == [
        MissingCode(
          code: 8, meaning: .dontKnow, label: LocalizedText(japanese: "分からない", english: "DK")),
        MissingCode(code: 9, meaning: .notApplicable),
      ])
    #expect(codebook.variables[0].missing[1].label.japanese == "非該当")
  }
}
