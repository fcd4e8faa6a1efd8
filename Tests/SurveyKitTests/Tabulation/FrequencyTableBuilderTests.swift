import Foundation
import Testing

@testable import SurveyKit

/// The tabulation suites, grouped so that `swift test --filter Tabulation` runs them.
@Suite("Tabulation") enum Tabulation {}

extension Tabulation {
  /// The table builder on a table small enough to compute every figure by hand: four rows of
  /// weight 2 in one stratum, each row its own PSU, no fpc.
  ///
  /// For a share p over a base of b rows with weight 2 (Σw = 2b), the influence of a base row is
  /// z = 2(y − p)/2b = (y − p)/b and 0 outside the base; with n = 4 PSUs whose z average 0, the
  /// variance is n/(n − 1) Σ z² (Lumley 2010, §2.2). R's deff divides by
  /// s²/b · (Σw − b)/Σw with s² = Σw(y − p)²/Σw · b/(b − 1).
  @Suite("Frequency tables by hand")
  struct FrequencyTableBuilderTests {
    static let codebookYAML = """
      survey: {id: tiny, title: {ja: 小さな調査, en: Tiny survey}}
      missing: {9: no-answer}
      variables:
        - {name: ID, type: id}
        - {name: W, type: weight}
        - name: SAT
          type: single
          label: {ja: 満足度, en: Satisfaction}
          values: {1: 満足, 2: 不満}
        - name: NOBODY
          type: single
          values: {1: はい, 2: いいえ}
        - name: KIDS
          type: numeric
          unit: {ja: 人, en: children}
          range: [0, 10]
          values: {0: なし, 1: 1人, 2: 2人, 3: 3人}
          missing: {99: no-answer}
        - name: WHY
          type: multi
          shape: delimited
          values: {1: お金, 2: 時間, 3: その他}
          missing: {99: no-answer}
      """

    static let csv = """
      ID,W,SAT,NOBODY,KIDS,WHY
      1,2,1,9,0,1;2
      2,2,1,9,2,1
      3,2,2,9,2,3
      4,2,9,9,5,99

      """

    let table: ResponseTable
    let design: SurveyDesign

    init() throws {
      let codebook = try Codebook(yaml: Self.codebookYAML, file: "tiny.yaml")
      let result = SurveyReader(codebook: codebook).read(bytes: Array(Self.csv.utf8), file: "t.csv")
      #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
      table = result.table
      design = try SurveyDesign(table: table)
    }

    func builder(_ options: FrequencyOptions = .init()) -> FrequencyTableBuilder {
      FrequencyTableBuilder(table: table, design: design, options: options)
    }

    /// |a − b| ≤ 1e-12 · max(1, |b|).
    func close(_ a: Double?, _ b: Double) -> Bool {
      guard let a else { return false }
      return abs(a - b) <= 1e-12 * max(1, abs(b))
    }

    @Test("the design from the codebook's roles: weights W, no strata, four PSUs")
    func codebookDesign() {
      #expect(design.weights == [2, 2, 2, 2])
      #expect(design.psuCount == 4)
      #expect(design.degreesOfFreedom() == 3)
    }

    @Test("a single question: counts, shares, SEs, deff and the logit interval")
    func single() throws {
      let sat = try builder().frequencyTable(of: "SAT")
      #expect(sat.status == .tabulated)
      #expect(sat.base == .init(respondents: 3, weighted: 6))
      #expect(sat.rows.map(\.label.japanese) == ["満足", "不満", "無回答"])
      #expect(sat.rows.map(\.isInBase) == [true, true, false])
      #expect(sat.rows.map(\.respondents) == [2, 1, 1])
      #expect(sat.rows.map(\.weightedCount) == [4, 2, 2])
      #expect(sat.rows[2].share == nil)
      // p = 2/3; z = (y − 2/3)/3 = 1/9, 1/9, −2/9, 0; V = 4/3 · 6/81 = 8/81.
      let satisfied = try #require(sat.rows[0].share)
      #expect(close(satisfied.estimate, 2.0 / 3))
      #expect(close(satisfied.standardError, 8.0.squareRoot() / 9))
      // s² = (2·6/9)/6 · 3/2 = 1/3; SRS variance 1/3 / 3 · (6 − 3)/6 = 1/18; deff = 16/9.
      #expect(close(satisfied.designEffect, 16.0 / 9))
      // logit: SE/(p(1 − p)) = √2, t on 3 df.
      let t = Distribution.tQuantile(0.975, degreesOfFreedom: 3)
      func expit(_ x: Double) -> Double { exp(x) / (1 + exp(x)) }
      let interval = try #require(satisfied.confidenceInterval)
      #expect(close(interval.lower, expit(log(2) - t * 2.0.squareRoot())))
      #expect(close(interval.upper, expit(log(2) + t * 2.0.squareRoot())))
      #expect(interval.level == 0.95)
      // A 1–5 scale gets a mean; a two-code question does not.
      #expect(sat.mean == nil)
    }

    @Test("--include-missing puts 無回答 into the base")
    func includeMissing() throws {
      let sat = try builder(.init(includeMissing: true)).frequencyTable(of: "SAT")
      #expect(sat.base == .init(respondents: 4, weighted: 8))
      #expect(sat.rows.map(\.isInBase) == [true, true, true])
      // p = 1/2; z = ±1/8 on all four rows; V = 4/3 · 4/64 = 1/12.
      #expect(close(sat.rows[0].share?.estimate, 0.5))
      #expect(close(sat.rows[0].share?.standardError, (1.0 / 12).squareRoot()))
      #expect(close(sat.rows[2].share?.estimate, 0.25))
    }

    @Test("an all-missing question: a table marked 'no respondents', counts only")
    func noRespondents() throws {
      let nobody = try builder().frequencyTable(of: "NOBODY")
      #expect(nobody.status == .noRespondents)
      #expect(nobody.base == .init(respondents: 0, weighted: 0))
      #expect(nobody.rows.map(\.respondents) == [0, 0, 4])
      #expect(nobody.rows.allSatisfy { $0.share == nil })
      #expect(nobody.mean == nil)
    }

    @Test("a numeric question: labelled and observed values, an empty category, the mean")
    func numeric() throws {
      let kids = try builder().frequencyTable(of: "KIDS")
      #expect(kids.rows.map(\.label.japanese) == ["なし", "1人", "2人", "3人", "5人", "無回答"])
      #expect(kids.rows.map(\.label.english) == [nil, nil, nil, nil, "5 children", "No answer"])
      #expect(kids.rows.map(\.respondents) == [1, 0, 2, 0, 1, 0])
      #expect(kids.rows.map(\.value) == [0, 1, 2, 3, 5, nil])
      // An empty category: share 0 with SE 0, no interval, no deff.
      let empty = try #require(kids.rows[1].share)
      #expect(empty.estimate == 0 && empty.confidenceInterval == nil && empty.designEffect == nil)
      // Mean 9/4; z = (y − 9/4)/4; V = 4/3 · Σz² = 4/3 · 0.796875 = 1.0625.
      let mean = try #require(kids.mean)
      #expect(mean.scale == .values)
      #expect(close(mean.estimate.estimate, 2.25))
      #expect(close(mean.estimate.standardError, 1.0625.squareRoot()))
      let t = Distribution.tQuantile(0.975, degreesOfFreedom: 3)
      #expect(close(mean.estimate.confidenceInterval?.lower, 2.25 - t * 1.0625.squareRoot()))
      // Median: the smallest value whose weighted share reaches 1/2 (0, 2, 2, 5 → 2).
      #expect(kids.median?.estimate == 2)
    }

    @Test("a numeric question with many unlabelled values shows no distribution")
    func numericOmitted() throws {
      let kids = try builder(.init(maximumUnlabelledValues: 0)).frequencyTable(of: "KIDS")
      #expect(kids.omittedDistinctValues == 3)  // 0, 2 and 5
      #expect(kids.baseRows.isEmpty)
      #expect(kids.base == .init(respondents: 4, weighted: 8))
      #expect(close(kids.mean?.estimate.estimate, 2.25))
    }

    @Test("a multi-response question: percentages of respondents and of responses")
    func multi() throws {
      let why = try builder().frequencyTable(of: "WHY")
      #expect(why.base == .init(respondents: 3, weighted: 6))
      #expect(why.responses == .init(respondents: 4, weighted: 8))
      #expect(why.rows.map(\.respondents) == [2, 1, 1, 1])
      #expect(why.rows.map(\.isInBase) == [true, true, true, false])
      // Of respondents: 2/3, 1/3, 1/3 (they add up to more than 1).
      #expect(close(why.rows[0].share?.estimate, 2.0 / 3))
      #expect(close(why.rows[1].share?.estimate, 1.0 / 3))
      #expect(close(why.rows[0].share?.standardError, 8.0.squareRoot() / 9))
      // Of responses: 2/4, 1/4, 1/4. Option 1, R = 1/2: z = 2(y − x/2)/8 = 0, 1/8, −1/8, 0;
      // V = 4/3 · 2/64 = 1/24.
      #expect(close(why.rows[0].shareOfResponses?.estimate, 0.5))
      #expect(close(why.rows[0].shareOfResponses?.standardError, (1.0 / 24).squareRoot()))
      #expect(close(why.rows[2].shareOfResponses?.estimate, 0.25))
      #expect(why.rows[0].shareOfResponses?.designEffect == nil)
      #expect(why.rows[3].shareOfResponses == nil)
    }

    @Test("the percentage of responses is R's svyratio, computed in the same pass")
    func responsesAreRatios() throws {
      let why = try builder().frequencyTable(of: "WHY")
      guard case .multi(let column) = table.column(named: "WHY") else {
        Issue.record("WHY is not a multi-response column")
        return
      }
      let count = (0..<4).map { column[$0].map { Double($0.nonzeroBitCount) } ?? .nan }
      for option in 0..<3 {
        let chosen = (0..<4).map {
          column[$0].map { $0 & (1 << UInt64(option)) != 0 ? 1.0 : 0 } ?? .nan
        }
        let ratio = try design.ratio(chosen, count)
        #expect(close(why.rows[option].shareOfResponses?.estimate, ratio.estimate))
        #expect(close(why.rows[option].shareOfResponses?.standardError, ratio.standardError))
      }
    }

    @Test("names that are not questions are refused before any data is read")
    func check() throws {
      let codebook = try Codebook(yaml: Self.codebookYAML, file: "tiny.yaml")
      #expect(throws: TabulationError.unknownVariable("Q9")) {
        try FrequencyTableBuilder.check(variables: ["SAT", "Q9"], reversed: [], in: codebook)
      }
      #expect(throws: TabulationError.notTabulated("W", .weight)) {
        try FrequencyTableBuilder.check(variables: ["W"], reversed: [], in: codebook)
      }
      #expect(throws: TabulationError.notAScale("WHY")) {
        try FrequencyTableBuilder.check(variables: [], reversed: ["WHY"], in: codebook)
      }
      #expect(
        TabulationError.unknownVariable("Q9").description
          == "Q9 is not a variable of the codebook")
      #expect(FrequencyTableBuilder.questions(of: codebook) == ["SAT", "NOBODY", "KIDS", "WHY"])
    }
  }
}
