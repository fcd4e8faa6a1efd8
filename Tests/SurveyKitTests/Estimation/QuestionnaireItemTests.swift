import Testing

@testable import SurveyKit

extension Estimation {
  /// `questionnaire_item`: a 5-point item with a no-answer code 9, recoded as the README's
  /// `setup_calls[0]` says. Missing answers (NaN, nil) are left out of the base as R's
  /// `na.rm = TRUE`, which keeps `degf(design)`; `subset(design, q_sat != 9)` is a domain with its
  /// own degf, so the two halves of `top_box` agree in estimate and SE but not in intervals.
  @Suite("R reference: questionnaire item")
  struct QuestionnaireItemTests {
    private func fixture(_ file: String) throws -> (DesignFixture, ReferenceDataset) {
      let fixture = try DesignFixture(file)
      let setup = fixture.json["questionnaire_item"]["setup_calls"].strings
      #expect(setup.count == 1 && setup[0].hasPrefix("design <- update(design, q_sat = ifelse("))
      return (fixture, try fixture.data.withQuestionnaireItem())
    }

    @Test("The recode matches R's unweighted counts", arguments: referenceDesignFiles)
    func recode(file: String) throws {
      let (fixture, data) = try fixture(file)
      let checker = fixture.checker("questionnaire_item.unweighted_counts")
      let counts = fixture.json["questionnaire_item"]["unweighted_counts"]["counts"]
      let qSat = try data.numbers("q_sat")
      for key in counts.keys.sorted() {
        let value = try #require(Double(key))
        checker.count(qSat.filter { $0 == value }.count, counts[key])
      }
      checker.require(
        counts.keys.count == Set(qSat).count, "unweighted_counts: levels \(counts.keys.sorted())")
      checker.finish()
    }

    @Test("svymean and svytotal of the item", arguments: referenceDesignFiles)
    func meansAndTotals(file: String) throws {
      let (fixture, data) = try fixture(file)
      let checker = fixture.checker("questionnaire_item.svymean/svytotal")
      let item = fixture.json["questionnaire_item"]
      let means = item["svymean"].array
      let totals = item["svytotal"].array
      #expect(means.count == 5 && totals.count == 2)
      for entry in means + totals {
        try checkEstimateEntry(entry, data: data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    @Test("svyby of the reversed-scale mean", arguments: referenceDesignFiles)
    func byGroup(file: String) throws {
      let (fixture, data) = try fixture(file)
      let checker = fixture.checker("questionnaire_item.svyby")
      let entries = fixture.json["questionnaire_item"]["svyby"].array
      #expect(entries.count == 2)
      for entry in entries {
        _ = try checkByEntry(entry, data: data, design: fixture.design, checker: checker)
      }
      checker.finish()
    }

    /// Entries 0-6: `na.rm = TRUE` on the whole design (no domain, missing left out);
    /// entries 7-13: `subset(design, q_sat != 9)` (a domain).
    @Test("top_box and top2_box intervals", arguments: referenceDesignFiles)
    func topBoxes(file: String) throws {
      let (fixture, data) = try fixture(file)
      let checker = fixture.checker("questionnaire_item.top_box/top2_box")
      for section in ["top_box", "top2_box"] {
        let entries = fixture.json["questionnaire_item"][section].array
        #expect(entries.count == 14)
        for (index, entry) in entries.enumerated() {
          let call = entry["call"].string ?? ""
          checker.require(
            (index >= 7) == call.contains("subset(design, q_sat != 9)"),
            "\(entry.path): entries 7-13 are the subset")
          try checkProportionEntry(entry, data: data, design: fixture.design, checker: checker)
        }
      }
      checker.finish()
    }
  }
}
