import Foundation
import Testing

@testable import SurveyKit

// Quantiles against R survey 4.1-1's `svyquantile` (Fixtures/reference/README.md): the reference
// JSON of every design file, and edge cases whose expected values were computed with R 4.2.2 and
// survey 4.1-1 (the R call is quoted beside each).

// MARK: - A small loader for the reference data (private to this file)

/// One of the `api` data sets, as columns of text.
private struct QuantileFixtureTable {
  var columns: [String: [String]]
  var rowCount: Int

  func numbers(_ name: String) -> [Double] {
    columns[name]!.map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan }
  }

  func text(_ name: String) -> [String] { columns[name]! }
}

private let quantileReferenceFolder: URL = Bundle.module.resourceURL!
  .appendingPathComponent("Fixtures/reference")

/// Reads a CSV of the reference folder: a header, comma-separated, text in double quotes, a
/// missing value as an empty field.
private func loadQuantileFixtureTable(_ relativePath: String) throws -> QuantileFixtureTable {
  let text = try String(
    contentsOf: quantileReferenceFolder.appendingPathComponent(relativePath), encoding: .utf8)
  var records: [[String]] = []
  var record: [String] = []
  var field = ""
  var quoted = false
  var characters = Array(text.unicodeScalars)
  if characters.last != "\n" { characters.append("\n") }
  var index = 0
  while index < characters.count {
    let character = characters[index]
    if quoted {
      if character == "\"" {
        if index + 1 < characters.count && characters[index + 1] == "\"" {
          field.unicodeScalars.append("\"")
          index += 1
        } else {
          quoted = false
        }
      } else {
        field.unicodeScalars.append(character)
      }
    } else if character == "\"" {
      quoted = true
    } else if character == "," {
      record.append(field)
      field = ""
    } else if character == "\n" {
      record.append(field)
      field = ""
      records.append(record)
      record = []
    } else if character != "\r" {
      field.unicodeScalars.append(character)
    }
    index += 1
  }
  let header = records.removeFirst()
  var columns: [String: [String]] = [:]
  for (position, name) in header.enumerated() {
    columns[name] = records.map { $0[position] }
  }
  return QuantileFixtureTable(columns: columns, rowCount: records.count)
}

private func loadQuantileReferenceJSON(_ name: String) throws -> [String: Any] {
  let data = try Data(
    contentsOf: quantileReferenceFolder.appendingPathComponent("r-survey/\(name).json"))
  return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

/// The variable after `key = ~` in an R call, or nil (`~1` is nil too).
private func formulaVariable(_ key: String, in call: String) -> String? {
  guard let range = call.range(of: "\(key) = ~") else { return nil }
  let name = call[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "." }
  return name.isEmpty || name == "1" ? nil : String(name)
}

/// The design of an R `svydesign(...)` call with one stage.
private func quantileDesign(_ call: String, data: QuantileFixtureTable) throws -> SurveyDesign {
  let weights = data.numbers(formulaVariable("weights", in: call)!)
  let strata = formulaVariable("strata", in: call).map { data.text($0) }
  let clusters = formulaVariable("id", in: call).map { [data.text($0)] } ?? []
  let sizes = formulaVariable("fpc", in: call).map { [data.numbers($0)] } ?? []
  return try SurveyDesign(
    weights: weights, strata: strata, clusters: clusters, populationSizes: sizes)
}

private let quantileRelativeTolerance = 1e-9

/// |a − b| / |b| (0 when both are equal).
private func relativeDifference(_ a: Double, _ b: Double) -> Double {
  a == b ? 0 : abs(a - b) / abs(b)
}

/// An expected row: nil stands for R's NaN.
private struct ExpectedQuantile {
  var p: Double
  var estimate: Double
  var lower: Double?
  var upper: Double?
  var se: Double?

  init(_ p: Double, _ estimate: Double, _ lower: Double?, _ upper: Double?, _ se: Double?) {
    self.p = p
    self.estimate = estimate
    self.lower = lower
    self.upper = upper
    self.se = se
  }
}

/// Checks results against R's, to relative 1e-9; returns the largest relative difference.
@discardableResult
private func expectQuantiles(
  _ results: [QuantileEstimate], _ expected: [ExpectedQuantile], _ label: String,
  sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
  var worst = 0.0
  #expect(results.count == expected.count, "\(label)", sourceLocation: sourceLocation)
  for (result, row) in zip(results, expected) {
    let what = "\(label), p = \(row.p)"
    #expect(result.probability == row.p, "\(what)", sourceLocation: sourceLocation)
    if row.estimate.isNaN {
      #expect(result.estimate.isNaN, "\(what): estimate", sourceLocation: sourceLocation)
    } else {
      let difference = relativeDifference(result.estimate, row.estimate)
      worst = max(worst, difference)
      #expect(
        difference <= quantileRelativeTolerance,
        "\(what): estimate \(result.estimate), R \(row.estimate)", sourceLocation: sourceLocation)
    }
    if let lower = row.lower, let upper = row.upper {
      if let interval = result.confidenceInterval {
        let differences = [
          relativeDifference(interval.lower, lower), relativeDifference(interval.upper, upper),
        ]
        worst = max(worst, differences.max()!)
        #expect(
          differences.allSatisfy { $0 <= quantileRelativeTolerance },
          "\(what): CI [\(interval.lower), \(interval.upper)], R [\(lower), \(upper)]",
          sourceLocation: sourceLocation)
      } else {
        Issue.record("\(what): no CI, R [\(lower), \(upper)]", sourceLocation: sourceLocation)
      }
    } else {
      #expect(
        result.confidenceInterval == nil,
        "\(what): CI \(String(describing: result.confidenceInterval)), R has a NaN end",
        sourceLocation: sourceLocation)
    }
    if let se = row.se {
      if let value = result.standardError {
        let difference = relativeDifference(value, se)
        worst = max(worst, difference)
        #expect(
          difference <= quantileRelativeTolerance, "\(what): se \(value), R \(se)",
          sourceLocation: sourceLocation)
      } else {
        Issue.record("\(what): no se, R \(se)", sourceLocation: sourceLocation)
      }
    } else {
      #expect(
        result.standardError == nil,
        "\(what): se \(String(describing: result.standardError)), R NaN",
        sourceLocation: sourceLocation)
    }
  }
  return worst
}

private func expectedRows(_ results: Any?) -> [ExpectedQuantile] {
  (results as! [[String: Any]]).map { entry in
    let ci = entry["ci"] as? [Any] ?? []
    return ExpectedQuantile(
      (entry["p"] as! NSNumber).doubleValue, (entry["estimate"] as? NSNumber)?.doubleValue ?? .nan,
      (ci.first as? NSNumber)?.doubleValue, (ci.last as? NSNumber)?.doubleValue,
      (entry["se"] as? NSNumber)?.doubleValue)
  }
}

// MARK: - Reference files

@Suite("svyquantile: R survey 4.1-1")
struct QuantileTests {
  static let designFiles = [
    "apistrat_fpc", "apistrat_nofpc", "apiclus1_fpc", "apiclus1_nofpc", "apisrs_fpc",
    "apisrs_nofpc",
  ]

  /// `svyquantile.default` (quartiles of api00, math) and `svyquantile.median_by_qrule` (the
  /// median under all 12 rules) of each design file.
  @Test(arguments: designFiles)
  func referenceFile(_ name: String) throws {
    let json = try loadQuantileReferenceJSON(name)
    let data = try loadQuantileFixtureTable(json["data_file"] as! String)
    let design = try quantileDesign(json["design_call"] as! String, data: data)
    let api00 = data.numbers("api00")
    let degf = ((json["degf"] as! [String: Any])["value"] as! NSNumber).intValue
    let section = json["svyquantile"] as! [String: Any]
    var worst = 0.0
    var checked = 0

    let quartiles = section["default"] as! [String: Any]
    let expectedQuartiles = expectedRows(quartiles["results"])
    let results = try design.quantiles(api00, probabilities: expectedQuartiles.map(\.p))
    worst = max(worst, expectQuantiles(results, expectedQuartiles, "\(name) default"))
    #expect(results.allSatisfy { $0.degreesOfFreedom == degf })
    checked += results.count

    let byRule = section["median_by_qrule"] as! [[String: Any]]
    #expect(
      Set(byRule.map { $0["qrule"] as! String }) == Set(QuantileRule.allCases.map(\.rawValue)))
    for entry in byRule {
      let rule = QuantileRule(rawValue: entry["qrule"] as! String)!
      let expected = expectedRows(entry["results"])
      let results = try design.quantiles(api00, probabilities: expected.map(\.p), rule: rule)
      worst = max(worst, expectQuantiles(results, expected, "\(name) \(rule)"))
      checked += results.count
    }
    #expect(checked == 15)
    print("svyquantile \(name): \(checked) results, max relative difference \(worst)")
  }

  // MARK: Edge cases (expected values from R 4.2.2, survey 4.1-1)

  private static func apistrat() throws -> (design: SurveyDesign, data: QuantileFixtureTable) {
    let data = try loadQuantileFixtureTable("api/apistrat.csv")
    let design = try quantileDesign(
      "svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)", data: data)
    return (design, data)
  }

  /// p = 0 and p = 1: the discrete rules give the second smallest value at 0 (403, not 398), the
  /// interval on the probability scale leaves [0, 1], F̂ = 1 with SE 0 at p = 1; hf4 is NaN at 1.
  @Test func probabilitiesZeroAndOne() throws {
    let (design, data) = try Self.apistrat()
    let api00 = data.numbers("api00")
    // d <- svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)
    // svyquantile(~api00, d, quantiles=c(0, 0.001, 1), qrule=q)
    let expected: [QuantileRule: [ExpectedQuantile]] = [
      .math: [
        .init(0, 403, nil, 421, nil), .init(0.001, 403, nil, 421, nil), .init(1, 893, 893, 893, 0),
      ],
      .school: [
        .init(0, 403, nil, 421, nil), .init(0.001, 403, nil, 421, nil), .init(1, 893, 893, 893, 0),
      ],
      .hf3: [
        .init(0, 403, nil, 421, nil), .init(0.001, 403, nil, 421, nil), .init(1, 893, 893, 893, 0),
      ],
      .shahvaish: [
        .init(0, 467, 509, 531, 5.5778697565299975),
        .init(0.001, 467, 509, 531, 5.5778697565299975),
        .init(1, 878, 878, 878, 0),
      ],
      .hf4: [
        .init(0, 387.14292785875591, 387.14292785875591, 387.14292785875591, 0),
        .init(0.001, 388.66404764567994, 387.14292785875591, 387.14292785875591, 0),
        .init(1, .nan, nil, nil, nil),
      ],
    ]
    for (rule, rows) in expected {
      let results = try design.quantiles(api00, probabilities: rows.map(\.p), rule: rule)
      expectQuantiles(results, rows, "apistrat \(rule)")
    }
  }

  /// A domain (R: `subset(design, awards == "No")`): df = 87 PSUs − 3 strata.
  @Test func domain() throws {
    let (design, data) = try Self.apistrat()
    let api00 = data.numbers("api00")
    let domain = data.text("awards").map { $0 == "No" }
    // svyquantile(~api00, subset(d, awards == "No"), quantiles=c(0.25, 0.5, 0.75))
    let quartiles = try design.quantiles(api00, probabilities: [0.25, 0.5, 0.75], domain: domain)
    expectQuantiles(
      quartiles,
      [
        .init(0.25, 531, 500, 581, 20.365987691085039),
        .init(0.5, 646, 593, 678, 21.371715478299116),
        .init(0.75, 743, 681, 774, 23.383171052727267),
      ], "awards == No, math")
    #expect(quartiles.allSatisfy { $0.degreesOfFreedom == 84 })
    // ... quantiles=c(0.1, 0.5, 0.9), qrule="hf7"
    expectQuantiles(
      try design.quantiles(api00, probabilities: [0.1, 0.5, 0.9], rule: .hf7, domain: domain),
      [
        .init(0.1, 472.53801306571677, 409, 504.74922399353278, 24.074413793620160),
        .init(0.5, 641, 583.92903240557894, 676.89737315622676, 23.375210906028315),
        .init(0.9, 792.05256475192050, 754.38557758566174, 837.75106123061175, 20.960745849066708),
      ], "awards == No, hf7")
    // ... qrule="shahvaish": the upper end at 0.9 leaves [0, 1].
    expectQuantiles(
      try design.quantiles(
        api00, probabilities: [0.1, 0.5, 0.9], rule: .shahvaish, domain: domain),
      [
        .init(0.1, 565, 565, 660, 23.886034946334306),
        .init(0.5, 667, 660, 814, 38.720519807741930),
        .init(0.9, 819, nil, nil, nil),
      ], "awards == No, shahvaish")
  }

  /// Missing values (R: `na.rm = TRUE`): df counts only the PSUs with a value (district 637 has
  /// none: 14 − 1 = 13), while F̂'s variance keeps the design's n_h.
  @Test func missingValues() throws {
    let data = try loadQuantileFixtureTable("api/apiclus1.csv")
    // c1$y <- c1$api00; c1$y[c1$dnum == 637] <- NA; c1$y[c1$snum %% 7 == 0] <- NA
    // dc <- svydesign(id=~dnum, weights=~pw, data=c1, fpc=~fpc)
    let design = try quantileDesign(
      "svydesign(id = ~dnum, weights = ~pw, data = c1, fpc = ~fpc)", data: data)
    let district = data.text("dnum")
    let school = data.numbers("snum")
    var y = data.numbers("api00")
    for row in 0..<y.count
    where district[row] == "637" || school[row].truncatingRemainder(dividingBy: 7) == 0 {
      y[row] = .nan
    }
    #expect(y.filter(\.isNaN).count == 36)
    // svyquantile(~y, dc, quantiles=c(0.25, 0.5, 0.75), na.rm=TRUE)
    let math = try design.quantiles(y, probabilities: [0.25, 0.5, 0.75])
    expectQuantiles(
      math,
      [
        .init(0.25, 551, 492, 629, 31.707551299210298),
        .init(0.5, 642, 553, 714, 37.262158826079258),
        .init(0.75, 717, 689, 795, 24.532849910337895),
      ], "apiclus1 missing, math")
    #expect(math.allSatisfy { $0.degreesOfFreedom == 13 })
    // ... qrule="hf8"
    expectQuantiles(
      try design.quantiles(y, probabilities: [0.25, 0.5, 0.75], rule: .hf8),
      [
        .init(0.25, 551, 491.8906782787713, 628.95285913619466, 31.721942559988253),
        .init(0.5, 642, 552.8831925683869, 714, 37.289192969363938),
        .init(0.75, 716.66666666666674, 684.5728835429162, 785.94687582399695, 23.462197523051945),
      ], "apiclus1 missing, hf8")
    // svyquantile(~y, subset(dc, stype == "E"), quantiles=0.5, na.rm=TRUE, qrule="school")
    let elementary = data.text("stype").map { $0 == "E" }
    expectQuantiles(
      try design.quantiles(y, probabilities: [0.5], rule: .school, domain: elementary),
      [.init(0.5, 651.5, 554, 717, 37.72504278665167)], "apiclus1 missing, E, school")
  }

  /// A domain of a single row: the discrete rules return its value, df = 0 so there is no
  /// interval; hf4 is NaN (0/0), and the interpolating rules stop as R does.
  @Test func singleRow() throws {
    let (design, data) = try Self.apistrat()
    let api00 = data.numbers("api00")
    let first = (0..<data.rowCount).map { $0 == 0 }
    // svyquantile(~api00, subset(d, snum == apistrat$snum[1]), quantiles=c(0, 0.5, 1))
    for rule in [QuantileRule.math, .school, .hf3, .shahvaish] {
      let results = try design.quantiles(
        api00, probabilities: [0, 0.5, 1], rule: rule, domain: first)
      expectQuantiles(
        results,
        [
          .init(0, 840, nil, nil, nil), .init(0.5, 840, nil, nil, nil),
          .init(1, 840, nil, nil, nil),
        ],
        "single row, \(rule)")
      #expect(results.allSatisfy { $0.degreesOfFreedom == 0 })
    }
    expectQuantiles(
      try design.quantiles(api00, probabilities: [0.5], rule: .hf4, domain: first),
      [.init(0.5, .nan, nil, nil, nil)], "single row, hf4")
    // R: "need at least two non-NA values to interpolate" (hf7: "'x' and 'y' lengths differ").
    for rule in [QuantileRule.hf5, .hf6, .hf7, .hf8, .hf9] {
      #expect(throws: DesignError.self) {
        try design.quantiles(api00, probabilities: [0.5], rule: rule, domain: first)
      }
    }
  }

  /// All values equal: F̂ = 1 with SE 0, so the interval is [5, 5] (hf4: NaN at 1, so none).
  @Test func allEqualValues() throws {
    // de <- svydesign(id=~1, strata=~s, weights=~w,
    //                 data=data.frame(x=rep(5,6), s=rep(c("a","b"),3), w=c(1,2,3,1,2,3)))
    let design = try SurveyDesign(
      weights: [1, 2, 3, 1, 2, 3], strata: ["a", "b", "a", "b", "a", "b"])
    let x = [Double](repeating: 5, count: 6)
    for rule in [QuantileRule.math, .hf7] {
      // svyquantile(~x, de, quantiles=c(0, 0.5, 1), qrule=rule)
      expectQuantiles(
        try design.quantiles(x, probabilities: [0, 0.5, 1], rule: rule),
        [.init(0, 5, 5, 5, 0), .init(0.5, 5, 5, 5, 0), .init(1, 5, 5, 5, 0)], "all equal, \(rule)")
    }
    expectQuantiles(
      try design.quantiles(x, probabilities: [0, 0.5, 1], rule: .hf4),
      [.init(0, 5, nil, nil, nil), .init(0.5, 5, nil, nil, nil), .init(1, .nan, nil, nil, nil)],
      "all equal, hf4")
  }

  /// Ties and cumulative weights that hit p·W exactly (equal weights 2, n = 6).
  @Test func exactTies() throws {
    // dt <- svydesign(id=~1, weights=~w, data=data.frame(x=c(3,1,2,4,2,5), w=rep(2,6)))
    // svyquantile(~x, dt, quantiles=c(0, 1/6, 0.5, 2/3, 1), qrule=q)
    let design = try SurveyDesign(weights: [Double](repeating: 2, count: 6))
    let x: [Double] = [3, 1, 2, 4, 2, 5]
    let p = [0, 1.0 / 6, 0.5, 2.0 / 3, 1]
    let expected: [QuantileRule: [ExpectedQuantile]] = [
      .math: [
        .init(p[0], 2, nil, nil, nil), .init(p[1], 1, nil, 3, nil), .init(p[2], 2, nil, nil, nil),
        .init(p[3], 3, 2, nil, nil), .init(p[4], 5, 5, 5, 0),
      ],
      .school: [
        .init(p[0], 2, nil, nil, nil), .init(p[1], 1.5, nil, 3, nil),
        .init(p[2], 2.5, nil, nil, nil),
        .init(p[3], 3.5, 2, nil, nil), .init(p[4], 5, 5, 5, 0),
      ],
      .hf3: [
        .init(p[0], 2, nil, nil, nil), .init(p[1], 2, nil, nil, nil), .init(p[2], 2, nil, nil, nil),
        .init(p[3], 4, 2, nil, nil), .init(p[4], 5, 5, 5, 0),
      ],
      .hf4: [
        .init(p[0], 0, 0, 0, 0), .init(p[1], 1, nil, 2.5705818356363137, nil),
        .init(p[2], 2, nil, nil, nil), .init(p[3], 3, 0.74844259501306432, nil, nil),
        .init(p[4], .nan, nil, nil, nil),
      ],
      .hf5: [
        .init(p[0], 1, nil, 3.0705818356363137, nil),
        .init(p[1], 1.5, nil, 3.0705818356363137, nil),
        .init(p[2], 2.5, nil, nil, nil),
        .init(p[3], 3.4999999999999996, 1.2484425950130642, nil, nil),
        .init(p[4], 5, 5, 5, 0),
      ],
      .shahvaish: [
        .init(p[0], 1, nil, 3, nil), .init(p[1], 1, nil, 3, nil), .init(p[2], 3, 1, nil, nil),
        .init(p[3], 4, 2, nil, nil), .init(p[4], 5, 5, 5, 0),
      ],
    ]
    for (rule, rows) in expected {
      expectQuantiles(try design.quantiles(x, probabilities: p, rule: rule), rows, "ties, \(rule)")
    }
  }

  /// A level other than 0.95 (R: alpha = 0.1).
  @Test func otherLevel() throws {
    let (design, data) = try Self.apistrat()
    // svyquantile(~api00, d, quantiles=c(0.5, 0.9), alpha=0.1, qrule="hf6")
    let results = try design.quantiles(
      data.numbers("api00"), probabilities: [0.5, 0.9], rule: .hf6, level: 0.9)
    expectQuantiles(
      results,
      [
        .init(0.5, 668, 647.19637301260548, 682.44893294813460, 10.665624463602470),
        .init(0.9, 838.45093826368372, 814.90867663600625, 863.90200347017549, 14.822878854512433),
      ], "level 0.9, hf6")
    #expect(results.allSatisfy { $0.confidenceInterval?.level == 0.9 })
  }

  @Test func refusals() throws {
    let design = try SurveyDesign(weights: [1, 2, 3])
    let x: [Double] = [1, 2, .nan]
    #expect(throws: DesignError.self) {
      try design.quantiles([.nan, .nan, .nan], probabilities: [0.5])
    }
    #expect(throws: DesignError.self) {
      try design.quantiles(x, probabilities: [0.5], domain: [false, false, true])
    }
    #expect(throws: DesignError.self) { try design.quantiles([1, 2], probabilities: [0.5]) }
    #expect(throws: DesignError.self) {
      try design.quantiles(x, probabilities: [0.5], domain: [true])
    }
    for p in [-0.1, 1.5, Double.nan] {
      #expect(throws: DesignError.self) { try design.quantiles(x, probabilities: [p]) }
    }
    for level in [0, 1, 1.2] {
      #expect(throws: DesignError.self) {
        try design.quantiles(x, probabilities: [0.5], level: level)
      }
    }
    do {
      _ = try design.quantiles([.nan, .nan, .nan], probabilities: [0.5])
    } catch {
      #expect(!error.message.isEmpty && !error.message.contains("\n"))
    }
    #expect(try design.quantiles(x, probabilities: []).isEmpty)
  }

  /// Weights enter the rule as R's 1/(1/w): with these float32-like weights, plain w puts the hf4
  /// estimate at p = 0.069 just below 3 instead of R's 3.0000000000000009, so F̂ = 0 and the
  /// interval becomes [3, 3] where R has none. A stratified design with an fpc and a domain, found
  /// by comparing random designs with R.
  @Test func weightsAsRStoresThem() throws {
    // df <- data.frame(x, s, psu = 1:11, w, dom, fpc)
    // d <- subset(svydesign(id=~psu, strata=~s, weights=~w, fpc=~fpc, data=df), dom)
    // svyquantile(~x, d, quantiles=p, qrule=q, na.rm=TRUE)
    let w = [
      52.997684532543644, 46.082182777347043, 62.28334434190765, 86.105682430323213,
      48.219559333287179, 76.568982064491138, 90.023958491394296, 54.051927125314251,
      87.154179060831666, 32.844558944227174, 66.379890357377008,
    ]
    let s = ["a", "b", "c", "a", "b", "c", "c", "a", "a", "b", "c"]
    let fpc: [Double] = [16, 12, 16, 16, 12, 16, 16, 16, 16, 12, 16]
    let x: [Double] = [5, 4, 3, 2, 5, 4, 2, 5, 5, 3, 4]
    let domain = [true, false, true, false, true, false, false, true, false, true, true]
    let design = try SurveyDesign(weights: w, strata: s, populationSizes: [fpc])
    let p = [0, 0.069, 2.0 / 11, 0.24, 0.25, 1.0 / 3, 0.486, 0.5, 2.0 / 3, 0.75, 1]
    let hf4 = try design.quantiles(x, probabilities: p, rule: .hf4, domain: domain)
    expectQuantiles(
      hf4,
      [
        .init(p[0], 3, nil, 5, nil), .init(p[1], 3.0000000000000009, nil, 5, nil),
        .init(p[2], 3, nil, 5, nil), .init(p[3], 3, nil, 5, nil), .init(p[4], 3, nil, 5, nil),
        .init(p[5], 3.1576444040870255, nil, 5, nil), .init(p[6], 3.8861976301798897, nil, 5, nil),
        .init(p[7], 3.9530081880312005, nil, 5, nil),
        .init(p[8], 4.9373399967267435, nil, nil, nil),
        .init(p[9], 5, nil, nil, nil), .init(p[10], .nan, nil, nil, nil),
      ], "float32 weights, hf4")
    #expect(hf4.allSatisfy { $0.degreesOfFreedom == 3 })
    expectQuantiles(
      try design.quantiles(x, probabilities: p, domain: domain),
      [
        .init(p[0], 3, nil, 5, nil), .init(p[1], 3, nil, 5, nil), .init(p[2], 3, nil, 5, nil),
        .init(p[3], 3, nil, 5, nil), .init(p[4], 3, nil, 5, nil), .init(p[5], 4, nil, nil, nil),
        .init(p[6], 4, nil, nil, nil), .init(p[7], 4, nil, nil, nil), .init(p[8], 5, 5, 5, 0),
        .init(p[9], 5, 5, 5, 0), .init(p[10], 5, 5, 5, 0),
      ], "float32 weights, math")
  }
}
