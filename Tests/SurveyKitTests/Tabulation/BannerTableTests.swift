import Foundation
import Testing

@testable import SurveyKit

extension Tabulation {
  /// Banner tables on a table small enough to compute every figure by hand: eight rows, weights
  /// 1 and 2, no strata, every row its own PSU, no fpc.
  ///
  /// A column's share p of category j over its base (Σw = W) has the influence
  /// z_i = w_i (y_i − p)/W for the base's rows and 0 elsewhere (a domain keeps every row), and
  /// V = n/(n − 1) Σ z_i² with n = 8 PSUs (Lumley 2010, §2.2–2.3). The fractions below are those
  /// sums worked out exactly.
  @Suite("Banner tables by hand")
  struct BannerTableTests {
    static let codebookYAML = """
      survey: {id: tiny, title: {ja: 小さな調査, en: Tiny survey}}
      missing: {9: no-answer}
      variables:
        - {name: ID, type: id}
        - {name: W, type: weight}
        - name: SEX
          type: single
          label: {ja: 性別, en: Sex}
          values: {1: 男性, 2: 女性}
        - name: SAT
          type: single
          label: {ja: 満足度, en: Satisfaction}
          values: {1: 満足, 2: ふつう, 3: 不満}
        - name: USE
          type: multi
          shape: delimited
          label: {ja: 利用, en: Used}
          values: {1: 手当, 2: 保育, 3: 相談}
        - name: KIDS
          type: numeric
          range: [0, 10]
          values: {0: なし, 1: 1人, 2: 2人, 3: 3人}
          missing: {99: no-answer}
      """

    static let csv = """
      ID,W,SEX,SAT,USE,KIDS
      1,1,1,1,1;2,0
      2,2,1,1,1,1
      3,1,1,2,2,2
      4,2,1,3,3,99
      5,1,2,1,3,1
      6,2,2,2,1;3,2
      7,1,2,3,2,3
      8,2,2,9,1,2

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

    /// No small-base flags: every column of this table is tiny.
    static let options = BannerOptions(smallBase: 0, suppressBelow: 0)

    func builder(_ options: BannerOptions = Self.options) -> BannerTableBuilder {
      BannerTableBuilder(table: table, design: design, options: options)
    }

    /// |a − b| ≤ 1e-12 · max(1, |b|).
    func close(_ a: Double?, _ b: Double) -> Bool {
      guard let a else { return false }
      return abs(a - b) <= 1e-12 * max(1, abs(b))
    }

    @Test("columns: Total, then each break's categories with their letters")
    func columns() throws {
      let result = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX", "USE"]))
      #expect(result.columns.map(\.label.japanese) == ["全体", "男性", "女性", "手当", "保育", "相談"])
      #expect(result.columns.map(\.letter) == [nil, "A", "B", "A", "B", "C"])
      #expect(result.breaks.map(\.columns) == [1..<3, 3..<6])
      #expect(result.breaks.map(\.columnsOverlap) == [false, true])
    }

    @Test("bases: n, Σw and Kish's (Σw)²/Σw² per column; 無回答 outside every base")
    func bases() throws {
      let block = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX", "USE"])).blocks[0]
      #expect(block.bases.map(\.respondents) == [7, 4, 3, 3, 3, 3])
      #expect(block.bases.map(\.weighted) == [10, 6, 4, 5, 3, 5])
      let effective = [25.0 / 4, 18.0 / 5, 8.0 / 3, 25.0 / 9, 3, 25.0 / 9]
      for (base, expected) in zip(block.bases, effective) {
        #expect(close(base.effective, expected), "\(base.effective) vs \(expected)")
      }
      let missing = block.missingRows
      #expect(missing.map(\.label.japanese) == ["無回答"])
      // Respondent 8 (weight 2, a woman who used 手当) answered 9.
      #expect(missing[0].cells.map(\.respondents) == [1, 0, 1, 1, 0, 0])
      #expect(missing[0].cells.map(\.weighted) == [2, 0, 2, 2, 0, 0])
    }

    @Test("cells: column shares with their Taylor SEs, by hand")
    func cells() throws {
      let block = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX", "USE"])).blocks[0]
      // (share, variance) of 満足, ふつう, 不満 in each column, from the exact sums.
      let expected: [[(Double, Double)]] = [
        [(2.0 / 5, 188.0 / 4375), (3.0 / 10, 172.0 / 4375), (3.0 / 10, 172.0 / 4375)],
        [(1.0 / 2, 5.0 / 63), (1.0 / 6, 17.0 / 567), (1.0 / 3, 44.0 / 567)],
        [(1.0 / 4, 1.0 / 16), (1.0 / 2, 3.0 / 28), (1.0 / 4, 1.0 / 16)],
        [(3.0 / 5, 64.0 / 625), (2.0 / 5, 64.0 / 625), (0, 0)],
        [(1.0 / 3, 16.0 / 189), (1.0 / 3, 16.0 / 189), (1.0 / 3, 16.0 / 189)],
        [(1.0 / 5, 192.0 / 4375), (2.0 / 5, 64.0 / 625), (2.0 / 5, 64.0 / 625)],
      ]
      for (column, shares) in expected.enumerated() {
        for (row, (share, variance)) in shares.enumerated() {
          let cell = block.rows[row].cells[column]
          #expect(close(cell.estimate?.estimate, share), "row \(row) column \(column)")
          #expect(
            close(cell.estimate?.standardError, variance.squareRoot()),
            "row \(row) column \(column): \(cell.estimate?.standardError ?? -1)")
        }
      }
      // 不満 among 手当 users: nobody, so 0 with SE 0 and no interval.
      let empty = block.rows[2].cells[3]
      #expect(empty.respondents == 0 && empty.estimate?.confidenceInterval == nil)
      #expect(block.rows[0].cells.map(\.respondents) == [3, 2, 1, 2, 1, 1])
      #expect(block.rows[0].cells.map(\.weighted) == [4, 3, 1, 3, 1, 1])
    }

    @Test("row % and total %: within each single break, by hand; none for a multi break")
    func rowAndTotalShares() throws {
      let result = try builder().bannerTable(
        .init(rows: ["SAT"], by: ["SEX", "USE"], cells: [.column, .row, .total, .n]))
      #expect(result.cellFigures == [.column, .row, .total, .n])
      let rows = result.blocks[0].baseRows
      // 満足: men 1 + 2 (Σw 3), woman 5 (Σw 1); ふつう: 3 (1) and 6 (2); 不満: 4 (2) and 7 (1).
      // SEX's whole weighted base is 6 + 4 = 10 (respondent 8 answered 9).
      let rowShares: [[Double]] = [
        [1, 3.0 / 4, 1.0 / 4], [1, 1.0 / 3, 2.0 / 3], [1, 2.0 / 3, 1.0 / 3],
      ]
      let totalShares: [[Double]] = [
        [4.0 / 10, 3.0 / 10, 1.0 / 10], [3.0 / 10, 1.0 / 10, 2.0 / 10],
        [3.0 / 10, 2.0 / 10, 1.0 / 10],
      ]
      for row in 0..<3 {
        for column in 0..<3 {
          let cell = rows[row].cells[column]
          #expect(close(cell.rowShare, rowShares[row][column]), "row \(row) column \(column)")
          #expect(close(cell.totalShare, totalShares[row][column]), "row \(row) column \(column)")
        }
        // USE's columns overlap: no row or total share.
        #expect(rows[row].cells[3...].allSatisfy { $0.rowShare == nil && $0.totalShare == nil })
        // The row shares of a single break add up to 1.
        #expect(close(rows[row].cells[1].rowShare! + rows[row].cells[2].rowShare!, 1))
      }
    }

    @Test("row % and total % lines under each row in the text and Markdown layout")
    func rowAndTotalSharesShown() throws {
      let table = try builder().bannerTable(
        .init(rows: ["SAT"], by: ["SEX"], cells: [.column, .row, .total, .n]))
      let lines = BannerLayout.block(
        table.blocks[0], table: table, options: Self.options,
        wording: Wording(language: .japanese)
      ).lines
      let first = try #require(lines.firstIndex { $0.label == "満足" })
      #expect(lines[first + 1].label == "行%")
      #expect(lines[first + 1].cells.map(\.value) == ["100.0", "75.0", "25.0"])
      #expect(lines[first + 2].label == "全体%")
      #expect(lines[first + 2].cells.map(\.value) == ["40.0", "30.0", "10.0"])
      #expect(lines[first + 3].label == "n")
      #expect(lines[first + 3].cells.map(\.value) == ["3", "2", "1"])
      #expect(lines[first + 4].label == "ふつう")
      let english = BannerLayout.block(
        table.blocks[0], table: table, options: Self.options,
        wording: Wording(language: .english)
      ).lines
      #expect(english[first + 1...first + 3].map(\.label) == ["row %", "total %", "n"])
      // Only the column % by default.
      let plain = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX"]))
      #expect(
        !BannerLayout.block(
          plain.blocks[0], table: plain, options: Self.options,
          wording: Wording(language: .japanese)
        ).lines.contains { $0.kind == .detail })
    }

    static let satisfied = BannerTableSpec.Recode(
      name: "SAT2", source: "SAT", label: LocalizedText(japanese: "満足度2区分"),
      groups: [
        .init(label: LocalizedText(japanese: "満足"), codes: [1]),
        .init(label: LocalizedText(japanese: "ふつう・不満"), codes: [2, 3]),
      ])

    @Test("a recode: each group's cells are the sums of its source codes' cells; 無回答 stays")
    func recode() throws {
      let recoded = try builder().adding([Self.satisfied])
      let source = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX", "USE"])).blocks[0]
      let block = try recoded.bannerTable(.init(rows: ["SAT2"], by: ["SEX", "USE"])).blocks[0]
      #expect(block.label?.japanese == "満足度2区分")
      #expect(block.baseRows.map(\.label.japanese) == ["満足", "ふつう・不満"])
      #expect(block.bases == source.bases)
      for column in 0..<6 {
        let groups = [[0], [1, 2]]
        for (row, codes) in groups.enumerated() {
          let cell = block.rows[row].cells[column]
          #expect(
            cell.respondents == codes.map { source.rows[$0].cells[column].respondents }.reduce(0, +)
          )
          #expect(
            close(cell.weighted, codes.map { source.rows[$0].cells[column].weighted }.reduce(0, +)))
          #expect(
            close(
              cell.estimate?.estimate,
              codes.map { source.rows[$0].cells[column].estimate!.estimate }.reduce(0, +)),
            "row \(row) column \(column)")
        }
      }
      // Respondent 8 answered 9 (無回答): still outside the base, as a missing code.
      #expect(block.missingRows.map(\.label.japanese) == ["無回答"])
      #expect(block.missingRows[0].cells.map(\.weighted) == [2, 0, 2, 2, 0, 0])
      // As a break: its columns are the groups, with the bases of the codes they hold.
      let banner = try recoded.bannerTable(.init(rows: ["SEX"], by: ["SAT2"]))
      #expect(banner.columns.map(\.label.japanese) == ["全体", "満足", "ふつう・不満"])
      #expect(banner.blocks[0].bases.map(\.weighted) == [12, 4, 6])
    }

    @Test("a recode leaves codes in no group outside the base (blank or invalid)")
    func recodeWithUngroupedCodes() throws {
      let only = BannerTableSpec.Recode(
        name: "TOP", source: "SAT",
        groups: [.init(label: LocalizedText(japanese: "満足"), codes: [1])])
      let block = try builder().adding([only]).bannerTable(.init(rows: ["TOP"], by: [])).blocks[0]
      #expect(block.bases[0].respondents == 3 && block.bases[0].weighted == 4)
      #expect(block.rows[0].cells[0].estimate?.estimate == 1)
      #expect(block.missingRows.map(\.kind) == [.missingCode, .blankOrInvalid])
      #expect(block.missingRows[1].cells[0].respondents == 4)
      // A recode cannot reuse a name, nor recode a multi-response variable.
      #expect(throws: BannerTableError.duplicateRecode("SEX")) {
        try builder().adding([.init(name: "SEX", source: "SAT", groups: only.groups)])
      }
      #expect(throws: BannerTableError.notRecodable("USE", .multi)) {
        try builder().adding([.init(name: "U", source: "USE", groups: only.groups)])
      }
    }

    @Test("order: the listed codes first, in that order, then the rest, in rows and in the banner")
    func order() throws {
      let result = try builder().bannerTable(
        .init(rows: ["SAT"], by: ["SEX"], order: ["SAT": [3, 1], "SEX": [2]]))
      let block = result.blocks[0]
      #expect(block.baseRows.map(\.code) == [3, 1, 2])
      #expect(result.columns.map(\.code) == [nil, 2, 1])
      #expect(result.columns.map(\.letter) == [nil, "A", "B"])
      let plain = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX"])).blocks[0]
      // The same cells, moved: 不満 among women is the plain table's 不満 among women.
      #expect(block.rows[0].cells[1].weighted == plain.rows[2].cells[2].weighted)
      #expect(block.rows[1].cells[2].estimate == plain.rows[0].cells[1].estimate)
    }

    @Test("the Total column equals the whole sample's shares, and a column equals its domain")
    func agreesWithTheEstimators() throws {
      let block = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX"])).blocks[0]
      guard case .codes(let sat) = table.column(named: "SAT")!,
        case .codes(let sex) = table.column(named: "SEX")!
      else { throw ReferenceError("SAT and SEX are single questions") }
      let categories = (0..<table.rowCount).map { sat[$0].map { $0 - 1 } }
      let total = try design.proportions(categories, levels: 3)
      let women = try design.proportions(
        categories, levels: 3, domain: (0..<table.rowCount).map { sex[$0] == 2 })
      for row in 0..<3 {
        #expect(
          close(
            block.rows[row].cells[0].estimate?.standardError, total.estimates[row].standardError))
        #expect(
          close(
            block.rows[row].cells[2].estimate?.standardError, women.estimates[row].standardError))
        #expect(
          close(
            block.rows[row].cells[2].estimate?.designEffect ?? .nan,
            women.estimates[row].designEffect ?? .nan))
      }
    }

    @Test("nets and the reversed mean: 満足 or ふつう = 1 + 2; mean of 4 − code")
    func netsAndMean() throws {
      let spec = BannerTableSpec.Table(
        rows: ["SAT"], by: ["SEX"],
        nets: ["SAT": [.init(label: LocalizedText(japanese: "満足・ふつう計"), codes: [1, 2])]],
        means: ["SAT": .reversed])
      let block = try builder().bannerTable(spec).blocks[0]
      #expect(
        block.rows.map(\.kind) == [.category, .category, .category, .net, .mean, .missingCode])
      let net = block.rows[3]
      #expect(close(net.cells[0].estimate?.estimate, 7.0 / 10))
      #expect(close(net.cells[1].estimate?.estimate, 4.0 / 6))
      #expect(net.cells.map(\.respondents) == [5, 3, 2])
      // The net is the complement of 不満, so it has 不満's variance.
      #expect(close(net.cells[0].estimate?.standardError, (172.0 / 4375).squareRoot()))
      let mean = block.rows[4]
      #expect(mean.meanScale == .reversedCodes(lowest: 1, highest: 3))
      #expect(close(mean.cells[0].estimate?.estimate, 21.0 / 10))
      #expect(close(mean.cells[1].estimate?.estimate, 13.0 / 6))
      #expect(close(mean.cells[2].estimate?.estimate, 2))
      #expect(close(mean.cells[0].estimate?.standardError, (548.0 / 4375).squareRoot()))
      #expect(close(mean.cells[1].estimate?.standardError, (23.0 / 81).squareRoot()))
      #expect(close(mean.cells[2].estimate?.standardError, (1.0 / 7).squareRoot()))
      // The mean's cell counts are its base.
      #expect(mean.cells.map(\.respondents) == [7, 4, 3])
    }

    @Test("the SPSS column proportion test on effective bases, with the overlap of USE's columns")
    func columnTests() throws {
      let spec = BannerTableSpec.Table(rows: ["SAT"], by: ["SEX", "USE"])
      let block = try builder().bannerTable(spec).blocks[0]
      // 満足, 男性 vs 女性: p̄ = 4/10, e = 18/5 and 8/3, no overlap.
      let men = block.rows[0].cells[1].comparisons.first { $0.column == 2 }!
      let pooled = 0.4 * 0.6 * (5.0 / 18 + 3.0 / 8)
      #expect(close(men.statistic, (0.5 - 0.25) / pooled.squareRoot()))
      #expect(close(men.degreesOfFreedom, 18.0 / 5 + 8.0 / 3 - 2))
      #expect(close(men.difference, 0.25))
      // 満足, 手当 vs 相談: respondent 6 (weight 2) is in both, e0 = 2²/2² = 1.
      let used = block.rows[0].cells[3].comparisons.first { $0.column == 5 }!
      let e = 25.0 / 9
      let overlapped = (4.0 / 10) * (6.0 / 10) * (2 / e - 2 * 1 / (e * e))
      #expect(close(used.statistic, (3.0 / 5 - 1.0 / 5) / overlapped.squareRoot()))
      #expect(close(used.degreesOfFreedom, 2 * e - 1 - 2))
      // The other side of the pair has the opposite sign and the same p-value.
      let back = block.rows[0].cells[5].comparisons.first { $0.column == 3 }!
      #expect(close(back.statistic, -used.statistic!))
      #expect(back.pValue == used.pValue)
      // Comparisons stay within a break: 男性 is never compared with 手当.
      #expect(block.rows[0].cells[1].comparisons.map(\.column) == [2])
      #expect(block.rows[0].cells[3].comparisons.map(\.column) == [4, 5])
    }

    @Test("letters: upper case at the stricter level, lower case at the looser")
    func letters() throws {
      let spec = BannerTableSpec.Table(rows: ["SAT"], by: ["USE"])
      // 手当 vs 相談 on 満足: t = 1.20 on 2.56 df, p ≈ 0.33.
      let loose = BannerOptions(strictAlpha: 0.2, alpha: 0.4, smallBase: 0, suppressBelow: 0)
      let looseBlock = try builder(loose).bannerTable(spec).blocks[0]
      let p = looseBlock.rows[0].cells[1].comparisons.first { $0.column == 3 }!.pValue!
      #expect(p > 0.2 && p < 0.4, "p = \(p)")
      #expect(looseBlock.rows[0].cells[1].letters.contains("c"))
      let strict = BannerOptions(strictAlpha: 0.35, alpha: 0.4, smallBase: 0, suppressBelow: 0)
      #expect(
        try builder(strict).bannerTable(spec).blocks[0].rows[0].cells[1].letters.contains("C"))
      // Bonferroni over the row's three pairs: 3p > 0.4, no letter.
      var adjusted = loose
      adjusted.adjustment = .bonferroni
      let block = try builder(adjusted).bannerTable(spec).blocks[0]
      #expect(!block.rows[0].cells[1].letters.contains("c"))
      let pair = block.rows[0].cells[1].comparisons.first { $0.column == 3 }!
      #expect(close(pair.adjustedPValue, min(1, 3 * p)))
    }

    @Test("design-based tests: the variance of a difference from the table's covariance")
    func designTests() throws {
      var options = Self.options
      options.testMethod = .design
      let block = try builder(options).bannerTable(.init(rows: ["SAT"], by: ["SEX"])).blocks[0]
      // 満足: men 1/2 (V 5/63), women 1/4 (V 1/16); no row is in both, and each row is its own
      // PSU, so the covariance is −n/(n − 1) Σ z_men z_women = 0 (the z are never both non-zero).
      let test = block.rows[0].cells[1].comparisons[0]
      #expect(close(test.standardError, (5.0 / 63 + 1.0 / 16).squareRoot()))
      #expect(test.degreesOfFreedom == 7)
      #expect(close(test.statistic, 0.25 / (5.0 / 63 + 1.0 / 16).squareRoot()))
    }

    @Test("small bases: * below the threshold, ** and no letters below suppression")
    func smallBases() throws {
      let options = BannerOptions(smallBase: 4, suppressBelow: 3)
      let block = try builder(options).bannerTable(.init(rows: ["SAT"], by: ["SEX"])).blocks[0]
      #expect(block.bases.map(\.size) == [.adequate, .adequate, .small])
      let strict = BannerOptions(smallBase: 5, suppressBelow: 4)
      let suppressed = try builder(strict).bannerTable(.init(rows: ["SAT"], by: ["SEX"])).blocks[0]
      #expect(suppressed.bases.map(\.size) == [.adequate, .small, .suppressed])
      #expect(suppressed.rows[0].cells[1].comparisons[0].refusal == .smallBase)
      #expect(suppressed.rows[0].cells[2].versusTotal?.refusal == .smallBase)
    }

    @Test("a base filter takes rows out of every base but keeps them in the design")
    func filter() throws {
      let spec = BannerTableSpec.Table(
        rows: ["SAT"], by: ["SEX"], filter: try FilterExpression(parsing: "W == 2"))
      let block = try builder().bannerTable(spec).blocks[0]
      // Weight-2 rows: 2 (満足), 4 (不満), 6 (ふつう); 8 answered 9.
      #expect(block.bases.map(\.respondents) == [3, 2, 1])
      #expect(block.missingRows[0].cells.map(\.respondents) == [1, 0, 1])
      // 満足 among them: 2/6, its variance with n = 8 PSUs (the filtered rows count as PSUs).
      // z = 2(1 − 1/3)/6, 2(0 − 1/3)/6, 2(0 − 1/3)/6 → Σz² = (16 + 4 + 4)/324 = 24/324.
      #expect(close(block.rows[0].cells[0].estimate?.estimate, 1.0 / 3))
      #expect(
        close(block.rows[0].cells[0].estimate?.standardError, (8.0 / 7 * 24 / 324).squareRoot()))
    }

    @Test("a multi-response stub: shares of respondents; a numeric stub: its values and mean")
    func multiAndNumericStubs() throws {
      let result = try builder().bannerTable(.init(rows: ["USE", "KIDS"], by: ["SEX"]))
      let use = result.blocks[0]
      #expect(use.type == .multi)
      // Everyone answered USE: weights 1,2,1,2 (men) and 1,2,1,2 (women).
      #expect(use.bases.map(\.respondents) == [8, 4, 4])
      #expect(close(use.rows[0].cells[0].estimate?.estimate, 7.0 / 12))
      #expect(close(use.rows[0].cells[2].estimate?.estimate, 4.0 / 6))
      let kids = result.blocks[1]
      #expect(kids.type == .numeric)
      #expect(kids.rows.filter { $0.kind == .category }.map(\.value) == [0, 1, 2, 3])
      let mean = kids.rows.first { $0.kind == .mean }!
      // Men with a value: 0 (w1), 1 (w2), 2 (w1) → 4/4 = 1; row 4 answered 99.
      #expect(close(mean.cells[1].estimate?.estimate, 1))
      #expect(kids.missingRows.map(\.label.japanese) == ["無回答"])
    }

    @Test("hide_empty leaves out categories nobody in the base chose")
    func hideEmpty() throws {
      let spec = BannerTableSpec.Table(
        rows: ["SAT"], by: ["SEX"], filter: try FilterExpression(parsing: "SAT == 1"),
        hideEmpty: true)
      let block = try builder().bannerTable(spec).blocks[0]
      #expect(block.baseRows.map(\.label.japanese) == ["満足"])
    }

    @Test("Rao–Scott: the builder's test is the design's svychisq of the two variables")
    func raoScott() throws {
      let block = try builder().bannerTable(.init(rows: ["SAT"], by: ["SEX", "USE"])).blocks[0]
      #expect(block.independenceTests.map(\.breakIndex) == [0])
      guard case .codes(let sat) = table.column(named: "SAT")!,
        case .codes(let sex) = table.column(named: "SEX")!
      else { throw ReferenceError("SAT and SEX are single questions") }
      let direct = try design.raoScottTest(
        rows: (0..<8).map { sat[$0].map { $0 - 1 } }, rowLevels: 3,
        columns: (0..<8).map { sex[$0].map { $0 - 1 } }, columnLevels: 2)
      #expect(block.independenceTests[0].test == direct)
    }

    @Test("a nested break: a column per combination, outer first, letters within each outer")
    func nestedColumns() throws {
      let table = try builder().bannerTable(.init(rows: ["KIDS"], by: ["SEX > SAT"]))
      #expect(table.breaks.count == 1)
      #expect(table.breaks[0].name == "SEX > SAT")
      #expect(table.breaks[0].groups == [1..<4, 4..<7])
      #expect(
        table.columns.map(\.label.japanese) == ["全体", "満足", "ふつう", "不満", "満足", "ふつう", "不満"])
      #expect(
        table.columns.map(\.outerLabel?.japanese) == [nil, "男性", "男性", "男性", "女性", "女性", "女性"])
      #expect(table.columns.map(\.letter) == [nil, "A", "B", "C", "A", "B", "C"])
      // Rao–Scott is not made against a nested break.
      #expect(table.blocks[0].independenceTests.isEmpty)
    }

    @Test("a nested column is the domain of both categories, by the design's estimator")
    func nestedColumnIsItsDomain() throws {
      let block = try builder().bannerTable(.init(rows: ["KIDS"], by: ["SEX > SAT"])).blocks[0]
      guard case .numbers(let kids) = table.column(named: "KIDS")!,
        case .codes(let sex) = table.column(named: "SEX")!,
        case .codes(let sat) = table.column(named: "SAT")!
      else { throw ReferenceError("KIDS is numeric, SEX and SAT single") }
      let categories = (0..<table.rowCount).map { kids[$0].map { Int($0) } }
      // Column 5: 女性 × ふつう (row 6 only); column 1: 男性 × 満足 (rows 1 and 2).
      for (column, sexCode, satCode) in [(5, 2, 2), (1, 1, 1)] {
        let domain = (0..<table.rowCount).map { sex[$0] == sexCode && sat[$0] == satCode }
        let direct = try design.proportions(categories, levels: 4, domain: domain)
        #expect(block.bases[column].respondents == domain.filter { $0 }.count)
        for row in 0..<4 {
          #expect(block.rows[row].kind == .category)
          #expect(
            close(block.rows[row].cells[column].estimate?.estimate, direct.estimates[row].estimate))
          #expect(
            close(
              block.rows[row].cells[column].estimate?.standardError,
              direct.estimates[row].standardError))
        }
      }
    }

    @Test("a nested break's column tests compare only within each outer category")
    func nestedTestsWithinGroups() throws {
      for method in BannerOptions.TestMethod.allCases {
        var options = Self.options
        options.testMethod = method
        let table = try builder(options).bannerTable(.init(rows: ["SAT"], by: ["SEX > SAT"]))
        for row in table.blocks[0].baseRows {
          for group in table.breaks[0].groups {
            for column in group {
              let compared = Set(row.cells[column].comparisons.map(\.column))
              #expect(compared == Set(group).subtracting([column]))
              #expect(row.cells[column].versusTotal?.column == 0)
            }
          }
        }
      }
    }

    @Test("hide_empty leaves out the combinations of a nested break nobody is in")
    func nestedHideEmpty() throws {
      let filter = try FilterExpression(parsing: "SAT == 1")
      let shown = try builder().bannerTable(
        .init(rows: ["KIDS"], by: ["SEX > SAT"], filter: filter))
      #expect(shown.columns.count == 7)
      #expect(shown.blocks[0].bases[2].size == .empty)
      let hidden = try builder().bannerTable(
        .init(rows: ["KIDS"], by: ["SEX > SAT"], filter: filter, hideEmpty: true))
      #expect(hidden.columns.map(\.label.japanese) == ["全体", "満足", "満足"])
      #expect(hidden.columns.map(\.letter) == [nil, "A", "A"])
      #expect(hidden.breaks[0].groups == [1..<2, 2..<3])
    }

    @Test("names are checked against the codebook")
    func check() throws {
      let codebook = try Codebook(yaml: Self.codebookYAML, file: "tiny.yaml")
      #expect(throws: BannerTableError.unknownVariable("Q9")) {
        try BannerTableBuilder.check(.init(rows: ["Q9"], by: []), in: codebook)
      }
      #expect(throws: BannerTableError.notABreak("W", .weight)) {
        try BannerTableBuilder.check(.init(rows: ["SAT"], by: ["W"]), in: codebook)
      }
      #expect(throws: BannerTableError.notAStub("ID", .id)) {
        try BannerTableBuilder.check(.init(rows: ["ID"], by: []), in: codebook)
      }
      #expect(throws: BannerTableError.notNestable("USE", .multi)) {
        try BannerTableBuilder.check(.init(rows: ["SAT"], by: ["SEX > USE"]), in: codebook)
      }
      #expect(throws: BannerTableError.notNestable("KIDS", .numeric)) {
        try BannerTableBuilder.check(.init(rows: ["SAT"], by: ["KIDS > SEX"]), in: codebook)
      }
      #expect(throws: BannerTableError.badNesting("SEX > SAT > SEX")) {
        try BannerTableBuilder.check(.init(rows: ["SAT"], by: ["SEX > SAT > SEX"]), in: codebook)
      }
      #expect(throws: BannerTableError.notAScale("USE")) {
        try BannerTableBuilder.check(
          .init(rows: ["USE"], by: [], means: ["USE": .codes]), in: codebook)
      }
    }
  }
}
