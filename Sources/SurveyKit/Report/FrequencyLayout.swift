/// The cells of a frequency report as people read it (rounded figures, localized words), shared
/// by the text and Markdown formats, which only differ in how they draw the grid.
struct FrequencyLayout {
  enum Cell: Equatable {
    case empty
    case text(String)
    /// A confidence interval, drawn `lower–upper` with the dashes of a column aligned.
    case interval(String, String)
  }

  struct Line {
    /// `*` for a row outside the base.
    var flag: String
    var label: String
    var cells: [Cell]
    var isTotal: Bool
  }

  struct Block {
    var title: String
    var question: String?
    var header: [String]
    var lines: [Line]
    var notes: [String]
  }

  var title: String
  var headerLines: [String]
  var blocks: [Block]

  init(_ report: FrequencyReport, language: Language) {
    let wording = Wording(language: language)
    title = wording.reportTitle(report)
    headerLines = wording.headerLines(report)
    blocks = report.tables.map { Self.block($0, options: report.options, wording: wording) }
  }

  static func block(_ table: FrequencyTable, options: FrequencyOptions, wording: Wording) -> Block {
    let level = Figures.level(options.confidenceLevel)
    var header = [
      "n", wording("推計数", "weighted"), "%", wording("標準誤差", "SE"),
      wording("\(level)信頼区間", "\(level) CI"), "deff",
    ]
    let isMulti = table.type == .multi
    if isMulti { header += [wording("対回答数%", "% of responses"), wording("標準誤差", "SE")] }
    let tabulated = table.status == .tabulated
    var lines: [Line] = []
    func shareCells(_ share: TableEstimate?, respondents: Int) -> [Cell] {
      guard let share, respondents > 0 else {
        return [.text(Figures.dash), .text(Figures.dash), .text(Figures.dash), .text(Figures.dash)]
      }
      return [
        .text(Figures.percent(share.estimate)),
        .text(share.standardError.map { Figures.fixed($0 * 100, 2) } ?? Figures.dash),
        share.confidenceInterval.map {
          .interval(Figures.percent($0.lower), Figures.percent($0.upper))
        } ?? .text(Figures.dash),
        .text(share.designEffect.map { Figures.fixed($0, 2) } ?? Figures.dash),
      ]
    }
    for row in table.baseRows {
      var cells: [Cell] = [
        .text(Figures.count(row.respondents)), .text(Figures.weighted(row.weightedCount)),
      ]
      cells += shareCells(tabulated ? row.share : nil, respondents: row.respondents)
      if isMulti {
        if let share = row.shareOfResponses, row.respondents > 0, tabulated {
          cells += [
            .text(Figures.percent(share.estimate)),
            .text(share.standardError.map { Figures.fixed($0 * 100, 2) } ?? Figures.dash),
          ]
        } else {
          cells += [
            .text(row.kind == .category ? Figures.dash : ""),
            .text(row.kind == .category ? Figures.dash : ""),
          ]
        }
      }
      lines.append(Line(flag: "", label: wording.text(row.label), cells: cells, isTotal: false))
    }
    var total: [Cell] = [
      .text(Figures.count(table.base.respondents)), .text(Figures.weighted(table.base.weighted)),
      .text(!isMulti && tabulated && !table.baseRows.isEmpty ? "100.0" : ""), .empty, .empty,
      .empty,
    ]
    if isMulti { total += [.empty, .empty] }
    lines.append(Line(flag: "", label: wording.baseLabel(table.type), cells: total, isTotal: true))
    if isMulti, let responses = table.responses {
      var cells: [Cell] = [
        .text(Figures.count(responses.respondents)), .text(Figures.weighted(responses.weighted)),
        .empty, .empty, .empty, .empty,
      ]
      cells += [.text(tabulated && responses.respondents > 0 ? "100.0" : ""), .empty]
      lines.append(Line(flag: "", label: wording.responsesLabel, cells: cells, isTotal: true))
    }
    for row in table.missingRows {
      var cells: [Cell] = [
        .text(Figures.count(row.respondents)), .text(Figures.weighted(row.weightedCount)),
      ]
      cells += Array(repeating: .empty, count: header.count - 2)
      lines.append(Line(flag: "*", label: wording.text(row.label), cells: cells, isTotal: false))
    }
    var notes: [String] = []
    switch table.status {
    case .tabulated: break
    case .noRespondents: notes.append(wording.noRespondents)
    case .zeroWeight: notes.append(wording.zeroWeight)
    }
    if let distinct = table.omittedDistinctValues { notes.append(wording.omitted(distinct)) }
    if let mean = table.mean {
      notes.append(meanNote(mean, level: level, wording: wording))
    }
    if let median = table.median {
      var note = "\(wording.medianLabel) \(Figures.value(median.estimate))"
      if let interval = median.confidenceInterval {
        note += wording(
          "（\(level)信頼区間 \(Figures.value(interval.lower))–\(Figures.value(interval.upper))）",
          " (\(level) CI \(Figures.value(interval.lower))–\(Figures.value(interval.upper)))")
      }
      notes.append(note)
    }
    notes += table.warnings.map { wording("注意: ", "warning: ") + $0 }
    return Block(
      title: wording.title(table), question: wording.question(table), header: header,
      lines: lines, notes: notes)
  }

  /// `平均 2.31（標準誤差 0.035、95%信頼区間 2.24–2.38、deff 1.01、n 1,191）`
  static func meanNote(_ mean: MeanSummary, level: String, wording: Wording) -> String {
    let estimate = mean.estimate
    var parts: [String] = []
    parts.append(
      wording("標準誤差 ", "SE ")
        + (estimate.standardError.map { Figures.fixed($0, 3) } ?? Figures.dash))
    if let interval = estimate.confidenceInterval {
      parts.append(
        wording("\(level)信頼区間 ", "\(level) CI ") + Figures.fixed(interval.lower, 2) + "–"
          + Figures.fixed(interval.upper, 2))
    } else {
      parts.append(wording("\(level)信頼区間 ", "\(level) CI ") + Figures.dash)
    }
    parts.append("deff " + (estimate.designEffect.map { Figures.fixed($0, 2) } ?? Figures.dash))
    parts.append("n " + Figures.count(mean.base.respondents))
    let details = parts.joined(separator: wording("、", ", "))
    return wording.meanLabel(mean.scale) + " " + Figures.fixed(estimate.estimate, 2)
      + wording("（\(details)）", " (\(details))")
  }
}
