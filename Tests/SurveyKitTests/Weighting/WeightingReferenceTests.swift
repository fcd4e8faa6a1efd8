import Foundation
import Testing

@testable import SurveyKit

@Suite("Weighting") enum Weighting {}

extension Weighting {
  /// Raking, post-stratification, calibration and trimming against R's `survey` 4.1-1
  /// (Fixtures/reference/r-survey/*_weighting.json, README "Weighting files"): the final weights,
  /// the margins and weight summaries, and every estimate, SE, deff, interval and Rao–Scott test
  /// on the weighted designs, to relative 1e-9 (1e-8 for the individual weights of `rake_tight`,
  /// README "Tolerances").
  @Suite("R reference: weighting")
  struct WeightingReferenceTests {
    static let files = ["apisrs_weighting", "apiclus1_weighting", "apistrat_weighting"]

    @Test("Every method on every base design agrees with R", arguments: files)
    func methods(file: String) throws {
      let json = try JSONNode.load(file)
      guard let dataset = json["dataset"].string else { throw ReferenceError("no dataset") }
      let data = try ReferenceDataset(name: dataset)
      let population = json["population"]
      let marginNames = population.keys.filter {
        !["source", "N", "calibration_totals"].contains($0)
      }
      // The margins in R's order: stype, sch.wide[, comp.imp].
      let order = ["stype", "sch.wide", "comp.imp"].filter(marginNames.contains)
      #expect(order.count == marginNames.count)
      let margins = try order.map { try margin($0, data: data, targets: population[$0]) }
      let methods = json["methods"].array
      #expect(methods.count >= 8)
      for base in json["base_designs"].array {
        guard let baseID = base["id"].string, let call = base["call"].string else {
          throw ReferenceError("\(base.path): no id or call")
        }
        let design = try DesignCall(call).make(data)
        for method in methods {
          let checker = Checker(file: file, section: "\(method["id"].string ?? "?") on \(baseID)")
          try check(
            method, base: baseID, baseCall: call, isFirstBase: base.path.hasSuffix("[0]"),
            design: design,
            margins: margins, data: data, checker: checker)
          checker.finish()
          #expect(checker.compared > 0)
        }
      }
    }

    /// A margin of the data set with its population counts.
    func margin(_ name: String, data: ReferenceDataset, targets: JSONNode) throws
      -> WeightingMargin
    {
      guard case .factor(_, let factor) = try data.variable(name) else {
        throw ReferenceError("\(name) is not a factor")
      }
      return WeightingMargin(
        name: name, labels: factor.levels,
        category: try factor.codes.map {
          guard let code = $0 else { throw ReferenceError("\(name) has a missing value") }
          return code
        },
        targets: try factor.levels.map {
          guard let count = targets[$0].number else { throw ReferenceError("no target \($0)") }
          return count
        })
    }

    /// The R method `call` applied to `design` with SurveyKit.
    func apply(
      _ method: JSONNode, design: SurveyDesign, margins: [WeightingMargin], data: ReferenceDataset
    ) throws -> (design: SurveyDesign, passes: Int?) {
      guard let id = method["id"].string, let call = method["call"].string else {
        throw ReferenceError("\(method.path): no id or call")
      }
      func rake(_ design: SurveyDesign) throws -> (SurveyDesign, Int) {
        let control = method["control"]
        let maxit = control["maxit"].number ?? 10
        let epsilon = control["epsilon"].number ?? 1
        let raked = try design.raked(
          margins, control: RakingControl(maxIterations: Int(maxit), epsilon: epsilon))
        return (raked.design, raked.passes)
      }
      switch id {
      case "rake", "rake_tight":
        let (raked, passes) = try rake(design)
        return (raked, passes)
      case "poststratify_stype":
        return (try design.postStratified(margins[0]), nil)
      case "poststratify_stype_sch.wide":
        return (try design.postStratified(try cells(data: data)), nil)
      case "calibrate_raking":
        return (try design.calibrated(margins, function: .raking).design, nil)
      case "calibrate_linear":
        return (try design.calibrated(margins, function: .linear).design, nil)
      case "trim_raked", "trim_raked_strict", "trim_base", "trim_base_strict":
        let lower = try bound("lower", in: call)
        let upper = try bound("upper", in: call)
        let start = id.hasPrefix("trim_raked") ? try rake(design).0 : design
        return (
          try start.trimmed(lower: lower, upper: upper, strict: id.hasSuffix("strict")).design, nil
        )
      default:
        throw ReferenceError("method \(id) is not covered")
      }
    }

    /// `lower = 29` in a call.
    func bound(_ name: String, in call: String) throws -> Double {
      guard let range = call.range(of: "\(name) = ") else {
        throw ReferenceError("no \(name) in \(call)")
      }
      let text = call[range.upperBound...].prefix { "0123456789.".contains($0) }
      guard let value = Double(text) else { throw ReferenceError("no \(name) in \(call)") }
      return value
    }

    /// The cells of stype × sch.wide with apipop's counts (api/apipop_stype_sch.wide.csv).
    func cells(data: ReferenceDataset) throws -> WeightingMargin {
      let text = try String(
        contentsOfFile: packagePath("\(referenceFolder)/api/apipop_stype_sch.wide.csv"),
        encoding: .utf8)
      var counts: [String: Double] = [:]
      for line in text.split(separator: "\n").dropFirst() {
        let fields = line.split(separator: ",").map(String.init)
        counts["\(fields[0]).\(fields[1])"] = Double(fields[2])
      }
      let stype = try data.texts("stype")
      let schWide = try data.texts("sch.wide")
      let labels = counts.keys.sorted()
      return WeightingMargin(
        name: "stype × sch.wide", labels: labels,
        category: (0..<data.rowCount).map { labels.firstIndex(of: "\(stype[$0]).\(schWide[$0])")! },
        targets: labels.map { counts[$0]! })
    }

    func check(
      _ method: JSONNode, base: String, baseCall: String, isFirstBase: Bool, design: SurveyDesign,
      margins: [WeightingMargin], data: ReferenceDataset, checker: Checker
    ) throws {
      let id = method["id"].string ?? "?"
      checker.coverKeys(
        method,
        handled: [
          "id", "call", "control", "passes", "converged", "margins_after", "weights_summary",
          "max_abs_weight_difference_between_bases", "estimates", "weights", "more_estimates",
        ])
      let (weighted, passes) = try apply(method, design: design, margins: margins, data: data)
      if let passes {
        checker.count(passes, method["passes"])
        checker.require(method["converged"].bool == true, "\(method.path): R did not converge")
      }
      // Weights and their summaries are those of the first base design.
      if isFirstBase {
        let tolerance = id == "rake_tight" || id.hasPrefix("trim_raked") ? 1e-8 : 1e-9
        let weights = method["weights"].array
        checker.require(weights.count == weighted.rowCount, "\(method.path).weights: count")
        for node in weights {
          guard let row = node["row"].number else { continue }
          checker.value(weighted.weights[Int(row) - 1], node["weight"], relative: tolerance)
        }
        let summary = WeightSummary(weighted.weights)
        let node = method["weights_summary"]
        checker.coverKeys(node, handled: ["n", "sum", "min", "max", "mean", "cv", "kish_ess"])
        checker.count(summary.count, node["n"])
        checker.value(summary.sum, node["sum"])
        checker.value(summary.minimum, node["min"], relative: tolerance)
        checker.value(summary.maximum, node["max"], relative: tolerance)
        checker.value(summary.mean, node["mean"])
        checker.value(summary.coefficientOfVariation, node["cv"], relative: tolerance)
        checker.value(summary.effectiveSampleSize, node["kish_ess"], relative: tolerance)
        for margin in margins {
          let achieved = margin.achieved(weighted.weights)
          for (category, label) in margin.labels.enumerated() {
            let node = method["margins_after"][margin.name][label]
            // A margin met exactly is compared with the target's rounding noise.
            if let r = node.number, abs(r - margin.targets[category]) <= 1e-9 * r {
              checker.value(achieved[category], node, relative: 1e-12 + tolerance)
            } else {
              checker.value(achieved[category], node, relative: tolerance)
            }
          }
        }
      }
      // svymean(~api00), svytotal(~enroll), and for trimmed weights the plain-weight SEs.
      let estimates = method["estimates"][base]
      checker.coverKeys(
        estimates, handled: ["svymean_api00", "svytotal_enroll", "plain_design_call"])
      if let plainText = estimates["plain_design_call"].string {
        checker.require(
          plainText
            == baseCall.replacingOccurrences(of: "weights = ~pw", with: "weights = ~w")
            .replacingOccurrences(of: "data = \(data.name)", with: "data = wdata"),
          "\(estimates.path).plain_design_call is not the base design with the final weights")
      }
      // R's se_plain_weights: a fresh design with the final weights and no calibration.
      var plainData = data
      plainData.addNumbers("final_weight", weighted.weights)
      var plainCall = try DesignCall(baseCall)
      plainCall.weights = "final_weight"
      let plain = try plainCall.make(plainData)
      for (key, variable, statistic) in [
        ("svymean_api00", "api00", ReferenceStatistic.mean),
        ("svytotal_enroll", "enroll", ReferenceStatistic.total),
      ] {
        let node = estimates[key]
        checker.coverKeys(node, handled: ["call", "estimate", "se", "se_plain_weights"])
        let ours = try data.evaluate(variable, statistic, design: weighted, domain: nil)
          .estimates[0]
        checker.value(ours.estimate, node["estimate"])
        checker.standardError(ours.standardError, node["se"], estimate: ours.estimate)
        if node["se_plain_weights"].exists {
          let simple = try data.evaluate(variable, statistic, design: plain, domain: nil)
            .estimates[0]
          checker.standardError(
            simple.standardError, node["se_plain_weights"], estimate: simple.estimate)
        }
      }
      // Everything else on the weighted design, in the shapes of the design files.
      for entry in method["more_estimates"][base].array {
        if entry["terms"].exists {
          try checkEstimateEntry(entry, data: data, design: weighted, checker: checker)
        } else if entry["results"].exists {
          _ = try checkByEntry(entry, data: data, design: weighted, checker: checker)
        } else if entry["tests"].exists {
          try Tabulation.RaoScottTests.check(
            entry, data: data, design: weighted, checker: checker)
        } else if entry["method"].exists {
          try checkProportionEntry(entry, data: data, design: weighted, checker: checker)
        } else {
          checker.require(false, "\(entry.path): an entry of unknown shape")
        }
      }
    }

    /// The banner engine on a weighted design: `svyby(~awards, ~stype, weighted, svymean)` as a
    /// table of awards by Total and stype, whose SEs must project on the calibration as svyby's do.
    @Test("Banner cells on weighted designs agree with R's svyby", arguments: files)
    func bannerCells(file: String) throws {
      let json = try JSONNode.load(file)
      let data = try ReferenceDataset(name: json["dataset"].string ?? "")
      let population = json["population"]
      let order = ["stype", "sch.wide", "comp.imp"].filter { population[$0].exists }
      let margins = try order.map { try margin($0, data: data, targets: population[$0]) }
      guard case .factor(_, let awards) = try data.variable("awards"),
        case .factor(_, let stype) = try data.variable("stype")
      else { throw ReferenceError("awards or stype is not a factor") }
      let stub = CrossTabulation.Stub(
        rowCount: 2, entries: awards.codes.map { $0.map { [(row: $0, value: 1.0)] } })
      let banner = CrossTabulation.Banner(
        columnCount: 1 + stype.levels.count, columns: stype.codes.map { [0, 1 + $0!] })
      var compared = 0
      for base in json["base_designs"].array {
        let design = try DesignCall(base["call"].string ?? "").make(data)
        let baseID = base["id"].string ?? ""
        for method in json["methods"].array {
          let (weighted, _) = try apply(method, design: design, margins: margins, data: data)
          let table = try CrossTabulation(design: weighted, stub: stub, banner: banner)
          let entry = method["more_estimates"][baseID].array.first {
            $0["call"].string == "svyby(~awards, ~stype, weighted, svymean, deff = TRUE)"
          }
          let checker = Checker(file: file, section: "banner \(method["id"].string ?? "")")
          for result in entry?["results"].array ?? [] {
            guard let level = result["stype"].string, let term = result["term"].string,
              let column = stype.levels.firstIndex(of: level),
              let row = awards.levels.firstIndex(where: { "awards" + $0 == term })
            else { throw ReferenceError("\(result.path): cannot place the cell") }
            let cell = table.cells[row][1 + column]
            checker.value(cell.estimate, result["estimate"])
            checker.standardError(
              cell.standardError, result["se"], estimate: cell.estimate)
            checker.designEffect(cell.designEffect, result["deff"])
          }
          checker.finish()
          compared += checker.compared
        }
      }
      #expect(compared >= 100)
    }

    /// Bounded calibration (raking with caps, and bounded linear through Newton's method) and
    /// trimming of the stratified design (Fixtures/reference/r-survey/api_bounded_weighting.json).
    @Test("Bounded calibration and trimming agree with R")
    func bounded() throws {
      let json = try JSONNode.load("api_bounded_weighting")
      let data = try ReferenceDataset(name: "apistrat")
      let design = try DesignCall(json["design_call"].string ?? "").make(data)
      let totals = json["population"]["calibration_totals"]["values"]
      // The margins whose R model matrix is (Intercept), stypeH, stypeM, sch.wideYes, comp.impYes.
      var margins: [WeightingMargin] = []
      for name in ["stype", "sch.wide", "comp.imp"] {
        guard case .factor(_, let factor) = try data.variable(name) else { continue }
        var targets = factor.levels.map { totals["\(name)\($0)"].number ?? 0 }
        targets[0] = (totals["(Intercept)"].number ?? 0) - targets.dropFirst().reduce(0, +)
        margins.append(
          WeightingMargin(
            name: name, labels: factor.levels, category: factor.codes.map { $0 ?? -1 },
            targets: targets))
      }
      var covered = 0
      for method in json["methods"].array {
        let id = method["id"].string ?? "?"
        let checker = Checker(file: "api_bounded_weighting", section: id)
        let weighted: SurveyDesign
        switch id {
        case "calibrate_raking_bounded", "calibrate_linear_bounded":
          let bounds = method["bounds"]
          weighted = try design.calibrated(
            margins, function: id.contains("raking") ? .raking : .linear,
            bounds: (bounds[0].number ?? 0)...(bounds[1].number ?? 0)
          ).design
        case "trim_base", "trim_base_strict":
          weighted = try design.trimmed(
            lower: try bound("lower", in: method["call"].string ?? ""),
            upper: try bound("upper", in: method["call"].string ?? ""),
            strict: id.hasSuffix("strict")
          ).design
        default:
          throw ReferenceError("\(method.path): method not covered")
        }
        for node in method["weights"].array {
          guard let row = node["row"].number else { continue }
          checker.value(weighted.weights[Int(row) - 1], node["weight"])
        }
        let summary = WeightSummary(weighted.weights)
        checker.value(summary.effectiveSampleSize, method["weights_summary"]["kish_ess"])
        checker.value(summary.coefficientOfVariation, method["weights_summary"]["cv"])
        for (key, node) in [
          ("svymean_api00", ("api00", ReferenceStatistic.mean)),
          ("svymean_awards", ("awards", .mean)), ("svytotal_enroll", ("enroll", .total)),
        ] {
          let entry = method["estimates"][key]
          let result = try data.evaluate(node.0, node.1, design: weighted, domain: nil)
          for term in entry["terms"].array {
            guard let ours = result.estimate(term["term"].string ?? "") else {
              checker.require(false, "\(term.path): no such term")
              continue
            }
            checker.value(ours.estimate, term["estimate"])
            checker.standardError(ours.standardError, term["se"], estimate: ours.estimate)
          }
        }
        checker.finish()
        #expect(checker.compared > 200)
        covered += 1
      }
      #expect(covered == 4)
    }
  }
}
