/// The report of `survey weight`: what was read, the targets, and what weighting did — every
/// margin category's target against its weighted total before and after, and the spread of the
/// weights. Shown by a `ReportFormat` (`.text(language:)`, `.json(language:)`).
public struct WeightingReport: Sendable {
  public var survey: SurveyInfo
  /// The export as the user named it.
  public var file: String
  public var codebookPath: String?
  public var targetsPath: String
  public var rowsRead: Int
  public var rowsAccepted: Int
  public var rowsRejected: Int
  public var design: DesignSummary
  public var result: WeightingResult

  public init(
    survey: SurveyInfo, file: String, codebookPath: String?, targetsPath: String, rowsRead: Int,
    rowsAccepted: Int, rowsRejected: Int, design: DesignSummary, result: WeightingResult
  ) {
    self.survey = survey
    self.file = file
    self.codebookPath = codebookPath
    self.targetsPath = targetsPath
    self.rowsRead = rowsRead
    self.rowsAccepted = rowsAccepted
    self.rowsRejected = rowsRejected
    self.design = design
    self.result = result
  }

  /// The report of an ingested export.
  public init(
    result ingest: IngestResult, codebook: Codebook, codebookPath: String?, targetsPath: String,
    designVariables: DesignVariables, base: SurveyDesign, result: WeightingResult
  ) {
    self.init(
      survey: codebook.survey, file: ingest.file, codebookPath: codebookPath,
      targetsPath: targetsPath, rowsRead: ingest.rowsRead, rowsAccepted: ingest.rowsAccepted,
      rowsRejected: ingest.rowsRejected,
      design: DesignSummary(design: base, variables: designVariables), result: result)
  }

  /// `rows read 1,200 = 1,200 accepted + 0 rejected`.
  public var rowAccounting: String {
    "rows read \(grouped(rowsRead)) = \(grouped(rowsAccepted)) accepted + "
      + "\(grouped(rowsRejected)) rejected"
  }

  /// The report in `format`.
  public func render(_ format: some ReportFormat<WeightingReport>) -> String {
    format.render(self)
  }
}

extension WeightingTargets.Method {
  /// The method's short name, for a report's header line.
  func shortName(_ wording: Wording) -> String {
    switch self {
    case .rake: return wording("レイキング", "raking")
    case .postStratify: return wording("事後層化", "post-stratification")
    case .calibrateLinear: return wording("線形キャリブレーション", "linear calibration")
    case .calibrateRaking: return wording("レイキング型キャリブレーション", "raking calibration")
    }
  }

  /// What the method is called in a report.
  func name(_ wording: Wording) -> String {
    switch self {
    case .rake: return wording("レイキング（反復比例調整）", "raking (iterative proportional fitting)")
    case .postStratify: return wording("事後層化", "post-stratification")
    case .calibrateLinear: return wording("キャリブレーション（線形・GREG）", "calibration (linear, GREG)")
    case .calibrateRaking: return wording("キャリブレーション（レイキング型）", "calibration (raking distance)")
    }
  }
}

/// `survey weight`'s report for a terminal: the method and how it ended, one table per margin
/// (target, share, before, after, respondents), and the weights before and after.
///
/// ```text
/// F2 年齢
///                 n     目標値  目標%    調整前  調整前%    調整後  調整後%
///   18～29歳     84   20,189   13.9    11,970     8.3   20,189   13.9
/// ```
public struct WeightingTextFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) { self.language = language }

  public func render(_ report: WeightingReport) -> String {
    let say = Wording(language: language)
    let result = report.result
    var lines: [String] = []
    lines.append(say.text(report.survey.title) + say(" ウェイト調整", ": weighting"))
    var data = say("データ: ", "data: ") + report.file
    if let codebook = report.codebookPath {
      data += say("（コードブック \(codebook)）", " (codebook \(codebook))")
    }
    lines.append(data)
    lines.append(report.rowAccounting)
    lines.append(say("目標値: ", "targets: ") + report.targetsPath)
    var method = say("方法: ", "method: ") + result.method.name(say)
    switch result.method {
    case .rake:
      method += say(
        "、\(result.iterations)回で収束（上限 \(result.options.raking.maxIterations)回、epsilon \(formatAmount(result.options.raking.epsilon))）",
        ", converged in \(result.iterations) pass\(result.iterations == 1 ? "" : "es") (at most \(result.options.raking.maxIterations), epsilon \(formatAmount(result.options.raking.epsilon)))"
      )
    case .calibrateLinear, .calibrateRaking:
      if let bounds = result.options.bounds {
        method += say(
          "、g の範囲 \(formatAmount(bounds.lowerBound))–\(formatAmount(bounds.upperBound))",
          ", g bounded to \(formatAmount(bounds.lowerBound))–\(formatAmount(bounds.upperBound))")
      }
      method += say(
        "、\(result.iterations)回の反復",
        ", \(result.iterations) iteration\(result.iterations == 1 ? "" : "s")")
    case .postStratify: break
    }
    lines.append(method)
    lines.append(say("母集団: ", "population: ") + Figures.weighted(result.population))
    if let trim = result.options.trim, trim.lower != nil || trim.upper != nil {
      let unit = trim.relativeToMean ? say(" × 平均ウェイト", " × the mean weight") : ""
      let bounds =
        "\(trim.lower.map(formatAmount) ?? "0")–\(trim.upper.map(formatAmount) ?? "∞")\(unit)"
      lines.append(
        say(
          "トリミング: \(bounds)\(trim.strict ? "（厳密）" : "")、\(grouped(result.trimmed))行を切り詰め",
          "trimming: \(bounds)\(trim.strict ? " (strict)" : ""), \(grouped(result.trimmed)) rows trimmed"
        ))
    }
    for note in result.notes { lines.append(say("注: ", "note: ") + say.text(note)) }
    for margin in result.margins {
      lines.append("")
      lines.append(margin.variable + (margin.label.map { " " + say.text($0) } ?? ""))
      lines += grid(margin, population: result.population, say: say)
    }
    lines.append("")
    lines.append(say("ウェイト", "weights"))
    lines += summaryGrid(before: result.before, after: result.after, say: say)
    return lines.joined(separator: "\n") + "\n"
  }

  private func grid(_ margin: WeightingResult.Margin, population: Double, say: Wording)
    -> [String]
  {
    let header = [
      "n", say("目標値", "target"), say("目標%", "target %"), say("調整前", "before"),
      say("調整前%", "before %"), say("調整後", "after"), say("調整後%", "after %"),
    ]
    let before = margin.categories.reduce(0) { $0 + $1.before }
    let after = margin.categories.reduce(0) { $0 + $1.after }
    let rows = margin.categories.map { category -> (String, [String]) in
      let label =
        (category.code.map { "\($0) " } ?? "") + say.text(category.label)
      return (
        label,
        [
          Figures.count(category.respondents), Figures.weighted(category.target),
          Figures.percent(category.target / population), Figures.weighted(category.before),
          Figures.percent(category.before / before), Figures.weighted(category.after),
          Figures.percent(category.after / after),
        ]
      )
    }
    return aligned(header: header, rows: rows)
  }

  private func summaryGrid(before: WeightSummary, after: WeightSummary, say: Wording) -> [String] {
    func column(_ summary: WeightSummary) -> [String] {
      [
        Figures.count(summary.count), Figures.weighted(summary.sum),
        Figures.fixed(summary.minimum, 2), Figures.fixed(summary.maximum, 2),
        Figures.fixed(summary.mean, 2), Figures.fixed(summary.coefficientOfVariation, 3),
        Figures.weighted(summary.effectiveSampleSize), Figures.percent(summary.efficiency),
        Figures.fixed(summary.designEffect, 3),
      ]
    }
    let names = [
      "n", say("合計", "sum"), say("最小", "min"), say("最大", "max"), say("平均", "mean"),
      say("変動係数", "CV"), say("有効標本サイズ（Kish）", "effective sample size (Kish)"),
      say("ウェイト効率 %", "weighting efficiency %"),
      say("ウェイトによるデザイン効果", "design effect due to weighting"),
    ]
    let b = column(before)
    let a = column(after)
    return aligned(
      header: [say("調整前", "before"), say("調整後", "after")],
      rows: names.indices.map { (names[$0], [b[$0], a[$0]]) })
  }

  /// Rows aligned by display width: labels left, figures right, two spaces between columns.
  private func aligned(header: [String], rows: [(String, [String])]) -> [String] {
    let labelWidth = rows.map { TextWidth.of($0.0) }.max() ?? 0
    var widths = header.map { TextWidth.of($0) }
    for row in rows {
      for (index, cell) in row.1.enumerated() {
        widths[index] = max(widths[index], TextWidth.of(cell))
      }
    }
    func line(_ label: String, _ cells: [String]) -> String {
      var text = "  " + TextWidth.padding(label, to: labelWidth)
      for (index, cell) in cells.enumerated() {
        text += "  " + TextWidth.leftPadding(cell, to: widths[index])
      }
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    return [line("", header)] + rows.map { line($0.0, $0.1) }
  }
}

/// `survey weight`'s report as JSON (docs/weighting.md), numbers unrounded.
public struct WeightingJSONFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) { self.language = language }

  public func render(_ report: WeightingReport) -> String {
    let result = report.result
    func summary(_ summary: WeightSummary) -> JSONValue {
      .object([
        ("n", .int(summary.count)), ("sum", .number(summary.sum)),
        ("min", .number(summary.minimum)), ("max", .number(summary.maximum)),
        ("mean", .number(summary.mean)), ("cv", .number(summary.coefficientOfVariation)),
        ("effectiveSampleSize", .number(summary.effectiveSampleSize)),
        ("efficiency", .number(summary.efficiency)),
        ("designEffect", .number(summary.designEffect)),
      ])
    }
    let margins = result.margins.map { margin -> JSONValue in
      .object([
        ("variable", .string(margin.variable)),
        ("label", .string(margin.label?.text(in: language))),
        (
          "categories",
          .array(
            margin.categories.map { category in
              .object([
                ("code", category.code.map { .int($0) } ?? .null),
                ("label", .string(category.label.text(in: language))),
                ("respondents", .int(category.respondents)),
                ("target", .number(category.target)),
                ("before", .number(category.before)),
                ("after", .number(category.after)),
              ])
            })
        ),
      ])
    }
    var weighting: [(String, JSONValue)] = [
      ("targets", .string(report.targetsPath)),
      ("method", .string(result.method.rawValue)),
      ("iterations", .int(result.iterations)),
      ("population", .number(result.population)),
    ]
    if result.method == .rake {
      weighting.append(("maxIterations", .int(result.options.raking.maxIterations)))
      weighting.append(("epsilon", .number(result.options.raking.epsilon)))
    }
    if let bounds = result.options.bounds {
      weighting.append(
        ("bounds", .array([.number(bounds.lowerBound), .number(bounds.upperBound)])))
    }
    if let trim = result.options.trim {
      weighting.append(
        (
          "trim",
          .object([
            ("lower", .number(trim.lower)), ("upper", .number(trim.upper)),
            ("relativeToMean", .bool(trim.relativeToMean)), ("strict", .bool(trim.strict)),
            ("trimmedRows", .int(result.trimmed)), ("passes", .int(result.trimPasses)),
          ])
        ))
    }
    weighting.append(("notes", .array(result.notes.map { .string($0.text(in: language)) })))
    let document = JSONValue.object([
      ("survey", .survey(report.survey, language: language)),
      ("file", .string(report.file)),
      ("codebook", .string(report.codebookPath)),
      (
        "rows",
        .rows(read: report.rowsRead, accepted: report.rowsAccepted, rejected: report.rowsRejected)
      ),
      ("design", .design(report.design)),
      ("weighting", .object(weighting)),
      ("margins", .array(margins)),
      ("weights", .object([("before", summary(result.before)), ("after", summary(result.after))])),
    ])
    return document.rendered()
  }
}

extension ReportFormat where Self == WeightingTextFormat {
  /// The weighting report for a terminal.
  public static func text(language: Language = .japanese) -> WeightingTextFormat {
    WeightingTextFormat(language: language)
  }
}

extension ReportFormat where Self == WeightingJSONFormat {
  /// The weighting report as JSON (docs/weighting.md).
  public static func json(language: Language = .japanese) -> WeightingJSONFormat {
    WeightingJSONFormat(language: language)
  }
}
