/// A `Chart` drawn as inline SVG for the HTML report: vertical bars with their values, horizontal
/// bars, or 100% stacked horizontal bars with a legend (a 5-step diverging palette). Values are
/// percentages (0–100); a nil value is a gap. The SVG is an image with a title and a description
/// listing every value, so a screen reader reads the figures; every text is escaped.
struct SVGChart {
  let chart: Chart
  /// The figure's id: the SVG's title and description are `<id>-title` and `<id>-desc`.
  let id: String
  let say: Wording

  static let fontSize = 12.0
  static let lineHeight = 15.0
  /// A display cell (half a kanji) in user units at the font size, with room to spare.
  static let cellWidth = 6.6
  static let barColour = "#2f5f8f"
  static let gridColour = "#d5dae1"
  static let axisColour = "#6b7280"
  static let textColour = "#1a1a1a"
  static let mutedColour = "#4a4a4a"
  /// The 5-step diverging palette of the stacked bars (the first scale point blue, the last red),
  /// and the text colour on each with a contrast of at least 4.5:1.
  static let diverging: [(fill: String, text: String)] = [
    ("#2166ac", "#ffffff"), ("#92c5de", "#1a1a1a"), ("#e0e0e0", "#1a1a1a"),
    ("#f4a582", "#1a1a1a"), ("#b2182b", "#ffffff"),
  ]

  func render() -> String {
    switch chart.kind {
    case .bar: return verticalBars()
    case .horizontalBar: return horizontalBars()
    case .stackedPercent: return stackedBars()
    }
  }

  // MARK: - Kinds

  /// One bar per category, the value over each bar, the categories' labels under them.
  func verticalBars() -> String {
    let values = chart.series.first?.values ?? []
    let count = chart.categories.count
    let band = 76.0
    let left = 44.0
    let right = 12.0
    let top = 30.0
    let plotHeight = 180.0
    let labels = chart.categories.map {
      Self.wrapped($0, cells: Int((band - 8) / Self.cellWidth), maxLines: 3)
    }
    let labelLines = Double(labels.map(\.count).max() ?? 1)
    let width = left + Double(max(count, 1)) * band + right
    let height = top + plotHeight + 10 + labelLines * Self.lineHeight + 4
    let (maximum, step) = Self.scale(values)
    let bottom = top + plotHeight
    var body: [String] = []
    var tick = 0.0
    while tick <= maximum + 0.001 {
      let y = bottom - tick / maximum * plotHeight
      body.append(Self.line(left, y, width - right, y, colour: Self.gridColour))
      body.append(
        Self.text(
          [Self.number(tick)], x: left - 6, y: y + 4, anchor: "end", fill: Self.mutedColour))
      tick += step
    }
    body.append(
      Self.text(["(%)"], x: left - 6, y: top - 14, anchor: "end", fill: Self.mutedColour))
    for index in 0..<count {
      let center = left + (Double(index) + 0.5) * band
      let value = index < values.count ? values[index] : nil
      if let value {
        let barHeight = max(0, min(value, maximum)) / maximum * plotHeight
        let barWidth = band * 0.56
        body.append(
          Self.rect(
            center - barWidth / 2, bottom - barHeight, barWidth, barHeight, fill: Self.barColour,
            title: chart.categories[index] + ": " + Self.percent(value)))
        body.append(
          Self.text(
            [Self.value(value)], x: center, y: bottom - barHeight - 5, anchor: "middle",
            fill: Self.textColour, weight: "bold"))
      } else {
        body.append(
          Self.text(
            [Figures.dash], x: center, y: bottom - 5, anchor: "middle", fill: Self.mutedColour))
      }
      body.append(
        Self.text(
          labels[index], x: center, y: bottom + 10 + Self.fontSize, anchor: "middle",
          fill: Self.textColour))
    }
    body.append(Self.line(left, bottom, width - right, bottom, colour: Self.axisColour))
    return svg(width: width, height: height, body: body)
  }

  /// One bar per category, longest first as listed; the labels on the left, the values after
  /// the bars, the scale on top.
  func horizontalBars() -> String {
    let values = chart.series.first?.values ?? []
    let labelCells = min(chart.categories.map { TextWidth.of($0) }.max() ?? 4, 30)
    let labels = chart.categories.map { Self.wrapped($0, cells: labelCells, maxLines: 3) }
    let left = Double(labelCells) * Self.cellWidth + 12
    let plotWidth = 360.0
    let right = 52.0
    let top = 30.0
    let heights = labels.map { max(24, Double($0.count) * Self.lineHeight + 8) }
    let plotHeight = heights.reduce(0, +)
    let width = left + plotWidth + right
    let height = top + plotHeight + 8
    let (maximum, step) = Self.scale(values)
    var body: [String] = []
    var tick = 0.0
    while tick <= maximum + 0.001 {
      let x = left + tick / maximum * plotWidth
      body.append(Self.line(x, top, x, top + plotHeight, colour: Self.gridColour))
      body.append(
        Self.text([Self.number(tick)], x: x, y: top - 8, anchor: "middle", fill: Self.mutedColour))
      tick += step
    }
    body.append(
      Self.text(
        ["(%)"], x: left + plotWidth + 14, y: top - 8, anchor: "start", fill: Self.mutedColour))
    var rowTop = top
    for (index, label) in labels.enumerated() {
      let center = rowTop + heights[index] / 2
      body.append(
        Self.text(
          label, x: left - 8, y: Self.firstBaseline(center: center, lines: label.count),
          anchor: "end", fill: Self.textColour))
      let value = index < values.count ? values[index] : nil
      if let value {
        let barWidth = max(0, min(value, maximum)) / maximum * plotWidth
        body.append(
          Self.rect(
            left, center - 8, barWidth, 16, fill: Self.barColour,
            title: chart.categories[index] + ": " + Self.percent(value)))
        body.append(
          Self.text(
            [Self.value(value)], x: left + barWidth + 4, y: center + 4, anchor: "start",
            fill: Self.textColour, weight: "bold"))
      } else {
        body.append(
          Self.text(
            [Figures.dash], x: left + 4, y: center + 4, anchor: "start", fill: Self.mutedColour))
      }
      rowTop += heights[index]
    }
    body.append(Self.line(left, top, left, top + plotHeight, colour: Self.axisColour))
    return svg(width: width, height: height, body: body)
  }

  /// One 100% bar per category (a banner column), a segment per series (a scale point) in the
  /// diverging palette, the values inside the segments wide enough, the legend on top.
  func stackedBars() -> String {
    let labelCells = min(chart.categories.map { TextWidth.of($0) }.max() ?? 4, 24)
    let labels = chart.categories.map { Self.wrapped($0, cells: labelCells, maxLines: 2) }
    let left = Double(labelCells) * Self.cellWidth + 12
    let plotWidth = 480.0
    let right = 20.0
    let width = left + plotWidth + right
    let colours = Self.colours(chart.series.count)
    // The legend, its items flowing into as many lines as they need.
    var body: [String] = []
    var legendLines = 1
    var x = 8.0
    for (index, series) in chart.series.enumerated() {
      let name = Self.wrapped(series.name, cells: 30, maxLines: 1)[0]
      let itemWidth = 16 + Double(TextWidth.of(name)) * Self.cellWidth + 16
      if x > 8 && x + itemWidth > width - 8 {
        legendLines += 1
        x = 8
      }
      let y = 8 + Double(legendLines - 1) * 20
      body.append(
        "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y + 1))\" width=\"12\" height=\"12\" "
          + "fill=\"\(colours[index].fill)\" stroke=\"\(Self.axisColour)\" stroke-width=\"0.5\" />")
      body.append(
        Self.text([name], x: x + 16, y: y + 11, anchor: "start", fill: Self.textColour))
      x += itemWidth
    }
    let top = 8 + Double(legendLines) * 20 + 24
    let heights = labels.map { max(28, Double($0.count) * Self.lineHeight + 10) }
    let plotHeight = heights.reduce(0, +)
    let height = top + plotHeight + 8
    for tick in stride(from: 0.0, through: 100.0, by: 20.0) {
      let x = left + tick / 100 * plotWidth
      body.append(Self.line(x, top, x, top + plotHeight, colour: Self.gridColour))
      body.append(
        Self.text([Self.number(tick)], x: x, y: top - 8, anchor: "middle", fill: Self.mutedColour))
    }
    body.append(
      Self.text(
        ["(%)"], x: left + plotWidth + 4, y: top - 20, anchor: "end", fill: Self.mutedColour))
    var rowTop = top
    for (row, label) in labels.enumerated() {
      let center = rowTop + heights[row] / 2
      body.append(
        Self.text(
          label, x: left - 8, y: Self.firstBaseline(center: center, lines: label.count),
          anchor: "end", fill: Self.textColour))
      var start = 0.0
      for (index, series) in chart.series.enumerated() {
        guard row < series.values.count, let value = series.values[row], value > 0 else {
          continue
        }
        let segment = min(value / 100 * plotWidth, plotWidth - start)
        guard segment > 0 else { continue }
        body.append(
          Self.rect(
            left + start, center - 9, segment, 18, fill: colours[index].fill,
            title: chart.categories[row] + " " + series.name + ": " + Self.percent(value),
            stroke: "#ffffff"))
        if segment >= 30 {
          body.append(
            Self.text(
              [Self.value(value)], x: left + start + segment / 2, y: center + 4,
              anchor: "middle", fill: colours[index].text, size: 11))
        }
        start += segment
      }
      rowTop += heights[row]
    }
    body.append(Self.line(left, top, left, top + plotHeight, colour: Self.axisColour))
    return svg(width: width, height: height, body: body)
  }

  // MARK: - Parts

  /// The `<svg>` element: an image named by its title, described by every value.
  func svg(width: Double, height: Double, body: [String]) -> String {
    let w = Self.number(width.rounded(.up))
    let h = Self.number(height.rounded(.up))
    var lines = [
      "<svg class=\"chart-svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
        + "viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" "
        + "font-size=\"\(Self.number(Self.fontSize))\">",
      "<title id=\"\(id)-title\">" + HTMLReport.escape(chart.title) + "</title>",
      "<desc id=\"\(id)-desc\">" + HTMLReport.escape(description) + "</desc>",
    ]
    lines += body
    lines.append("</svg>")
    return lines.joined(separator: "\n")
  }

  /// Every value in words: `全体: 住みやすい 33.1%、…`, a sentence per bar of a stacked chart.
  var description: String {
    let separator = say("、", ", ")
    switch chart.kind {
    case .bar, .horizontalBar:
      let series = chart.series.first
      let values = chart.categories.enumerated().map { index, category in
        let value = series.flatMap { index < $0.values.count ? $0.values[index] : nil }
        return category + " " + (value.map(Self.percent) ?? Figures.dash)
      }
      return (series.map { $0.name + ": " } ?? "") + values.joined(separator: separator)
    case .stackedPercent:
      return chart.categories.enumerated().map { row, category in
        category + ": "
          + chart.series.map { series in
            let value = row < series.values.count ? series.values[row] : nil
            return series.name + " " + (value.map(Self.percent) ?? Figures.dash)
          }.joined(separator: separator)
      }.joined(separator: say("。", "; "))
    }
  }

  /// The largest value rounded up to a multiple of the step (10, or 20 above 60), at most 100.
  static func scale(_ values: [Double?]) -> (maximum: Double, step: Double) {
    let largest = values.compactMap { $0 }.filter(\.isFinite).max() ?? 0
    guard largest > 0 else { return (10, 10) }
    let step = largest > 60 ? 20.0 : 10.0
    return (min(100, max(step, (largest / step).rounded(.up) * step)), step)
  }

  /// The colours of `count` series: the diverging palette, spread over it for fewer than five.
  static func colours(_ count: Int) -> [(fill: String, text: String)] {
    guard count > 1 else { return count == 1 ? [diverging[0]] : [] }
    return (0..<count).map { index in
      diverging[Int((Double(index) * 4 / Double(count - 1)).rounded())]
    }
  }

  /// `text` in lines of at most `cells` display cells, at most `maxLines` of them (the last one
  /// cut with `…`).
  static func wrapped(_ text: String, cells: Int, maxLines: Int) -> [String] {
    let width = max(cells, 2)
    let lines = BannerTextFormat.Grid.wrap(text, width: width)
    guard lines.count > maxLines else { return lines.isEmpty ? [""] : lines }
    var kept = Array(lines.prefix(maxLines))
    var last = kept[maxLines - 1]
    while !last.isEmpty && TextWidth.of(last) + 2 > width { last.removeLast() }
    kept[maxLines - 1] = last + "…"
    return kept
  }

  /// The baseline of the first of `lines` lines centred on `center`.
  static func firstBaseline(center: Double, lines: Int) -> Double {
    center - Double(lines - 1) * lineHeight / 2 + fontSize * 0.35
  }

  static func text(
    _ lines: [String], x: Double, y: Double, anchor: String, fill: String,
    weight: String? = nil, size: Double? = nil
  ) -> String {
    var element =
      "<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
    if let weight { element += " font-weight=\"\(weight)\"" }
    if let size { element += " font-size=\"\(number(size))\"" }
    element += ">"
    if lines.count == 1 {
      element += HTMLReport.escape(lines[0])
    } else {
      for (index, line) in lines.enumerated() {
        element +=
          "<tspan x=\"\(number(x))\" dy=\"\(index == 0 ? "0" : number(lineHeight))\">"
          + HTMLReport.escape(line) + "</tspan>"
      }
    }
    return element + "</text>"
  }

  static func rect(
    _ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, title: String,
    stroke: String? = nil
  ) -> String {
    "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(width))\" "
      + "height=\"\(number(height))\" fill=\"\(fill)\""
      + (stroke.map { " stroke=\"\($0)\" stroke-width=\"1\"" } ?? "") + "><title>"
      + HTMLReport.escape(title) + "</title></rect>"
  }

  static func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, colour: String
  ) -> String {
    "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
      + "stroke=\"\(colour)\" stroke-width=\"1\" />"
  }

  /// A coordinate with at most one decimal: `12`, `12.5`.
  static func number(_ value: Double) -> String {
    let text = Figures.fixed(value.isFinite ? value : 0, 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  /// A percentage as the tables show it: `33.1`.
  static func value(_ value: Double) -> String { Figures.fixed(value, 1) }

  /// `33.1%`.
  static func percent(_ value: Double) -> String { Figures.fixed(value, 1) + "%" }
}
