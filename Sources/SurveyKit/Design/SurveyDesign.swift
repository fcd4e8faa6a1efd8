/// A sampling design: weights, strata, one or two stages of clusters and finite population
/// corrections, checked when it is made.
///
/// ```swift
/// let design = try SurveyDesign(weights: pw, strata: stype, populationSizes: [fpc])
/// let mean = try design.mean(api00)   // estimate 662.29, standard error 9.41 (R: svymean)
/// ```
/// Variances follow R's `survey` package (Lumley 2004, 2010, *Complex Surveys*, §2.2 and
/// appendix C): Taylor linearisation with PSU totals centred within strata, scaled by
/// f_h·n_h/(n_h − 1), f_h = (N_h − n_h)/N_h; a second stage adds (n_1/N_1)·V_2 per PSU when the
/// first stage has a population size (Särndal, Swensson & Wretman 1992, §4.3).
public struct SurveyDesign: Sendable {
  public let rowCount: Int
  /// The weight of each row: the sampling weight, or the final weight after post-stratification,
  /// raking, calibration or trimming (see `Weighting/`).
  public internal(set) var weights: [Double]
  /// The stratum names, in sorted order (R's factor levels).
  public let strataNames: [String]
  /// The stratum of each row, an index into `strataNames`.
  public let strata: [Int]
  public var lonelyPSU: LonelyPSUPolicy
  /// R's `survey.adjust.domain.lonely`: treat a stratum with one PSU inside a domain as lonely.
  public var adjustDomainLonely: Bool
  /// How the weights were calibrated to population totals, in the order applied (R's
  /// `design$postStrata`); variances project the influence values on each in turn.
  var calibrations: [CalibrationStep] = [] {
    didSet {
      calibrationOperator =
        calibrations.count == 1 ? calibrations[0].linearOperator(rows: rowCount) : nil
    }
  }
  /// The single calibration step as a linear map (nil without one, or with several), built once.
  private(set) var calibrationOperator: CalibrationOperator?

  /// Whether the weights were post-stratified, raked or calibrated (R's `is.calibrated`).
  public var isCalibrated: Bool { !calibrations.isEmpty }

  let first: Stage
  /// The second stage, used only when the first has population sizes (as R does).
  let second: Stage?

  /// One stage of sampling: the unit of each row and the size of each unit's stratum.
  struct Stage: Sendable {
    /// The unit of each row, numbered from 0.
    var unit: [Int]
    /// The stratum of each unit (at stage 2, the stage-1 PSU the unit lies in).
    var unitStratum: [Int]
    var unitNames: [String]
    /// The number of units sampled in each stratum (n_h).
    var sampled: [Int]
    /// The population size of each stratum (N_h); infinite without a finite population correction.
    var population: [Double]
    var hasPopulation: Bool
    /// Every row is its own unit, in row order (an unclustered design): unit totals are the rows.
    var isRowPerUnit: Bool = false

    var unitCount: Int { unitStratum.count }
    var strataCount: Int { sampled.count }

    /// f_h = (N_h − n_h)/N_h, or 1 without an fpc.
    func correction(_ stratum: Int) -> Double {
      population[stratum].isInfinite
        ? 1 : (population[stratum] - Double(sampled[stratum])) / population[stratum]
    }
  }

  /// Makes a design from columns of the data.
  ///
  /// - Parameters:
  ///   - weights: the sampling weight of each row; every weight must be positive.
  ///   - strata: the stratum of each row; nil for an unstratified design.
  ///   - clusters: the PSU of each row (and the second-stage unit, for two stages); empty when every
  ///     row is its own PSU.
  ///   - populationSizes: per stage, each row's stratum population size N_h, or all sampling
  ///     fractions (every value at most 1, as R's `fpc`); empty for no finite population correction.
  public init(
    weights: [Double], strata: [String]? = nil, clusters: [[String]] = [],
    populationSizes: [[Double]] = [], lonelyPSU: LonelyPSUPolicy = .fail,
    adjustDomainLonely: Bool = false
  ) throws(DesignError) {
    let n = weights.count
    rowCount = n
    self.weights = weights
    self.lonelyPSU = lonelyPSU
    self.adjustDomainLonely = adjustDomainLonely
    guard n > 0 else { throw DesignError("the design has no rows") }
    for (row, weight) in weights.enumerated() where !(weight > 0 && weight.isFinite) {
      throw DesignError(
        "row \(row + 1) has the weight \(formatNumber(weight)); weights must be positive")
    }
    if let strata, strata.count != n {
      throw DesignError("there are \(strata.count) strata values for \(n) rows")
    }
    for stage in clusters where stage.count != n {
      throw DesignError("there are \(stage.count) cluster values for \(n) rows")
    }
    guard clusters.count <= 2 else {
      throw DesignError("at most two stages of clusters are supported")
    }
    for sizes in populationSizes where sizes.count != n {
      throw DesignError("there are \(sizes.count) population sizes for \(n) rows")
    }
    guard populationSizes.count <= max(clusters.count, 1) else {
      throw DesignError(
        "there are population sizes for \(populationSizes.count) stages but \(max(clusters.count, 1)) stages of sampling"
      )
    }

    // Strata, in sorted order as R's factor levels.
    let strataValues = strata ?? Array(repeating: "", count: n)
    let names = Array(Set(strataValues)).sorted()
    var stratumIndex: [String: Int] = [:]
    for (index, name) in names.enumerated() { stratumIndex[name] = index }
    strataNames = names
    self.strata = strataValues.map { stratumIndex[$0]! }

    // Stage 1: PSUs must lie in one stratum. Without clusters every row is its own PSU.
    let (psu, psuNames) = clusters.first.map(Self.code) ?? ((0..<n).map { $0 }, nil)
    first = try Self.stage(
      unit: psu, unitNames: psuNames, rowStratum: self.strata, strataNames: names,
      populationSizes: populationSizes.first, stage: 1)
    if clusters.count == 2 && first.hasPopulation {
      // Stage 2: units within each PSU; the PSU is the stratum (R: interaction(strata, ids[,1])).
      let (ssu, ssuNames) = Self.code(zip(psu, clusters[1]).map { "\($0)\u{1F}\($1)" })
      second = try Self.stage(
        unit: ssu, unitNames: ssuNames, rowStratum: first.unit, strataNames: first.unitNames,
        populationSizes: populationSizes.count > 1 ? populationSizes[1] : nil, stage: 2)
    } else {
      second = nil
    }
    if first.unitCount < 2 && strata == nil {
      throw DesignError("the design has only one primary sampling unit")
    }
  }

  /// Numbers labels in order of first appearance.
  private static func code(_ labels: [String]) -> ([Int], [String]?) {
    var index: [String: Int] = [:]
    var names: [String] = []
    let codes = labels.map { label -> Int in
      if let known = index[label] { return known }
      index[label] = names.count
      names.append(label)
      return names.count - 1
    }
    return (codes, names)
  }

  /// One stage from the unit of each row (numbered from 0) and the stratum of each row.
  private static func stage(
    unit: [Int], unitNames names: [String]?, rowStratum: [Int], strataNames: [String],
    populationSizes: [Double]?, stage: Int
  ) throws(DesignError) -> Stage {
    let n = unit.count
    let unitCount = (unit.max() ?? -1) + 1
    var unitStratum = [Int](repeating: -1, count: unitCount)
    func name(_ unit: Int) -> String {
      (names?[unit] ?? String(unit + 1)).replacingOccurrences(of: "\u{1F}", with: "/")
    }
    for row in 0..<n {
      let u = unit[row]
      if unitStratum[u] < 0 {
        unitStratum[u] = rowStratum[row]
      } else if unitStratum[u] != rowStratum[row] {
        let what = stage == 1 ? "PSU" : "second-stage unit"
        throw DesignError(
          "\(what) \(name(u)) appears in strata \(strataNames[unitStratum[u]]) and "
            + "\(strataNames[rowStratum[row]]); clusters must be nested in strata "
            + "(give each cluster an id of its own in every stratum)")
      }
    }
    let unitNames = names ?? []
    var sampled = [Int](repeating: 0, count: strataNames.count)
    for stratum in unitStratum { sampled[stratum] += 1 }
    var population = [Double](repeating: .infinity, count: strataNames.count)
    var hasPopulation = false
    if let sizes = populationSizes {
      hasPopulation = true
      let isCount = sizes.contains { $0 > 1 }
      if isCount, let small = sizes.firstIndex(where: { $0 < 1 }) {
        throw DesignError(
          "row \(small + 1) has the population size \(formatNumber(sizes[small])) at stage \(stage) "
            + "while others are counts; give all population sizes (≥ 1) or all sampling fractions (≤ 1)"
        )
      }
      var seen = [Double?](repeating: nil, count: strataNames.count)
      for row in 0..<n {
        let value = sizes[row]
        guard value.isFinite, value >= 0 else {
          throw DesignError(
            "row \(row + 1) has the population size \(formatNumber(value)) at stage \(stage)")
        }
        let stratum = rowStratum[row]
        if let previous = seen[stratum], previous != value {
          throw DesignError(
            "the population size of stratum \(strataNames[stratum]) varies at stage \(stage) "
              + "(\(formatNumber(previous)) and \(formatNumber(value)) on row \(row + 1)); "
              + "it must be the same on every row of a stratum")
        }
        seen[stratum] = value
      }
      for stratum in 0..<strataNames.count {
        guard let value = seen[stratum] else { continue }
        // A sampling fraction f gives N = n/f (f = 0: no correction).
        let size = isCount ? value : (value == 0 ? .infinity : Double(sampled[stratum]) / value)
        if size < Double(sampled[stratum]) {
          throw DesignError(
            "stratum \(strataNames[stratum]) has \(sampled[stratum]) sampled units at stage "
              + "\(stage) but a population size of \(formatNumber(size)); the population "
              + "cannot be smaller than the sample")
        }
        population[stratum] = size
      }
    }
    var result = Stage(
      unit: unit, unitStratum: unitStratum, unitNames: unitNames, sampled: sampled,
      population: population, hasPopulation: hasPopulation)
    result.isRowPerUnit = unitCount == n && unit.enumerated().allSatisfy { $0.offset == $0.element }
    return result
  }

  /// The number of PSUs.
  public var psuCount: Int { first.unitCount }

  /// Design degrees of freedom: PSUs − strata, counting those with rows in `active` (all rows
  /// when nil), as R's `degf`.
  public func degreesOfFreedom(active: [Bool]? = nil) -> Int {
    guard let active else { return first.unitCount - Set(first.unitStratum).count }
    var units = Set<Int>()
    var strataSeen = Set<Int>()
    for row in 0..<rowCount where active[row] {
      units.insert(first.unit[row])
      strataSeen.insert(strata[row])
    }
    return units.count - strataSeen.count
  }
}
