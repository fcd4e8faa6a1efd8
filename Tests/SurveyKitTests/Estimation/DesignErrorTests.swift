import Testing

@testable import SurveyKit

extension Estimation {
  /// Designs and estimates that must be refused, with their exact messages.
  @Suite("Design errors")
  struct DesignErrorTests {
    @Test("A zero weight")
    func zeroWeight() {
      #expect(throws: DesignError("row 2 has the weight 0; weights must be positive")) {
        try SurveyDesign(weights: [1, 0, 2])
      }
    }

    @Test("A negative weight")
    func negativeWeight() {
      #expect(throws: DesignError("row 1 has the weight -1.5; weights must be positive")) {
        try SurveyDesign(weights: [-1.5, 1, 2])
      }
      #expect(throws: DesignError("row 3 has the weight -2; weights must be positive")) {
        try SurveyDesign(weights: [1, 1, -2])
      }
    }

    @Test("A PSU in two strata")
    func psuInTwoStrata() {
      #expect(
        throws: DesignError(
          "PSU 2 appears in strata A and B; clusters must be nested in strata "
            + "(give each cluster an id of its own in every stratum)")
      ) {
        try SurveyDesign(
          weights: [1, 1, 1, 1], strata: ["A", "A", "B", "B"], clusters: [["1", "2", "2", "3"]])
      }
    }

    @Test("A population smaller than the sample")
    func populationSmallerThanSample() {
      #expect(
        throws: DesignError(
          "stratum A has 3 sampled units at stage 1 but a population size of 2; "
            + "the population cannot be smaller than the sample")
      ) {
        try SurveyDesign(
          weights: [1, 1, 1, 1, 1], strata: ["A", "A", "A", "B", "B"],
          populationSizes: [[2, 2, 2, 10, 10]])
      }
      // Counted in PSUs, not rows: two PSUs of stratum A in a population of 2 is a census.
      #expect(throws: Never.self) {
        try SurveyDesign(
          weights: [1, 1, 1, 1, 1], strata: ["A", "A", "A", "B", "B"],
          clusters: [["1", "1", "2", "3", "4"]], populationSizes: [[2, 2, 2, 10, 10]])
      }
    }

    @Test("A population size that varies within a stratum")
    func populationVaries() {
      #expect(
        throws: DesignError(
          "the population size of stratum A varies at stage 1 (100 and 200 on row 3); "
            + "it must be the same on every row of a stratum")
      ) {
        try SurveyDesign(
          weights: [1, 1, 1, 1, 1], strata: ["A", "A", "A", "B", "B"],
          populationSizes: [[100, 100, 200, 10, 10]])
      }
    }

    @Test("Counts mixed with fractions")
    func mixedCountsAndFractions() {
      #expect(
        throws: DesignError(
          "row 2 has the population size 0.5 at stage 1 while others are counts; "
            + "give all population sizes (≥ 1) or all sampling fractions (≤ 1)")
      ) {
        try SurveyDesign(
          weights: [1, 1, 1, 1, 1], strata: ["A", "A", "A", "B", "B"],
          populationSizes: [[100, 0.5, 100, 10, 10]])
      }
      // All fractions (≤ 1) are accepted: N = n/f.
      #expect(throws: Never.self) {
        try SurveyDesign(
          weights: [1, 1, 1, 1, 1], strata: ["A", "A", "A", "B", "B"],
          populationSizes: [[0.5, 0.5, 0.5, 1, 1]])
      }
    }

    @Test("A lonely PSU under .fail")
    func lonelyPSUFails() throws {
      let design = try SurveyDesign(weights: [1, 2, 3], strata: ["A", "A", "B"])
      let message =
        "stratum B has only one PSU at stage 1, so its variance cannot be estimated; "
        + "choose a lonely-PSU policy (remove, certainty, adjust or average)"
      #expect(throws: DesignError(message)) { try design.mean([1, 2, 3]) }
      #expect(throws: DesignError(message)) { try design.total([1, 2, 3]) }
      #expect(throws: DesignError(message)) { try design.proportions([0, 1, 1], levels: 2) }
      #expect(throws: DesignError(message)) { try design.ratio([1, 2, 3], [1, 1, 1]) }
      // The design itself is accepted: the policy matters only for a variance.
      #expect(design.lonelyPSU == .fail)
      var removing = design
      removing.lonelyPSU = .remove
      #expect(throws: Never.self) { try removing.mean([1, 2, 3]) }
      // A stratum sampled in full (N_h = n_h) adds nothing before any lonely-PSU rule, as R.
      let census = try SurveyDesign(
        weights: [1, 2, 3], strata: ["A", "A", "B"], populationSizes: [[10, 10, 1]])
      #expect(throws: Never.self) { try census.mean([1, 2, 3]) }
    }

    @Test("A domain with zero total weight")
    func emptyDomain() throws {
      let design = try SurveyDesign(weights: [1, 2, 3, 4])
      let message =
        "the domain has no respondents (its total weight is 0), so nothing can be estimated"
      let none = [false, false, false, false]
      #expect(throws: DesignError(message)) { try design.mean([1, 2, 3, 4], domain: none) }
      #expect(throws: DesignError(message)) { try design.total([1, 2, 3, 4], domain: none) }
      #expect(throws: DesignError(message)) {
        try design.proportions([0, 1, 0, 1], levels: 2, domain: none)
      }
      // A domain whose rows have no answer has no respondents either.
      #expect(throws: DesignError(message)) {
        try design.mean([1, .nan, 3, 4], domain: [false, true, false, false])
      }
    }

    @Test("Further refusals")
    func furtherRefusals() throws {
      #expect(throws: DesignError("the design has only one primary sampling unit")) {
        try SurveyDesign(weights: [1, 1], clusters: [["7", "7"]])
      }
      #expect(throws: DesignError("the design has no rows")) { try SurveyDesign(weights: []) }
      let design = try SurveyDesign(weights: [1, 2, 3])
      #expect(throws: DesignError("no row has an answer, so nothing can be estimated")) {
        try design.mean([.nan, .nan, .nan])
      }
      #expect(
        throws: DesignError(
          "the denominator of the ratio totals 0, so the ratio cannot be estimated")
      ) {
        try design.ratio([1, 2, 3], [0, 0, 0])
      }
    }
  }
}
