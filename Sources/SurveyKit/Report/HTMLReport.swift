/// The council's report (総合戦略推進会議の資料) as one self-contained web page: the cover, the
/// contents, how the tables were made, every banner table with its charts drawn as inline SVG,
/// the KPI table and the appendix of sampling errors.
///
/// The page needs nothing else: the style sheet is inline, the charts are inline SVG, the fonts
/// are the system's (a Japanese-friendly stack), and there is no script. A content security
/// policy forbids fetching anything, so a page opened from a shared drive shows the same as one
/// printed on A4 (landscape, a page per table, the banner repeated on every page).
///
/// Every text of the data (labels, questions, notes, file names) is escaped; nothing from the
/// data becomes markup or a link. The ids come from the tables' numbers (`table-3`,
/// `table-3-stub-1`, `table-3-chart-1`), so the same report renders the same bytes.
///
/// ```swift
/// try AtomicFile.write(HTMLReport(council).render(), to: "reports/council.html")
/// ```
public struct HTMLReport: Sendable {
  public var report: CouncilReport

  public init(_ report: CouncilReport) {
    self.report = report
  }

  /// The whole document, UTF-8 text.
  public func render() -> String {
    let say = Wording(language: report.language)
    let layout = BannerLayout(report.tables, language: report.language)
    var html: [String] = [
      "<!DOCTYPE html>",
      "<html lang=\"\(report.language.rawValue)\">",
      "<head>",
      "<meta charset=\"utf-8\" />",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />",
      "<meta http-equiv=\"Content-Security-Policy\" "
        + "content=\"default-src 'none'; style-src 'unsafe-inline'\" />",
      "<title>" + Self.escape(documentTitle(say)) + "</title>",
      "<style>",
      Self.styleSheet,
      "</style>",
      "</head>",
      "<body>",
    ]
    html += cover(say)
    html += contents(layout, say: say)
    html.append("<main>")
    html += method(layout, say: say)
    html += bannerTables(layout, say: say)
    if let kpi = report.kpi { html += kpiSection(kpi, say: say) }
    html += appendix(say)
    html += ["</main>", "</body>", "</html>"]
    return html.joined(separator: "\n") + "\n"
  }

  /// `市民意識調査 2019 調査結果報告書`.
  func documentTitle(_ say: Wording) -> String {
    var title = say.text(report.survey.title)
    if let wave = report.survey.wave, !wave.isEmpty { title += " " + wave }
    return title + say(" 調査結果報告書", ": survey report")
  }

  // MARK: - Cover

  /// The survey, its fieldwork and sample, the responses, and the weighting.
  func cover(_ say: Wording) -> [String] {
    let e = Self.escape
    var html = [
      "<header id=\"cover\" class=\"cover\">",
      "<p class=\"kicker\">" + e(say("総合戦略推進会議 資料", "Strategy council: material")) + "</p>",
      "<h1>" + e(say.text(report.survey.title)) + "</h1>",
      "<p class=\"subtitle\">" + e(say("調査結果報告書", "Survey report")) + "</p>",
      "<h2 id=\"cover-survey\">" + e(say("調査の概要", "The survey")) + "</h2>",
      "<dl class=\"facts\">",
    ]
    var facts: [(String, String)] = [(say("調査名", "Survey"), say.text(report.survey.title))]
    if let wave = report.survey.wave, !wave.isEmpty { facts.append((say("調査回", "Wave"), wave)) }
    if let fieldwork = report.fieldwork, !fieldwork.isEmpty {
      facts.append((say("調査期間", "Fieldwork"), fieldwork))
    }
    if let population = report.survey.population {
      facts.append((say("母集団（N）", "Population (N)"), Figures.weighted(population)))
    }
    if let sent = report.sampleSize {
      facts.append((say("発送数", "Questionnaires sent"), grouped(sent)))
    }
    facts.append((say("回収数", "Responses received"), grouped(report.rowsRead)))
    facts.append((say("除外した票", "Rejected"), grouped(report.rowsRejected)))
    facts.append((say("有効回収数", "Valid responses"), grouped(report.rowsAccepted)))
    if let rate = report.responseRate {
      facts.append((say("有効回収率", "Response rate"), Figures.percent(rate) + "%"))
    }
    html += facts.map { Self.fact($0.0, $0.1) }
    html.append("</dl>")
    if let note = report.survey.note, !note.isEmpty {
      html.append("<p class=\"note\">" + e(note) + "</p>")
    }
    html.append("<h2 id=\"cover-weighting\">" + e(say("ウェイト調整", "Weighting")) + "</h2>")
    guard let weighting = report.weighting else {
      html.append(
        "<p>" + e(say("ウェイト調整なし（全員 1）", "no weighting (every respondent counts 1)")) + "</p>")
      html.append("</header>")
      return html
    }
    html.append("<dl class=\"facts\">")
    var rows: [(String, String)] = [(say("方法", "Method"), weighting.method.name(say))]
    let margins = weighting.margins.map { margin in
      margin.variable + (margin.label.map { " " + say.text($0) } ?? "")
    }
    rows.append((say("調整の変数", "Margins"), margins.joined(separator: say("、", "; "))))
    var targets = say("母集団 ", "population ") + Figures.weighted(weighting.population)
    if let file = report.weightingTargets {
      targets = file + say("（", " (") + targets + say("）", ")")
    }
    rows.append((say("目標値", "Targets"), targets))
    switch weighting.method {
    case .rake:
      let count = weighting.iterations
      rows.append(
        (
          say("反復", "Passes"),
          say("\(count)回で収束", "converged in \(count) pass\(count == 1 ? "" : "es")")
        ))
    case .calibrateLinear, .calibrateRaking:
      let count = weighting.iterations
      rows.append(
        (say("反復", "Iterations"), say("\(count)回", "\(count) iteration\(count == 1 ? "" : "s")")))
    case .postStratify: break
    }
    if weighting.trimmed > 0 {
      rows.append(
        (
          say("トリミング", "Trimming"),
          say("\(grouped(weighting.trimmed))行", grouped(weighting.trimmed))
        ))
    }
    let after = weighting.after
    rows.append(
      (
        say("有効標本サイズ（Kish）", "Effective sample size (Kish)"),
        Figures.weighted(after.effectiveSampleSize)
          + say("（ウェイト効率 ", " (weighting efficiency ") + Figures.percent(after.efficiency)
          + say("%）", "%)")
      ))
    rows.append(
      (
        say("ウェイトによるデザイン効果", "Design effect due to weighting"),
        Figures.fixed(after.designEffect, 2)
      ))
    html += rows.map { Self.fact($0.0, $0.1) }
    html.append("</dl>")
    if !weighting.notes.isEmpty {
      html.append("<ul class=\"notes\">")
      html += weighting.notes.map { "<li>" + e(say.text($0)) + "</li>" }
      html.append("</ul>")
    }
    html.append("</header>")
    return html
  }

  static func fact(_ term: String, _ value: String) -> String {
    "<div><dt>" + escape(term) + "</dt><dd>" + escape(value) + "</dd></div>"
  }

  // MARK: - Contents and method

  /// The list of links to every section and table.
  func contents(_ layout: BannerLayout, say: Wording) -> [String] {
    let e = Self.escape
    var html = [
      "<nav id=\"contents\" class=\"contents\" aria-labelledby=\"contents-heading\">",
      "<h2 id=\"contents-heading\">" + e(say("目次", "Contents")) + "</h2>",
      "<ol>",
      Self.link("cover", say("調査の概要", "The survey")),
      Self.link("method", say("集計の方法と凡例", "Method and legend")),
      "<li><a href=\"#tables\">" + e(say("集計表", "Tables")) + "</a>",
      "<ol>",
    ]
    for (index, table) in layout.tables.enumerated() {
      html.append(Self.link("table-\(index + 1)", table.heading))
    }
    html += ["</ol>", "</li>"]
    if let kpi = report.kpi {
      html.append(Self.link("kpi", KPILayout(kpi, language: report.language).title))
    }
    html.append(Self.link("appendix", appendixTitle(say)))
    html += ["</ol>", "</nav>"]
    return html
  }

  static func link(_ id: String, _ text: String) -> String {
    "<li><a href=\"#\(id)\">" + escape(text) + "</a></li>"
  }

  /// The banner report's header lines: data, accounting, design, weighting, tests, legend.
  func method(_ layout: BannerLayout, say: Wording) -> [String] {
    let e = Self.escape
    var html = [
      "<section id=\"method\" class=\"method\" aria-labelledby=\"method-heading\">",
      "<h2 id=\"method-heading\">" + e(say("集計の方法と凡例", "Method and legend")) + "</h2>",
      "<p class=\"report-title\">" + e(layout.title) + "</p>",
      "<ul class=\"notes\">",
    ]
    html += layout.headerLines.map { "<li>" + e($0) + "</li>" }
    html += ["</ul>", "</section>"]
    return html
  }

  // MARK: - Escaping

  /// `text` safe in HTML text, in a quoted attribute and in SVG: `& < > " '` as character
  /// references; control characters other than tab and line breaks left out (they are not
  /// allowed in HTML).
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
          continue
        }
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
