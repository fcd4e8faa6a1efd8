import Testing

@testable import SurveyKit

extension Estimation {
  /// Domain estimation against R: `svyby` by `stype` and the `domains` section (domain
  /// `awards == "No"`, which cuts across strata and clusters). A domain keeps every row of the
  /// design; rows outside count as weight zero, never as a smaller sample (README "What R computes").
  @Suite("R reference: domains")
  struct DomainTests {
    /// `svyby[i]` (older shape): domain means, proportions and totals by `stype`.
    @Test("svyby by stype: estimate and SE", arguments: referenceDesignFiles)
    func byType(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("svyby")
      let entries = fixture.json["svyby"].array
      #expect(entries.count == 4)
      for entry in entries {
        _ = try checkByEntry(entry, data: fixture.data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    /// `domains.subset`: `degf(subset(design, awards == "No"))` counts only PSUs and strata with
    /// domain rows; `svymean`/`svytotal` on the subset are `domain:` estimates.
    @Test(
      "subset(design, awards == \"No\"): degf, svymean, svytotal", arguments: referenceDesignFiles)
    func subset(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("domains.subset")
      let subset = fixture.json["domains"]["subset"]
      checker.coverKeys(subset, handled: ["degf", "svymean", "svytotal"])
      let degfCall = try #require(subset["degf"]["call"].string)
      let condition = try #require(subsetCondition(in: degfCall))
      #expect(condition == #"awards == "No""#)
      let domain = try fixture.data.domain(condition)
      checker.count(fixture.design.degreesOfFreedom(active: domain), subset["degf"]["value"])
      let means = subset["svymean"].array
      let totals = subset["svytotal"].array
      #expect(means.count == 3 && totals.count == 2)
      for entry in means + totals {
        try checkEstimateEntry(entry, data: fixture.data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    /// `domains.svyby[6]` (newer shape): by `awards` and by `stype + awards`, with deff and Wald
    /// intervals on `degf(design)` (the whole design's, as each `call_ci_wald_t` says).
    @Test(
      "svyby by awards and stype + awards: estimate, SE, deff, Wald intervals",
      arguments: referenceDesignFiles)
    func byAwards(file: String) throws {
      let fixture = try DesignFixture(file)
      let checker = fixture.checker("domains.svyby")
      let entries = fixture.json["domains"]["svyby"].array
      #expect(entries.count == 6)
      for entry in entries {
        _ = try checkByEntry(entry, data: fixture.data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    /// A domain estimate equals the estimate on the same rows with the others kept in the design:
    /// outside rows change nothing but the stratum's PSU count (so the SE is not that of a
    /// smaller sample).
    @Test("A domain keeps the full-sample PSU count")
    func domainKeepsPSUCount() throws {
      let fixture = try DesignFixture("apistrat_fpc")
      let domain = try fixture.data.domain(#"awards == "No""#)
      let api00 = try fixture.data.numbers("api00")
      let inDomain = try fixture.design.mean(api00, domain: domain)
      // The same as NaN (missing) outside the domain: na.rm keeps the rows too.
      let missingOutside = zip(api00, domain).map { $1 ? $0 : .nan }
      let asMissing = try fixture.design.mean(missingOutside)
      #expect(inDomain.estimate == asMissing.estimate)
      #expect(
        abs(inDomain.standardError - asMissing.standardError) <= 1e-12 * inDomain.standardError)
      // ... but the degrees of freedom differ: the domain's, the whole design's.
      #expect(inDomain.degreesOfFreedom == 84)
      #expect(asMissing.degreesOfFreedom == 197)
      #expect(inDomain.designRows == 87 && asMissing.designRows == 200)
    }
  }
}
