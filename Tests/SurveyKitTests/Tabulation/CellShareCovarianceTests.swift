import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// The streaming covariance of cell shares (`SurveyDesign.cellShareCovariance`, used by the
  /// Rao–Scott test of one-stage designs without calibration) against the generic linearisation
  /// (`estimate(.mean, …)` on the full matrix of influence values, R's `svyrecvar`), on the
  /// reference designs: strata, clusters, fpc, domains, missing answers and every lonely-PSU
  /// policy with and without `survey.adjust.domain.lonely`.
  @Suite("Rao–Scott: streaming share covariance")
  struct CellShareCovarianceTests {
    /// Row × column pairs of the API data (factors, and logical expressions with missing values).
    static let pairs = [
      ("sch.wide", "stype"), ("awards", "both"), ("I(api00 > 700)", "comp.imp"),
      ("I(acs.k3 > 20)", "stype"), ("stype", "I(meals > 50)"), ("yr.rnd", "awards"),
    ]
    /// Domains (nil: the whole design).
    static let domains: [String?] = [
      nil, "api00 > 600", "stype == \"E\"", "meals > 80", "enroll < 300",
    ]

    static func close(_ a: Double, _ b: Double, scale: Double, _ tolerance: Double = 1e-12)
      -> Bool
    {
      if a == b || (a.isNaN && b.isNaN) { return true }
      return abs(a - b) <= tolerance * max(abs(a), abs(b), scale)
    }

    /// Both paths on every pair and domain: the same refusals, warnings and covariances, and the
    /// same tests, to relative 1e-12.
    static func compare(
      _ design: SurveyDesign, data: ReferenceDataset, label: String,
      pairs: [(String, String)] = pairs, domains: [String?] = domains,
      sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
      var compared = 0
      for (rowName, columnName) in pairs {
        guard case .factor(_, let rows) = try data.variable(rowName),
          case .factor(_, let columns) = try data.variable(columnName)
        else { throw ReferenceError("\(rowName) or \(columnName) is not a factor") }
        for domainText in domains {
          let domain = try domainText.map { try data.domain($0) }
          let what = "\(label): \(rowName) × \(columnName) in \(domainText ?? "all")"
          func run(_ streaming: Bool) -> Result<RaoScottTest, DesignError> {
            Result { () throws(DesignError) in
              try design.raoScottTest(
                rows: rows.codes, rowLevels: rows.levels.count, columns: columns.codes,
                columnLevels: columns.levels.count, domain: domain, streaming: streaming)
            }
          }
          switch (run(true), run(false)) {
          case (.failure(let fast), .failure(let generic)):
            #expect(fast.message == generic.message, "\(what)", sourceLocation: sourceLocation)
          case (.success(let fast), .success(let generic)):
            compared += 1
            #expect(fast.warnings == generic.warnings, "\(what)", sourceLocation: sourceLocation)
            #expect(
              fast.rowLevels == generic.rowLevels && fast.columnLevels == generic.columnLevels)
            let values: [(String, Double, Double)] = [
              ("X²", fast.pearsonChiSquare, generic.pearsonChiSquare),
              ("tr Δ", fast.deltaTrace, generic.deltaTrace),
              ("tr Δ²", fast.deltaSquaredTrace, generic.deltaSquaredTrace),
              ("F", fast.secondOrder.statistic, generic.secondOrder.statistic),
              (
                "d0", fast.secondOrder.numeratorDegreesOfFreedom,
                generic.secondOrder.numeratorDegreesOfFreedom
              ),
              ("X²/δ̄", fast.firstOrder.statistic, generic.firstOrder.statistic),
            ]
            for (name, a, b) in values {
              #expect(
                close(a, b, scale: 0), "\(what): \(name) \(a) vs \(b)",
                sourceLocation: sourceLocation)
            }
            // A p-value of 1e-100 carries the statistic's rounding amplified ~100-fold: compared
            // on the log scale.
            for (name, a, b) in [
              ("F p", fast.secondOrder.pValue, generic.secondOrder.pValue),
              ("χ² p", fast.firstOrder.pValue, generic.firstOrder.pValue),
            ] {
              #expect(
                close(log(a), log(b), scale: 1), "\(what): \(name) \(a) vs \(b)",
                sourceLocation: sourceLocation)
            }
          case (let fast, let generic):
            Issue.record(
              "\(what): streaming \(fast), generic \(generic)", sourceLocation: sourceLocation)
          }
        }
      }
      return compared
    }

    @Test("The covariance matrices agree entry by entry", arguments: referenceDesignFiles)
    func covariances(file: String) throws {
      let fixture = try DesignFixture(file)
      let design = fixture.design
      #expect(design.hasStreamingCellShares)
      guard case .factor(_, let rows) = try fixture.data.variable("awards"),
        case .factor(_, let columns) = try fixture.data.variable("stype")
      else { throw ReferenceError("awards or stype is not a factor") }
      for domainText in Self.domains {
        let domain = try domainText.map { try fixture.data.domain($0) }
        let c = columns.levels.count
        let k = rows.levels.count * c
        let cells = (0..<design.rowCount).map { row -> Int32 in
          guard let a = rows.codes[row], let b = columns.codes[row] else { return -1 }
          return Int32(a + rows.levels.count * b)
        }
        let fast = try design.cellShareCovariance(cells: cells, cellCount: k, domain: domain)
        let generic = try design.estimate(
          .mean, columns: k, domain: domain, isMissing: { cells[$0] < 0 },
          value: { row, column in Int(cells[row]) == column ? 1 : 0 })
        #expect(fast.warnings == generic.warnings)
        let scale = (0..<k).map { generic.covariance[$0 * k + $0] }.max() ?? 0
        for index in 0..<(k * k) {
          #expect(
            Self.close(fast.covariance[index], generic.covariance[index], scale: scale),
            "\(file) \(domainText ?? "all") [\(index / k), \(index % k)]: \(fast.covariance[index]) vs \(generic.covariance[index])"
          )
        }
      }
    }

    @Test("Rao–Scott tests agree on the reference designs", arguments: referenceDesignFiles)
    func designs(file: String) throws {
      let fixture = try DesignFixture(file)
      let compared = try Self.compare(fixture.design, data: fixture.data, label: file)
      #expect(compared > 10)
    }

    @Test("Rao–Scott tests agree under every lonely-PSU policy", arguments: referenceLonelyFiles)
    func lonely(file: String) throws {
      let json = try JSONNode.load(file)
      let data = try ReferenceDataset(name: try #require(json["dataset"].string))
      var compared = 0
      for caseNode in json["cases"].array {
        let call = try DesignCall(try #require(caseNode["design_call"].string))
        for policy in [LonelyPSUPolicy.fail, .remove, .certainty, .adjust, .average] {
          for adjust in [false, true] {
            let design = try call.make(data, lonelyPSU: policy, adjustDomainLonely: adjust)
            compared += try Self.compare(
              design, data: data, label: "\(file) \(policy) adjust=\(adjust)")
          }
        }
      }
      #expect(compared > 0)
    }

    @Test("Calibrated and two-stage designs keep the generic path")
    func fallback() throws {
      let data = try ReferenceDataset(name: "apiclus2")
      let twoStage = try SurveyDesign(
        weights: data.numbers("pw"), clusters: [data.texts("dnum"), data.texts("snum")],
        populationSizes: [data.numbers("fpc1"), data.numbers("fpc2")])
      #expect(!twoStage.hasStreamingCellShares)
      let compared = try Self.compare(
        twoStage, data: data, label: "apiclus2 two-stage",
        pairs: [("stype", "I(api00 > 700)"), ("I(enroll > 500)", "I(api00 > 650)")],
        domains: [nil, "enroll > 300"])
      #expect(compared > 0)

      let fixture = try DesignFixture("apistrat_fpc")
      let stype = try fixture.data.texts("stype")
      let levels = Array(Set(stype)).sorted()
      let margin = WeightingMargin(
        name: "stype", labels: levels, category: stype.map { levels.firstIndex(of: $0)! },
        targets: [4421, 755, 1018])
      let calibrated = try fixture.design.postStratified(margin)
      #expect(!calibrated.hasStreamingCellShares)
      #expect(try Self.compare(calibrated, data: fixture.data, label: "post-stratified") > 0)
    }
  }
}
