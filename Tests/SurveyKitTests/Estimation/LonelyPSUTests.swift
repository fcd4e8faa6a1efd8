import Testing

@testable import SurveyKit

extension Estimation {
  /// Strata with a single PSU under each `survey.lonely.psu` policy, and a domain with one PSU in a
  /// stratum with `survey.adjust.domain.lonely` off and on (`<data>_lonely.json`).
  @Suite("R reference: lonely PSUs")
  struct LonelyPSUTests {
    @Test("Every case and setting", arguments: referenceLonelyFiles)
    func lonely(file: String) throws {
      let json = try JSONNode.load(file)
      let checker = Checker(file: file, section: "cases")
      let data = try ReferenceDataset(name: try #require(json["dataset"].string))
      let cases = json["cases"].array
      #expect(!cases.isEmpty)
      for caseNode in cases {
        let designCall = try DesignCall(try #require(caseNode["design_call"].string))
        // The lonely strata R lists are those with one PSU.
        let lonely = caseNode["lonely_strata"]["value"].strings
        let base = try designCall.make(data, lonelyPSU: .remove)
        let psusByStratum = try psuCounts(designCall, data: data)
        checker.require(
          lonely == base.strataNames.filter { psusByStratum[$0] == 1 },
          "\(caseNode.path).lonely_strata: R \(lonely)")
        for setting in caseNode["settings"].array {
          let policyName = try #require(setting["survey.lonely.psu"].string)
          let policy = try #require(LonelyPSUPolicy(rawValue: policyName))
          guard let adjust = setting["survey.adjust.domain.lonely"].bool else {
            throw ReferenceError("\(setting.path): no survey.adjust.domain.lonely")
          }
          let design = try designCall.make(data, lonelyPSU: policy, adjustDomainLonely: adjust)
          #expect(design.lonelyPSU == policy && design.adjustDomainLonely == adjust)
          for result in setting["results"].array {
            try check(result, data: data, design: design, checker: checker)
          }
        }
      }
      checker.finish()
    }

    /// The number of distinct PSUs of each stratum.
    private func psuCounts(_ call: DesignCall, data: ReferenceDataset) throws -> [String: Int] {
      let strata = try data.texts(try #require(call.strata))
      let psus = call.ids == "1" ? (0..<data.rowCount).map(String.init) : try data.texts(call.ids)
      var sets: [String: Set<String>] = [:]
      for (stratum, psu) in zip(strata, psus) { sets[stratum, default: []].insert(psu) }
      return sets.mapValues(\.count)
    }

    private func check(
      _ result: JSONNode, data: ReferenceDataset, design: SurveyDesign, checker: Checker
    ) throws {
      let callText = try #require(result["call"].string)
      let call = try RCall(callText)
      if let error = result["error"].string {
        // R: "Stratum (Calaveras) has only one PSU at stage 1": ours must refuse and name it.
        let stratum = try #require(balancedArgument(after: "Stratum (", in: error))
        checker.require(error.hasSuffix("has only one PSU at stage 1"), "\(result.path): \(error)")
        let thrown = #expect(throws: DesignError.self, "\(result.path): R refused: \(error)") {
          try self.evaluate(
            call, callText: callText, data: data, design: design, checker: checker,
            result: result)
        }
        if let thrown {
          checker.require(
            thrown.message.hasPrefix("stratum \(stratum) has only one PSU at stage 1"),
            "\(result.path): ours \"\(thrown.message)\", R \"\(error)\"")
        }
        return
      }
      let warnings = try evaluate(
        call, callText: callText, data: data, design: design, checker: checker, result: result)
      let rWarnings = result["warnings"].strings
      if rWarnings.isEmpty {
        checker.require(warnings.isEmpty, "\(result.path): ours warns \(warnings), R does not")
      } else {
        // R: "Stratum (H) has only one PSU at stage 1".
        for warning in rWarnings {
          let stratum = balancedArgument(after: "Stratum (", in: warning) ?? "?"
          checker.require(
            warnings.contains { $0.hasPrefix("stratum \(stratum) has only one PSU") },
            "\(result.path): R warns \"\(warning)\", ours \(warnings)")
        }
      }
    }

    /// Evaluates one call of a lonely-PSU case and compares it; returns our variance warnings.
    private func evaluate(
      _ call: RCall, callText: String, data: ReferenceDataset, design: SurveyDesign,
      checker: Checker, result: JSONNode
    ) throws -> [String] {
      let domain = try subsetCondition(in: callText).map { try data.domain($0) }
      switch call.function {
      case "svymean", "svytotal":
        let statistic = try #require(ReferenceStatistic(rawValue: call.function))
        let evaluation = try data.evaluate(
          call.positional[0], statistic, design: design, domain: domain, withWarnings: true)
        if result["error"].exists { return evaluation.warnings }
        checker.coverKeys(result, handled: ["call", "terms", "warnings"])
        let terms = result["terms"].array
        checker.require(terms.count == evaluation.terms.count, "\(result.path).terms")
        for term in terms {
          checker.coverKeys(term, handled: ["term", "estimate", "se"])
          guard let ours = evaluation.estimate(term["term"].string ?? "") else {
            checker.require(false, "\(term.path): no such term among \(evaluation.terms)")
            continue
          }
          checker.value(ours.estimate, term["estimate"])
          checker.standardError(ours.standardError, term["se"], estimate: ours.estimate)
        }
        return evaluation.warnings
      case "svyby":
        if result["error"].exists {
          // R stops at the first group whose variance fails; evaluate the groups in R's order.
          let by = byVariables(call.positional[1])
          let statistic = try #require(ReferenceStatistic(rawValue: call.positional[3]))
          for group in try data.groups(by) {
            _ = try data.evaluate(
              call.positional[0], statistic, design: design, domain: try data.group(group))
          }
          return []
        }
        checker.coverKeys(result, handled: ["call", "by", "results", "warnings"])
        return try checkByEntry(
          result, data: data, design: design, checker: checker, withWarnings: true)
      case "svyciprop":
        let formula = call.positional[0]
        let ours = try data.proportion(formula, design: design, domain: domain)
        if result["error"].exists { return [] }
        checker.coverKeys(result, handled: ["call", "estimate", "se", "ci", "warnings"])
        let methodName = try #require(call.string("method"))
        let (method, relative) = try #require(intervalMethod(methodName))
        checker.value(ours.estimate, result["estimate"], relative: relative)
        checker.standardError(ours.standardError, result["se"], estimate: ours.estimate)
        checker.interval(ours.proportionInterval(method), result["ci"], relative: relative)
        return []
      default:
        throw ReferenceError("\(result.path): call not covered: \(callText)")
      }
    }
  }
}
