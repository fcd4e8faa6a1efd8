import Foundation
import Testing

@testable import SurveyKit

extension Estimation {
  /// Whole-sample estimates against R's `survey` 4.1-1 (Fixtures/reference/r-survey/*.json):
  /// design summary, `degf`, `svymean`, `svytotal` and `svyratio` of every design file, to
  /// relative 1e-9 (README "Tolerances").
  @Suite("R reference: whole-sample estimates")
  struct ReferenceAgreementTests {
    @Test("The fixtures read back exactly")
    func fixturesReadBack() throws {
      let apistrat = try ReferenceDataset(name: "apistrat")
      #expect(apistrat.rowCount == 200)
      let pw = try apistrat.numbers("pw")
      #expect(pw[0] == Double("44.209999084472656"))
      #expect(pw[0] != 44.21)
      #expect(try apistrat.variable("stype").termNames == ["stypeE", "stypeH", "stypeM"])
      #expect(try apistrat.variable("awards").termNames == ["awardsNo", "awardsYes"])
      #expect(try apistrat.texts("cds")[0] == "19647336097927")
      #expect(try ReferenceDataset(name: "apiclus1").rowCount == 183)
      #expect(try ReferenceDataset(name: "apisrs").rowCount == 200)
      // JSONSerialization on Linux reads some 17-digit numbers 1 ulp off (0.7137552370677475 →
      // 0.7137552370677474); that is 1.6e-16 relative, far inside every tolerance, but bounded here.
      let texts = [
        "0.7137552370677475", "44.209999084472656", "1.0522605462182486", "6193.99995803833",
      ]
      let numbers =
        try JSONSerialization.jsonObject(with: Data("[\(texts.joined(separator: ","))]".utf8))
        as? [Any] ?? []
      #expect(numbers.count == texts.count)
      for (value, text) in zip(numbers, texts) {
        let parsed = try #require(JSONNode(value: value, path: "").number)
        let exact = try #require(Double(text))
        #expect(abs(parsed - exact) <= 2 * exact.ulp, "\(text) read as \(parsed)")
      }
      let flags = try JSONSerialization.jsonObject(with: Data("[true, 0, 1]".utf8)) as? [Any] ?? []
      #expect(flags.map { JSONNode(value: $0, path: "").bool } == [true, nil, nil])
      #expect(flags.map { JSONNode(value: $0, path: "").number } == [nil, 0, 1])
      let call = try RCall(
        #"svyciprop(~I(sch.wide == "Yes"), subset(design, awards == "No"), method = "beta", level = 0.9)"#
      )
      #expect(call.function == "svyciprop")
      #expect(call.positional == [#"~I(sch.wide == "Yes")"#, #"subset(design, awards == "No")"#])
      #expect(call.string("method") == "beta")
      #expect(call.named["level"] == "0.9")
      #expect(subsetCondition(in: call.positional[1]) == #"awards == "No""#)
    }

    /// Sections of the design files and what happens to them here; a new section must be added
    /// to one of the lists.
    @Test("Every section is compared or listed as not yet covered", arguments: referenceDesignFiles)
    func sections(file: String) throws {
      let fixture = try DesignFixture(file)
      let header: Set = [
        "generated_by", "r_version", "survey_version", "options", "conventions", "design_id",
        "dataset", "data_file", "design_call",
      ]
      let compared: Set = [
        "design_summary", "degf", "svymean", "svytotal", "svyciprop", "svyby", "svyratio",
        "domains", "svyciprop_more", "questionnaire_item",
        // In their own suites: QuantileTests and Tabulation/RaoScottTests.
        "svyquantile", "svychisq",
      ]
      // Not compared yet: svytable (weighted counts without SEs) and, of crosstabs, everything
      // but the column proportions (CrossTabulationTests) and svychisq (RaoScottTests).
      let notCovered: Set = ["svytable", "crosstabs"]
      #expect(Set(fixture.json.keys) == header.union(compared).union(notCovered))
      #expect(
        Set(fixture.json["domains"].keys)
          == ["note", "subset", "svyby", "svyciprop", "svyby_svyciprop", "contrasts"])
      #expect(
        Set(fixture.json["questionnaire_item"].keys)
          == [
            "description", "setup_calls", "unweighted_counts", "svymean", "svytotal", "svyby",
            "top_box", "top2_box", "crosstabs",
          ])
      // The files were made with R's defaults, which are SurveyKit's.
      let options = fixture.json["options"]
      #expect(options["survey.lonely.psu"].string == fixture.design.lonelyPSU.rawValue)
      #expect(
        options["survey.adjust.domain.lonely"].bool == fixture.design.adjustDomainLonely)
      #expect(options["survey.ultimate.cluster"].bool == false)
      #expect(fixture.json["survey_version"].string == "4.1.1")
    }

    @Test("Design summary and degf", arguments: referenceDesignFiles)
    func designSummary(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("design_summary, degf")
      let summary = fixture.json["design_summary"]
      let design = fixture.design
      checker.count(design.rowCount, summary["n_rows"])
      checker.count(design.psuCount, summary["n_psu"])
      checker.count(design.strataNames.count, summary["n_strata"])
      checker.count(design.degreesOfFreedom(), summary["degf"])
      checker.require(fixture.json["degf"]["call"].string == "degf(design)", "degf.call")
      checker.count(design.degreesOfFreedom(), fixture.json["degf"]["value"])
      // Σw, as the weighted base of any estimate over all rows (R adds in long double).
      let base = try design.mean(fixture.data.numbers("api00")).weightedBase
      checker.value(base, summary["sum_weights"])
      checker.require(
        summary["n_stages"].number == 1 && summary["has_fpc"].bool == file.hasSuffix("_fpc"),
        "design_summary: stages \(summary["n_stages"].number ?? -1), fpc \(String(describing: summary["has_fpc"].bool))"
      )
      checker.finish()
    }

    @Test("svymean: estimate, SE, deff, Wald intervals", arguments: referenceDesignFiles)
    func means(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("svymean")
      let entries = fixture.json["svymean"].array
      #expect(entries.count == 6)
      for entry in entries {
        try checkEstimateEntry(entry, data: fixture.data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    @Test("svytotal: estimate, SE, deff, Wald intervals", arguments: referenceDesignFiles)
    func totals(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("svytotal")
      let entries = fixture.json["svytotal"].array
      #expect(entries.count == 6)
      for entry in entries {
        try checkEstimateEntry(entry, data: fixture.data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    /// `svyratio(~api00, ~api99, design)`; the fixture's `ci_wald_t` is on `degf(design)` (its
    /// half-width is qt(0.975, degf) × SE), as `Estimate.degreesOfFreedom` of the ratio.
    @Test("svyratio: estimate, SE, Wald intervals", arguments: referenceDesignFiles)
    func ratio(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("svyratio")
      let entry = fixture.json["svyratio"]
      checker.coverKeys(
        entry,
        handled: [
          "call", "numerator", "denominator", "estimate", "se", "ci_wald_normal", "ci_wald_t",
        ])
      let call = try RCall(entry["call"].string ?? "")
      let numerator = try #require(entry["numerator"].string)
      let denominator = try #require(entry["denominator"].string)
      #expect(call.function == "svyratio")
      #expect(call.positional == ["~" + numerator, "~" + denominator, "design"])
      let ours = try fixture.design.ratio(
        fixture.data.numbers(numerator), fixture.data.numbers(denominator))
      checker.count(ours.degreesOfFreedom, fixture.json["degf"]["value"])
      checker.value(ours.estimate, entry["estimate"])
      checker.standardError(ours.standardError, entry["se"], estimate: ours.estimate)
      checker.interval(normalInterval(ours), entry["ci_wald_normal"])
      checker.interval(ours.confidenceInterval(level: 0.95), entry["ci_wald_t"])
      checker.finish()
    }
  }
}
