import Testing

@testable import SurveyKit

/// The synthetic sample must reproduce the seed's published figures (DOMAIN.md) once weighted:
/// shares are Σw·[condition] / Σw over the respondents with a valid answer.
@Suite("Sample: weighted figures equal the published ones")
struct SampleFiguresTests {
  let result: IngestResult

  init() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    result = try SurveyReader(codebook: codebook).read(
      contentsOf: packagePath("samples/citizen-survey-2019.csv"))
  }

  var weights: NumberColumn {
    guard case .numbers(let column) = result.table.column(named: "WEIGHT") else {
      return NumberColumn()
    }
    return column
  }

  /// The weighted percentage of `condition` among rows where `inBase` holds, rounded to 0.1.
  func percent(_ inBase: (Int) -> Bool, _ condition: (Int) -> Bool) -> Double {
    var base = 0.0
    var hits = 0.0
    for row in 0..<result.table.rowCount where inBase(row) {
      let weight = weights.values[row]
      base += weight
      if condition(row) { hits += weight }
    }
    return (hits / base * 1000).rounded() / 10
  }

  func numbers(_ name: String) -> NumberColumn {
    if case .numbers(let column) = result.table.column(named: name) { return column }
    return NumberColumn()
  }

  func codes(_ name: String) -> CodeColumn {
    if case .codes(let column) = result.table.column(named: name) { return column }
    return CodeColumn()
  }

  func multi(_ name: String) -> MultiResponseColumn {
    if case .multi(let column) = result.table.column(named: name) { return column }
    return MultiResponseColumn()
  }

  @Test func idealNumberOfChildren() {
    let q1 = numbers("Q1")
    #expect(percent({ q1[$0] != nil }, { q1[$0] == 2 }) == 55.3)
    #expect(percent({ q1[$0] != nil }, { q1[$0] == 3 }) == 32.5)
  }

  @Test func reasonsForFewerChildren() {
    let q3 = multi("Q3")
    // Bits follow the codebook's codes: bit 0 = code 1 (お金がかかりすぎる), …
    #expect(percent({ q3[$0] != nil }, { q3[$0]! & 0b001 != 0 }) == 62.8)
    #expect(percent({ q3[$0] != nil }, { q3[$0]! & 0b010 != 0 }) == 20.4)
    #expect(percent({ q3[$0] != nil }, { q3[$0]! & 0b100 != 0 }) == 17.7)
    // Asked only when actual < ideal: everyone else is 非該当.
    let q1 = numbers("Q1")
    let q2 = numbers("Q2")
    for row in 0..<result.table.rowCount {
      if let ideal = q1[row], let actual = q2[row], actual >= ideal {
        #expect(q3.states[row] == .notAsked)
      }
    }
  }

  @Test func policies() {
    let q4 = multi("Q4")
    #expect(percent({ q4[$0] != nil }, { q4[$0]! & 0b001 != 0 }) == 56.8)
    #expect(percent({ q4[$0] != nil }, { q4[$0]! & 0b010 != 0 }) == 42.4)
    #expect(percent({ q4[$0] != nil }, { q4[$0]! & 0b100 != 0 }) == 37.0)
  }

  @Test func livabilityTopBox() {
    let q5 = codes("Q5")
    #expect(percent({ q5[$0] != nil }, { q5[$0] == 1 }) == 33.1)
  }

  @Test func satisfactionMeanOnTheReversedScale() {
    let q6 = codes("Q6")
    var total = 0.0
    var base = 0.0
    for row in 0..<result.table.rowCount {
      guard let code = q6[row] else { continue }
      total += weights.values[row] * Double(6 - code)
      base += weights.values[row]
    }
    #expect((total / base * 10).rounded() / 10 == 2.9)
  }

  @Test func theTableKeepsItsInvariants() {
    #expect(result.table.invariantViolations().isEmpty)
    #expect(result.table.columns.allSatisfy { $0.count == 1200 })
  }

  @Test func theDirtySampleReportsExactlyItsPlantedDefects() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let dirty = try SurveyReader(codebook: codebook).read(
      contentsOf: packagePath("samples/citizen-survey-2019-dirty.csv"))
    let key = try FuzzTests.readAll(packagePath("samples/citizen-survey-2019-dirty-defects.csv"))
    let expected = String(decoding: key, as: UTF8.self).split(separator: "\n").dropFirst()
      .map(String.init)
    let found = dirty.diagnostics.map {
      [
        $0.line.map(String.init) ?? "", $0.column.map(String.init) ?? "", $0.columnName ?? "",
        $0.respondentID ?? "", $0.rule.rawValue,
      ].joined(separator: ",")
    }
    #expect(found == expected)
    #expect(dirty.rowsRead == dirty.rowsAccepted + dirty.rowsRejected)
    #expect(dirty.table.invariantViolations().isEmpty)
  }
}
