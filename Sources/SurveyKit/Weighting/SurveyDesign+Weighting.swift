import Foundation

/// A weighting variable: the category of each row and the population total each category is
/// weighted to (a margin for raking and calibration, or the cells of post-stratification).
public struct WeightingMargin: Sendable, Equatable {
  /// The variable, for messages (`F2`, or `F1 × F2` for cells).
  public var name: String
  /// A label per category, for messages and reports (`18–29`, `no answer`).
  public var labels: [String]
  /// The category of each row, an index into `labels`.
  public var category: [Int]
  /// The population total of each category.
  public var targets: [Double]

  public init(name: String, labels: [String], category: [Int], targets: [Double]) {
    self.name = name
    self.labels = labels
    self.category = category
    self.targets = targets
  }

  /// The population total the margin sums to.
  public var total: Double { targets.reduce(0, +) }
}

/// When raking stops: after `maxIterations` full passes, or when a pass moves no cell of the joint
/// table of all margin variables by `epsilon` or more — in weight units when `epsilon` ≥ 1,
/// relative to the sum of the design weights when below 1 (R `rake(control = list(maxit,
/// epsilon))`).
public struct RakingControl: Sendable, Equatable {
  public var maxIterations: Int
  public var epsilon: Double

  public init(maxIterations: Int = 100, epsilon: Double = 1e-10) {
    self.maxIterations = maxIterations
    self.epsilon = epsilon
  }

  /// R's defaults (`maxit = 10, epsilon = 1`): margins are typically met to within a few tenths
  /// of a weight unit, not exactly.
  public static let r = RakingControl(maxIterations: 10, epsilon: 1)
}

/// The distance function of calibration (Deville & Särndal 1992): linear gives the GREG weights
/// g = 1 + x'λ, raking g = exp(x'λ) (the same weights as iterative raking, reached by Newton's
/// method); either may be bounded.
public enum CalibrationFunction: String, Sendable, CaseIterable {
  case linear
  case raking
}

extension SurveyDesign {
  // MARK: Post-stratification

  /// Post-stratifies on the cells of `cells`: every row's weight is multiplied by its cell's
  /// population total over the cell's weighted sample total (R `postStratify`; Lumley 2010 §7.2).
  /// Variances then use the residuals from the cell means (Holt & Smith 1979).
  ///
  /// - Throws: a cell with a population total but no respondents, or respondents but no total.
  public func postStratified(_ cells: WeightingMargin) throws(WeightingError) -> SurveyDesign {
    let (newWeights, step) = try postStratify(weights, on: cells)
    var design = self
    design.weights = newWeights
    design.calibrations.append(.postStratification(step))
    return design
  }

  /// One post-stratification of `current` weights.
  func postStratify(_ current: [Double], on margin: WeightingMargin) throws(WeightingError)
    -> ([Double], CalibrationStep.Stratification)
  {
    let levels = margin.labels.count
    guard margin.category.count == rowCount, margin.targets.count == levels else {
      throw WeightingError(
        "the margin \(margin.name) has \(margin.category.count) rows and \(margin.targets.count) "
          + "targets for a design of \(rowCount) rows and \(levels) categories")
    }
    var sample = [Accumulator](repeating: Accumulator(), count: levels)
    var rows = [Int](repeating: 0, count: levels)
    for row in 0..<rowCount {
      let category = margin.category[row]
      guard category >= 0 && category < levels else {
        throw WeightingError(
          "row \(row + 1) has no category of the margin \(margin.name) (index \(category))")
      }
      sample[category].add(current[row])
      rows[category] += 1
    }
    var factor = [Double](repeating: 1, count: levels)
    for category in 0..<levels {
      let target = margin.targets[category]
      let label = "\(margin.name) = \(margin.labels[category])"
      if rows[category] == 0 {
        if target > 0 {
          throw WeightingError(
            "the target \(formatAmount(target)) for \(label) has no respondents to carry it; "
              + "merge the category with a neighbour or drop it from the targets")
        }
        continue
      }
      guard target > 0, target.isFinite else {
        throw WeightingError(
          "\(rows[category]) respondent\(rows[category] == 1 ? " has" : "s have") \(label) but "
            + "its target is \(formatAmount(target)); give the category a positive population total"
        )
      }
      factor[category] = target / sample[category].value
    }
    var newWeights = current
    for row in 0..<rowCount { newWeights[row] = current[row] * factor[margin.category[row]] }
    let step = CalibrationStep.Stratification(
      cell: margin.category.map { Int32($0) }, cellCount: levels, before: current,
      after: newWeights, rows: rows)
    return (newWeights, step)
  }

  // MARK: Raking

  /// Rakes the weights to several margins by iterative proportional fitting: each pass
  /// post-stratifies on every margin in turn, until a pass changes no cell of the joint table of
  /// the margin variables by `control.epsilon` (R `rake`; Deming & Stephan 1940; Lumley 2010
  /// §7.3). Variances then use R's iterated projection of the influence values on the margins
  /// (ten sweeps over the margins with unweighted cell means, R `svyrecvar`).
  ///
  /// - Returns: the raked design and the number of passes made.
  /// - Throws: a category without respondents or target, margins whose totals disagree (the
  ///   caller checks them first), or no convergence within `control.maxIterations` passes, naming
  ///   the margin category furthest from its target.
  public func raked(_ margins: [WeightingMargin], control: RakingControl = RakingControl())
    throws(WeightingError) -> (design: SurveyDesign, passes: Int)
  {
    guard !margins.isEmpty else { throw WeightingError("raking needs at least one margin") }
    guard control.maxIterations >= 1, control.epsilon > 0 else {
      throw WeightingError(
        "raking needs at least 1 pass and a positive epsilon (got \(control.maxIterations) "
          + "and \(formatAmount(control.epsilon)))")
    }
    var sum = Accumulator()
    for weight in weights { sum.add(weight) }
    let epsilon = control.epsilon < 1 ? control.epsilon * sum.value : control.epsilon
    // The joint cell of each row over all margin variables (R: svytable of all of them),
    // numbered in order of appearance from a mixed-radix key.
    var cellOfKey: [Int: Int] = [:]
    var cellOfCodes: [[Int]: Int] = [:]
    var product = 1
    var fitsInt = true
    for margin in margins {
      let (next, overflow) = product.multipliedReportingOverflow(by: max(margin.labels.count, 1))
      product = next
      fitsInt = fitsInt && !overflow
    }
    let joint = (0..<rowCount).map { row -> Int in
      guard fitsInt else {
        let codes = margins.map { $0.category[row] }
        if let known = cellOfCodes[codes] { return known }
        cellOfCodes[codes] = cellOfCodes.count
        return cellOfCodes.count - 1
      }
      var key = 0
      for margin in margins { key = key * margin.labels.count + margin.category[row] }
      if let known = cellOfKey[key] { return known }
      cellOfKey[key] = cellOfKey.count
      return cellOfKey.count - 1
    }
    let cellCount = fitsInt ? cellOfKey.count : cellOfCodes.count
    func table(_ w: [Double]) -> [Double] {
      var cells = [Accumulator](repeating: Accumulator(), count: cellCount)
      for row in 0..<rowCount { cells[joint[row]].add(w[row]) }
      return cells.map(\.value)
    }
    var current = weights
    var previous = table(current)
    var steps: [CalibrationStep.Stratification] = []
    var passes = 0
    var converged = false
    while passes < control.maxIterations {
      steps.removeAll(keepingCapacity: true)
      for margin in margins {
        let (next, step) = try postStratify(current, on: margin)
        current = next
        steps.append(step)
      }
      passes += 1
      let next = table(current)
      var delta = 0.0
      for cell in 0..<next.count { delta = max(delta, abs(previous[cell] - next[cell])) }
      if delta < epsilon {
        converged = true
        break
      }
      previous = next
    }
    guard converged else {
      throw worstMargin(margins, weights: current).map { worst in
        WeightingError(
          "raking did not converge in \(passes) pass\(passes == 1 ? "" : "es"): "
            + "\(worst.name) = \(worst.label) is at \(formatAmount(worst.achieved)) against its "
            + "target \(formatAmount(worst.target)) (residual \(formatAmount(worst.achieved - worst.target))); "
            + "allow more passes or check that the margins can be met together")
      } ?? WeightingError("raking did not converge in \(passes) passes")
    }
    var design = self
    design.weights = current
    design.calibrations.append(.raking(steps))
    return (design, passes)
  }

  /// The margin category furthest from its target, relative to the target.
  func worstMargin(_ margins: [WeightingMargin], weights: [Double]) -> (
    name: String, label: String, achieved: Double, target: Double
  )? {
    var worst: (name: String, label: String, achieved: Double, target: Double)?
    var worstGap = -1.0
    for margin in margins {
      let achieved = margin.achieved(weights)
      for category in margin.labels.indices {
        let target = margin.targets[category]
        let gap = abs(achieved[category] - target) / max(target, 1)
        if gap > worstGap {
          worstGap = gap
          worst = (margin.name, margin.labels[category], achieved[category], target)
        }
      }
    }
    return worst
  }

  // MARK: Calibration

  /// Calibrates the weights to the margins' totals by Newton's method on the distance `function`
  /// (R `calibrate(design, ~m1 + m2 + …, population, calfun, bounds)`, whose algorithm `grake`
  /// this follows step by step; Deville & Särndal 1992). The model is R's: an intercept and a
  /// dummy for every category but the first of each margin. `bounds` caps g = final ÷ design
  /// weight (raking with caps). Unbounded linear calibration is the closed-form GREG solution
  /// (R `regcalibrate`). Variances use the residuals of the design-weighted regression of each
  /// influence value on the model (R `svyrecvar`).
  ///
  /// - Returns: the calibrated design and the Newton iterations made (1 for closed-form GREG).
  public func calibrated(
    _ margins: [WeightingMargin], function: CalibrationFunction,
    bounds: ClosedRange<Double>? = nil, maxIterations: Int = 50, epsilon: Double = 1e-7
  ) throws(WeightingError) -> (design: SurveyDesign, iterations: Int) {
    guard !margins.isEmpty else { throw WeightingError("calibration needs at least one margin") }
    let model = try CalibrationModel(margins, rows: rowCount, weights: weights)
    if let bounds {
      // A category's weights must on average move by target ÷ design-weighted total, which the
      // bounds must allow (a necessary condition; Newton's method would only fail to converge).
      for margin in margins {
        let achieved = margin.achieved(weights)
        for category in margin.labels.indices where achieved[category] > 0 {
          let ratio = margin.targets[category] / achieved[category]
          guard !bounds.contains(ratio) else { continue }
          let side = ratio > bounds.upperBound ? "above the upper" : "below the lower"
          let bound = ratio > bounds.upperBound ? bounds.upperBound : bounds.lowerBound
          throw WeightingError(
            "\(margin.name) = \(margin.labels[category]) needs its weights multiplied by "
              + "\(formatAmount(ratio)) on average (target \(formatAmount(margin.targets[category])) "
              + "against \(formatAmount(achieved[category])) design-weighted), \(side) bound "
              + "\(formatAmount(bound)); widen the bounds")
        }
      }
    }
    let p = model.columns
    let n = rowCount
    let w0 = weights
    var g: [Double]
    var iterations = 1
    if function == .linear && bounds == nil {
      // R regcalibrate: g = 1 + X (X'WX)⁻¹ (T − t̂).
      let inverse = symmetricPseudoInverse(model.gram(w0), size: p)
      let misfit = (0..<p).map { model.population[$0] - model.sampleTotals[$0] }
      let lambda = multiply(inverse, misfit, size: p)
      g = (0..<n).map { 1 + model.dot(row: $0, lambda) }
    } else {
      (g, iterations) = try newtonCalibration(
        model, function: function, bounds: bounds, maxIterations: maxIterations,
        epsilon: epsilon)
    }
    var newWeights = [Double](repeating: 0, count: n)
    for row in 0..<n { newWeights[row] = w0[row] * g[row] }
    if let row = newWeights.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
      let count = newWeights.filter { !($0 > 0) }.count
      throw WeightingError(
        "calibration gave \(count) row\(count == 1 ? "" : "s") a weight that is not positive "
          + "(row \(row + 1): \(formatAmount(newWeights[row]))); use raking or bounds")
    }
    let root = w0.map { $0.squareRoot() }
    let regression = CalibrationStep.Regression(
      model: model.matrix, columns: p, root: root,
      scale: (0..<n).map { g[$0] * root[$0] },
      inverseGram: symmetricPseudoInverse(model.gram(w0), size: p))
    var design = self
    design.weights = newWeights
    design.calibrations.append(.regression(regression))
    return (design, iterations)
  }

  /// R `grake`: Newton steps on λ with step halving, until every total is within
  /// `epsilon`·(1 + |T|) of its target.
  private func newtonCalibration(
    _ model: CalibrationModel, function: CalibrationFunction, bounds: ClosedRange<Double>?,
    maxIterations: Int, epsilon: Double
  ) throws(WeightingError) -> ([Double], Int) {
    let p = model.columns
    let n = rowCount
    let lower = bounds?.lowerBound ?? -.infinity
    let upper = bounds?.upperBound ?? .infinity
    func fMinusOne(_ u: Double) -> Double {
      switch function {
      case .linear: return min(max(u + 1, lower), upper) - 1
      case .raking: return min(max(exp(u), lower), upper) - 1
      }
    }
    func derivative(_ u: Double) -> Double {
      guard u < upper - 1 && u > lower - 1 else { return 0 }
      return function == .linear ? 1 : exp(u)
    }
    var ww = weights
    var sampleTotals = model.sampleTotals
    // R pre-scales weights that are far below the population (sampling weights not given).
    let scales = (0..<p).map { model.population[$0] / sampleTotals[$0] }
    var scale: Double?
    if let smallest = scales.min(), smallest > 20 {
      let mean = scales.reduce(0, +) / Double(p)
      scale = mean
      for row in 0..<n { ww[row] *= mean }
      for j in 0..<p { sampleTotals[j] *= mean }
    }
    var eta = [Double](repeating: 0, count: p)
    var xeta = [Double](repeating: 0, count: n)
    var g = xeta.map { 1 + fMinusOne($0) }
    var deriv = xeta.map(derivative)
    func update() {
      for row in 0..<n {
        xeta[row] = model.dot(row: row, eta)
        g[row] = 1 + fMinusOne(xeta[row])
        deriv[row] = derivative(xeta[row])
      }
    }
    func misfit() -> [Double] {
      var sums = [Accumulator](repeating: Accumulator(), count: p)
      for row in 0..<n {
        let value = ww[row] * fMinusOne(xeta[row])
        for j in 0..<p { sums[j].add(model.matrix[row * p + j] * value) }
      }
      return (0..<p).map { model.population[$0] - sampleTotals[$0] - sums[$0].value }
    }
    var iteration = 1
    while true {
      var gram = [Double](repeating: 0, count: p * p)
      for row in 0..<n where deriv[row] != 0 {
        let factor = ww[row] * deriv[row]
        for a in 0..<p {
          let xa = model.matrix[row * p + a] * factor
          if xa == 0 { continue }
          for b in 0..<p { gram[a * p + b] += xa * model.matrix[row * p + b] }
        }
      }
      var delta = multiply(symmetricPseudoInverse(gram, size: p), misfit(), size: p)
      for j in 0..<p { eta[j] += delta[j] }
      update()
      while iteration < maxIterations
        && (g.contains { !$0.isFinite } || deriv.contains { !$0.isFinite })
      {
        iteration += 1
        for j in 0..<p {
          delta[j] /= 2
          eta[j] -= delta[j]
        }
        update()
      }
      let residual = misfit()
      let worst = (0..<p).map { abs(residual[$0]) / (1 + abs(model.population[$0])) }
      if worst.allSatisfy({ $0 < epsilon }) { break }
      iteration += 1
      if iteration > maxIterations {
        let column = worst.indices.max { worst[$0] < worst[$1] } ?? 0
        throw WeightingError(
          "calibration did not converge in \(maxIterations) iterations: the total of "
            + "\(model.names[column]) is off by \(formatAmount(residual[column])) "
            + "(\(formatAmount(worst[column])) of 1 + its target \(formatAmount(model.population[column]))); "
            + (bounds == nil ? "check the margins" : "widen the bounds"))
      }
    }
    if let scale { for row in 0..<n { g[row] *= scale } }
    return (g, iteration)
  }

  // MARK: Trimming

  /// Trims weights to [lower, upper]: weights outside are set to the bound and the total trimmed
  /// is shared equally by the weights inside, so the sum of weights is kept (R `trimWeights`;
  /// with `strict`, repeated until no weight is outside). Calibration information is kept, as
  /// R does, so variances still project on the calibration.
  ///
  /// - Returns: the trimmed design, the passes made and the rows that were trimmed.
  public func trimmed(lower: Double, upper: Double, strict: Bool) throws(WeightingError)
    -> (design: SurveyDesign, passes: Int, trimmed: Int)
  {
    guard lower < upper, lower >= 0 else {
      throw WeightingError(
        "trimming needs 0 ≤ lower < upper (got \(formatAmount(lower)) and \(formatAmount(upper)))")
    }
    var sum = Accumulator()
    for weight in weights { sum.add(weight) }
    if strict {
      let n = Double(rowCount)
      if lower * n > sum.value || upper * n < sum.value {
        throw WeightingError(
          "weights between \(formatAmount(lower)) and \(formatAmount(upper)) cannot sum to "
            + "\(formatAmount(sum.value)) over \(rowCount) rows; widen the bounds")
      }
    }
    var current = weights
    var touched = [Bool](repeating: false, count: rowCount)
    var passes = 0
    repeat {
      let outside = current.map { $0 < lower || $0 > upper }
      guard outside.contains(true) else { break }
      var trimmings = Accumulator()
      var inside = 0
      var next = current
      for row in 0..<rowCount {
        if outside[row] {
          next[row] = min(max(current[row], lower), upper)
          trimmings.add(current[row] - next[row])
          touched[row] = true
        } else {
          inside += 1
        }
      }
      guard inside > 0 else {
        throw WeightingError(
          "every weight lies outside \(formatAmount(lower))–\(formatAmount(upper)); widen the bounds"
        )
      }
      let share = trimmings.value / Double(inside)
      for row in 0..<rowCount where !outside[row] { next[row] += share }
      current = next
      passes += 1
      if passes > 10_000 {
        throw WeightingError(
          "strict trimming to \(formatAmount(lower))–\(formatAmount(upper)) did not settle in "
            + "10000 passes; widen the bounds")
      }
    } while strict
    if let row = current.firstIndex(where: { !($0 > 0) }) {
      throw WeightingError(
        "trimming left row \(row + 1) with the weight \(formatAmount(current[row])); "
          + "raise the lower bound above 0")
    }
    var design = self
    design.weights = current
    return (design, passes, touched.filter { $0 }.count)
  }
}

extension WeightingMargin {
  /// The weighted total of each category.
  public func achieved(_ weights: [Double]) -> [Double] {
    var sums = [Accumulator](repeating: Accumulator(), count: labels.count)
    for (row, category) in category.enumerated() where category >= 0 && category < labels.count {
      sums[category].add(weights[row])
    }
    return sums.map(\.value)
  }
}

/// R's model matrix of `~m1 + m2 + …` (an intercept and treatment dummies), without the columns
/// whose sample and population totals are both 0, and its population and design-weighted totals.
struct CalibrationModel {
  var matrix: [Double]
  var columns: Int
  var names: [String]
  var population: [Double]
  var sampleTotals: [Double]

  init(_ margins: [WeightingMargin], rows n: Int, weights: [Double]) throws(WeightingError) {
    var names = ["(Intercept)"]
    var population = [margins[0].total]
    var columnsOf: [(margin: Int, category: Int)?] = [nil]
    for (index, margin) in margins.enumerated() {
      guard margin.category.count == n, margin.targets.count == margin.labels.count else {
        throw WeightingError("the margin \(margin.name) does not fit the design")
      }
      for category in 1..<max(margin.labels.count, 1) {
        names.append("\(margin.name) = \(margin.labels[category])")
        population.append(margin.targets[category])
        columnsOf.append((index, category))
      }
    }
    let all = columnsOf.count
    var full = [Double](repeating: 0, count: n * all)
    var totals = [Accumulator](repeating: Accumulator(), count: all)
    var counts = [Int](repeating: 0, count: all)
    var columnIndex: [[Int?]] = margins.map { [Int?](repeating: nil, count: $0.labels.count) }
    for (column, item) in columnsOf.enumerated() {
      if let item { columnIndex[item.margin][item.category] = column }
    }
    for row in 0..<n {
      full[row * all] = 1
      totals[0].add(weights[row])
      counts[0] += 1
      for (index, margin) in margins.enumerated() {
        if let column = columnIndex[index][margin.category[row]] {
          full[row * all + column] = 1
          totals[column].add(weights[row])
          counts[column] += 1
        }
      }
    }
    // Every category of every margin needs respondents when it has a target.
    for margin in margins {
      var rows = [Int](repeating: 0, count: margin.labels.count)
      for category in margin.category { rows[category] += 1 }
      for category in margin.labels.indices {
        if rows[category] == 0 && margin.targets[category] > 0 {
          throw WeightingError(
            "the target \(formatAmount(margin.targets[category])) for \(margin.name) = "
              + "\(margin.labels[category]) has no respondents to carry it; merge the category "
              + "with a neighbour or drop it from the targets")
        }
        if rows[category] > 0 && !(margin.targets[category] > 0) {
          throw WeightingError(
            "\(rows[category]) respondent\(rows[category] == 1 ? " has" : "s have") "
              + "\(margin.name) = \(margin.labels[category]) but its target is "
              + "\(formatAmount(margin.targets[category])); give the category a positive population total"
          )
        }
      }
    }
    let keep = (0..<all).filter { counts[$0] > 0 || population[$0] != 0 }
    let p = keep.count
    var matrix = [Double](repeating: 0, count: n * p)
    for row in 0..<n {
      for (j, column) in keep.enumerated() { matrix[row * p + j] = full[row * all + column] }
    }
    self.matrix = matrix
    columns = p
    self.names = keep.map { names[$0] }
    self.population = keep.map { population[$0] }
    sampleTotals = keep.map { totals[$0].value }
  }

  func dot(row: Int, _ vector: [Double]) -> Double {
    var sum = 0.0
    for j in 0..<columns { sum += matrix[row * columns + j] * vector[j] }
    return sum
  }

  /// X'WX.
  func gram(_ weights: [Double]) -> [Double] {
    let p = columns
    var gram = [Accumulator](repeating: Accumulator(), count: p * p)
    for row in 0..<weights.count {
      for a in 0..<p where matrix[row * p + a] != 0 {
        let xa = matrix[row * p + a] * weights[row]
        for b in 0..<p where matrix[row * p + b] != 0 {
          gram[a * p + b].add(xa * matrix[row * p + b])
        }
      }
    }
    return gram.map(\.value)
  }
}

/// A square matrix (m × m, row-major) times a vector.
func multiply(_ matrix: [Double], _ vector: [Double], size m: Int) -> [Double] {
  (0..<m).map { a in
    var sum = 0.0
    for b in 0..<m { sum += matrix[a * m + b] * vector[b] }
    return sum
  }
}
