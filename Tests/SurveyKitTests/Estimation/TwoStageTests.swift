import Foundation
import Testing

@testable import SurveyKit

extension Estimation {
  /// A two-stage design (districts, then schools within them, fpc at both stages) against R:
  /// `svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)`.
  @Suite("Two-stage cluster sampling")
  struct TwoStageTests {
    let data: ReferenceDataset
    let reference: [String: Any]

    init() throws {
      data = try ReferenceDataset(name: "apiclus2")
      let path = packagePath(
        "Tests/SurveyKitTests/Fixtures/reference/r-survey/apiclus2_twostage.json")
      let json = try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: path)))
      reference = json as? [String: Any] ?? [:]
    }

    func value(_ section: String, _ key: String) -> Double {
      ((reference[section] as? [String: Any])?[key] as? NSNumber)?.doubleValue ?? .nan
    }

    func close(_ ours: Double, _ r: Double) -> Bool { abs(ours - r) <= 1e-9 * abs(r) }

    /// R's weights from the two population sizes: N1/n1 × N2/n2 per row.
    func design(withPopulationSizes: Bool) throws -> SurveyDesign {
      let districts = try data.texts("dnum")
      let schools = try data.texts("snum")
      if !withPopulationSizes {
        return try SurveyDesign(weights: try data.numbers("pw"), clusters: [districts, schools])
      }
      let fpc1 = try data.numbers("fpc1")
      let fpc2 = try data.numbers("fpc2")
      let sampledDistricts = Double(Set(districts).count)
      var schoolsInDistrict: [String: Int] = [:]
      for district in districts { schoolsInDistrict[district, default: 0] += 1 }
      let weights = (0..<data.rowCount).map { row in
        fpc1[row] / sampledDistricts * fpc2[row] / Double(schoolsInDistrict[districts[row]]!)
      }
      return try SurveyDesign(
        weights: weights, clusters: [districts, schools], populationSizes: [fpc1, fpc2])
    }

    @Test func meanTotalAndSharesAgreeWithR() throws {
      let design = try design(withPopulationSizes: true)
      #expect(design.degreesOfFreedom() == (reference["degf"] as? NSNumber)?.intValue)
      let mean = try design.mean(try data.numbers("api00"))
      #expect(close(mean.estimate, value("mean_api00", "estimate")))
      #expect(close(mean.standardError, value("mean_api00", "se")), "\(mean.standardError)")
      #expect(close(mean.designEffect ?? .nan, value("mean_api00", "deff")))
      let total = try design.total(try data.numbers("enroll"))
      #expect(close(total.estimate, value("total_enroll", "estimate")))
      #expect(close(total.standardError, value("total_enroll", "se")), "\(total.standardError)")
      #expect(close(total.designEffect ?? .nan, value("total_enroll", "deff")))
      let stype = try data.texts("stype")
      let levels = ["E", "H", "M"]
      let shares = try design.proportions(stype.map { levels.firstIndex(of: $0) }, levels: 3)
      let section = reference["mean_stype"] as? [String: Any]
      let estimates = (section?["estimate"] as? [NSNumber] ?? []).map(\.doubleValue)
      let errors = (section?["se"] as? [NSNumber] ?? []).map(\.doubleValue)
      #expect(estimates.count == 3 && errors.count == 3)
      for level in 0..<min(3, estimates.count, errors.count) {
        #expect(close(shares.estimates[level].estimate, estimates[level]))
        #expect(close(shares.estimates[level].standardError, errors[level]))
      }
    }

    @Test func withoutPopulationSizesOnlyTheFirstStageCounts() throws {
      let design = try design(withPopulationSizes: false)
      let mean = try design.mean(try data.numbers("api00"))
      #expect(close(mean.estimate, value("nofpc_mean_api00", "estimate")))
      #expect(close(mean.standardError, value("nofpc_mean_api00", "se")), "\(mean.standardError)")
    }
  }
}
