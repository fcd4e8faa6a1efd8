import Foundation

extension WorkbookWriter {
  // MARK: - 付録 標本誤差早見表

  static func writeSamplingErrors(
    _ report: CouncilReport, on sheet: Worksheet, contents: String, say: Wording
  ) {
    let table = report.samplingErrors
    let proportions = table.proportions
    sheet.setColumns(0...0, width: 16)
    sheet.setColumns(1...max(1, proportions.count), width: 13)
    sheet.setColumns((proportions.count + 1)...(proportions.count + 1), width: 24)
    sheet.write(
      say("付録 標本誤差早見表", "Appendix: sampling errors"), row: 0, column: 0, style: .sheetTitle)
    sheet.link(toSheet: contents, text: say("目次へ", "Contents"), row: 1, column: 0, style: .link)
    sheet.write(
      say(
        "回答者 n 人から比率 p を推定したときの95%信頼区間の半幅（±%ポイント）",
        "the half-width of a 95% interval of a proportion p estimated from n respondents (± percentage points)"
      ), row: 2, column: 0, style: .note)
    let header = 4
    sheet.write(say("基数（n）", "Base (n)"), row: header, column: 0, style: .header(last: true))
    for (index, p) in proportions.enumerated() {
      let label =
        abs(p - 0.5) < 1e-9
        ? Figures.level(p)
        : Figures.level(p) + say("（\(Figures.level(1 - p))）", " (\(Figures.level(1 - p)))")
      sheet.write(label, row: header, column: index + 1, style: .header(last: true))
    }
    var row = header + 1
    for base in table.bases {
      let own = base == report.rowsAccepted
      sheet.write(number: Double(base), row: row, column: 0, style: own ? .ownBase : .count)
      for (index, p) in proportions.enumerated() {
        sheet.write(
          number: table.error(base: base, proportion: p), row: row, column: index + 1,
          style: own ? .ownError : .error)
      }
      if own {
        sheet.write(
          say("← 本調査の有効回答数", "← this survey's responses"), row: row,
          column: proportions.count + 1, style: .note)
      }
      row += 1
    }
    row += 1
    let formula: String
    if let population = table.population, population > 1 {
      let size = Figures.weighted(population)
      formula = say(
        "算式: ±1.96 × √((N − n) / (N − 1) × p(1 − p) / n) × 100（N = 母集団 \(size)、n = 基数、p = 比率）",
        "formula: ±1.96 × √((N − n) / (N − 1) × p(1 − p) / n) × 100 (N = population \(size), n = base, p = proportion)"
      )
    } else {
      formula = say(
        "算式: ±1.96 × √(p(1 − p) / n) × 100（n = 基数、p = 比率。母集団が不明のため有限母集団修正なし）",
        "formula: ±1.96 × √(p(1 − p) / n) × 100 (n = base, p = proportion; no finite population correction without a population)"
      )
    }
    var notes = [
      formula,
      say(
        "単純無作為抽出を仮定した値。例: 基数 500 で 30% の回答なら、真の値はおよそ 30% ± 表の値の範囲にある（95%）",
        "assumes simple random sampling; e.g. 30% of a base of 500 lies within ± the value shown of the true share (95%)"
      ),
    ]
    if let weighting = report.weighting {
      let deff = weighting.after.designEffect
      notes.append(
        say(
          "ウェイト調整後の推定では誤差がおよそ √deff 倍になる（ウェイトによるデザイン効果 \(Figures.fixed(deff, 2))、×\(Figures.fixed(deff.squareRoot(), 2))）",
          "weighted estimates have errors about √deff times larger (design effect due to weighting \(Figures.fixed(deff, 2)), ×\(Figures.fixed(deff.squareRoot(), 2)))"
        ))
    }
    for note in notes {
      sheet.write(note, row: row, column: 0, style: .note)
      row += 1
    }
    sheet.freezePanes(row: header + 1, column: 1)
    sheet.setUpPrinting(
      landscape: false, repeatRows: header...header,
      area: (0...row, 0...(proportions.count + 1)))
  }
}
