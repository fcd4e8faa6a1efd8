/// The words of a report in its language: `wording("合計（基数）", "Total (base)")`.
struct Wording: Sendable {
  var language: Language

  func callAsFunction(_ japanese: String, _ english: String) -> String {
    language == .japanese ? japanese : english
  }

  func text(_ text: LocalizedText) -> String { text.text(in: language) }

  /// `Q5 住みやすさ（単一回答）`: the variable, its label (or question) and its type.
  func title(_ table: FrequencyTable) -> String {
    var title = table.variable
    if let label = table.label ?? table.question { title += " " + text(label) }
    return title + self("（\(typeName(table.type))）", " (\(typeName(table.type)))")
  }

  func typeName(_ type: FrequencyTable.QuestionType) -> String {
    switch type {
    case .single: return self("単一回答", "single")
    case .multi: return self("複数回答", "multiple")
    case .numeric: return self("数値", "numeric")
    }
  }

  /// The question text, when the title shows the label (not the question itself).
  func question(_ table: FrequencyTable) -> String? {
    guard table.label != nil, let question = table.question else { return nil }
    return text(question)
  }

  func methodName(_ method: ProportionIntervalMethod) -> String {
    switch method {
    case .wald: return "Wald"
    case .logit: return "logit"
    case .beta: return "Korn–Graubard (beta)"
    case .wilson: return "Wilson"
    case .arcsine: return self("逆正弦 (asin)", "arcsine (asin)")
    }
  }

  func baseLabel(_ type: FrequencyTable.QuestionType) -> String {
    type == .multi ? self("回答者数（基数）", "Respondents (base)") : self("合計（基数）", "Total (base)")
  }

  var responsesLabel: String { self("回答数（延べ）", "Responses (all choices)") }

  func meanLabel(_ scale: MeanSummary.Scale) -> String {
    switch scale {
    case .values: return self("平均", "mean")
    case .codes(let lowest, let highest):
      return self("平均（\(lowest)～\(highest)のコード）", "mean of the codes (\(lowest)–\(highest))")
    case .reversedCodes(let lowest, let highest):
      let top = lowest + highest
      return self("平均（逆転尺度：\(top)−コード）", "mean, reversed scale (\(top) − code)")
    }
  }

  var medianLabel: String { self("中央値", "median") }

  var noRespondents: String {
    self(
      "回答者なし：すべての回答が欠損のため割合は計算できない",
      "no respondents: every answer is missing, so there are no percentages")
  }

  var zeroWeight: String {
    self("基数のウェイト合計が 0 のため割合は計算できない", "the base's weights add up to 0, so there are no percentages")
  }

  func omitted(_ distinct: Int) -> String {
    self(
      "値が \(grouped(distinct)) 通りあるため分布表は省略",
      "the distribution is left out: \(grouped(distinct)) different values")
  }

  /// `rows read 1,200 = 1,200 accepted + 0 rejected; 0 errors, 0 warnings`, as `survey check`.
  func accounting(_ report: FrequencyReport) -> String {
    var line = report.rowAccounting
    if report.rowsRejected > 0 {
      line += self(
        "（除外された行は集計に含まない。詳細は survey check）",
        " (rejected rows are left out; survey check lists every problem)")
    } else if report.errorCount > 0 || report.warningCount > 0 {
      line += self("（詳細は survey check）", " (survey check lists them)")
    }
    return line
  }

  /// The header lines: data, accounting, design, intervals, legend.
  func headerLines(_ report: FrequencyReport) -> [String] {
    let design = report.design
    let roles = design.variables
    var lines: [String] = []
    var data = self("データ: ", "data: ") + report.file
    if let codebook = report.codebookPath {
      data += self("（コードブック \(codebook)）", " (codebook \(codebook))")
    }
    lines.append(data)
    lines.append(accounting(report))
    var parts: [String] = []
    if let weight = roles.weight {
      parts.append(self("ウェイト \(weight)", "weights \(weight)"))
    } else {
      parts.append(self("ウェイトなし（全員 1）", "no weights (every row 1)"))
    }
    if let strata = roles.strata {
      parts.append(
        self(
          "層 \(strata)（\(grouped(design.strataCount))層）",
          "strata \(strata) (\(grouped(design.strataCount)))"))
    } else {
      parts.append(self("層なし", "no strata"))
    }
    if roles.clusters.isEmpty {
      parts.append(
        self(
          "PSU \(grouped(design.psuCount))（回答者単位）", "PSUs \(grouped(design.psuCount)) (respondents)"
        ))
    } else {
      let stages = roles.clusters.joined(separator: self("、第2段 ", ", stage 2 "))
      parts.append(
        self(
          "PSU \(stages)（\(grouped(design.psuCount))）",
          "PSUs \(stages) (\(grouped(design.psuCount)))"))
    }
    parts.append(
      self("自由度 \(grouped(design.degreesOfFreedom))", "df \(grouped(design.degreesOfFreedom))"))
    if !roles.populationSizes.isEmpty {
      let names = roles.populationSizes.joined(separator: ", ")
      parts.append(self("有限母集団修正 \(names)", "fpc \(names)"))
    }
    parts.append(
      self("単一PSUの層 \(design.lonelyPSU.rawValue)", "lonely PSUs \(design.lonelyPSU.rawValue)"))
    lines.append(self("設計: ", "design: ") + parts.joined(separator: self("、", "; ")))
    if let weighting = design.weighting {
      let variables = weighting.variables.joined(separator: ", ")
      let count = weighting.iterations
      var text = self(
        "ウェイト調整: \(weighting.method.shortName(self))（\(variables)、目標値 \(weighting.targets)",
        "weighting: \(weighting.method.shortName(self)) to \(variables) (targets \(weighting.targets)"
      )
      if weighting.method != .postStratify {
        let unit =
          weighting.method == .rake
          ? (count == 1 ? "pass" : "passes") : (count == 1 ? "iteration" : "iterations")
        text += self("、\(count)回", "; \(count) \(unit)")
      }
      if weighting.trimmedRows > 0 {
        text += self(
          "、\(grouped(weighting.trimmedRows))行をトリミング",
          "; \(grouped(weighting.trimmedRows)) rows trimmed")
      }
      text += self(
        "）、標準誤差は調整を反映",
        "); standard errors account for it")
      lines.append(text)
    }
    let level = Figures.level(report.options.confidenceLevel)
    let df = grouped(design.degreesOfFreedom)
    lines.append(
      self(
        "信頼水準 \(level)、割合の信頼区間 \(methodName(report.options.intervalMethod))、平均の信頼区間 t 分布（自由度 \(df)）",
        "confidence level \(level); intervals of percentages: \(methodName(report.options.intervalMethod)); of means: t with \(df) df"
      ))
    if report.options.includeMissing {
      lines.append(
        self(
          "無回答・わからない等の欠損コードを基数に含む（非該当は含まない）",
          "declared missing codes (no answer, don't know) are in the base; not applicable is not"))
    }
    lines.append(
      self(
        "* 基数に含まない（欠損）　− 回答者なし・計算できない",
        "* not in the base (missing); − no respondents, or cannot be computed"))
    return lines
  }

  func reportTitle(_ report: FrequencyReport) -> String {
    text(report.survey.title) + self(" 単純集計", ": frequency tables")
  }
}

extension FrequencyReport {
  /// `rows read 1,200 = 1,200 accepted + 0 rejected; 0 errors, 0 warnings`, as `survey check`
  /// counts them.
  public var rowAccounting: String {
    let errors = errorCount == 1 ? "1 error" : "\(grouped(errorCount)) errors"
    let warnings = warningCount == 1 ? "1 warning" : "\(grouped(warningCount)) warnings"
    return "rows read \(grouped(rowsRead)) = \(grouped(rowsAccepted)) accepted + "
      + "\(grouped(rowsRejected)) rejected; \(errors), \(warnings)"
  }
}
