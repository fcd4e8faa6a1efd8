/// The Rao–Scott test of independence of the rows and columns of a two-way survey table: Pearson's
/// X² on the weighted table, corrected for the design through the generalized design effects δ
/// (the eigenvalues of Δ), as R's `svychisq` (survey 4.1-1).
///
/// Under independence and simple random sampling X² is chi-square on (r − 1)(c − 1) degrees of
/// freedom; under a complex design it is asymptotically Σ δ_k χ²₁ (Rao & Scott 1981, 1984).
///
/// - The **second-order** correction (R's default, `statistic = "F"`) matches the first two
///   moments of that sum: F = X²/tr(Δ) on d₀ = tr(Δ)²/tr(Δ²) and d₀·ν degrees of freedom, ν the
///   design degrees of freedom (PSUs − strata) (Rao & Scott 1984, §4; Lumley 2010, *Complex
///   Surveys*, §3.2).
/// - The **first-order** correction (`statistic = "Chisq"`) divides X² by the mean generalized
///   design effect δ̄ = tr(Δ)/((r − 1)(c − 1)) and refers it to chi-square on (r − 1)(c − 1)
///   degrees of freedom (Rao & Scott 1981). R reports only its p-value, and X² as the statistic.
///
/// X² and tr(Δ) are both proportional to the sample size n the table is scaled to (R: the rows of
/// the design, those with a missing answer included); F, d₀, X²/δ̄ and the p-values are not.
public struct RaoScottTest: Sendable, Hashable {
  /// The second-order (Satterthwaite-type) correction: an F statistic on fractional degrees of
  /// freedom, as R's `svychisq(..., statistic = "F")`.
  public struct SecondOrder: Sendable, Hashable {
    /// F = X²/tr(Δ).
    public var statistic: Double
    /// d₀ = tr(Δ)²/tr(Δ²).
    public var numeratorDegreesOfFreedom: Double
    /// d₀·ν, ν the design degrees of freedom.
    public var denominatorDegreesOfFreedom: Double
    /// P(F(d₀, d₀ν) > F).
    public var pValue: Double
  }

  /// The first-order correction: X²/δ̄ on chi-square, as R's `svychisq(..., statistic = "Chisq")`.
  public struct FirstOrder: Sendable, Hashable {
    /// X²/δ̄, δ̄ = tr(Δ)/((r − 1)(c − 1)).
    public var statistic: Double
    /// (r − 1)(c − 1).
    public var degreesOfFreedom: Int
    /// P(χ²((r − 1)(c − 1)) > X²/δ̄).
    public var pValue: Double
  }

  /// The row categories the table has (those with at least one respondent), as indices into the
  /// categories given; the test is on these only.
  public var rowLevels: [Int]
  /// The column categories the table has.
  public var columnLevels: [Int]
  /// The number of rows the weighted table is scaled to before X² is computed (R: the rows of
  /// the design, or of the domain).
  public var sampleSize: Int
  /// The design degrees of freedom ν (PSUs − strata) of the design or the domain.
  public var designDegreesOfFreedom: Int
  /// Pearson's X² of the weighted table scaled to `sampleSize` rows, without correction (what R
  /// prints as `X-squared` for `statistic = "Chisq"`).
  public var pearsonChiSquare: Double
  /// tr(Δ): the sum of the generalized design effects.
  public var deltaTrace: Double
  /// tr(Δ²): the sum of the squared generalized design effects.
  public var deltaSquaredTrace: Double
  public var secondOrder: SecondOrder
  public var firstOrder: FirstOrder
  /// Warnings from the variance (a domain with one PSU in a stratum).
  public var warnings: [String]

  /// δ̄ = tr(Δ)/((r − 1)(c − 1)), the mean generalized design effect.
  public var meanDesignEffect: Double { deltaTrace / Double(firstOrder.degreesOfFreedom) }

  /// The test from a weighted table and the design covariance of its cell shares, for callers
  /// that already have them (e.g. from one pass over a banner table).
  ///
  /// - Parameters:
  ///   - weightedCounts: Σw of each cell, `rows × columns`, the row index varying fastest
  ///     (cell (i, j) at i + rows·j, as R's `interaction(rows, columns)`); every row and column
  ///     must have a positive total.
  ///   - shareCovariance: the design covariance of the cell shares (weighted count / table
  ///     total), (rows·columns)², row-major, in the same cell order.
  ///   - sampleSize: n, the number of rows the table is scaled to for X².
  ///   - designDegreesOfFreedom: ν, PSUs − strata.
  public init(
    weightedCounts: [Double], rows: Int, columns: Int, shareCovariance: [Double],
    sampleSize: Int, designDegreesOfFreedom: Int, warnings: [String] = []
  ) throws(DesignError) {
    let k = rows * columns
    guard rows >= 2, columns >= 2 else {
      throw DesignError(
        "the table has \(rows) row and \(columns) column categories with answers; a test of "
          + "independence needs at least two of each")
    }
    guard weightedCounts.count == k, shareCovariance.count == k * k else {
      throw DesignError(
        "a \(rows) × \(columns) table needs \(k) weighted counts and \(k * k) covariances, "
          + "not \(weightedCounts.count) and \(shareCovariance.count)")
    }
    var tableSum = Accumulator()
    for value in weightedCounts { tableSum.add(value) }
    let total = tableSum.value
    let n = Double(sampleSize)

    // Pearson's X² as R's chisq.test(svytable(~r + c, design, Ntotal = n), correct = FALSE):
    // the table scaled to total n, E = row sum × column sum / n.
    let observed = weightedCounts.map { $0 / total * n }
    var rowSums = [Accumulator](repeating: Accumulator(), count: rows)
    var columnSums = [Accumulator](repeating: Accumulator(), count: columns)
    var scaledSum = Accumulator()
    for j in 0..<columns {
      for i in 0..<rows {
        let value = observed[i + rows * j]
        rowSums[i].add(value)
        columnSums[j].add(value)
        scaledSum.add(value)
      }
    }
    for i in 0..<rows where !(rowSums[i].value > 0) {
      throw DesignError("row category \(i + 1) of the table has no weight")
    }
    for j in 0..<columns where !(columnSums[j].value > 0) {
      throw DesignError("column category \(j + 1) of the table has no weight")
    }
    let scaledTotal = scaledSum.value
    var chiSquare = Accumulator()
    for j in 0..<columns {
      for i in 0..<rows {
        let expected = rowSums[i].value * columnSums[j].value / scaledTotal
        let difference = abs(observed[i + rows * j] - expected)
        chiSquare.add(difference * difference / expected)
      }
    }
    let pearson = chiSquare.value

    // The contrasts of independence: the interaction columns of the saturated model with the
    // main effects projected out (R: qr.resid(qr(X1), X12[, interaction])). For cell (a, b) and
    // contrast (i, j), i ≥ 1, j ≥ 1: the indicator of (i, j) centred over rows and columns.
    let m = (rows - 1) * (columns - 1)
    var contrasts = [Double](repeating: 0, count: k * m)  // k × m, row-major
    for j in 1..<columns {
      for i in 1..<rows {
        let contrast = (i - 1) + (rows - 1) * (j - 1)
        for b in 0..<columns {
          for a in 0..<rows {
            let cell = (a == i ? 1.0 : 0) * (b == j ? 1.0 : 0)
            let value =
              cell - (a == i ? 1.0 : 0) / Double(columns) - (b == j ? 1.0 : 0) / Double(rows)
              + 1 / Double(k)
            contrasts[(a + rows * b) * m + contrast] = value
          }
        }
      }
    }

    // Δ = (C'D⁻¹C/n)⁻¹ C'D⁻¹VD⁻¹C, D = diag(cell shares), an empty cell's 1/p taken as 0 (R).
    let inverseShares = weightedCounts.map { $0 == 0 ? 0 : total / $0 }
    var scaled = contrasts  // D⁻¹C
    for cell in 0..<k {
      for column in 0..<m { scaled[cell * m + column] *= inverseShares[cell] }
    }
    var denominator = [Double](repeating: 0, count: m * m)  // C'D⁻¹C / n
    for p in 0..<m {
      for q in 0..<m {
        var sum = 0.0
        for cell in 0..<k { sum += contrasts[cell * m + p] * scaled[cell * m + q] }
        denominator[p * m + q] = sum / n
      }
    }
    var middle = [Double](repeating: 0, count: k * m)  // V D⁻¹C
    for row in 0..<k {
      for column in 0..<m {
        var sum = 0.0
        for cell in 0..<k { sum += shareCovariance[row * k + cell] * scaled[cell * m + column] }
        middle[row * m + column] = sum
      }
    }
    var numerator = [Double](repeating: 0, count: m * m)  // C'D⁻¹ V D⁻¹C
    for p in 0..<m {
      for q in 0..<m {
        var sum = 0.0
        for cell in 0..<k { sum += scaled[cell * m + p] * middle[cell * m + q] }
        numerator[p * m + q] = sum
      }
    }
    guard let delta = Self.solve(denominator, numerator, size: m) else {
      throw DesignError(
        "the table has too many empty cells for the Rao–Scott correction (its contrast matrix "
          + "is singular)")
    }
    var trace = 0.0
    var squaredTrace = 0.0
    for p in 0..<m {
      trace += delta[p * m + p]
      for q in 0..<m { squaredTrace += delta[p * m + q] * delta[q * m + p] }
    }

    let d0 = trace * trace / squaredTrace
    let nu = Double(designDegreesOfFreedom)
    let f = pearson / trace
    let meanDelta = trace / Double(m)
    let firstStatistic = pearson / meanDelta

    self.rowLevels = Array(0..<rows)
    self.columnLevels = Array(0..<columns)
    self.sampleSize = sampleSize
    self.designDegreesOfFreedom = designDegreesOfFreedom
    self.pearsonChiSquare = pearson
    self.deltaTrace = trace
    self.deltaSquaredTrace = squaredTrace
    self.secondOrder = SecondOrder(
      statistic: f, numeratorDegreesOfFreedom: d0, denominatorDegreesOfFreedom: d0 * nu,
      pValue: Distribution.fUpperProbability(f, numerator: d0, denominator: d0 * nu))
    self.firstOrder = FirstOrder(
      statistic: firstStatistic, degreesOfFreedom: m,
      pValue: Distribution.chiSquareUpperProbability(
        firstStatistic, degreesOfFreedom: Double(m)))
    self.warnings = warnings
  }

  /// A⁻¹B for m × m matrices (row-major) by Gaussian elimination with partial pivoting (as
  /// LAPACK's dgesv behind R's `solve`); nil when A is singular.
  private static func solve(_ a: [Double], _ b: [Double], size m: Int) -> [Double]? {
    var a = a
    var b = b
    for column in 0..<m {
      var pivot = column
      for row in (column + 1)..<m where abs(a[row * m + column]) > abs(a[pivot * m + column]) {
        pivot = row
      }
      let largest = a[pivot * m + column]
      guard largest != 0, largest.isFinite else { return nil }
      if pivot != column {
        for index in 0..<m {
          a.swapAt(column * m + index, pivot * m + index)
          b.swapAt(column * m + index, pivot * m + index)
        }
      }
      for row in (column + 1)..<m {
        let factor = a[row * m + column] / largest
        guard factor != 0 else { continue }
        for index in column..<m { a[row * m + index] -= factor * a[column * m + index] }
        for index in 0..<m { b[row * m + index] -= factor * b[column * m + index] }
      }
    }
    for row in stride(from: m - 1, through: 0, by: -1) {
      for index in 0..<m {
        var value = b[row * m + index]
        for other in (row + 1)..<m { value -= a[row * m + other] * b[other * m + index] }
        b[row * m + index] = value / a[row * m + row]
      }
    }
    return b
  }
}

extension SurveyDesign {
  /// The Rao–Scott test of independence of two categorical variables, as R's
  /// `svychisq(~rows + columns, design)` (second order, `statistic = "F"`) and
  /// `svychisq(..., statistic = "Chisq")` (first order), survey 4.1-1 (Rao & Scott 1981, 1984;
  /// Lumley 2010, §3.2).
  ///
  /// The table holds the rows with both answers (R's `na.rm = TRUE`); rows with a missing answer
  /// stay in the design (as weight zero for the variance) and in the n the table is scaled to
  /// for X². The cell shares and their full design covariance come from one pass
  /// (`proportions(_:levels:domain:)` of the r·c cells). A category without any respondent in
  /// the table is left out of the test (R counts a level seen only where the other variable is
  /// missing and then returns NaN).
  ///
  /// With a `domain`, the test is R's `svychisq` on `subset(design, domain)`: the table and the
  /// scaling n are the domain's rows, ν = `degreesOfFreedom(active: domain)`, and the variance
  /// keeps every stratum's full-sample PSU count.
  ///
  /// - Parameters:
  ///   - rows: the row category of each row of the design, 0..<rowLevels; nil = no answer.
  ///   - columns: the column category of each row, 0..<columnLevels; nil = no answer.
  ///   - domain: the rows of the domain; nil for the whole design.
  /// - Throws: `DesignError` when the inputs do not fit the design, fewer than two row or two
  ///   column categories have answers, or the variance cannot be estimated (a lonely PSU under
  ///   `fail`).
  public func raoScottTest(
    rows: [Int?], rowLevels: Int, columns: [Int?], columnLevels: Int, domain: [Bool]? = nil
  ) throws(DesignError) -> RaoScottTest {
    try raoScottTest(
      rows: rows, rowLevels: rowLevels, columns: columns, columnLevels: columnLevels,
      domain: domain, streaming: true)
  }

  /// The test, with the share covariance from one streaming pass over the rows
  /// (`cellShareCovariance`, for one-stage designs without calibration) when `streaming` is
  /// true, and otherwise (or for other designs) from the generic linearisation
  /// (`estimate(.mean, …)` on the n × r·c matrix of influence values), which tests compare it
  /// with.
  func raoScottTest(
    rows: [Int?], rowLevels: Int, columns: [Int?], columnLevels: Int, domain: [Bool]?,
    streaming: Bool
  ) throws(DesignError) -> RaoScottTest {
    guard rows.count == rowCount, columns.count == rowCount else {
      throw DesignError(
        "there are \(rows.count) row and \(columns.count) column answers for \(rowCount) rows")
    }
    if let domain, domain.count != rowCount {
      throw DesignError("the domain has \(domain.count) values for \(rowCount) rows")
    }
    // The categories with respondents in the table.
    var rowSeen = [Bool](repeating: false, count: rowLevels)
    var columnSeen = [Bool](repeating: false, count: columnLevels)
    for index in 0..<rowCount where domain?[index] ?? true {
      guard let row = rows[index], let column = columns[index] else { continue }
      guard (0..<rowLevels).contains(row) else {
        throw DesignError(
          "row \(index + 1) has the row category \(row), outside 0..<\(rowLevels)")
      }
      guard (0..<columnLevels).contains(column) else {
        throw DesignError(
          "row \(index + 1) has the column category \(column), outside 0..<\(columnLevels)")
      }
      rowSeen[row] = true
      columnSeen[column] = true
    }
    let usedRows = (0..<rowLevels).filter { rowSeen[$0] }
    let usedColumns = (0..<columnLevels).filter { columnSeen[$0] }
    let r = usedRows.count
    let c = usedColumns.count
    guard r >= 2, c >= 2 else {
      throw DesignError(
        "the table has \(r) row and \(c) column categories with answers; a test of "
          + "independence needs at least two of each")
    }
    var rowIndex = [Int](repeating: -1, count: rowLevels)
    for (position, level) in usedRows.enumerated() { rowIndex[level] = position }
    var columnIndex = [Int](repeating: -1, count: columnLevels)
    for (position, level) in usedColumns.enumerated() { columnIndex[level] = position }

    // Cell (i, j) is i + r·j, the row varying fastest as R's interaction(rows, columns).
    // −1: no cell (a missing answer).
    let cells = (0..<rowCount).map { index -> Int32 in
      guard let row = rows[index], let column = columns[index] else { return -1 }
      return Int32(rowIndex[row] + r * columnIndex[column])
    }
    let shares: (covariance: [Double], warnings: [String])
    if streaming && hasStreamingCellShares {
      shares = try cellShareCovariance(cells: cells, cellCount: r * c, domain: domain)
    } else {
      // A wide score matrix (rows × r·c): a calibration is projected through its linear map.
      let set = try estimate(
        .mean, columns: r * c, domain: domain, isMissing: { cells[$0] < 0 },
        value: { row, column in Int(cells[row]) == column ? 1 : 0 }, fastCalibration: true)
      shares = (set.covariance, set.warnings)
    }
    var counts = [Accumulator](repeating: Accumulator(), count: r * c)
    for index in 0..<rowCount where domain?[index] ?? true {
      let cell = Int(cells[index])
      guard cell >= 0 else { continue }
      counts[cell].add(weights[index])
    }
    let sampleSize = domain.map { $0.filter { $0 }.count } ?? rowCount
    // Without a domain: PSUs − strata, as `degreesOfFreedom()` without hashing every PSU.
    let degrees =
      domain.map { degreesOfFreedom(active: $0) }
      ?? first.unitCount - first.sampled.filter { $0 > 0 }.count
    var test = try RaoScottTest(
      weightedCounts: counts.map(\.value), rows: r, columns: c,
      shareCovariance: shares.covariance, sampleSize: sampleSize,
      designDegreesOfFreedom: degrees, warnings: shares.warnings)
    test.rowLevels = usedRows
    test.columnLevels = usedColumns
    return test
  }
}
