import Foundation
import Testing

@testable import SurveyKit

extension Weighting {
  /// The bundled sample weighted to its register margins (codebooks/citizen-survey-2019-targets.yaml)
  /// through the product's path — export read against the codebook, design from its roles,
  /// targets file with `missing: own-class` — against R (Fixtures/reference/r-survey/
  /// sample_weighting.json, written by make_weighting_sample.R): weights, margins, and the
  /// livability and satisfaction KPIs with their SEs after every method, to relative 1e-9.
  @Suite("R reference: the sample weighted to its register margins")
  struct SampleWeightingTests {
    let json: JSONNode
    let table: ResponseTable
    let design: SurveyDesign
    let targets: WeightingTargets

    init() throws {
      json = try JSONNode.load("sample_weighting")
      let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
      table = try SurveyReader(codebook: codebook).read(
        contentsOf: packagePath("samples/citizen-survey-2019.csv")
      ).table
      design = try SurveyDesign(table: table)
      targets = try WeightingTargets(
        contentsOf: packagePath("codebooks/citizen-survey-2019-targets.yaml"))
    }

    /// Each row's code (nil = no answer) of a single-choice question.
    func codes(_ name: String) -> [Int?] {
      guard case .codes(let column) = table.column(named: name) else { return [] }
      return (0..<table.rowCount).map { column[$0].map { Int($0) } }
    }

    /// The options that reproduce an R method, and whether it goes through the targets file.
    func options(_ method: JSONNode) throws -> WeightingOptions? {
      switch method["id"].string ?? "" {
      case "rake_default": return WeightingOptions(method: .rake, raking: .r)
      case "rake_tight": return WeightingOptions(method: .rake)
      case "calibrate_raking": return WeightingOptions(method: .calibrateRaking)
      case "calibrate_linear": return WeightingOptions(method: .calibrateLinear)
      case "calibrate_raking_bounded", "calibrate_raking_bounded_both":
        let bounds = method["bounds"]
        guard let low = bounds[0].number, let high = bounds[1].number else {
          throw ReferenceError("\(method.path): no bounds")
        }
        return WeightingOptions(method: .calibrateRaking, bounds: low...high)
      case "trim_rake_tight", "trim_rake_tight_strict":
        let trim = method["trim"]
        return WeightingOptions(
          method: .rake,
          trim: WeightingTargets.Trim(
            lower: trim["lower"].number, upper: trim["upper"].number,
            strict: trim["strict"].bool ?? false))
      case "poststratify_F1_F2": return nil
      default: throw ReferenceError("\(method.path): method not covered")
      }
    }

    /// R's `postStratify(design, ~F1 + F2, pop_F1_F2)` with the fixture's cells (a class per
    /// no-answer cell with respondents, unlike the targets file's one class).
    func cells() throws -> WeightingMargin {
      let cells = json["population"]["poststratify_cells"]["cells"].array
      let keys = cells.map { "\($0["F1"].string ?? "").\($0["F2"].string ?? "")" }
      let f1 = codes("F1")
      let f2 = codes("F2")
      return WeightingMargin(
        name: "F1 × F2", labels: keys,
        category: try (0..<table.rowCount).map { row in
          let key = "\(f1[row] ?? 9).\(f2[row] ?? 9)"
          guard let index = keys.firstIndex(of: key) else { throw ReferenceError("no cell \(key)") }
          return index
        }, targets: cells.map { $0["Freq"].number ?? .nan })
    }

    @Test("Every method agrees with R")
    func methods() throws {
      var covered = 0
      for method in json["methods"].array {
        let id = method["id"].string ?? "?"
        let checker = Checker(file: "sample_weighting", section: id)
        let weighted: SurveyDesign
        if let options = try options(method) {
          let result = try targets.apply(to: design, table: table, options: options)
          weighted = result.design
          if method["passes"].exists { checker.count(result.iterations, method["passes"]) }
          // The report's margins are R's margins_after.
          for margin in result.margins {
            for category in margin.categories {
              let code = category.code.map(String.init) ?? "9"
              checker.value(category.after, method["margins_after"][margin.variable][code])
            }
          }
          checker.value(result.after.effectiveSampleSize, method["weights_summary"]["kish_ess"])
          checker.value(result.after.coefficientOfVariation, method["weights_summary"]["cv"])
          checker.value(result.after.maximum, method["weights_summary"]["max"])
          checker.value(result.after.minimum, method["weights_summary"]["min"])
        } else {
          weighted = try design.postStratified(try cells())
        }
        let tolerance = id.contains("rake_tight") ? 1e-8 : 1e-9
        for node in method["weights"].array {
          guard let row = node["row"].number else { continue }
          checker.value(weighted.weights[Int(row) - 1], node["weight"], relative: tolerance)
        }
        try checkEstimates(method["estimates"], design: weighted, checker: checker)
        checker.finish()
        #expect(checker.compared > 1200)
        covered += 1
      }
      #expect(covered == 9)
    }

    func checkEstimates(_ node: JSONNode, design weighted: SurveyDesign, checker: Checker) throws {
      let q5 = codes("Q5")
      let q6 = codes("Q6")
      let f1 = codes("F1")
      let topBox = q5.map { $0.map { $0 == 1 ? 1.0 : 0.0 } ?? .nan }
      let reversed = q6.map { $0.map { 6 - Double($0) } ?? .nan }
      func compare(_ ours: Estimate, _ term: JSONNode) {
        checker.value(ours.estimate, term["estimate"])
        checker.standardError(ours.standardError, term["se"], estimate: ours.estimate)
        checker.designEffect(ours.designEffect, term["deff"])
      }
      compare(try weighted.mean(topBox), node["livability_top_box"]["terms"][1])
      compare(try weighted.total(topBox), node["livability_top_box_total"]["terms"][1])
      compare(try weighted.mean(reversed), node["satisfaction_reversed"]["terms"][0])
      for (name, values, levels) in [
        ("sex", f1, [1, 2]), ("age", codes("F2"), [1, 2, 3, 4, 5, 6]),
      ] {
        let all = levels + [9]
        let shares = try weighted.proportions(
          values.map { all.firstIndex(of: $0 ?? 9) }, levels: all.count)
        for (index, term) in node[name]["terms"].array.enumerated() {
          compare(shares.estimates[index], term)
        }
      }
      for result in node["livability_top_box_by_sex"]["results"].array
      where result["term"].string == "I(Q5 == 1)TRUE" {
        let group = Int(result["F1"].string ?? "") ?? 0
        let domain = f1.map { ($0 ?? 9) == group }
        compare(try weighted.mean(topBox, domain: domain), result)
      }
    }
  }
}
