import Foundation

/// The words and cells of the KPI table, shared by the text and Markdown formats.
struct KPILayout {
  let report: KPIReport
  let say: Wording

  init(_ report: KPIReport, language: Language) {
    self.report = report
    say = Wording(language: language)
  }

  var title: String {
    (report.strategy.map { say.text($0) + " " } ?? "")
      + say("評価指標の達成状況", "achievement of the indicators")
  }

  var headerLines: [String] {
    [
      say("定義: ", "definitions: ") + report.definitionsPath + say("　台帳: ", "; ledger: ")
        + report.ledgerPath,
      say(
        "達成状況 = 最新の実績 ÷ 目標値（小さいほど良い指標は 目標値 ÷ 実績）、指標ごとに上限（通常 120%）、整数の%に四捨五入。平均は上限適用後の達成状況の平均",
        "achievement = latest actual ÷ target (target ÷ actual where lower is better), capped per indicator (usually 120%), rounded half up to a whole percent; means are of the capped rates"
      ),
    ]
  }

  /// The years shown as actuals: every year with a recorded value.
  var actualYears: [Int] {
    Array(Set(report.goals.flatMap { $0.rows.flatMap { $0.values.keys } })).sorted()
  }

  var header: [String] {
    [say("単位", "unit"), say("基準値", "baseline")]
      + actualYears.map { JapaneseYear.labelWithWestern($0) }
      + [say("目標値", "target"), say("達成状況", "achievement")]
  }

  func name(_ row: KPIReport.Row) -> String {
    say.text(row.definition.name) + (row.definition.cumulative ? say("【累計】", " (cumulative)") : "")
      + (row.flags.isEmpty ? "" : " †")
  }

  func cells(_ row: KPIReport.Row) -> [String] {
    let definition = row.definition
    let decimals = definition.decimals
    var cells = [definition.unit.map { say.text($0) } ?? ""]
    if let baseline = definition.baseline {
      cells.append(
        "\(formatKPIValue(baseline.value, decimals: decimals)) (\(JapaneseYear.label(baseline.year)))"
      )
    } else {
      cells.append(Figures.dash)
    }
    for year in actualYears {
      cells.append(
        row.values[year].map { formatKPIValue($0.entry.value, decimals: decimals) } ?? Figures.dash)
    }
    cells.append(
      "\(formatKPIValue(definition.target.value, decimals: decimals)) (\(JapaneseYear.label(definition.target.year)))"
    )
    cells.append(
      row.achievement.map { "\($0.percent)%" + ($0.isCapped ? "*" : "") } ?? Figures.dash)
    return cells
  }

  func goalTitle(_ goal: KPIReport.Goal) -> String {
    say("基本目標\(goal.goal.number) ", "Basic goal \(goal.goal.number): ") + say.text(goal.goal.name)
  }

  func goalMean(_ goal: KPIReport.Goal) -> String {
    let rated = goal.rows.filter { $0.achievement != nil }.count
    return say("平均（\(rated)指標）", "mean (\(rated) indicators)") + " "
      + (goal.meanRate.map { "\(roundHalfUp($0 * 100))%" } ?? Figures.dash)
  }

  var overall: String {
    say("全体（\(report.ratedCount)指標の平均）", "overall (mean of \(report.ratedCount) indicators)")
      + " " + (report.meanRate.map { "\(roundHalfUp($0 * 100))%" } ?? Figures.dash)
  }

  var notes: [String] {
    var notes: [String] = []
    for goal in report.goals {
      for row in goal.rows {
        for flag in row.flags {
          notes.append("† " + say.text(row.definition.name) + ": " + say.text(flag))
        }
      }
    }
    if report.goals.contains(where: { $0.rows.contains { $0.achievement?.isCapped == true } }) {
      notes.append(say("* 上限で計上", "* counted at the cap"))
    }
    return notes
  }

  /// The changes of survey-based indicators, a few lines each.
  var changeLines: [String] {
    var lines: [String] = []
    for goal in report.goals {
      for row in goal.rows where !row.changes.isEmpty {
        let definition = row.definition
        let decimals = definition.decimals
        lines.append("  " + say.text(definition.name))
        if let year = row.values.keys.max(), let value = row.values[year]?.entry {
          var text =
            "    \(JapaneseYear.labelWithWestern(year)) \(formatKPIValue(value.value, decimals: decimals))"
          var details: [String] = []
          if let se = value.standardError {
            details.append(say("標準誤差 ", "SE ") + Figures.fixed(se, decimals + 1))
          }
          if let lower = value.lower, let upper = value.upper {
            let level = value.confidenceLevel.map(Figures.level) ?? "95%"
            details.append(
              say("\(level)信頼区間 ", "\(level) CI ")
                + "\(Figures.fixed(lower, decimals))–\(Figures.fixed(upper, decimals))")
          }
          if let n = value.respondents { details.append("n " + grouped(n)) }
          if !details.isEmpty {
            text += say("（", " (") + details.joined(separator: say("、", ", ")) + say("）", ")")
          }
          lines.append(text)
        }
        for change in row.changes {
          let from =
            change.reference == .baseline
            ? say("基準値 ", "baseline ") : say("前回 ", "previous ")
          var text =
            "    " + from + JapaneseYear.labelWithWestern(change.fromYear) + " "
            + formatKPIValue(change.from, decimals: decimals) + say(" から ", ": ")
            + signed(change.difference, decimals: decimals)
          if let se = change.standardError, let z = change.z, let significant = change.isSignificant
          {
            text +=
              say("（標準誤差 ", " (SE ") + Figures.fixed(se, decimals + 1) + say("、z ", ", z ")
              + Figures.fixed(z, 2)
              + (change.fixedReference ? say("、基準値は公表値として固定", "; the baseline taken as fixed") : "")
              + say("）", ")")
            text +=
              significant
              ? (change.difference > 0 ? " ▲" : " ▼") + say(" 5%水準で有意", " significant at 5%")
              : say(" 有意差なし", " not significant")
          } else {
            text += say("（標準誤差なし: 検定できない）", " (no SE: not tested)")
          }
          lines.append(text)
        }
      }
    }
    return lines
  }

  /// `+9.8`, `−0.12`, and `±0.00` for a change that rounds to nothing.
  func signed(_ value: Double, decimals: Int) -> String {
    let magnitude = formatKPIValue(abs(value), decimals: decimals)
    let isZero = magnitude.allSatisfy { $0 == "0" || $0 == "." || $0 == "," }
    return (isZero ? "±" : value > 0 ? "+" : "−") + magnitude
  }
}

/// `survey kpi show` for a terminal: one table with a section per basic goal, columns aligned by
/// display width.
public struct KPITextFormat: ReportFormat {
  public var language: Language
  public init(language: Language = .japanese) { self.language = language }

  public func render(_ report: KPIReport) -> String {
    let layout = KPILayout(report, language: language)
    var lines = [layout.title] + layout.headerLines
    let rows = report.goals.flatMap { $0.rows }
    let labelWidth = max(
      rows.map { TextWidth.of(layout.name($0)) + 2 }.max() ?? 0,
      report.goals.map { TextWidth.of(layout.goalMean($0)) }.max() ?? 0)
    var widths = layout.header.map { TextWidth.of($0) }
    for row in rows {
      for (index, cell) in layout.cells(row).enumerated() {
        widths[index] = max(widths[index], TextWidth.of(cell))
      }
    }
    func line(_ label: String, _ cells: [String]) -> String {
      var text = TextWidth.padding(label, to: labelWidth)
      for (index, cell) in cells.enumerated() {
        text += "  " + TextWidth.leftPadding(cell, to: widths[index])
      }
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    for goal in report.goals {
      lines.append("")
      lines.append(layout.goalTitle(goal))
      lines.append(line("", layout.header))
      for row in goal.rows { lines.append(line("  " + layout.name(row), layout.cells(row))) }
      lines.append("  " + layout.goalMean(goal))
    }
    lines.append("")
    lines.append(layout.overall)
    let notes = layout.notes
    if !notes.isEmpty {
      lines.append("")
      lines += notes
    }
    let changes = layout.changeLines
    if !changes.isEmpty {
      lines.append("")
      lines.append(
        layout.say(
          "調査に基づく指標の変化（差の標準誤差 √(se₁² + se₂²)、▲▼ 5%水準で有意）",
          "changes of the survey-based indicators (SE of a difference √(se₁² + se₂²); ▲▼ significant at 5%)"
        ))
      lines += changes
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The KPI table as Markdown: a section per basic goal.
public struct KPIMarkdownFormat: ReportFormat {
  public var language: Language
  public init(language: Language = .japanese) { self.language = language }

  public func render(_ report: KPIReport) -> String {
    let layout = KPILayout(report, language: language)
    let escape = MarkdownFormat.escape
    var lines = ["# " + escape(layout.title), ""] + layout.headerLines.map { "- " + escape($0) }
    for goal in report.goals {
      lines += ["", "## " + escape(layout.goalTitle(goal)), ""]
      lines.append("| | " + layout.header.map(escape).joined(separator: " | ") + " |")
      lines.append("|---|" + String(repeating: "---:|", count: layout.header.count))
      for row in goal.rows {
        lines.append(
          "| " + escape(layout.name(row)) + " | "
            + layout.cells(row).map(escape).joined(separator: " | ") + " |")
      }
      lines += ["", escape(layout.goalMean(goal))]
    }
    lines += ["", "**" + escape(layout.overall) + "**"]
    let notes = layout.notes
    if !notes.isEmpty { lines += [""] + notes.map { "- " + escape($0) } }
    let changes = layout.changeLines
    if !changes.isEmpty {
      lines += [""] + changes.map { "- " + escape($0.trimmingCharacters(in: .whitespaces)) }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The KPI table as CSV: one row per indicator with unrounded numbers; a column per year. A text
/// cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (`CSVCell`).
public struct KPICSVFormat: ReportFormat {
  public var language: Language
  public init(language: Language = .japanese) { self.language = language }

  public func render(_ report: KPIReport) -> String {
    let layout = KPILayout(report, language: language)
    let years = layout.actualYears
    var lines = [
      (["goal", "id", "name", "unit", "cumulative", "baseline_year", "baseline"]
        + years.map { "actual_\($0)" }
        + [
          "target_year", "target", "latest_year", "rate", "capped_rate", "achievement_percent",
          "flags",
        ]).joined(separator: ",")
    ]
    // Text cells (ids, names, units, flags) are neutralised against formulas; numbers never are.
    func number(_ value: Double?) -> CSVCell { .number(value.map(Figures.exact) ?? "") }
    func whole(_ value: Int?) -> CSVCell { .number(value.map(String.init) ?? "") }
    for goal in report.goals {
      for row in goal.rows {
        let definition = row.definition
        var fields: [CSVCell] = [
          whole(goal.goal.number), .text(definition.id), .text(layout.say.text(definition.name)),
          .text(definition.unit.map { layout.say.text($0) } ?? ""),
          .text(definition.cumulative ? "true" : "false"), whole(definition.baseline?.year),
          number(definition.baseline?.value),
        ]
        fields += years.map { number(row.values[$0]?.entry.value) }
        fields += [
          whole(definition.target.year), number(definition.target.value),
          whole(row.achievement?.actual.year), number(row.achievement?.rate),
          number(row.achievement?.cappedRate), whole(row.achievement?.percent),
          .text(row.flags.map { layout.say.text($0) }.joined(separator: " / ")),
        ]
        lines.append(CSVCell.line(fields))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The KPI report as JSON (docs/kpi.md), numbers unrounded.
public struct KPIJSONFormat: ReportFormat {
  public var language: Language
  public init(language: Language = .japanese) { self.language = language }

  public func render(_ report: KPIReport) -> String {
    let say = Wording(language: language)
    func yearValue(_ value: KPIYearValue?) -> JSONValue {
      value.map {
        .object([
          ("year", .int($0.year)), ("label", .string(JapaneseYear.label($0.year))),
          ("value", .number($0.value)),
        ])
      } ?? .null
    }
    func recorded(_ value: LedgerValue) -> JSONValue {
      let entry = value.entry
      return .object([
        ("year", .int(entry.year)), ("label", .string(JapaneseYear.label(entry.year))),
        ("value", .number(entry.value)), ("publishedText", .string(entry.publishedText)),
        ("standardError", .number(entry.standardError)), ("lower", .number(entry.lower)),
        ("upper", .number(entry.upper)), ("confidenceLevel", .number(entry.confidenceLevel)),
        ("respondents", entry.respondents.map { .int($0) } ?? .null),
        ("source", .string(entry.source.rawValue)), ("sourceFile", .string(entry.sourceFile)),
        ("sourceHash", .string(entry.sourceHash)), ("note", .string(entry.note)),
      ])
    }
    func change(_ change: KPIChange) -> JSONValue {
      .object([
        ("reference", .string(change.reference.rawValue)), ("fromYear", .int(change.fromYear)),
        ("from", .number(change.from)), ("toYear", .int(change.toYear)),
        ("to", .number(change.to)), ("difference", .number(change.difference)),
        ("standardError", .number(change.standardError)), ("z", .number(change.z)),
        ("significant", change.isSignificant.map { .bool($0) } ?? .null),
        ("fixedReference", .bool(change.fixedReference)),
      ])
    }
    let goals = report.goals.map { goal -> JSONValue in
      .object([
        ("number", .int(goal.goal.number)), ("name", .string(say.text(goal.goal.name))),
        ("meanRate", .number(goal.meanRate)),
        ("meanPercent", goal.meanRate.map { .int(roundHalfUp($0 * 100)) } ?? .null),
        (
          "indicators",
          .array(
            goal.rows.map { row in
              let definition = row.definition
              return .object([
                ("id", .string(definition.id)), ("name", .string(say.text(definition.name))),
                ("unit", .string(definition.unit.map { say.text($0) })),
                ("direction", .string(definition.direction.rawValue)),
                ("cumulative", .bool(definition.cumulative)),
                ("rule", .string(definition.rule.rawValue)), ("cap", .number(definition.cap)),
                ("baseline", yearValue(definition.baseline)),
                ("target", yearValue(definition.target)),
                (
                  "values",
                  .array(row.values.keys.sorted().compactMap { row.values[$0] }.map(recorded))
                ),
                (
                  "achievement",
                  row.achievement.map { achievement in
                    .object([
                      ("year", .int(achievement.actual.year)),
                      ("actual", .number(achievement.actual.value)),
                      ("rate", .number(achievement.rate)),
                      ("cappedRate", .number(achievement.cappedRate)),
                      ("percent", .int(achievement.percent)),
                      ("capped", .bool(achievement.isCapped)),
                    ])
                  } ?? .null
                ),
                ("publishedRate", .number(definition.publishedRate)),
                ("flags", .array(row.flags.map { .string(say.text($0)) })),
                ("changes", .array(row.changes.map(change))),
              ])
            })
        ),
      ])
    }
    let document = JSONValue.object([
      ("schema", .string("surveykit-kpi/1")),
      ("strategy", .string(report.strategy.map { say.text($0) })),
      ("definitions", .string(report.definitionsPath)), ("ledger", .string(report.ledgerPath)),
      ("years", .array(report.years.map { .int($0) })),
      ("goals", .array(goals)),
      (
        "overall",
        .object([
          ("meanRate", .number(report.meanRate)),
          ("meanPercent", report.meanRate.map { .int(roundHalfUp($0 * 100)) } ?? .null),
          ("rated", .int(report.ratedCount)), ("indicators", .int(report.indicatorCount)),
        ])
      ),
    ])
    return document.rendered()
  }
}

extension KPIReport {
  /// The report in `format`.
  public func render(_ format: some ReportFormat<KPIReport>) -> String { format.render(self) }
}

extension ReportFormat where Self == KPITextFormat {
  public static func text(language: Language = .japanese) -> KPITextFormat {
    KPITextFormat(language: language)
  }
}

extension ReportFormat where Self == KPIMarkdownFormat {
  public static func markdown(language: Language = .japanese) -> KPIMarkdownFormat {
    KPIMarkdownFormat(language: language)
  }
}

extension ReportFormat where Self == KPICSVFormat {
  public static func csv(language: Language = .japanese) -> KPICSVFormat {
    KPICSVFormat(language: language)
  }
}

extension ReportFormat where Self == KPIJSONFormat {
  public static func json(language: Language = .japanese) -> KPIJSONFormat {
    KPIJSONFormat(language: language)
  }
}
