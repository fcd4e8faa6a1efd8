/// What post-stratification, raking or calibration did to the weights, kept so that every variance
/// on the weighted design accounts for it: the influence values are replaced by their residuals
/// from the calibration model before they are summed into PSU totals (R `svyrecvar`; Lumley 2010,
/// *Complex Surveys* §7.2–7.4; Deville & Särndal 1992).
enum CalibrationStep: Sendable {
  /// Post-stratification (R `postStratify`).
  case postStratification(Stratification)
  /// Raking by iterative proportional fitting (R `rake`): the margins of the last pass, each with
  /// the weights just after its post-stratification.
  case raking([Stratification])
  /// Calibration by a regression model (GREG; R `calibrate`, `regcalibrate`).
  case regression(Regression)

  /// One post-stratification step: the cell of each row and the weights before and after.
  struct Stratification: Sendable {
    var cell: [Int32]
    var cellCount: Int
    var before: [Double]
    var after: [Double]
    /// Rows in each cell (for the unweighted cell means of raking).
    var rows: [Int]
  }

  /// A calibration model: the model matrix (rows × `columns`, row-major), √(design weight) and
  /// g·√(design weight) of each row, and the pseudo-inverse of X'WX (W the design weights).
  struct Regression: Sendable {
    var model: [Double]
    var columns: Int
    var root: [Double]
    var scale: [Double]
    var inverseGram: [Double]
  }

  /// Replaces `z` (rows × k, row-major) by its residuals from this step.
  func project(_ z: inout [Double], columns k: Int) {
    switch self {
    case .postStratification(let cells):
      // R: x − psw · rowsum(x·oldw/psw, cell)/Σ_cell oldw.
      Self.subtractCellMeans(&z, columns: k, cells: cells, weighted: true)
    case .raking(let margins):
      // R: ten sweeps of x ← x − psw · ave(x/psw, margin) over the margins, in order, with
      // unweighted cell means.
      for _ in 0..<10 {
        for margin in margins {
          Self.subtractCellMeans(&z, columns: k, cells: margin, weighted: false)
        }
      }
    case .regression(let model):
      Self.subtractFit(&z, columns: k, model: model)
    }
  }

  private static func subtractCellMeans(
    _ z: inout [Double], columns k: Int, cells: Stratification, weighted: Bool
  ) {
    let n = cells.cell.count
    var sums = [Accumulator](repeating: Accumulator(), count: cells.cellCount * k)
    var denominators = [Accumulator](repeating: Accumulator(), count: cells.cellCount)
    for row in 0..<n {
      let cell = Int(cells.cell[row])
      let factor = weighted ? cells.before[row] : 1
      for column in 0..<k {
        sums[cell * k + column].add(z[row * k + column] * factor / cells.after[row])
      }
      if weighted { denominators[cell].add(cells.before[row]) }
    }
    var means = [Double](repeating: 0, count: cells.cellCount * k)
    for cell in 0..<cells.cellCount {
      let denominator = weighted ? denominators[cell].value : Double(cells.rows[cell])
      guard denominator > 0 else { continue }
      for column in 0..<k { means[cell * k + column] = sums[cell * k + column].value / denominator }
    }
    for row in 0..<n {
      let cell = Int(cells.cell[row])
      for column in 0..<k { z[row * k + column] -= means[cell * k + column] * cells.after[row] }
    }
  }

  /// R: `qr.resid(qr(X·√w), x/(g√w)) · g√w`, the residual of the weighted least-squares fit
  /// of e = x/(g·w) on X with the design weights w, times the final weight.
  private static func subtractFit(_ z: inout [Double], columns k: Int, model: Regression) {
    let p = model.columns
    let n = model.root.count
    for column in 0..<k {
      var moments = [Accumulator](repeating: Accumulator(), count: p)
      for row in 0..<n {
        let u = z[row * k + column] / model.scale[row] * model.root[row]
        for j in 0..<p { moments[j].add(model.model[row * p + j] * u) }
      }
      let m = moments.map(\.value)
      var beta = [Double](repeating: 0, count: p)
      for a in 0..<p {
        var sum = 0.0
        for b in 0..<p { sum += model.inverseGram[a * p + b] * m[b] }
        beta[a] = sum
      }
      for row in 0..<n {
        var fit = 0.0
        for j in 0..<p { fit += model.model[row * p + j] * beta[j] }
        let u = z[row * k + column] / model.scale[row] - model.root[row] * fit
        z[row * k + column] = u * model.scale[row]
      }
    }
  }
}

/// The Moore–Penrose pseudo-inverse of a symmetric matrix (m × m, row-major) by Jacobi
/// eigen-decomposition, dropping eigenvalues below `tolerance` × the largest, as R's
/// `MASS::ginv(x, tol)` does with singular values (Golub & Van Loan 2013, §8.5).
func symmetricPseudoInverse(_ matrix: [Double], size m: Int, tolerance: Double = 256 * .ulpOfOne)
  -> [Double]
{
  var a = matrix
  var v = [Double](repeating: 0, count: m * m)
  for i in 0..<m { v[i * m + i] = 1 }
  for _ in 0..<100 {
    var off = 0.0
    for i in 0..<m { for j in 0..<m where i != j { off += a[i * m + j] * a[i * m + j] } }
    if off == 0 { break }
    var rotated = false
    for p in 0..<m {
      for q in (p + 1)..<m where a[p * m + q] != 0 {
        let apq = a[p * m + q]
        let app = a[p * m + p]
        let aqq = a[q * m + q]
        // Skip an element already negligible beside both diagonal entries.
        if abs(apq) <= 1e-300 || abs(apq) < .ulpOfOne * 1e-3 * (abs(app) + abs(aqq)) {
          a[p * m + q] = 0
          a[q * m + p] = 0
          continue
        }
        rotated = true
        let theta = (aqq - app) / (2 * apq)
        let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        for k in 0..<m {
          let akp = a[k * m + p]
          let akq = a[k * m + q]
          a[k * m + p] = c * akp - s * akq
          a[k * m + q] = s * akp + c * akq
        }
        for k in 0..<m {
          let apk = a[p * m + k]
          let aqk = a[q * m + k]
          a[p * m + k] = c * apk - s * aqk
          a[q * m + k] = s * apk + c * aqk
        }
        for k in 0..<m {
          let vkp = v[k * m + p]
          let vkq = v[k * m + q]
          v[k * m + p] = c * vkp - s * vkq
          v[k * m + q] = s * vkp + c * vkq
        }
      }
    }
    if !rotated { break }
  }
  let eigenvalues = (0..<m).map { a[$0 * m + $0] }
  let largest = eigenvalues.map(abs).max() ?? 0
  var inverse = [Double](repeating: 0, count: m * m)
  for k in 0..<m where largest > 0 && abs(eigenvalues[k]) > tolerance * largest {
    let factor = 1 / eigenvalues[k]
    for i in 0..<m {
      for j in 0..<m { inverse[i * m + j] += v[i * m + k] * factor * v[j * m + k] }
    }
  }
  return inverse
}

/// A calibration step as a linear map of the influence values: z′ = z − D·L·Gᵀz, with G and D
/// sparse (rows × K) and L (K × K). Exactly the projection `CalibrationStep.project` applies row by
/// row, rewritten so that a table engine can carry K moments per cell and K sums per PSU instead
/// of a full vector per cell:
///
/// - post-stratification: K cells, g_ik = w⁰_i/w_i, d_ik = w_i for i in cell k, L = diag(1/Σ_k w⁰);
/// - calibration: K model columns, g_i = √w⁰_i x_i/(g_i√w⁰_i), d_i = g_i√w⁰_i·√w⁰_i x_i,
///   L = (X′W⁰X)⁺;
/// - raking: K = all categories of all margins, g = 1/w⁽ᵐ⁾ and d = w⁽ᵐ⁾ on each row's category of
///   each margin, and L the ten sweeps of R's projection run on the K moments (each sweep is
///   linear in them), with the cross sums C = GᵀD standing for the rows.
struct CalibrationOperator: Sendable {
  /// Compressed rows: the entries of row i are `offsets[i]..<offsets[i + 1]`.
  var offsets: [Int]
  var columns: [Int32]
  var moment: [Double]
  var spread: [Double]
  var size: Int
  /// L, size × size, row-major.
  var map: [Double]

  /// z′ = z − D·L·Gᵀz for `z` (rows × k, row-major): the same residuals as
  /// `CalibrationStep.project`, in two passes over the rows whatever the step.
  func project(_ z: inout [Double], columns k: Int) {
    let rows = offsets.count - 1
    var moments = [Double](repeating: 0, count: size * k)
    for row in 0..<rows {
      for e in offsets[row]..<offsets[row + 1] {
        let base = Int(columns[e]) * k
        let g = moment[e]
        for j in 0..<k { moments[base + j] += g * z[row * k + j] }
      }
    }
    var coefficients = [Double](repeating: 0, count: size * k)
    for p in 0..<size {
      for q in 0..<size where map[p * size + q] != 0 {
        let l = map[p * size + q]
        for j in 0..<k { coefficients[p * k + j] += l * moments[q * k + j] }
      }
    }
    for row in 0..<rows {
      for e in offsets[row]..<offsets[row + 1] {
        let base = Int(columns[e]) * k
        let d = spread[e]
        for j in 0..<k { z[row * k + j] -= d * coefficients[base + j] }
      }
    }
  }
}

extension CalibrationStep {
  /// This step as a linear operator over `rows` rows.
  func linearOperator(rows n: Int) -> CalibrationOperator {
    var offsets = [0]
    offsets.reserveCapacity(n + 1)
    var columns: [Int32] = []
    var moment: [Double] = []
    var spread: [Double] = []
    switch self {
    case .postStratification(let cells):
      var totals = [Accumulator](repeating: Accumulator(), count: cells.cellCount)
      for row in 0..<n {
        columns.append(cells.cell[row])
        moment.append(cells.before[row] / cells.after[row])
        spread.append(cells.after[row])
        offsets.append(columns.count)
        totals[Int(cells.cell[row])].add(cells.before[row])
      }
      let k = cells.cellCount
      var map = [Double](repeating: 0, count: k * k)
      for cell in 0..<k where totals[cell].value > 0 {
        map[cell * k + cell] = 1 / totals[cell].value
      }
      return CalibrationOperator(
        offsets: offsets, columns: columns, moment: moment, spread: spread, size: k, map: map)
    case .regression(let model):
      let p = model.columns
      for row in 0..<n {
        for j in 0..<p where model.model[row * p + j] != 0 {
          let x = model.model[row * p + j]
          columns.append(Int32(j))
          moment.append(model.root[row] * x / model.scale[row])
          spread.append(model.scale[row] * model.root[row] * x)
        }
        offsets.append(columns.count)
      }
      return CalibrationOperator(
        offsets: offsets, columns: columns, moment: moment, spread: spread, size: p,
        map: model.inverseGram)
    case .raking(let margins):
      var start: [Int] = []
      var k = 0
      for margin in margins {
        start.append(k)
        k += margin.cellCount
      }
      for row in 0..<n {
        for (index, margin) in margins.enumerated() {
          columns.append(Int32(start[index] + Int(margin.cell[row])))
          moment.append(1 / margin.after[row])
          spread.append(margin.after[row])
        }
        offsets.append(columns.count)
      }
      // C = GᵀD: how a coefficient of one category moves the moment of another.
      var cross = [Double](repeating: 0, count: k * k)
      for row in 0..<n {
        for a in offsets[row]..<offsets[row + 1] {
          for b in offsets[row]..<offsets[row + 1] {
            cross[Int(columns[a]) * k + Int(columns[b])] += moment[a] * spread[b]
          }
        }
      }
      // The sweeps on the identity: row q of `map` gives the coefficients from moment q.
      // A[c] += (M[c] − Σ_c′ C[c, c′] A[c′]) / n_c, margin by margin, ten times (R svyrecvar).
      var coefficients = [Double](repeating: 0, count: k * k)  // A: category × moment
      for _ in 0..<10 {
        for (index, margin) in margins.enumerated() {
          for cell in 0..<margin.cellCount where margin.rows[cell] > 0 {
            let c = start[index] + cell
            var update = [Double](repeating: 0, count: k)
            update[c] = 1
            for other in 0..<k where cross[c * k + other] != 0 {
              let weight = cross[c * k + other]
              for q in 0..<k { update[q] -= weight * coefficients[other * k + q] }
            }
            let count = Double(margin.rows[cell])
            for q in 0..<k { coefficients[c * k + q] += update[q] / count }
          }
        }
      }
      return CalibrationOperator(
        offsets: offsets, columns: columns, moment: moment, spread: spread, size: k,
        map: coefficients)
    }
  }
}
