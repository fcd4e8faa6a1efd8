import Foundation
import Testing

@testable import SurveyKit

/// Weighting targets files: the forms of docs/weighting.md read into the model, and every mistake
/// reported with its line and column.
@Suite("Weighting targets files")
struct WeightingTargetsTests {
  typealias Targets = WeightingTargets

  /// The example of docs/weighting.md: the sample's register margins.
  static let example = """
    # Resident register, 1 October 2019 (住民基本台帳)
    population: 145000
    method: rake                 # optional: rake | poststratify | calibrate-linear | calibrate-raking
    tolerance: 0.001             # optional
    rake: {max-iterations: 100, epsilon: 1e-10}     # optional
    bounds: [0.5, 2]             # optional, calibrate-raking / calibrate-linear only
    trim: {lower: 0.3, upper: 3, relative-to: mean, strict: true}
    margins:
      - variable: F1
        missing: own-class       # optional, default error
        counts: {1: 69600, 2: 75400}
      - variable: F2
        shares: {1: 0.14, 2: 0.14, 3: 0.17, 4: 0.16, 5: 0.17, 6: 0.22}
      - variable: DISTRICT
        counts: {1: 38000, 2: 42000, 3: 35000, 4: 18000, 5: 12000}
    """

  /// Counts equal to relative 1e-12 (a share times the population is not exact in binary).
  func close(_ counts: [Double], _ expected: [Double]) -> Bool {
    counts.count == expected.count
      && zip(counts, expected).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }
  }

  func targets(_ yaml: String) throws -> Targets {
    try Targets(yaml: yaml, file: "t.yaml")
  }

  /// The messages of a broken YAML targets file, as printed.
  func problems(_ yaml: String) -> [String] {
    do {
      _ = try targets(yaml)
      return []
    } catch {
      return "\(error)".split(separator: "\n").map(String.init)
    }
  }

  /// The messages of a broken CSV targets file, as printed.
  func csvProblems(_ csv: String, population: Double? = nil) -> [String] {
    do {
      _ = try Targets(csv: csv, file: "t.csv", population: population)
      return []
    } catch {
      return "\(error)".split(separator: "\n").map(String.init)
    }
  }

  // MARK: Reading

  @Test("the full example: options, three margins, counts and shares, own-class")
  func example() throws {
    let read = try targets(Self.example)
    let expected = Targets(
      file: "t.yaml", population: 145000, method: .rake, tolerance: 0.001, maxIterations: 100,
      epsilon: 1e-10, bounds: 0.5...2,
      trim: Targets.Trim(lower: 0.3, upper: 3, relativeToMean: true, strict: true),
      margins: [
        Targets.Margin(
          variable: "F1", line: 9, missing: .ownClass,
          targets: [
            Targets.Target(code: 1, amount: .count(69600), line: 11, column: 14),
            Targets.Target(code: 2, amount: .count(75400), line: 11, column: 24),
          ],
          column: 15),
        Targets.Margin(
          variable: "F2", line: 12,
          targets: zip(1...6, [0.14, 0.14, 0.17, 0.16, 0.17, 0.22]).enumerated().map {
            Targets.Target(
              code: $0.element.0, amount: .share($0.element.1), line: 13,
              column: 14 + 9 * $0.offset)
          },
          column: 15),
        Targets.Margin(
          variable: "DISTRICT", line: 14,
          targets: zip(1...5, [38000.0, 42000, 35000, 18000, 12000]).enumerated().map {
            Targets.Target(
              code: $0.element.0, amount: .count($0.element.1), line: 15,
              column: 14 + 10 * $0.offset)
          },
          column: 15),
      ])
    #expect(read == expected)
    #expect(read.variables == ["F1", "F2", "DISTRICT"])
    #expect(
      close(
        read.margins[1].counts(total: 145000), [20300, 20300, 24650, 23200, 24650, 31900]))
  }

  @Test("shares as percentages, numbers with thousands commas, the defaults")
  func sharesAndPercent() throws {
    let read = try targets(
      """
      population: "145,000"
      margins:
        - variable: F1
          shares: {1: 48%, 2: 52 ％}
        - variable: DISTRICT
          counts:
            1: "38,000"
            2: 42,000
            3: 35000
            4: 18000.5
            5: 11999.5
      """)
    #expect(read.population == 145000)
    #expect(read.method == nil && read.tolerance == nil && read.maxIterations == nil)
    #expect(read.epsilon == nil && read.bounds == nil && read.trim == nil && read.cells == nil)
    #expect(read.margins[0].missing == .error)
    #expect(read.margins[0].targets.map(\.amount) == [.share(0.48), .share(0.52)])
    #expect(
      read.margins[1].targets.map(\.amount)
        == [.count(38000), .count(42000), .count(35000), .count(18000.5), .count(11999.5)])
    #expect(read.margins[1].targets.map(\.line) == [7, 8, 9, 10, 11])
    #expect(read.margins[0].counts(total: 145000) == [69600, 75400])
  }

  @Test("cells: post-stratification on a cross-classification, counts or shares")
  func cells() throws {
    let read = try targets(
      """
      population: 145000
      method: poststratify
      cells:
        variables: [F1, F2]
        missing: own-class
        counts:
          - [1, 1, 9744]
          - [1, 2, "9,744"]
          - [2, 1, 10556]
      """)
    #expect(read.margins.isEmpty)
    #expect(read.variables == ["F1", "F2"])
    #expect(
      read.cells
        == Targets.Cells(
          variables: ["F1", "F2"], line: 4, missing: .ownClass,
          cells: [
            Targets.Cell(codes: [1, 1], amount: .count(9744), line: 7, column: 7),
            Targets.Cell(codes: [1, 2], amount: .count(9744), line: 8, column: 7),
            Targets.Cell(codes: [2, 1], amount: .count(10556), line: 9, column: 7),
          ],
          column: 14))
    let shares = try targets(
      """
      population: 145000
      cells:
        variables: [F1]
        shares: [[1, 48%], [2, 0.52]]
      """)
    #expect(shares.cells?.cells.map(\.amount) == [.share(0.48), .share(0.52)])
    #expect(shares.cells?.missing == .error)
  }

  @Test("CSV: count and share headers, BOM, CRLF, comments and blank lines")
  func csv() throws {
    let read = try Targets(
      csv: "\u{FEFF}# Resident register, 1 October 2019\r\nVariable, Code, Count\r\n"
        + "F1,1,69600\r\n\r\nF1,2,75400\r\nDISTRICT,1,38000\r\n# the rest\r\nDISTRICT,2,42000\r\n",
      file: "t.csv")
    #expect(
      read
        == Targets(
          file: "t.csv",
          margins: [
            Targets.Margin(
              variable: "F1", line: 3,
              targets: [
                Targets.Target(code: 1, amount: .count(69600), line: 3, column: 4),
                Targets.Target(code: 2, amount: .count(75400), line: 5, column: 4),
              ]),
            Targets.Margin(
              variable: "DISTRICT", line: 6,
              targets: [
                Targets.Target(code: 1, amount: .count(38000), line: 6, column: 10),
                Targets.Target(code: 2, amount: .count(42000), line: 8, column: 10),
              ]),
          ]))
    let shares = try Targets(
      csv: "variable,code,share\nF2,1,14%\nF2,2,86%\n", file: "t.csv", population: 145000)
    #expect(shares.population == 145000)
    #expect(shares.margins[0].targets.map(\.amount) == [.share(0.14), .share(0.86)])
    #expect(close(shares.margins[0].counts(total: 145000), [20300, 124700]))
  }

  @Test("files: read from disk; a missing file and a file that is not UTF-8")
  func files() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("weighting-targets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = folder.appendingPathComponent("targets.yaml").path
    try Self.example.write(toFile: yaml, atomically: true, encoding: .utf8)
    let read = try Targets(contentsOf: yaml, displayPath: "targets.yaml")
    #expect(read.file == "targets.yaml" && read.margins.count == 3)
    let csv = folder.appendingPathComponent("targets.csv").path
    try "variable,code,count\nF1,1,69600\n".write(toFile: csv, atomically: true, encoding: .utf8)
    #expect(try Targets(csvContentsOf: csv).margins.map(\.variable) == ["F1"])
    #expect(throws: FileError(path: "none.yaml", reason: "no such file")) {
      try Targets(
        contentsOf: folder.appendingPathComponent("none.yaml").path, displayPath: "none.yaml")
    }
    let cp932 = folder.appendingPathComponent("cp932.csv").path
    #expect(
      FileManager.default.createFile(
        atPath: cp932, contents: Data(cp932Bytes("variable,code,count\n地区,1,38000\n"))))
    #expect(
      throws: WeightingTargetsError(
        file: "cp932.csv",
        problems: [
          .init(
            line: 1, column: 1,
            message: "the targets file is not UTF-8 text; save it as UTF-8 (in Excel: CSV UTF-8)")
        ])
    ) {
      try Targets(csvContentsOf: cp932, displayPath: "cp932.csv")
    }
  }

  // MARK: Mistakes in YAML, one test each

  @Test("an unknown key, listing the allowed ones")
  func unknownKeys() {
    #expect(
      problems(
        """
        population: 145000
        weights: raking
        margins:
          - variable: F1
            count: {1: 69600}
        """) == [
          "t.yaml:2:1: error: the targets file: unknown key \"weights\" (expected one of "
            + "population, method, tolerance, rake, bounds, trim, margins, cells)",
          "t.yaml:4:5: error: margin F1 needs \"counts\" or \"shares\" (the population targets)",
          "t.yaml:5:5: error: margin F1: unknown key \"count\" (expected one of variable, "
            + "missing, counts, shares)",
        ])
  }

  @Test("a margin without a variable or without targets")
  func marginWithoutVariableOrTargets() {
    #expect(
      problems(
        """
        margins:
          - counts: {1: 69600, 2: 75400}
          - variable: F2
        """) == [
          "t.yaml:2:5: error: margin 1 needs \"variable\" (the weighting variable)",
          "t.yaml:3:5: error: margin F2 needs \"counts\" or \"shares\" (the population targets)",
        ])
  }

  @Test("both counts and shares")
  func bothCountsAndShares() {
    #expect(
      problems(
        """
        population: 145000
        margins:
          - variable: F1
            counts: {1: 69600, 2: 75400}
            shares: {1: 0.48, 2: 0.52}
        """) == [
          "t.yaml:5:5: error: margin F1 has both counts and shares; give one of them"
        ])
  }

  @Test("a code that is not a whole number")
  func codeNotAnInteger() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts: {1: 69600, male: 75400, 2.5: 100}
        """) == [
          "t.yaml:3:24: error: margin F1: code \"male\" is not a whole number",
          "t.yaml:3:37: error: margin F1: code \"2.5\" is not a whole number",
        ])
  }

  @Test("a negative, non-finite or unreadable amount")
  func badAmounts() {
    #expect(
      problems(
        """
        margins:
          - variable: DISTRICT
            counts: {1: -38000, 2: .inf, 3: many, 4: 12%, 5: "1,20,00"}
        """) == [
          "t.yaml:3:17: error: margin DISTRICT: the count of code 1 is negative (-38000)",
          "t.yaml:3:28: error: margin DISTRICT: the count of code 2 must be a finite number, "
            + "not \".inf\"",
          "t.yaml:3:37: error: margin DISTRICT: the count of code 3 must be a number, not \"many\"",
          "t.yaml:3:46: error: margin DISTRICT: the count of code 4 is a percentage (12%); give "
            + "percentages under shares",
          "t.yaml:3:54: error: margin DISTRICT: the count of code 5 must be a number, "
            + "not \"1,20,00\"",
        ])
  }

  @Test("thousands commas unquoted in {…}: the split number is named")
  func unquotedCommas() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts: {1: 69,600, 2: 75,400}
        """) == [
          "t.yaml:3:20: error: margin F1: code 600 has no count; in {…} write a number with "
            + "thousands commas in quotes (\"69,600\")",
          "t.yaml:3:31: error: margin F1: code 400 has no count; in {…} write a number with "
            + "thousands commas in quotes (\"75,400\")",
        ])
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts: {1: 69600, 2: }
        """) == ["t.yaml:3:24: error: margin F1: code 2 has no count"])
  }

  @Test("a code listed twice in a margin, naming both lines")
  func codeListedTwice() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts:
              1: 69600
              2: 75400
              01: 69600
        """) == [
          "t.yaml:6:7: error: margin F1: code 1 is listed twice, on lines 4 and 6"
        ])
    #expect(
      problems(
        """
        margins:
          - {variable: F1, counts: {1: 69600, 01: 69600}}
        """) == ["t.yaml:2:39: error: margin F1: code 1 is listed twice on line 2"])
  }

  @Test("a variable in two margins")
  func variableInTwoMargins() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts: {1: 69600, 2: 75400}
          - variable: F2
            counts: {1: 20300}
          - variable: F1
            counts: {1: 69600}
        """) == [
          "t.yaml:6:15: error: margin F1: F1 has two margins, on lines 2 and 6"
        ])
    #expect(
      problems(
        """
        population: 145000
        margins:
          - variable: F2
            shares: {1: 0.5, 2: 0.4}
          - variable: F2
            counts: {1: -1}
        """) == [
          "t.yaml:4:5: error: margin F2: the shares sum to 0.9, not 1",
          "t.yaml:5:15: error: margin F2: F2 has two margins, on lines 3 and 5",
          "t.yaml:6:17: error: margin F2: the count of code 1 is negative (-1)",
        ])
  }

  @Test("cells together with margins")
  func cellsWithMargins() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts: {1: 69600, 2: 75400}
        cells:
          variables: [F1, F2]
          counts: [[1, 1, 9744]]
        """) == [
          "t.yaml:4:1: error: cells cannot be used together with margins; give one or the other"
        ])
  }

  @Test("a cell row with the wrong number of values")
  func cellRowLength() {
    #expect(
      problems(
        """
        cells:
          variables: [F1, F2]
          counts:
            - [1, 1, 9744]
            - [1, 9744]
            - [1, 2, 3, 9744]
            - [1, x, 9744]
            - [1, 1, 9744]
        """) == [
          "t.yaml:5:7: error: cells: the row [1, 9744] has 2 values, not 3 (a code for each of "
            + "F1, F2, then the count)",
          "t.yaml:6:7: error: cells: the row [1, 2, 3, 9744] has 4 values, not 3 (a code for "
            + "each of F1, F2, then the count)",
          "t.yaml:7:11: error: cells: code \"x\" is not a whole number",
          "t.yaml:8:7: error: cells: the cell (1, 1) is listed twice, on lines 4 and 8",
        ])
  }

  @Test("shares without a population")
  func sharesWithoutPopulation() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            counts: {1: 69600, 2: 75400}
          - variable: F2
            shares: {1: 0.5, 2: 0.5}
          - variable: DISTRICT
            shares: {1: 0.5, 2: 0.5}
        """) == [
          "t.yaml:5:5: error: margin F2: shares need the population total; add \"population:\" "
            + "to the file"
        ])
  }

  @Test("shares that do not sum to 1 within 1e-6, saying the sum")
  func sharesSum() {
    #expect(
      problems(
        """
        population: 145000
        margins:
          - variable: F2
            shares: {1: 14%, 2: 14%, 3: 17%, 4: 16%, 5: 17%, 6: 21%}
          - variable: F1
            shares: {1: 0.4800001, 2: 0.52}
          - variable: DISTRICT
            shares: {1: 0.480002, 2: 0.52}
        """) == [
          "t.yaml:4:5: error: margin F2: the shares sum to 0.99, not 1",
          "t.yaml:8:5: error: margin DISTRICT: the shares sum to 1.000002, not 1",
        ])
    #expect(
      problems(
        """
        population: 145000
        cells:
          variables: [F1]
          shares: [[1, 0.5], [2, 0.6]]
        """) == ["t.yaml:4:3: error: cells: the shares sum to 1.1, not 1"])
  }

  @Test("tolerance outside (0, 1)")
  func tolerance() {
    #expect(
      problems(
        """
        tolerance: 1.5
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:12: error: tolerance must be between 0 and 1, not 1.5"])
    #expect(
      problems(
        """
        tolerance: 0
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:12: error: tolerance must be between 0 and 1, not 0"])
  }

  @Test("max-iterations below 1")
  func maxIterations() {
    #expect(
      problems(
        """
        rake: {max-iterations: 0}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:24: error: rake.max-iterations must be at least 1, not 0"])
    #expect(
      problems(
        """
        rake: {max-iterations: 2.5}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:24: error: rake.max-iterations must be a whole number, not \"2.5\""])
  }

  @Test("epsilon not positive")
  func epsilon() {
    #expect(
      problems(
        """
        rake: {max-iterations: 100, epsilon: -1e-10}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:38: error: rake.epsilon must be positive, not -1e-10"])
    #expect(
      problems(
        """
        rake: {epsilon: 0}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:17: error: rake.epsilon must be positive, not 0"])
  }

  @Test("bounds that are not [low, high] with 0 ≤ low < 1 < high")
  func bounds() {
    let margins = "\nmargins: [{variable: F1, counts: {1: 69600}}]"
    #expect(
      problems("bounds: [1.2, 2]" + margins) == [
        "t.yaml:1:9: error: bounds [1.2, 2] must have 0 ≤ low < 1 < high (g = 1 keeps the "
          + "design weight)"
      ])
    #expect(
      problems("bounds: [-0.5, 2]" + margins) == [
        "t.yaml:1:9: error: bounds [-0.5, 2] must have 0 ≤ low < 1 < high (g = 1 keeps the "
          + "design weight)"
      ])
    #expect(
      problems("bounds: [0.5]" + margins) == [
        "t.yaml:1:9: error: bounds must be two numbers [low, high], such as [0.5, 2]"
      ])
  }

  @Test("trim: lower not below upper, a negative bound, an unknown relative-to")
  func trim() {
    #expect(
      problems(
        """
        trim: {lower: 3, upper: 0.3}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:15: error: trim: lower (3) must be below upper (0.3)"])
    #expect(
      problems(
        """
        trim: {lower: -1, upper: 3, relative-to: median}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == [
          "t.yaml:1:15: error: trim.lower must not be negative, not -1",
          "t.yaml:1:42: error: trim.relative-to: \"median\" is not one of mean, weight",
        ])
    #expect(
      problems(
        """
        trim: {strict: true}
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == ["t.yaml:1:7: error: trim needs lower, upper or both"])
  }

  @Test("missing that is not one of the policies")
  func missingPolicy() {
    #expect(
      problems(
        """
        margins:
          - variable: F1
            missing: drop
            counts: {1: 69600, 2: 75400}
        cells:
          variables: [F1]
          missing: own_class
          counts: [[1, 69600]]
        """) == [
          "t.yaml:3:14: error: margin F1: missing: \"drop\" is not one of error, own-class",
          "t.yaml:5:1: error: cells cannot be used together with margins; give one or the other",
          "t.yaml:7:12: error: cells: missing: \"own_class\" is not one of error, own-class",
        ])
  }

  @Test("an empty list of margins, and no margins or cells at all")
  func emptyMargins() {
    #expect(
      problems(
        """
        population: 145000
        margins: []
        """) == ["t.yaml:2:10: error: the list of margins is empty"])
    #expect(
      problems("population: 145000") == [
        "t.yaml:1:1: error: the targets file needs \"margins\" (a list of margins) or \"cells\""
      ])
    #expect(problems("# nothing yet") == ["t.yaml:1:1: error: the targets file is empty"])
  }

  @Test("population, method and the method's fit with margins or cells")
  func populationAndMethod() {
    #expect(
      problems(
        """
        population: 0
        method: ipf
        margins: [{variable: F1, counts: {1: 69600}}]
        """) == [
          "t.yaml:1:13: error: population must be a positive number, not 0",
          "t.yaml:2:9: error: method: \"ipf\" is not one of rake, poststratify, calibrate-linear, "
            + "calibrate-raking",
        ])
    #expect(
      problems(
        """
        method: poststratify
        margins:
          - {variable: F1, counts: {1: 69600, 2: 75400}}
          - {variable: DISTRICT, counts: {1: 38000}}
        """) == [
          "t.yaml:1:9: error: method: poststratify takes one margin, not 2; use cells to "
            + "post-stratify on several variables, or rake"
        ])
    #expect(
      problems(
        """
        method: calibrate-linear
        cells: {variables: [F1], counts: [[1, 69600]]}
        """) == [
          "t.yaml:1:9: error: method: calibrate-linear cannot use cells; cells are for method "
            + "poststratify"
        ])
  }

  @Test("all problems at once, in file order")
  func allAtOnce() {
    #expect(
      problems(
        """
        tolerance: 2
        margins:
          - variable: F2
            shares: {1: 14%, 2: 86}
          - variable: F1
            counts: {1: -1}
        rake: {epsilon: 0}
        """) == [
          "t.yaml:1:12: error: tolerance must be between 0 and 1, not 2",
          "t.yaml:4:5: error: margin F2: the shares sum to 86.14, not 1",
          "t.yaml:4:5: error: margin F2: shares need the population total; add \"population:\" "
            + "to the file",
          "t.yaml:6:17: error: margin F1: the count of code 1 is negative (-1)",
          "t.yaml:7:17: error: rake.epsilon must be positive, not 0",
        ])
  }

  // MARK: Mistakes in CSV

  @Test("CSV: the header, quoted fields, short and long rows, located")
  func csvShape() {
    #expect(
      csvProblems("var,code,n\nF1,1,69600\n") == [
        "t.csv:1:1: error: the header must be variable,code,count or variable,code,share, not "
          + "\"var,code,n\""
      ])
    #expect(csvProblems("") == ["t.csv:1:1: error: the targets file is empty"])
    #expect(
      csvProblems("# only a comment\nvariable,code,count\n\n") == [
        "t.csv:2:1: error: the targets file has a header but no targets"
      ])
    #expect(
      csvProblems(
        "variable,code,count\nF1,1,\"69,600\"\n\"F 1\",2,75400\nF1,2,75,400\nF1,2\n") == [
          "t.csv:2:6: error: \"69,600\" is quoted; write numbers in a targets CSV without quotes "
            + "or thousands commas (69600)",
          "t.csv:3:1: error: \"F 1\" is quoted; write the values of a targets CSV without quotes",
          "t.csv:4:9: error: the row \"F1,2,75,400\" has 4 values, not 3 (variable, code, count); "
            + "write numbers without thousands commas (75400)",
          "t.csv:5:1: error: the row \"F1,2\" has 2 values, not 3 (variable, code, count)",
        ])
  }

  @Test("CSV: codes, amounts, duplicates and shares, located")
  func csvValues() {
    #expect(
      csvProblems(
        "variable,code,count\r\nF1,1,69600\r\n,2,1\r\nF1,A,1\r\nF1,2,-5\r\nF1,1,69600\r\n"
          + "F2,1,12%\r\n") == [
          "t.csv:3:1: error: the row \",2,1\" has no variable",
          "t.csv:4:4: error: margin F1: code \"A\" is not a whole number",
          "t.csv:5:6: error: margin F1: the count of code 2 is negative (-5)",
          "t.csv:6:4: error: margin F1: code 1 is listed twice, on lines 2 and 6",
          "t.csv:7:6: error: margin F2: the count of code 1 is a percentage (12%); give "
            + "percentages under shares",
        ])
    #expect(
      csvProblems("variable,code,share\nF1,1,0.48\nF1,2,0.52\n") == [
        "t.csv:1:15: error: shares need the population total, which a CSV file cannot hold; give it with --population"
      ])
    #expect(
      csvProblems("variable,code,share\nF1,1,0.48\nF1,2,0.5\n", population: 145000) == [
        "t.csv:2:1: error: margin F1: the shares sum to 0.98, not 1"
      ])
  }

  // MARK: The codebook

  @Test("against the sample's codebook: variables, types, codes and missing codes")
  func codebookCheck() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    #expect(try targets(Self.example).check(against: codebook).isEmpty)
    let read = try targets(
      """
      margins:
        - variable: F3
          counts: {1: 69600}
        - variable: Q1
          counts: {1: 1000}
        - variable: F1
          counts: {1: 69600, 2: 75400, 9: 100}
        - variable: F2
          counts: {1: 20300, 7: 100}
        - variable: DISTRICT
          counts: {1: 38000, 6: 100}
      """)
    let problems = read.check(against: codebook).map {
      WeightingTargetsError(file: "t.yaml", problems: [$0]).description
    }
    #expect(
      problems == [
        "t.yaml:2:15: error: margin F3: F3 is not a variable of the codebook",
        "t.yaml:4:15: error: margin Q1: Q1 is a numeric variable; weighting variables must be "
          + "single-choice questions or the stratum",
        "t.yaml:7:34: error: margin F1: 9 is a missing code of F1 (無回答); leave it out and "
          + "weight non-answers as a class of their own with \"missing: own-class\"",
        "t.yaml:9:24: error: margin F2: 7 is not a code of F2 (1–6; 9 = 無回答)",
        "t.yaml:11:24: error: margin DISTRICT: 6 is not a code of DISTRICT (1–5)",
      ])
    let ownClass = try targets(
      """
      margins:
        - variable: F2
          missing: own-class
          counts: {1: 20300, 9: 500}
      """)
    #expect(
      ownClass.check(against: codebook).map(\.message) == [
        "margin F2: 9 is a missing code of F2 (無回答); leave it out, since \"missing: "
          + "own-class\" already weights non-answers as a class of their own"
      ])
    let cells = try targets(
      """
      cells:
        variables: [F1, Q3]
        counts: [[9, 1, 100], [3, 1, 100]]
      """)
    #expect(
      cells.check(against: codebook).map(\.message) == [
        "cells: Q3 is a multi variable; weighting variables must be single-choice questions or "
          + "the stratum",
        "cells: 9 is a missing code of F1 (無回答); leave it out and weight non-answers as a "
          + "class of their own with \"missing: own-class\"",
        "cells: 3 is not a code of F1 (1, 2; 9 = 無回答)",
      ])
    let csv = try Targets(csv: "variable,code,count\nF1,1,69600\nF1,9,100\n", file: "t.csv")
    #expect(
      csv.check(against: codebook).map { "\($0.line):\($0.column): \($0.message)" } == [
        "3:4: margin F1: 9 is a missing code of F1 (無回答); leave it out and weight non-answers "
          + "as a class of their own with \"missing: own-class\" in a YAML targets file"
      ])
  }

  @Test("the bundled targets file reads and fits the sample's codebook")
  func bundled() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let read = try Targets(
      contentsOf: packagePath("codebooks/citizen-survey-2019-targets.yaml"))
    #expect(read.population == 145000)
    #expect(read.variables == ["F1", "F2", "DISTRICT"])
    #expect(read.check(against: codebook).isEmpty)
  }
}
