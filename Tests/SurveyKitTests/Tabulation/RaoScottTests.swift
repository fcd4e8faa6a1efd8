import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// The Rao–Scott test against R's `svychisq` (survey 4.1-1) in the six design files
  /// (Fixtures/reference/README.md: `svychisq`, *Cross-tabs*, *Rao-Scott `derived`*), to relative
  /// 1e-9, and against hand-worked simple random samples, where Δ = n/(n − 1)·I exactly.
  @Suite("Rao–Scott test")
  struct RaoScottTests {
    /// The test keys of an `F` or `Chisq` entry.
    static let testKeys: Set<String> = [
      "statistic_type", "call", "statistic_name", "statistic", "ndf", "ddf", "df", "p_value",
      "method", "warnings",
    ]
    static let derivedKeys: Set<String> = [
      "pearson_x2", "delta_trace", "delta_mean", "first_order_statistic", "first_order_df",
      "first_order_p_value", "note",
    ]

    /// One `svychisq` node (`tests` and `derived`) of a table `rows × columns`.
    static func check(
      _ node: JSONNode, rows expectedRows: String? = nil, columns expectedColumns: String? = nil,
      data: ReferenceDataset, design: SurveyDesign, checker: Checker,
      sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      let tests = node["tests"].array
      checker.require(!tests.isEmpty, "\(node.path): no tests", sourceLocation: sourceLocation)
      var variables: [String]?
      var types: [String] = []
      var result: RaoScottTest?
      for test in tests {
        guard let type = test["statistic_type"].string, let callText = test["call"].string else {
          throw ReferenceError("\(test.path): no statistic_type or call")
        }
        types.append(type)
        guard type == "F" || type == "Chisq" else {
          checker.skip(test.path, "statistic = \(type) is not the Rao–Scott test")
          continue
        }
        let call = try RCall(callText)
        checker.require(
          call.function == "svychisq" && call.positional.count == 2
            && ["design", "weighted"].contains(call.positional[1])
            && call.string("statistic") == type
            && Set(call.named.keys) == ["statistic"],
          "\(test.path): call not covered: \(callText)", sourceLocation: sourceLocation)
        let pair = byVariables(call.positional[0])
        guard pair.count == 2 else {
          throw ReferenceError("\(test.path): not two-way: \(callText)")
        }
        checker.require(
          variables == nil || variables == pair, "\(test.path): another table \(pair)",
          sourceLocation: sourceLocation)
        variables = pair
        checker.coverKeys(test, handled: testKeys, sourceLocation: sourceLocation)
        let ours = try result ?? raoScott(pair[0], pair[1], data: data, design: design)
        result = ours
        if type == "F" {
          checker.require(
            test["statistic_name"].string == "F", "\(test.path).statistic_name",
            sourceLocation: sourceLocation)
          checker.value(
            ours.secondOrder.statistic, test["statistic"], sourceLocation: sourceLocation)
          checker.value(
            ours.secondOrder.numeratorDegreesOfFreedom, test["ndf"], sourceLocation: sourceLocation)
          checker.value(
            ours.secondOrder.denominatorDegreesOfFreedom, test["ddf"],
            sourceLocation: sourceLocation)
          checker.value(ours.secondOrder.pValue, test["p_value"], sourceLocation: sourceLocation)
        } else {
          // R prints the unadjusted X² and the first-order p-value.
          checker.require(
            test["statistic_name"].string == "X-squared", "\(test.path).statistic_name",
            sourceLocation: sourceLocation)
          checker.value(ours.pearsonChiSquare, test["statistic"], sourceLocation: sourceLocation)
          checker.count(
            ours.firstOrder.degreesOfFreedom, test["df"], sourceLocation: sourceLocation)
          checker.value(ours.firstOrder.pValue, test["p_value"], sourceLocation: sourceLocation)
        }
      }
      checker.require(
        types.contains("F") && types.contains("Chisq"), "\(node.path): tests \(types)",
        sourceLocation: sourceLocation)
      if let expectedRows, let expectedColumns {
        checker.require(
          variables == [expectedRows, expectedColumns],
          "\(node.path): table \(variables ?? []) for rows \(expectedRows) × \(expectedColumns)",
          sourceLocation: sourceLocation)
      }
      guard let ours = result else { return }
      let derived = node["derived"]
      checker.coverKeys(derived, handled: derivedKeys, sourceLocation: sourceLocation)
      checker.value(ours.pearsonChiSquare, derived["pearson_x2"], sourceLocation: sourceLocation)
      checker.value(ours.deltaTrace, derived["delta_trace"], sourceLocation: sourceLocation)
      checker.value(ours.meanDesignEffect, derived["delta_mean"], sourceLocation: sourceLocation)
      checker.value(
        ours.firstOrder.statistic, derived["first_order_statistic"], sourceLocation: sourceLocation)
      if derived["first_order_df"].exists {
        checker.count(
          ours.firstOrder.degreesOfFreedom, derived["first_order_df"],
          sourceLocation: sourceLocation)
      }
      if derived["first_order_p_value"].exists {
        checker.value(
          ours.firstOrder.pValue, derived["first_order_p_value"], sourceLocation: sourceLocation)
      }
    }

    /// `svychisq(~rows + columns, design)` on the reference data.
    static func raoScott(
      _ rows: String, _ columns: String, data: ReferenceDataset, design: SurveyDesign
    ) throws -> RaoScottTest {
      guard case .factor(_, let rowFactor) = try data.variable(rows),
        case .factor(_, let columnFactor) = try data.variable(columns)
      else { throw ReferenceError("\(rows) or \(columns) is not a factor") }
      return try design.raoScottTest(
        rows: rowFactor.codes, rowLevels: rowFactor.levels.count, columns: columnFactor.codes,
        columnLevels: columnFactor.levels.count)
    }

    @Test("svychisq of sch.wide × stype", arguments: referenceDesignFiles)
    func topLevel(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("svychisq")
      try Self.check(
        fixture.json["svychisq"], rows: "sch.wide", columns: "stype", data: fixture.data,
        design: fixture.design, checker: checker)
      checker.finish()
    }

    @Test("crosstabs[i].svychisq", arguments: referenceDesignFiles)
    func crossTabs(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("crosstabs[i].svychisq")
      let tables = fixture.json["crosstabs"].array
      #expect(tables.count == 2)
      for table in tables {
        try Self.check(
          table["svychisq"], rows: table["rows"].string, columns: table["columns"].string,
          data: fixture.data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    @Test("questionnaire_item.crosstabs[i].svychisq", arguments: referenceDesignFiles)
    func questionnaireItem(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("questionnaire_item.crosstabs[i].svychisq")
      let item = fixture.json["questionnaire_item"]
      let setup = item["setup_calls"].strings
      #expect(setup.count == 1 && setup[0].hasPrefix("design <- update(design, q_sat = ifelse("))
      let data = try fixture.data.withQuestionnaireItem()
      let tables = item["crosstabs"].array
      #expect(tables.count == 3)
      for table in tables {
        #expect(table["na_rm"].bool == true)
        try Self.check(
          table["svychisq"], rows: table["rows"].string, columns: table["columns"].string,
          data: data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    // MARK: - By hand

    /// An unstratified sample, each row its own PSU, equal weights: V = (D − pp')·n/(n − 1)/n_a
    /// (n rows, n_a of them answered), so Δ = N·n/((n − 1)·n_a)·I with N = n the scaling.
    /// Table [[10, 20, 30], [20, 10, 10]]: X² = 475/36 on the counts.
    static func handTable(missing: Int = 0, weight: Double = 3) -> (
      design: SurveyDesign, rows: [Int?], columns: [Int?]
    ) {
      let counts = [[10, 20, 30], [20, 10, 10]]
      var rows: [Int?] = []
      var columns: [Int?] = []
      for (row, line) in counts.enumerated() {
        for (column, count) in line.enumerated() {
          rows += [Int?](repeating: row, count: count)
          columns += [Int?](repeating: column, count: count)
        }
      }
      for index in 0..<missing {
        rows.append(index % 2)
        columns.append(nil)
      }
      let design = try! SurveyDesign(weights: [Double](repeating: weight, count: rows.count))
      return (design, rows, columns)
    }

    static func close(_ a: Double, _ b: Double, _ relative: Double = 1e-12) -> Bool {
      abs(a - b) <= relative * abs(b)
    }

    @Test("Simple random sample: Δ = n/(n − 1)·I, F = X²/tr Δ on (2, 2ν)")
    func simpleRandomSample() throws {
      let (design, rows, columns) = Self.handTable()
      let test = try design.raoScottTest(
        rows: rows, rowLevels: 2, columns: columns, columnLevels: 3)
      let n = 100.0
      let x2 = 475.0 / 36
      #expect(test.sampleSize == 100 && test.designDegreesOfFreedom == 99)
      #expect(test.rowLevels == [0, 1] && test.columnLevels == [0, 1, 2])
      #expect(Self.close(test.pearsonChiSquare, x2))
      #expect(Self.close(test.deltaTrace, 2 * n / (n - 1)))
      #expect(Self.close(test.deltaSquaredTrace, 2 * (n / (n - 1)) * (n / (n - 1))))
      #expect(Self.close(test.meanDesignEffect, n / (n - 1)))
      let f = x2 / (2 * n / (n - 1))
      #expect(Self.close(test.secondOrder.statistic, f))
      #expect(Self.close(test.secondOrder.numeratorDegreesOfFreedom, 2))
      #expect(Self.close(test.secondOrder.denominatorDegreesOfFreedom, 198))
      #expect(
        Self.close(
          test.secondOrder.pValue,
          Distribution.fUpperProbability(f, numerator: 2, denominator: 198), 1e-10))
      #expect(Self.close(test.firstOrder.statistic, x2 * (n - 1) / n))
      #expect(test.firstOrder.degreesOfFreedom == 2)
      #expect(
        Self.close(
          test.firstOrder.pValue,
          Distribution.chiSquareUpperProbability(x2 * (n - 1) / n, degreesOfFreedom: 2), 1e-10))
      #expect(test.warnings.isEmpty)
    }

    @Test("Rows with a missing answer stay in n (X² scaled to all rows) but not in the table")
    func missingAnswers() throws {
      let (design, rows, columns) = Self.handTable(missing: 5)
      let test = try design.raoScottTest(
        rows: rows, rowLevels: 2, columns: columns, columnLevels: 3)
      let n = 105.0
      let answered = 100.0
      let x2 = 475.0 / 36 * n / answered
      let trace = 2 * n * n / ((n - 1) * answered)
      #expect(test.sampleSize == 105 && test.designDegreesOfFreedom == 104)
      #expect(Self.close(test.pearsonChiSquare, x2))
      #expect(Self.close(test.deltaTrace, trace))
      #expect(Self.close(test.secondOrder.statistic, x2 / trace))
      #expect(Self.close(test.secondOrder.numeratorDegreesOfFreedom, 2))
      #expect(Self.close(test.secondOrder.denominatorDegreesOfFreedom, 2 * 104))
      #expect(Self.close(test.firstOrder.statistic, x2 / (trace / 2)))
    }

    @Test("Weights, transposition, unused categories and an all-rows domain change nothing")
    func invariances() throws {
      let (design, rows, columns) = Self.handTable()
      let base = try design.raoScottTest(
        rows: rows, rowLevels: 2, columns: columns, columnLevels: 3)
      let reweighted = Self.handTable(weight: 17.5).design
      let transposed = try design.raoScottTest(
        rows: columns, rowLevels: 3, columns: rows, columnLevels: 2)
      // Category 1 of the rows is never used: codes 0, 2.
      let spread = try design.raoScottTest(
        rows: rows.map { $0.map { $0 * 2 } }, rowLevels: 3, columns: columns, columnLevels: 4)
      #expect(spread.rowLevels == [0, 2] && spread.columnLevels == [0, 1, 2])
      let everyRow = try design.raoScottTest(
        rows: rows, rowLevels: 2, columns: columns, columnLevels: 3,
        domain: [Bool](repeating: true, count: rows.count))
      let weighted = try reweighted.raoScottTest(
        rows: rows, rowLevels: 2, columns: columns, columnLevels: 3)
      for other in [transposed, spread, everyRow, weighted] {
        #expect(Self.close(other.pearsonChiSquare, base.pearsonChiSquare))
        #expect(Self.close(other.deltaTrace, base.deltaTrace))
        #expect(Self.close(other.deltaSquaredTrace, base.deltaSquaredTrace))
        #expect(Self.close(other.secondOrder.statistic, base.secondOrder.statistic))
        #expect(Self.close(other.secondOrder.pValue, base.secondOrder.pValue, 1e-10))
        #expect(Self.close(other.firstOrder.pValue, base.firstOrder.pValue, 1e-10))
      }
    }

    @Test("A domain: its rows are n, ν is the domain's degrees of freedom")
    func domain() throws {
      let (design, rows, columns) = Self.handTable(missing: 6)
      // Leave out the last 4 rows (missing answers): n = 102, ν = 101.
      let domain = (0..<rows.count).map { $0 < rows.count - 4 }
      let test = try design.raoScottTest(
        rows: rows, rowLevels: 2, columns: columns, columnLevels: 3, domain: domain)
      #expect(test.sampleSize == 102 && test.designDegreesOfFreedom == 101)
      #expect(Self.close(test.pearsonChiSquare, 475.0 / 36 * 102 / 100))
      // The variance still has every row as a PSU (n_h = 106).
      let trace = 2 * 102 * 106 / (105 * 100.0)
      #expect(Self.close(test.deltaTrace, trace))
      #expect(Self.close(test.secondOrder.denominatorDegreesOfFreedom, 2 * 101))
    }

    @Test("Tables that cannot be tested are refused")
    func refusals() throws {
      let (design, rows, columns) = Self.handTable()
      // One row category only.
      #expect(throws: DesignError.self) {
        try design.raoScottTest(
          rows: rows.map { _ in 0 }, rowLevels: 2, columns: columns, columnLevels: 3)
      }
      // A code outside the categories.
      #expect(throws: DesignError.self) {
        try design.raoScottTest(rows: rows, rowLevels: 1, columns: columns, columnLevels: 3)
      }
      // Lengths that do not fit the design.
      #expect(throws: DesignError.self) {
        try design.raoScottTest(
          rows: Array(rows.dropLast()), rowLevels: 2, columns: columns, columnLevels: 3)
      }
      #expect(throws: DesignError.self) {
        try design.raoScottTest(
          rows: rows, rowLevels: 2, columns: columns, columnLevels: 3, domain: [true])
      }
      // No answers in the domain.
      #expect(throws: DesignError.self) {
        try design.raoScottTest(
          rows: rows, rowLevels: 2, columns: columns, columnLevels: 3,
          domain: [Bool](repeating: false, count: rows.count))
      }
    }

    @Test("Transposing a reference table gives the same test", arguments: referenceDesignFiles)
    func transposedReference(file: String) throws {
      let fixture = try DesignFixture(file)
      let forward = try Self.raoScott(
        "sch.wide", "stype", data: fixture.data, design: fixture.design)
      let backward = try Self.raoScott(
        "stype", "sch.wide", data: fixture.data, design: fixture.design)
      #expect(Self.close(forward.pearsonChiSquare, backward.pearsonChiSquare, 1e-12))
      #expect(Self.close(forward.deltaTrace, backward.deltaTrace, 1e-12))
      #expect(Self.close(forward.deltaSquaredTrace, backward.deltaSquaredTrace, 1e-12))
      #expect(Self.close(forward.secondOrder.pValue, backward.secondOrder.pValue, 1e-10))
    }
  }
}
