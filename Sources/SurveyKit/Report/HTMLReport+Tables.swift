/// The tables of the HTML report: the banner tables (with the same figures, letters and marks as
/// the text and Markdown formats, from `BannerLayout`), the KPI table (`KPILayout`) and the
/// sampling errors.
extension HTMLReport {
  // MARK: - Banner tables

  func bannerTables(_ layout: BannerLayout, say: Wording) -> [String] {
    var html = [
      "<section id=\"tables\" class=\"tables\" aria-labelledby=\"tables-heading\">",
      "<h2 id=\"tables-heading\">" + Self.escape(say("集計表", "Tables")) + "</h2>",
    ]
    for (index, table) in report.tables.tables.enumerated() where index < layout.tables.count {
      html += bannerTable(table, layout: layout.tables[index], number: index + 1, say: say)
    }
    html.append("</section>")
    return html
  }

  /// One banner table: a `<table>` with the banner as its head and a body per stub, then each
  /// stub's notes and chart.
  func bannerTable(
    _ table: BannerTable, layout: BannerLayout.Table, number: Int, say: Wording
  ) -> [String] {
    let e = Self.escape
    let id = "table-\(number)"
    var html = [
      "<section id=\"\(id)\" class=\"banner\" aria-labelledby=\"\(id)-caption\">",
      "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(id)-caption\" tabindex=\"0\">",
      "<table class=\"banner-table\">",
    ]
    var caption =
      "<caption id=\"\(id)-caption\"><span class=\"title\">" + e(layout.heading) + "</span>"
    if let filter = layout.filter { caption += "<span class=\"filter\">" + e(filter) + "</span>" }
    html.append(caption + "</caption>")
    html += bannerHead(layout)
    let marks = markWidths(layout)
    for (position, block) in layout.blocks.enumerated() where position < table.blocks.count {
      html += bannerBody(
        block, source: table.blocks[position], layout: layout, marks: marks,
        id: "\(id)-stub-\(position + 1)")
    }
    html += ["</table>", "</div>"]
    var chartNumber = 0
    let charts = report.charts(of: table).count
    for (position, block) in layout.blocks.enumerated() where position < table.blocks.count {
      let chart = Chart.chart(for: table.blocks[position], in: table, language: report.language)
      guard !block.notes.isEmpty || chart != nil else { continue }
      html.append("<div class=\"stub-notes\">")
      html.append("<p class=\"stub-title\">" + e(block.title) + "</p>")
      if !block.notes.isEmpty {
        html.append("<ul class=\"notes\">")
        html += block.notes.map { "<li>" + e($0) + "</li>" }
        html.append("</ul>")
      }
      if let chart {
        chartNumber += 1
        let label =
          charts > 1
          ? say("図\(number)-\(chartNumber)", "Figure \(number)-\(chartNumber).")
          : say("図\(number)", "Figure \(number).")
        html += figure(
          chart, id: "\(id)-chart-\(chartNumber)", label: label,
          total: layout.columns.first?.label, say: say)
      }
      html.append("</div>")
    }
    html.append("</section>")
    return html
  }

  /// The banner: the breaks over their columns, a nested break's outer categories, the columns'
  /// labels and their letters. Total and the corner span every row of the head.
  func bannerHead(_ layout: BannerLayout.Table) -> [String] {
    let e = Self.escape
    let columns = layout.columns
    let hasGroups = columns.contains { $0.breakIndex != nil }
    let hasSubgroups = columns.contains { $0.subgroup != nil }
    let hasLetters = columns.contains { $0.letter != nil }
    let depth = (hasGroups ? 1 : 0) + (hasSubgroups ? 1 : 0) + 1 + (hasLetters ? 1 : 0)
    var rows: [[String]] = []
    // Total and the corner, in the first row.
    var lead = ["<td class=\"corner\"\(Self.span("rowspan", depth))></td>"]
    for column in columns where column.breakIndex == nil {
      lead.append(
        "<th scope=\"col\" class=\"total\"\(Self.span("rowspan", depth))>" + e(column.label)
          + "</th>")
    }
    if hasGroups {
      var row = lead
      for group in layout.groups where !group.columns.isEmpty {
        row.append(
          "<th scope=\"colgroup\"\(Self.span("colspan", group.columns.count))>" + e(group.label)
            + "</th>")
      }
      rows.append(row)
      lead = []
    }
    if hasSubgroups {
      var row = lead
      for (index, column) in columns.enumerated() where column.breakIndex != nil {
        if let subgroup = column.subgroup {
          let group = layout.subgroups[subgroup]
          guard group.columns.lowerBound == index else { continue }
          row.append(
            "<th scope=\"colgroup\"\(Self.span("colspan", group.columns.count))>" + e(group.label)
              + "</th>")
        } else {
          row.append("<th scope=\"col\" rowspan=\"2\">" + e(column.label) + "</th>")
        }
      }
      rows.append(row)
      lead = []
    }
    var labels = lead
    for column in columns where column.breakIndex != nil {
      if hasSubgroups && column.subgroup == nil { continue }
      labels.append("<th scope=\"col\">" + e(column.label) + "</th>")
    }
    rows.append(labels)
    if hasLetters {
      rows.append(
        columns.filter { $0.breakIndex != nil }.map { column in
          guard let letter = column.letter else { return "<td class=\"letter\"></td>" }
          return "<th scope=\"col\" class=\"letter\">(<span class=\"letters\">" + e(letter)
            + "</span>)</th>"
        })
    }
    return ["<thead>"] + rows.map { "<tr>" + $0.joined() + "</tr>" } + ["</thead>"]
  }

  /// The widest marks of each column (`▲Bc`), in display cells, so figures line up.
  func markWidths(_ layout: BannerLayout.Table) -> [Int] {
    var widths = [Int](repeating: 0, count: layout.columns.count)
    for block in layout.blocks {
      for line in block.lines {
        for (index, cell) in line.cells.enumerated() where index < widths.count {
          widths[index] = max(widths[index], TextWidth.of(cell.marks))
        }
      }
    }
    return widths
  }

  /// One stub: its title, the bases, the rows with their letters, and the rows outside the base.
  func bannerBody(
    _ block: BannerLayout.Block, source: BannerBlock, layout: BannerLayout.Table, marks: [Int],
    id: String
  ) -> [String] {
    let e = Self.escape
    let width = layout.columns.count + 1
    var title = "<span class=\"stub-name\">" + e(block.title) + "</span>"
    if let question = block.question {
      title += "<span class=\"question\">" + e(question) + "</span>"
    }
    var html = [
      "<tbody id=\"\(id)\">",
      "<tr class=\"stub-title\"><th scope=\"rowgroup\"\(Self.span("colspan", width))>" + title
        + "</th></tr>",
    ]
    let rows = source.baseRows
    var rowIndex = 0
    for line in block.lines {
      let kind: String
      switch line.kind {
      case .heading:
        html.append(
          "<tr class=\"missing-heading\"><th scope=\"rowgroup\"\(Self.span("colspan", width))>"
            + e(line.label) + "</th></tr>")
        continue
      case .base: kind = "base"
      case .detail: kind = "detail"
      case .missing: kind = "missing"
      case .row:
        kind = rowIndex < rows.count ? rows[rowIndex].kind.rawValue : "category"
        rowIndex += 1
      }
      var cells = "<th scope=\"row\">" + e(line.label) + "</th>"
      for (index, cell) in line.cells.enumerated() {
        let size = index < source.bases.count ? source.bases[index].size : .adequate
        cells += Self.cell(
          cell, size: size, markWidth: index < marks.count ? marks[index] : 0,
          isBase: line.kind == .base)
      }
      html.append("<tr class=\"\(kind)\">" + cells + "</tr>")
    }
    html.append("</tbody>")
    return html
  }

  /// A figure and its marks: `▲` `▼` `△` `▽` against the rest, the letters, `*` `**` of a base.
  static func cell(
    _ cell: BannerLayout.Cell, size: BannerBase.Size, markWidth: Int, isBase: Bool
  ) -> String {
    let classes: String
    switch size {
    case .small: classes = " class=\"small\""
    case .suppressed: classes = " class=\"suppressed\""
    case .adequate, .empty: classes = ""
    }
    guard !cell.value.isEmpty || !cell.marks.isEmpty else { return "<td\(classes)></td>" }
    var html = "<td\(classes)><span class=\"v\">" + escape(cell.value) + "</span>"
    if markWidth > 0 {
      html += "<span class=\"m m\(min(markWidth, 10))\">"
      if isBase {
        if !cell.marks.isEmpty {
          html += "<span class=\"small-base\">" + escape(cell.marks) + "</span>"
        }
      } else {
        let symbols = cell.marks.prefix { "▲▼△▽".contains($0) }
        let letters = cell.marks.dropFirst(symbols.count)
        if !symbols.isEmpty {
          let direction = symbols.contains { $0 == "▲" || $0 == "△" } ? "up" : "down"
          html += "<span class=\"vs-total \(direction)\">" + escape(String(symbols)) + "</span>"
        }
        if !letters.isEmpty {
          html += "<span class=\"letters\">" + escape(String(letters)) + "</span>"
        }
      }
      html += "</span>"
    }
    return html + "</td>"
  }

  /// ` colspan="3"`, or nothing for 1.
  static func span(_ name: String, _ count: Int) -> String {
    count > 1 ? " \(name)=\"\(count)\"" : ""
  }

  /// A stub's chart with its caption: the figure's number, the title, Total's base.
  func figure(_ chart: Chart, id: String, label: String, total: String?, say: Wording) -> [String] {
    let e = Self.escape
    var caption = label + " " + chart.title
    if let base = chart.baseNote {
      caption += say("（", " (") + (total.map { $0 + " " } ?? "") + base + say("）", ")")
    }
    let kind: String
    switch chart.kind {
    case .bar: kind = "chart-bar"
    case .horizontalBar: kind = "chart-horizontal"
    case .stackedPercent: kind = "chart-stacked"
    }
    return [
      "<figure id=\"\(id)\" class=\"chart \(kind)\">",
      SVGChart(chart: chart, id: id, say: say).render(),
      "<figcaption>" + e(caption) + "</figcaption>",
      "</figure>",
    ]
  }

  // MARK: - KPI

  /// Per basic goal: each indicator's baseline, actuals, target and achievement; the goal's
  /// mean; the overall mean; the flags as notes; the changes of survey-based indicators.
  func kpiSection(_ kpi: KPIReport, say: Wording) -> [String] {
    let e = Self.escape
    let layout = KPILayout(kpi, language: report.language)
    var html = [
      "<section id=\"kpi\" class=\"kpi\" aria-labelledby=\"kpi-heading\">",
      "<h2 id=\"kpi-heading\">" + e(layout.title) + "</h2>",
      "<ul class=\"notes\">",
    ]
    html += layout.headerLines.map { "<li>" + e($0) + "</li>" }
    html.append("</ul>")
    let header = layout.header
    for (index, goal) in kpi.goals.enumerated() {
      let id = "kpi-goal-\(index + 1)"
      html += [
        "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(id)-caption\" tabindex=\"0\">",
        "<table id=\"\(id)\" class=\"kpi-table\">",
        "<caption id=\"\(id)-caption\">" + e(layout.goalTitle(goal)) + "</caption>",
        "<thead><tr><th scope=\"col\">" + e(say("指標", "Indicator")) + "</th>"
          + header.map { "<th scope=\"col\">" + e($0) + "</th>" }.joined() + "</tr></thead>",
        "<tbody>",
      ]
      for row in goal.rows {
        let cells = layout.cells(row)
        var line = "<tr" + (row.flags.isEmpty ? "" : " class=\"flagged\"") + ">"
        line += "<th scope=\"row\">" + e(layout.name(row)) + "</th>"
        for (position, cell) in cells.enumerated() {
          let kind =
            position == 0
            ? " class=\"unit\"" : position == cells.count - 1 ? " class=\"achievement\"" : ""
          line += "<td\(kind)>" + e(cell) + "</td>"
        }
        html.append(line + "</tr>")
      }
      html.append("</tbody>")
      let mean = layout.goalMean(goal)
      let split = mean.lastIndex(of: " ")
      let meanLabel = split.map { String(mean[..<$0]) } ?? mean
      let meanValue = split.map { String(mean[mean.index(after: $0)...]) } ?? ""
      html += [
        "<tfoot><tr class=\"goal-mean\"><th scope=\"row\">" + e(meanLabel) + "</th>"
          + "<td\(Self.span("colspan", header.count))>" + e(meanValue) + "</td></tr></tfoot>",
        "</table>",
        "</div>",
      ]
    }
    html.append("<p class=\"kpi-overall\">" + e(layout.overall) + "</p>")
    let notes = layout.notes
    if !notes.isEmpty {
      html.append("<ul class=\"notes kpi-notes\">")
      html += notes.map { "<li>" + e($0) + "</li>" }
      html.append("</ul>")
    }
    let changes = layout.changeLines
    if !changes.isEmpty {
      html.append(
        "<h3 id=\"kpi-changes\">"
          + e(
            say(
              "調査に基づく指標の変化（差の標準誤差 √(se₁² + se₂²)、▲▼ 5%水準で有意）",
              "Changes of the survey-based indicators (SE of a difference √(se₁² + se₂²); "
                + "▲▼ significant at 5%)")) + "</h3>")
      html.append("<ul class=\"changes\">")
      // Each indicator's name (indented by two spaces), then its lines (by four).
      var groups: [(name: String, lines: [String])] = []
      for line in changes {
        let text = String(line.drop { $0 == " " })
        if line.hasPrefix("    "), !groups.isEmpty {
          groups[groups.count - 1].lines.append(text)
        } else {
          groups.append((text, []))
        }
      }
      for group in groups {
        guard !group.lines.isEmpty else {
          html.append("<li class=\"indicator\">" + e(group.name) + "</li>")
          continue
        }
        html.append("<li class=\"indicator\">" + e(group.name))
        html.append("<ul>")
        html += group.lines.map { "<li>" + e($0) + "</li>" }
        html.append("</ul></li>")
      }
      html.append("</ul>")
    }
    html.append("</section>")
    return html
  }

  // MARK: - Appendix

  func appendixTitle(_ say: Wording) -> String {
    say("付録 標本誤差早見表", "Appendix: sampling errors")
  }

  /// 標本誤差早見表: ± percentage points by base and proportion, with the formula.
  func appendix(_ say: Wording) -> [String] {
    let e = Self.escape
    let table = report.samplingErrors
    var html = [
      "<section id=\"appendix\" class=\"appendix\" aria-labelledby=\"appendix-heading\">",
      "<h2 id=\"appendix-heading\">" + e(appendixTitle(say)) + "</h2>",
    ]
    let hasCorrection = (table.population ?? 0) > 1
    let formula =
      hasCorrection ? "±1.96 · √((N − n)/(N − 1) · p(1 − p)/n)" : "±1.96 · √(p(1 − p)/n)"
    html.append("<p class=\"formula\"><span class=\"math\">" + e(formula) + "</span></p>")
    var legend = say(
      "n: 基数（回答者数）、p: 回答の比率", "n: the base (respondents); p: the proportion")
    if let population = table.population, hasCorrection {
      legend +=
        say("、N: 母集団（", "; N: the population (") + Figures.weighted(population)
        + say("）", ")")
    } else {
      legend += say("（有限母集団修正なし）", " (no finite population correction)")
    }
    html.append("<p class=\"legend\">" + e(legend) + "</p>")
    let id = "sampling-errors"
    html += [
      "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(id)-caption\" tabindex=\"0\">",
      "<table id=\"\(id)\" class=\"sampling-errors\">",
      "<caption id=\"\(id)-caption\">"
        + e(
          say(
            "標本誤差早見表（95%信頼区間の幅の半分、±パーセントポイント）",
            "Sampling errors (half-width of a 95% interval, ± percentage points)")) + "</caption>",
      "<thead><tr><th scope=\"col\">" + e(say("基数（n）", "Base (n)")) + "</th>"
        + table.proportions.map {
          "<th scope=\"col\">" + e(Self.proportionLabel($0, say)) + "</th>"
        }
        .joined() + "</tr></thead>",
      "<tbody>",
    ]
    let own = report.rowsAccepted
    for base in table.bases where base > 0 {
      var row = "<tr" + (base == own ? " class=\"own\"" : "") + "><th scope=\"row\">"
      row += e(grouped(base)) + "</th>"
      for proportion in table.proportions {
        let error = table.error(base: base, proportion: proportion)
        row += "<td>" + e(error.isFinite ? "±" + Figures.fixed(error, 1) : Figures.dash) + "</td>"
      }
      html.append(row + "</tr>")
    }
    html += ["</tbody>", "</table>", "</div>", "<ul class=\"notes\">"]
    if table.bases.contains(own) {
      html.append(
        "<li>"
          + e(
            say(
              "網掛けの行は本調査の有効回収数（\(grouped(own))）",
              "the shaded row is this survey's valid responses (\(grouped(own)))")) + "</li>")
    }
    let example = table.bases.contains(own) ? own : (table.bases.last ?? own)
    if example > 0 {
      let value = Figures.fixed(table.error(base: example, proportion: 0.5), 1)
      html.append(
        "<li>"
          + e(
            say(
              "例: 回答者 \(grouped(example)) 人で比率 50% の回答は、真の値がおよそ 50% ± \(value) ポイントの範囲にある（信頼度95%）",
              "e.g. a 50% answer of \(grouped(example)) respondents means a true share of about 50% ± \(value) points (95% confidence)"
            )) + "</li>")
    }
    html.append(
      "<li>"
        + e(
          say(
            "単純無作為抽出を仮定した値。層別の抽出やウェイト調整の効果は含まない",
            "for simple random sampling; stratification and weighting are not accounted for"))
        + "</li>")
    if let weighting = report.weighting {
      let deff = weighting.after.designEffect
      if deff.isFinite && deff > 0 {
        let factor = Figures.fixed(deff.squareRoot(), 2)
        html.append(
          "<li>"
            + e(
              say(
                "ウェイトによるデザイン効果 deff = \(Figures.fixed(deff, 2)) を考慮すると、誤差はおよそ √deff = \(factor) 倍になる",
                "with the design effect due to weighting, deff = \(Figures.fixed(deff, 2)), errors are about √deff = \(factor) times larger"
              )) + "</li>")
      }
    }
    html += ["</ul>", "</section>"]
    return html
  }

  /// `10%（90%）` for 0.1, `50%` for 0.5.
  static func proportionLabel(_ p: Double, _ say: Wording) -> String {
    let low = formatNumber((p * 1000).rounded() / 10)
    let high = formatNumber(((1 - p) * 1000).rounded() / 10)
    return low == high ? "\(low)%" : say("\(low)%（\(high)%）", "\(low)% (\(high)%)")
  }
}
