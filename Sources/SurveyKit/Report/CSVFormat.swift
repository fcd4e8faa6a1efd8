/// The report as CSV for other programs: one row per table row, mean and median, with
/// unrounded numbers (the shortest text that reads back to the same double; percentages are
/// 100 × the share) and empty cells where a figure does not apply or cannot be computed.
///
/// ```csv
/// question,type,status,row,code,value,label,in_base,n,weighted,statistic,estimate,se,ci_lower,…
/// Q5,single,tabulated,category,1,,住みやすい,true,392,47631.666666666664,percent,33.098232691728626,…
/// ```
/// The columns are described in docs/freq.md. UTF-8 without a byte-order mark, LF line endings,
/// a field quoted only when it holds a comma, a quote or a line break.
public struct CSVFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public static let columns = [
    "question", "type", "status", "row", "code", "value", "label", "in_base", "n", "weighted",
    "statistic", "estimate", "se", "ci_lower", "ci_upper", "deff", "responses_percent",
    "responses_se", "responses_ci_lower", "responses_ci_upper",
  ]

  public func render(_ report: FrequencyReport) -> String {
    let wording = Wording(language: language)
    var lines = [Self.columns.joined(separator: ",")]
    func number(_ value: Double?) -> String { value.map(Figures.exact) ?? "" }
    func percent(_ value: Double?) -> String { value.map { Figures.exact($0 * 100) } ?? "" }
    func estimateFields(_ estimate: TableEstimate?, percent isPercent: Bool) -> [String] {
      guard let estimate else { return ["", "", "", ""] }
      let convert: (Double?) -> String = isPercent ? percent : number
      return [
        convert(estimate.estimate), convert(estimate.standardError),
        convert(estimate.confidenceInterval?.lower), convert(estimate.confidenceInterval?.upper),
      ]
    }
    for table in report.tables {
      let head = [table.variable, table.type.rawValue, table.status.rawValue]
      func add(_ fields: [String]) {
        lines.append((head + fields).map(Self.quote).joined(separator: ","))
      }
      for row in table.baseRows {
        let share = table.status == .tabulated ? row.share : nil
        var fields = [
          row.kind.rawValue, row.code.map(String.init) ?? "", number(row.value),
          wording.text(row.label), "true", String(row.respondents), number(row.weightedCount),
          share == nil ? "" : "percent",
        ]
        fields += estimateFields(share, percent: true)
        fields.append(number(share?.designEffect))
        fields += estimateFields(
          table.status == .tabulated ? row.shareOfResponses : nil, percent: true)
        add(fields)
      }
      add(
        [
          "base", "", "", wording.baseLabel(table.type), "true", String(table.base.respondents),
          number(table.base.weighted),
        ]
          + Array(repeating: "", count: 10))
      if let responses = table.responses {
        add(
          [
            "responses", "", "", wording.responsesLabel, "true", String(responses.respondents),
            number(responses.weighted),
          ]
            + Array(repeating: "", count: 10))
      }
      for row in table.missingRows {
        add(
          [
            row.kind.rawValue, row.code.map(String.init) ?? "", "", wording.text(row.label),
            "false", String(row.respondents), number(row.weightedCount),
          ]
            + Array(repeating: "", count: 10))
      }
      if let mean = table.mean {
        var fields = [
          "mean", "", "", wording.meanLabel(mean.scale), "", String(mean.base.respondents),
          number(mean.base.weighted), Self.statistic(mean.scale),
        ]
        fields += estimateFields(mean.estimate, percent: false)
        fields.append(number(mean.estimate.designEffect))
        fields += ["", "", "", ""]
        add(fields)
      }
      if let median = table.median {
        var fields = [
          "median", "", "", wording.medianLabel, "", String(table.base.respondents),
          number(table.base.weighted), "median",
        ]
        fields += estimateFields(median, percent: false)
        fields += ["", "", "", "", ""]
        add(fields)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func statistic(_ scale: MeanSummary.Scale) -> String {
    switch scale {
    case .values, .codes: return "mean"
    case .reversedCodes: return "mean-reversed"
    }
  }

  /// A CSV field, quoted when it must be.
  static func quote(_ field: String) -> String {
    guard
      field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else {
      return field
    }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
