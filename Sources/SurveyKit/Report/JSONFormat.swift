/// The report as one JSON document (schema `surveykit-freq/1`, described with a JSON Schema in
/// docs/freq-json.md): every figure unrounded, `null` where a figure does not apply or cannot be
/// computed, never NaN. Percentages are 100 × the share.
///
/// ```json
/// {"schema": "surveykit-freq/1", …, "tables": [{"variable": "Q5", "type": "single",
///   "rows": [{"kind": "category", "code": 1, "label": "住みやすい", "n": 392,
///             "percent": {"estimate": 33.098232691728626, "standardError": 1.37…, …}}, …]}]}
/// ```
public struct JSONFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public static let schema = "surveykit-freq/1"

  public func render(_ report: FrequencyReport) -> String {
    let design = report.design
    let document: JSONValue = .object([
      ("schema", .string(Self.schema)),
      ("survey", .survey(report.survey, language: language)),
      ("file", .string(report.file)),
      ("codebook", .string(report.codebookPath)),
      ("language", .string(language.rawValue)),
      (
        "rows",
        .rows(read: report.rowsRead, accepted: report.rowsAccepted, rejected: report.rowsRejected)
      ),
      ("errors", .int(report.errorCount)),
      ("warnings", .int(report.warningCount)),
      ("design", .design(design)),
      ("confidenceLevel", .number(report.options.confidenceLevel)),
      ("intervalMethod", .string(report.options.intervalMethod.rawValue)),
      ("includeMissing", .bool(report.options.includeMissing)),
      ("tables", .array(report.tables.map(table))),
    ])
    return document.rendered()
  }

  private func table(_ table: FrequencyTable) -> JSONValue {
    let tabulated = table.status == .tabulated
    return .object([
      ("variable", .string(table.variable)),
      ("type", .string(table.type.rawValue)),
      ("label", .string(table.label?.text(in: language))),
      ("question", .string(table.question?.text(in: language))),
      ("status", .string(table.status.rawValue)),
      ("base", count(table.base)),
      ("responses", table.responses.map(count) ?? .null),
      (
        "rows",
        .array(
          table.rows.map { row in
            .object([
              ("kind", .string(row.kind.rawValue)),
              ("code", row.code.map { .int($0) } ?? .null),
              ("value", .number(row.value)),
              ("label", .string(row.label.text(in: language))),
              ("inBase", .bool(row.isInBase)),
              ("n", .int(row.respondents)),
              ("weighted", .number(row.weightedCount)),
              ("percent", tabulated ? estimate(row.share, scale: 100) : .null),
              (
                "percentOfResponses",
                tabulated ? estimate(row.shareOfResponses, scale: 100) : .null
              ),
            ])
          })
      ),
      ("mean", table.mean.map(mean) ?? .null),
      ("median", estimate(table.median, scale: 1)),
      ("omittedDistinctValues", table.omittedDistinctValues.map { .int($0) } ?? .null),
      ("warnings", .array(table.warnings.map { .string($0) })),
    ])
  }

  private func count(_ count: FrequencyTable.Count) -> JSONValue {
    .object([("n", .int(count.respondents)), ("weighted", .number(count.weighted))])
  }

  private func estimate(_ estimate: TableEstimate?, scale: Double) -> JSONValue {
    guard let estimate else { return .null }
    return .object(estimateMembers(estimate, scale: scale))
  }

  private func estimateMembers(_ estimate: TableEstimate, scale: Double) -> [(String, JSONValue)] {
    [
      ("estimate", .number(estimate.estimate * scale)),
      ("standardError", .number(estimate.standardError.map { $0 * scale })),
      (
        "confidenceInterval",
        estimate.confidenceInterval.map {
          .object([("lower", .number($0.lower * scale)), ("upper", .number($0.upper * scale))])
        } ?? .null
      ),
      ("designEffect", .number(estimate.designEffect)),
    ]
  }

  private func mean(_ mean: MeanSummary) -> JSONValue {
    var members: [(String, JSONValue)]
    switch mean.scale {
    case .values:
      members = [("scale", .string("values")), ("lowest", .null), ("highest", .null)]
    case .codes(let lowest, let highest):
      members = [("scale", .string("codes")), ("lowest", .int(lowest)), ("highest", .int(highest))]
    case .reversedCodes(let lowest, let highest):
      members = [
        ("scale", .string("reversed-codes")), ("lowest", .int(lowest)), ("highest", .int(highest)),
      ]
    }
    members += estimateMembers(mean.estimate, scale: 1)
    members += [("n", .int(mean.base.respondents)), ("weighted", .number(mean.base.weighted))]
    return .object(members)
  }
}
