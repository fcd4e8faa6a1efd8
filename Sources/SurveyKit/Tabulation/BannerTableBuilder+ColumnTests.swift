extension BannerTableBuilder {
  /// What the column tests need beyond the cells: Σw² of each column's base, Σw·x² of the mean
  /// row in each column, and the effective base e0 of the respondents two columns of a
  /// multi-response break share.
  struct ColumnMoments {
    var squaredWeights: [Double]
    var meanSquares: [Double]
    /// For each break, e0 of each pair of its columns (offsets within the break); nil for a
    /// break whose columns do not overlap.
    var overlaps: [[[Double]]?]
  }

  /// The column tests' extra sums: Σw² and Σw·x² from the tabulation's scan (the same sums, added
  /// in the same order), and a scan over the stub's base for the pairs of a multi-response break.
  func moments(_ stub: Stub, banner: Banner, meanRow: Int?, tabulation: CrossTabulation)
    -> ColumnMoments
  {
    let c = banner.columns.count
    let overlapping = banner.breaks.enumerated().filter { $0.element.columnsOverlap }
    // Σw and Σw² of each pair of a multi-response break, at [a * c + b] for columns a < b.
    let pairCount = overlapping.isEmpty ? 0 : c * c
    var pairWeights = [Accumulator](repeating: Accumulator(), count: pairCount)
    var pairSquares = [Accumulator](repeating: Accumulator(), count: pairCount)
    let entries = stub.entries
    let membership = banner.membership
    var columns: [Int] = []
    // The columns of each multi-response break, and a row's columns within one of them.
    let overlappingColumns = overlapping.map(\.element.columns)
    var inside: [Int] = []
    for row in 0..<table.rowCount where !overlappingColumns.isEmpty {
      guard entries.answered[row] else { continue }
      let start = membership.offsets[row]
      let end = membership.offsets[row + 1]
      guard end - start > 2 else { continue }
      let weight = design.weights[row]
      columns.removeAll(keepingCapacity: true)
      for position in start..<end { columns.append(Int(membership.flatColumns[position])) }
      for range in overlappingColumns {
        inside.removeAll(keepingCapacity: true)
        for column in columns where range.contains(column) { inside.append(column) }
        guard inside.count > 1 else { continue }
        for a in 0..<inside.count {
          for b in (a + 1)..<inside.count {
            let key = inside[a] * c + inside[b]
            pairWeights[key].add(weight)
            pairSquares[key].add(weight * weight)
          }
        }
      }
    }
    var overlaps: [[[Double]]?] = Array(repeating: nil, count: banner.breaks.count)
    for (index, item) in overlapping {
      let count = item.columns.count
      var matrix = [[Double]](repeating: [Double](repeating: 0, count: count), count: count)
      for a in 0..<count {
        for b in (a + 1)..<count {
          let key = (item.columns.lowerBound + a) * c + item.columns.lowerBound + b
          matrix[a][b] = ColumnSummary.kishEffectiveBase(
            weightedBase: pairWeights[key].value, sumOfSquaredWeights: pairSquares[key].value)
        }
      }
      overlaps[index] = matrix
    }
    return ColumnMoments(
      squaredWeights: tabulation.baseSquaredWeights,
      meanSquares: meanRow.map { row in
        Array(tabulation.cellSquaredValues[(row * c)..<((row + 1) * c)])
      } ?? [Double](repeating: 0, count: c),
      overlaps: overlaps)
  }

  /// Fills every in-base row's letters, comparisons and tests against Total.
  func applyColumnTests(
    to rows: inout [BannerRow], tabulation: CrossTabulation, banner: Banner,
    moments: ColumnMoments
  ) {
    guard options.columnTests else { return }
    let testOptions = options.columnTestOptions
    for position in rows.indices where rows[position].isInBase {
      let isMean = rows[position].kind == .mean
      let statistic: ColumnStatistic = isMean ? .mean : .proportion
      let summaries = (0..<banner.columns.count).map { column -> ColumnSummary in
        let base = tabulation.bases[column]
        let cell = tabulation.cells[position][column]
        return isMean
          ? .mean(
            sum: cell.weighted, sumOfSquares: moments.meanSquares[column], base: base.weighted,
            sumOfSquaredWeights: moments.squaredWeights[column], respondents: base.respondents)
          : .proportion(
            count: cell.weighted, base: base.weighted,
            sumOfSquaredWeights: moments.squaredWeights[column], respondents: base.respondents)
      }
      for (breakIndex, item) in banner.breaks.enumerated() {
        // A nested break's columns are compared within each outer category.
        for group in item.testGroups {
          let columns = Array(group)
          let letters = columns.map { banner.columns[$0].letter ?? "" }
          let pairs: [PairResult]
          switch options.testMethod {
          case .pooled:
            let overlap =
              moments.overlaps[breakIndex].map { ColumnOverlap(effectiveBases: $0) } ?? .none
            let result = ColumnLetters(
              columns: columns.map { summaries[$0] }, statistic: statistic, overlap: overlap,
              letters: letters, options: testOptions)
            pairs = result.pairs.map {
              PairResult(
                first: $0.first, second: $0.second, outcome: $0.outcome,
                adjustedPValue: $0.adjustedPValue, level: $0.level)
            }
          case .design:
            pairs = designPairs(
              columns, row: position, tabulation: tabulation, summaries: summaries,
              options: testOptions)
          }
          for pair in pairs {
            let a = columns[pair.first]
            let b = columns[pair.second]
            let difference =
              tabulation.cells[position][a].estimate - tabulation.cells[position][b].estimate
            rows[position].cells[a].comparisons.append(
              comparison(pair, other: b, difference: difference))
            rows[position].cells[b].comparisons.append(
              comparison(pair, other: a, difference: -difference))
          }
          for (offset, column) in columns.enumerated() {
            var marks: [(column: Int, level: SignificanceLevel)] = []
            for pair in pairs {
              guard let level = pair.level, let comparison = pair.outcome.comparison else {
                continue
              }
              if pair.first == offset && comparison.direction == .higher {
                marks.append((pair.second, level))
              } else if pair.second == offset && comparison.direction == .lower {
                marks.append((pair.first, level))
              }
            }
            rows[position].cells[column].letters = marks.sorted { $0.column < $1.column }.map {
              $0.level == .stricter ? letters[$0.column] : letters[$0.column].lowercased()
            }.joined()
            rows[position].cells[column].comparisons.sort { $0.column < $1.column }
          }
        }
      }
      guard options.testAgainstTotal, banner.columns.count > 1 else { continue }
      let others = Array(1..<banner.columns.count)
      let tests: [PairResult]
      switch options.testMethod {
      case .pooled:
        tests = TotalComparison.test(
          others.map { summaries[$0] }, against: summaries[0], statistic: statistic,
          options: testOptions
        ).enumerated().map {
          PairResult(
            first: $0.offset, second: -1, outcome: $0.element.outcome,
            adjustedPValue: $0.element.adjustedPValue, level: $0.element.level)
        }
      case .design:
        tests = designAgainstTotal(
          others, row: position, tabulation: tabulation, summaries: summaries,
          options: testOptions)
      }
      for test in tests {
        let column = others[test.first]
        let estimate = tabulation.cells[position][column].estimate
        var difference = estimate - tabulation.cells[position][0].estimate
        if options.testMethod == .pooled {
          // The rest of the sample: Total's sums without the column's.
          let rest =
            tabulation.cells[position][0].weighted - tabulation.cells[position][column].weighted
          let base = tabulation.bases[0].weighted - tabulation.bases[column].weighted
          difference = base > 0 ? estimate - rest / base : .nan
        }
        rows[position].cells[column].versusTotal = comparison(
          test, other: 0, difference: difference)
      }
    }
  }

  /// A tested (or refused) pair of columns, as both kinds of test give it.
  struct PairResult {
    var first: Int
    var second: Int
    var outcome: ColumnTestOutcome
    var adjustedPValue: Double?
    var level: SignificanceLevel?
  }

  /// A pair's test as one of its columns sees it: `difference` is this column's estimate minus
  /// the other's (the statistic takes its sign). Against the rest of the sample the test's own
  /// difference (column − rest) is kept in the statistic; `difference` is column − Total.
  func comparison(_ pair: PairResult, other: Int, difference: Double) -> BannerComparison {
    switch pair.outcome {
    case .tested(let test):
      let sign: Double = (test.difference < 0) == (difference < 0) ? 1 : -1
      return BannerComparison(
        column: other, difference: difference, standardError: test.standardError,
        statistic: sign * test.statistic, degreesOfFreedom: test.degreesOfFreedom,
        pValue: test.pValue, adjustedPValue: pair.adjustedPValue, level: pair.level)
    case .notTestable(let refusal):
      return BannerComparison(column: other, difference: difference, refusal: refusal)
    }
  }

  // MARK: Design-based tests

  /// Each pair of `columns` by the design-based variance of the difference of their estimates,
  /// V(a) + V(b) − 2 C(a, b) from the table's linearisation scores (overlapping columns and
  /// shared PSUs included), t on the design degrees of freedom.
  func designPairs(
    _ columns: [Int], row: Int, tabulation: CrossTabulation, summaries: [ColumnSummary],
    options: ColumnTestOptions
  ) -> [PairResult] {
    var pairs: [PairResult] = []
    for i in 0..<columns.count {
      for j in (i + 1)..<max(i + 1, columns.count) {
        pairs.append(
          PairResult(
            first: i, second: j,
            outcome: designTest(
              columns[i], columns[j], row: row, tabulation: tabulation, summaries: summaries,
              options: options)))
      }
    }
    return adjusted(pairs, options: options)
  }

  /// Each column against Total, design-based.
  func designAgainstTotal(
    _ columns: [Int], row: Int, tabulation: CrossTabulation, summaries: [ColumnSummary],
    options: ColumnTestOptions
  ) -> [PairResult] {
    adjusted(
      columns.enumerated().map { offset, column in
        PairResult(
          first: offset, second: -1,
          outcome: designTest(
            column, 0, row: row, tabulation: tabulation, summaries: summaries, options: options)
        )
      }, options: options)
  }

  func designTest(
    _ a: Int, _ b: Int, row: Int, tabulation: CrossTabulation, summaries: [ColumnSummary],
    options: ColumnTestOptions
  ) -> ColumnTestOutcome {
    if options.smallBases.classify(summaries[a]) == .suppressed
      || options.smallBases.classify(summaries[b]) == .suppressed
    {
      return .notTestable(.smallBase)
    }
    guard tabulation.bases[a].weighted > 0, tabulation.bases[b].weighted > 0 else {
      return .notTestable(.emptyBase)
    }
    let difference = tabulation.cells[row][a].estimate - tabulation.cells[row][b].estimate
    let variance =
      tabulation.covariance(row: row, a, a) + tabulation.covariance(row: row, b, b)
      - 2 * tabulation.covariance(row: row, a, b)
    let standardError = max(variance, 0).squareRoot()
    let degrees = Double(tabulation.degreesOfFreedom)
    guard degrees > 0 else { return .notTestable(.tooFewDegreesOfFreedom) }
    guard standardError > 1e-12 * max(abs(difference), 1e-300), difference.isFinite else {
      return .notTestable(.noVariation)
    }
    let statistic = difference / standardError
    return .tested(
      ColumnComparison(
        difference: difference, standardError: standardError, statistic: statistic,
        degreesOfFreedom: degrees,
        pValue: min(1, 2 * Distribution.tProbability(-abs(statistic), degreesOfFreedom: degrees)),
        direction: difference > 0 ? .higher : difference < 0 ? .lower : .equal))
  }

  /// The pairs with the row's adjustment and the level each reaches.
  func adjusted(_ pairs: [PairResult], options: ColumnTestOptions) -> [PairResult] {
    let values = options.adjustment.adjust(pairs.map(\.outcome.pValue))
    var result = pairs
    for index in result.indices {
      result[index].adjustedPValue = values[index]
      result[index].level = values[index].flatMap { options.level(of: $0) }
    }
    return result
  }
}
