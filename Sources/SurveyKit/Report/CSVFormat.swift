/// The report as CSV for other programs: one row per table row, mean and median, with
/// unrounded numbers (the shortest text that reads back to the same double; percentages are
/// 100 × the share) and empty cells where a figure does not apply or cannot be computed.
///
/// ```csv
/// question,type,status,row,code,value,label,in_base,n,weighted,statistic,estimate,se,ci_lower,…
/// Q5,single,tabulated,category,1,,住みやすい,true,392,47631.666666666664,percent,33.098232691728626,…
/// ```
/// The columns are described in docs/freq.md. UTF-8 without a byte-order mark, LF line endings,
/// a field quoted only when it holds a comma, a quote or a line break; a text cell that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (`CSVCell`).
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
    // Text cells (names, labels, kinds) are neutralised against formulas; numbers never are.
    func text(_ value: String) -> CSVCell { .text(value) }
    func count(_ value: Int) -> CSVCell { .number(String(value)) }
    func code(_ value: Int?) -> CSVCell { .number(value.map(String.init) ?? "") }
    func number(_ value: Double?) -> CSVCell { .number(value.map(Figures.exact) ?? "") }
    func percent(_ value: Double?) -> CSVCell {
      .number(value.map { Figures.exact($0 * 100) } ?? "")
    }
    let empty = CSVCell.number("")
    func estimateFields(_ estimate: TableEstimate?, percent isPercent: Bool) -> [CSVCell] {
      guard let estimate else { return [empty, empty, empty, empty] }
      let convert: (Double?) -> CSVCell = isPercent ? percent : number
      return [
        convert(estimate.estimate), convert(estimate.standardError),
        convert(estimate.confidenceInterval?.lower), convert(estimate.confidenceInterval?.upper),
      ]
    }
    for table in report.tables {
      let head = [text(table.variable), text(table.type.rawValue), text(table.status.rawValue)]
      func add(_ fields: [CSVCell]) {
        lines.append(CSVCell.line(head + fields))
      }
      for row in table.baseRows {
        let share = table.status == .tabulated ? row.share : nil
        var fields = [
          text(row.kind.rawValue), code(row.code), number(row.value),
          text(wording.text(row.label)), text("true"), count(row.respondents),
          number(row.weightedCount), text(share == nil ? "" : "percent"),
        ]
        fields += estimateFields(share, percent: true)
        fields.append(number(share?.designEffect))
        fields += estimateFields(
          table.status == .tabulated ? row.shareOfResponses : nil, percent: true)
        add(fields)
      }
      add(
        [
          text("base"), empty, empty, text(wording.baseLabel(table.type)), text("true"),
          count(table.base.respondents), number(table.base.weighted),
        ]
          + Array(repeating: empty, count: 10))
      if let responses = table.responses {
        add(
          [
            text("responses"), empty, empty, text(wording.responsesLabel), text("true"),
            count(responses.respondents), number(responses.weighted),
          ]
            + Array(repeating: empty, count: 10))
      }
      for row in table.missingRows {
        add(
          [
            text(row.kind.rawValue), code(row.code), empty, text(wording.text(row.label)),
            text("false"), count(row.respondents), number(row.weightedCount),
          ]
            + Array(repeating: empty, count: 10))
      }
      if let mean = table.mean {
        var fields = [
          text("mean"), empty, empty, text(wording.meanLabel(mean.scale)), empty,
          count(mean.base.respondents), number(mean.base.weighted),
          text(Self.statistic(mean.scale)),
        ]
        fields += estimateFields(mean.estimate, percent: false)
        fields.append(number(mean.estimate.designEffect))
        fields += [empty, empty, empty, empty]
        add(fields)
      }
      if let median = table.median {
        var fields = [
          text("median"), empty, empty, text(wording.medianLabel), empty,
          count(table.base.respondents), number(table.base.weighted), text("median"),
        ]
        fields += estimateFields(median, percent: false)
        fields += [empty, empty, empty, empty, empty]
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
