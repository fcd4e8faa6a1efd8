import Testing

@testable import SurveyKit

extension Weighting {
  /// Every way weighting can fail is an error naming the margin, the category and the numbers.
  @Suite("Weighting errors")
  struct WeightingErrorTests {
    /// Eight respondents, equal weights 10: sex 1,1,1,2,2,2,2,2 and age 1,2,1,2,1,2,1,2.
    static func design() throws -> SurveyDesign {
      try SurveyDesign(weights: [Double](repeating: 10, count: 8))
    }

    static let sex = WeightingMargin(
      name: "F1", labels: ["Male", "Female"], category: [0, 0, 0, 1, 1, 1, 1, 1],
      targets: [40, 40])
    static let age = WeightingMargin(
      name: "F2", labels: ["18–29", "30–39"], category: [0, 1, 0, 1, 0, 1, 0, 1],
      targets: [30, 50])

    @Test func targetWithoutRespondents() throws {
      var margin = Self.age
      margin.labels.append("40–49")
      margin.targets = [30, 40, 10]
      let expected = WeightingError(
        "the target 10 for F2 = 40–49 has no respondents to carry it; merge the category with "
          + "a neighbour or drop it from the targets")
      #expect(throws: expected) { try Self.design().raked([Self.sex, margin]) }
      #expect(throws: expected) { try Self.design().postStratified(margin) }
      #expect(throws: expected) { try Self.design().calibrated([margin], function: .raking) }
    }

    @Test func respondentsWithoutTarget() throws {
      var margin = Self.sex
      margin.targets = [80, 0]
      let expected = WeightingError(
        "5 respondents have F1 = Female but its target is 0; give the category a positive "
          + "population total")
      #expect(throws: expected) { try Self.design().raked([margin]) }
      #expect(throws: expected) { try Self.design().calibrated([margin], function: .linear) }
    }

    @Test func noConvergence() throws {
      // The sexes split the ages unevenly, so one pass cannot meet both margins.
      #expect(
        throws: WeightingError(
          "raking did not converge in 1 pass: F1 = Female is at 43.39 against its target 40 "
            + "(residual 3.39); allow more passes or check that the margins can be met together")
      ) {
        try Self.design().raked(
          [Self.sex, Self.age], control: RakingControl(maxIterations: 1, epsilon: 1e-10))
      }
      let raked = try Self.design().raked([Self.sex, Self.age]).design
      #expect(abs(Self.sex.achieved(raked.weights)[0] - 40) < 1e-9)
      #expect(abs(Self.age.achieved(raked.weights)[1] - 50) < 1e-9)
    }

    @Test func boundsTooTight() throws {
      // Men must be weighted up by 40/30 on average, which a cap of 1.1 forbids outright.
      #expect(
        throws: WeightingError(
          "F1 = Male needs its weights multiplied by 1.33 on average (target 40 against 30 "
            + "design-weighted), above the upper bound 1.1; widen the bounds")
      ) {
        try Self.design().calibrated(
          [Self.sex, Self.age], function: .raking, bounds: 0.9...1.1)
      }
      // Each category alone fits in 0.74–1.34, but not all together: the men aged 30–39 would
      // need g = 4 − 2a ≤ 1.34 with a the g of the men aged 18–29, so a ≥ 1.33 and the women aged
      // 18–29 would need g = 1.5 − a ≤ 0.17.
      #expect(
        throws: WeightingError(
          "calibration did not converge in 50 iterations: the total of F1 = Female is off by "
            + "-5.7 (0.139024 of 1 + its target 40); widen the bounds")
      ) {
        try Self.design().calibrated(
          [Self.sex, Self.age], function: .raking, bounds: 0.74...1.34)
      }
    }

    @Test func trimming() throws {
      let design = try SurveyDesign(weights: [1, 2, 3, 10])
      let trimmed = try design.trimmed(lower: 1.5, upper: 6, strict: false)
      let expected: [Double] = [1.5, 3.75, 4.75, 6]
      #expect(trimmed.design.weights == expected)
      #expect(trimmed.trimmed == 2)
      #expect(throws: WeightingError("trimming needs 0 ≤ lower < upper (got 6 and 6)")) {
        try design.trimmed(lower: 6, upper: 6, strict: false)
      }
      #expect(
        throws: WeightingError(
          "weights between 1 and 3 cannot sum to 16 over 4 rows; widen the bounds")
      ) { try design.trimmed(lower: 1, upper: 3, strict: true) }
      let strict = try design.trimmed(lower: 1.5, upper: 4.5, strict: true)
      #expect(strict.design.weights.allSatisfy { $0 >= 1.5 && $0 <= 4.5 + 1e-12 })
      #expect(abs(strict.design.weights.reduce(0, +) - 16) < 1e-12)
      #expect(strict.passes > 1)
    }

    @Test func negativeLinearWeights() throws {
      // Few women but many 30–39s, who are mostly women: GREG pushes the two women aged 18–29
      // (rows 5 and 7) below 0.
      var sex = Self.sex
      sex.targets = [70, 10]
      var age = Self.age
      age.targets = [10, 70]
      #expect(
        throws: WeightingError(
          "calibration gave 2 rows a weight that is not positive (row 5: -11.07); use raking or bounds"
        )
      ) { try Self.design().calibrated([sex, age], function: .linear) }
    }
  }
}
