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
