import Foundation
import Testing

@testable import SurveyKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The bundled sample's council report, made once for every test of the suite.
private let sampleReport = Result { try CouncilReportFixture.sample() }
private let sampleHTML = sampleReport.map { HTMLReport($0).render() }

/// A label of the data that would be markup, a script and a spreadsheet formula with a link.
private let hostile = #"<script>alert(1)</script>=HYPERLINK("http://x") & 'q'"#
private let escapedHostile =
  "&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK(&quot;http://x&quot;) &amp; &#39;q&#39;"

@Suite("HTML report for the council")
struct HTMLReportTests {
  @Test func theSampleRendersAsOneDocumentWithTheCoverFigures() throws {
    let report = try sampleReport.get()
    let html = try sampleHTML.get()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\">\n"))
    #expect(html.hasSuffix("</html>\n"))
    #expect(html.contains("<meta charset=\"utf-8\" />"))
    let cover = try section(html, from: "<header id=\"cover\"", to: "</header>")
    #expect(cover.contains("<h1>" + HTMLReport.escape(report.survey.title.japanese) + "</h1>"))
    #expect(cover.contains("<dd>2019年10月1日～10月31日</dd>"))
    #expect(cover.contains("<dt>発送数</dt><dd>2,500</dd>"))
    #expect(cover.contains("<dt>回収数</dt><dd>\(grouped(report.rowsRead))</dd>"))
    #expect(cover.contains("<dt>除外した票</dt><dd>\(grouped(report.rowsRejected))</dd>"))
    #expect(cover.contains("<dt>有効回収数</dt><dd>\(grouped(report.rowsAccepted))</dd>"))
    let rate = try #require(report.responseRate)
    #expect(cover.contains("<dt>有効回収率</dt><dd>\(Figures.percent(rate))%</dd>"))
    if let wave = report.survey.wave { #expect(cover.contains("<dt>調査回</dt><dd>\(wave)</dd>")) }
    if let population = report.survey.population {
      #expect(cover.contains("<dd>\(Figures.weighted(population))</dd>"))
    }
    // The weighting: method, margins, passes, Kish's effective n, deff.
    let weighting = try #require(report.weighting)
    #expect(cover.contains("<dt>方法</dt><dd>レイキング（反復比例調整）</dd>"))
    for margin in weighting.margins { #expect(cover.contains(margin.variable)) }
    #expect(cover.contains("<dt>反復</dt><dd>\(weighting.iterations)回で収束</dd>"))
    #expect(
      cover.contains(
        "<dt>有効標本サイズ（Kish）</dt><dd>\(Figures.weighted(weighting.after.effectiveSampleSize))"))
    #expect(
      cover.contains(
        "<dt>ウェイトによるデザイン効果</dt><dd>\(Figures.fixed(weighting.after.designEffect, 2))</dd>"))
  }

  @Test func everyTableHasItsCaptionBannerAndALinkInTheContents() throws {
    let report = try sampleReport.get()
    let html = try sampleHTML.get()
    let say = Wording(language: .japanese)
    let nav = try section(html, from: "<nav id=\"contents\"", to: "</nav>")
    #expect(!report.tables.tables.isEmpty)
    for (index, table) in report.tables.tables.enumerated() {
      let number = index + 1
      let heading = HTMLReport.escape(say.bannerHeading(table, number: number))
      #expect(
        html.contains(
          "<caption id=\"table-\(number)-caption\"><span class=\"title\">\(heading)</span>"))
      #expect(nav.contains("<li><a href=\"#table-\(number)\">\(heading)</a></li>"))
      let body = try section(html, from: "<section id=\"table-\(number)\"", to: "</section>")
      #expect(body.contains("<thead>"))
      #expect(body.contains("<th scope=\"col\" class=\"total\""))
      #expect(body.contains("<th scope=\"colgroup\""))
      #expect(body.contains("<th scope=\"row\">基数（n）</th>"))
      #expect(body.components(separatedBy: "<tbody id=").count - 1 == table.blocks.count)
    }
    #expect(nav.contains("<a href=\"#kpi\">"))
    #expect(nav.contains("<a href=\"#appendix\">"))
  }

  @Test func theTablesShowTheTextFormatsFiguresLettersAndMarks() throws {
    let report = try sampleReport.get()
    let html = try sampleHTML.get()
    let layout = BannerLayout(report.tables, language: .japanese)
    let first = try section(html, from: "<section id=\"table-1\"", to: "</table>")
    let block = try #require(layout.tables.first?.blocks.first)
    // Every label and figure of the first stub, as the text format shows it.
    for line in block.lines where line.kind != .heading {
      #expect(first.contains("<th scope=\"row\">" + HTMLReport.escape(line.label) + "</th>"))
      for cell in line.cells where !cell.value.isEmpty {
        #expect(first.contains("<span class=\"v\">\(cell.value)</span>"))
      }
    }
    #expect(first.contains("<tr class=\"net\"><th scope=\"row\">住みやすい計</th>"))
    #expect(first.contains("<tr class=\"mean\"><th scope=\"row\">平均（逆転尺度：6−コード）</th>"))
    #expect(first.contains("<tr class=\"missing\"><th scope=\"row\">無回答</th>"))
    // Every mark of every table: ▲▼△▽ against the rest, the letters, * and ** of a small base.
    var symbols = 0
    var letters = 0
    var smallBases = 0
    for (index, table) in layout.tables.enumerated() {
      let body = try section(html, from: "<section id=\"table-\(index + 1)\"", to: "</table>")
      for line in table.blocks.flatMap(\.lines) {
        for cell in line.cells where !cell.marks.isEmpty {
          if line.kind == .base {
            #expect(body.contains("<span class=\"small-base\">\(cell.marks)</span>"))
            #expect(body.contains("<td class=\"small\">") || cell.marks == "**")
            smallBases += 1
            continue
          }
          let symbol = String(cell.marks.prefix { "▲▼△▽".contains($0) })
          let rest = String(cell.marks.dropFirst(symbol.count))
          var marks = ""
          if !symbol.isEmpty {
            let direction = "▲△".contains(symbol.first!) ? "up" : "down"
            marks += "<span class=\"vs-total \(direction)\">\(symbol)</span>"
            symbols += 1
          }
          if !rest.isEmpty {
            marks += "<span class=\"letters\">\(rest)</span>"
            letters += 1
          }
          #expect(body.contains("<span class=\"v\">\(cell.value)</span><span class=\"m m"))
          #expect(body.contains("\">" + marks + "</span></td>"), "\(cell.marks)")
        }
      }
    }
    #expect(symbols > 0 && letters > 0)
    #expect(smallBases == 0)  // the sample has none: see the next test
    // The nested table has a row of outer categories over its columns.
    let nested = try section(html, from: "<section id=\"table-8\"", to: "</thead>")
    #expect(nested.components(separatedBy: "scope=\"colgroup\"").count - 1 == 3)
  }

  @Test func smallAndSuppressedBasesAreMarkedAndLeftOutOfTheChart() throws {
    var report = try sampleReport.get()
    // 18～29歳 below the small-base threshold, 30～39歳 below the suppression threshold.
    report.tables.tables[0].blocks[0].bases[3].size = .small
    report.tables.tables[0].blocks[0].bases[4].size = .suppressed
    let html = HTMLReport(report).render()
    let table = try section(html, from: "<section id=\"table-1\"", to: "</table>")
    let base = try section(
      table, from: "<tr class=\"base\"><th scope=\"row\">基数（n）</th>", to: "</tr>")
    #expect(
      base.contains(
        "<td class=\"small\"><span class=\"v\">76</span><span class=\"m m1\"><span class=\"small-base\">*</span></span></td>"
      ))
    #expect(
      base.contains(
        "<td class=\"suppressed\"><span class=\"v\">155</span><span class=\"m m2\"><span class=\"small-base\">**</span></span></td>"
      ))
    let row = try section(
      table, from: "<tr class=\"category\"><th scope=\"row\">住みやすい</th>", to: "</tr>")
    #expect(row.contains("<td class=\"small\"><span class=\"v\">28.6</span>"))
    #expect(row.contains("<td class=\"suppressed\"></td>"))
    // The stacked chart has a bar per column shown: the suppressed one is left out.
    let chart = try section(html, from: "<figure id=\"table-1-chart-1\"", to: "</figure>")
    #expect(chart.contains(">18～29歳</text>"))
    #expect(!chart.contains(">30～39歳</text>"))
    #expect(tagBalance(html) == nil)
  }

  @Test func eachChartIsOneInlineSVGWithATitleAndCaption() throws {
    let report = try sampleReport.get()
    let html = try sampleHTML.get()
    let charts = report.tables.tables.map { report.charts(of: $0) }
    let count = charts.map(\.count).reduce(0, +)
    #expect(count > 0)
    #expect(html.components(separatedBy: "<svg").count - 1 == count)
    #expect(html.components(separatedBy: "role=\"img\"").count - 1 == count)
    #expect(html.components(separatedBy: "<figcaption>").count - 1 == count)
    #expect(Set(charts.joined().map(\.kind)) == Set(Chart.Kind.allCases))
    for (index, tableCharts) in charts.enumerated() {
      for (position, chart) in tableCharts.enumerated() {
        let id = "table-\(index + 1)-chart-\(position + 1)"
        let figure = try section(html, from: "<figure id=\"\(id)\"", to: "</figure>")
        #expect(figure.contains("aria-labelledby=\"\(id)-title \(id)-desc\""))
        #expect(
          figure.contains(
            "<title id=\"\(id)-title\">" + HTMLReport.escape(chart.title) + "</title>"))
        if let base = chart.baseNote { #expect(figure.contains(base)) }
        // The values are drawn with one decimal; a stacked chart has its legend.
        for value in chart.series.flatMap(\.values).compactMap({ $0 }) {
          #expect(figure.contains(Figures.fixed(value, 1)))
        }
        if chart.kind == .stackedPercent {
          for series in chart.series {
            #expect(figure.contains(">" + HTMLReport.escape(series.name) + "</text>"))
          }
          #expect(figure.contains("#2166ac") && figure.contains("#b2182b"))
        }
      }
    }
  }

  @Test func theKPITableShowsEachGoalAndTheOverallAchievement() throws {
    let report = try sampleReport.get()
    let html = try sampleHTML.get()
    let kpi = try #require(report.kpi)
    let section = try section(html, from: "<section id=\"kpi\"", to: "</section>")
    let layout = KPILayout(kpi, language: .japanese)
    #expect(layout.overall.hasSuffix(" 86%"))
    #expect(section.contains("<p class=\"kpi-overall\">" + HTMLReport.escape(layout.overall)))
    for header in ["基準値", "目標値", "達成状況"] {
      #expect(section.contains("<th scope=\"col\">\(header)</th>"))
    }
    for (index, goal) in kpi.goals.enumerated() {
      #expect(
        section.contains(
          "<caption id=\"kpi-goal-\(index + 1)-caption\">"
            + HTMLReport.escape(layout.goalTitle(goal)) + "</caption>"))
      for row in goal.rows {
        #expect(section.contains("<th scope=\"row\">" + HTMLReport.escape(layout.name(row))))
      }
    }
    for note in layout.notes { #expect(section.contains("<li>" + HTMLReport.escape(note))) }
    #expect(!layout.changeLines.isEmpty)
    #expect(section.contains("<ul class=\"changes\">"))
  }

  @Test func theAppendixHasTheSamplingErrorOfTheSurveysBase() throws {
    let report = try sampleReport.get()
    let html = try sampleHTML.get()
    let appendix = try section(html, from: "<section id=\"appendix\"", to: "</section>")
    #expect(appendix.contains("標本誤差早見表"))
    #expect(appendix.contains("±1.96 · √((N − n)/(N − 1) · p(1 − p)/n)"))
    #expect(report.rowsAccepted == 1200)
    let error = report.samplingErrors.error(base: 1200, proportion: 0.5)
    let row = try section(
      appendix, from: "<tr class=\"own\"><th scope=\"row\">1,200</th>", to: "</tr>")
    let cells = row.components(separatedBy: "<td>").dropFirst().map {
      String($0.prefix { $0 != "<" })
    }
    let column = try #require(report.samplingErrors.proportions.firstIndex(of: 0.5))
    #expect(cells.count == report.samplingErrors.proportions.count)
    #expect(cells[column] == "±" + Figures.fixed(error, 1))
    #expect(cells[column] == "±2.8")
    #expect(appendix.contains("<th scope=\"col\">50%</th>"))
    #expect(appendix.contains("<th scope=\"col\">10%（90%）</th>"))
  }

  @Test func thePageIsSelfContainedWithLocalLinksAndUniqueIds() throws {
    let html = try sampleHTML.get()
    for forbidden in [
      "<script", "http://", "https://", "<link", "@import", "url(", "src=", "<img", "<iframe",
      "<object", "<embed", "xlink:href", "javascript:",
    ] {
      #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
    }
    #expect(html.contains("@page { size: A4 landscape; margin: 12mm; }"))
    #expect(html.contains("\"Hiragino Sans\""))
    #expect(html.contains("font-variant-numeric: tabular-nums"))
    let ids = attributeValues("id", in: html)
    #expect(Set(ids).count == ids.count)
    let links = attributeValues("href", in: html)
    #expect(!links.isEmpty)
    for link in links {
      #expect(link.hasPrefix("#") && ids.contains(String(link.dropFirst())), "\(link)")
    }
    #expect(HTMLReport(try sampleReport.get()).render() == html)
  }

  @Test func theMarkupIsWellFormed() throws {
    let html = try sampleHTML.get()
    #expect(tagBalance(html) == nil)
    #expect(try xmlError(html) == nil)
  }

  @Test func everyTextOfTheDataIsEscaped() throws {
    var report = try sampleReport.get()
    report.survey.title = LocalizedText(japanese: hostile)
    report.fieldwork = hostile
    report.weightingTargets = hostile
    report.tables.file = hostile
    report.tables.tables[0].title = LocalizedText(japanese: hostile)
    report.tables.tables[0].blocks[0].rows[0].label = LocalizedText(japanese: hostile)
    report.tables.tables[0].blocks[0].question = LocalizedText(japanese: hostile)
    report.tables.tables[0].columns[1].label = LocalizedText(japanese: hostile)
    report.tables.tables[0].breaks[0].label = LocalizedText(japanese: hostile)
    let html = HTMLReport(report).render()
    #expect(!html.contains("<script"))
    #expect(!html.contains(#"HYPERLINK("http"#))
    #expect(!html.contains("'q'"))
    // In the title, the cover, the contents, the caption, the banner, the stub, the chart's
    // SVG (title, category, description, tooltip) and the method's data line.
    #expect(html.components(separatedBy: escapedHostile).count - 1 >= 12)
    // The only URL-like text is the escaped formula's, never in an attribute.
    let urls = html.components(separatedBy: "http://").dropLast()
    #expect(urls.allSatisfy { $0.hasSuffix("=HYPERLINK(&quot;") })
    for link in attributeValues("href", in: html) { #expect(link.hasPrefix("#")) }
    let chart = try section(html, from: "<figure id=\"table-1-chart-1\"", to: "</figure>")
    #expect(chart.contains("<desc id=\"table-1-chart-1-desc\">"))
    #expect(chart.contains(escapedHostile))
    #expect(tagBalance(html) == nil)
    #expect(try xmlError(html) == nil)
  }

  @Test func theEscapingCoversTheFiveCharactersAndDropsControls() {
    #expect(HTMLReport.escape(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
    #expect(HTMLReport.escape("x\u{0}y\u{1B}z\u{7F}\n") == "xyz\n")
    #expect(HTMLReport.escape("住みやすい ▲Bc") == "住みやすい ▲Bc")
  }

  @Test func anEnglishReportWithoutWeightingOrKPIs() throws {
    var report = try sampleReport.get()
    report.language = .english
    report.weighting = nil
    report.kpi = nil
    report.sampleSize = nil
    let html = HTMLReport(report).render()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
    #expect(html.contains(">Contents</h2>"))
    #expect(html.contains("no weighting"))
    #expect(!html.contains("id=\"kpi\""))
    #expect(!html.contains("href=\"#kpi\""))
    #expect(!html.contains("Response rate"))
    #expect(html.contains("Appendix: sampling errors"))
    #expect(html.contains("<caption id=\"table-1-caption\"><span class=\"title\">Table 1. "))
    #expect(tagBalance(html) == nil)
  }

  @Test(
    "xmllint --html accepts the page (skipped where xmllint is not installed)",
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint")))
  func xmllintAcceptsThePage() throws {
    let html = try sampleHTML.get()
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("surveykit-html-\(ProcessInfo.processInfo.processIdentifier).html")
    try Data(html.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    process.arguments = ["--html", "--noout", file.path]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    // libxml2's HTML 4 parser does not know HTML5's and SVG's elements; anything else is an error.
    let problems = output.split(separator: "\n").filter {
      $0.contains("error") && !$0.contains("invalid")
    }
    #expect(problems.isEmpty, "\(output)")
  }
}

/// The text from the first `start` to the next `end` after it (both included).
private func section(_ text: String, from start: String, to end: String) throws -> String {
  let lower = try #require(text.range(of: start), "no \(start)")
  let upper = try #require(
    text.range(of: end, range: lower.upperBound..<text.endIndex), "no \(end)")
  return String(text[lower.lowerBound..<upper.upperBound])
}

/// Every value of the attribute `name` (` name="…"`).
private func attributeValues(_ name: String, in html: String) -> [String] {
  html.components(separatedBy: " \(name)=\"").dropFirst().map {
    String($0.prefix { $0 != "\"" })
  }
}

/// The first mismatch of start and end tags, or nil: void elements and `<… />` close themselves.
private func tagBalance(_ html: String) -> String? {
  let void: Set<String> = ["meta", "br", "col", "hr", "img", "input", "link", "wbr"]
  var stack: [String] = []
  var rest = Substring(html)
  while let open = rest.firstIndex(of: "<") {
    rest = rest[open...]
    guard let close = rest.firstIndex(of: ">") else { return "unclosed <" }
    let tag = rest[rest.index(after: open)..<close]
    rest = rest[rest.index(after: close)...]
    if tag.hasPrefix("!") { continue }
    if tag.hasPrefix("/") {
      let name = String(tag.dropFirst())
      guard stack.last == name else { return "</\(name)> closes <\(stack.last ?? "nothing")>" }
      stack.removeLast()
      continue
    }
    let name = String(tag.prefix { $0 != " " && $0 != "/" })
    guard name.allSatisfy({ $0.isLetter || $0.isNumber }), !name.isEmpty else {
      return "a stray < before \(tag.prefix(20))"
    }
    if tag.hasSuffix("/") || void.contains(name) { continue }
    stack.append(name)
  }
  return stack.isEmpty ? nil : "unclosed \(stack)"
}

/// The XML parser's error, or nil: the page is also well-formed XML (quoted attributes, closed
/// void elements, only the XML character references).
private func xmlError(_ html: String) throws -> String? {
  #if canImport(FoundationXML) || canImport(Darwin)
    let parser = XMLParser(data: Data(html.utf8))
    return parser.parse() ? nil : (parser.parserError.map { "\($0)" } ?? "not well-formed")
  #else
    return nil
  #endif
}
