/// The banner report as one JSON document (schema `surveykit-tab/1`, described with a JSON
/// Schema in docs/tables-json.md): every figure unrounded, `null` where a figure does not apply
/// or cannot be computed, never NaN. Percentages (and differences of percentages) are 100 × the
/// share. Every column comparison is there with its p-value, not only the letters.
public struct BannerJSONFormat: ReportFormat {
  public var language: Language

  public init(language: Language = .japanese) {
    self.language = language
  }

  public static let schema = "surveykit-tab/1"

  /// A number, or null when it is absent or not finite.
  private func number(_ value: Double?) -> JSONValue { JSONValue.number(value) }

  public func render(_ report: BannerTableReport) -> String {
    let design = report.design
    let options = report.options
    let document: JSONValue = .object([
      ("schema", .string(Self.schema)),
      ("survey", .survey(report.survey, language: language)),
      ("title", .string(report.title?.text(in: language))),
      ("file", .string(report.file)),
      ("codebook", .string(report.codebookPath)),
      ("spec", .string(report.specPath)),
      ("language", .string(language.rawValue)),
      (
        "rows",
        .rows(read: report.rowsRead, accepted: report.rowsAccepted, rejected: report.rowsRejected)
      ),
      ("errors", .int(report.errorCount)),
      ("warnings", .int(report.warningCount)),
      ("design", .design(design)),
      (
        "options",
        .object([
          ("confidenceLevel", number(options.confidenceLevel)),
          ("intervalMethod", .string(options.intervalMethod.rawValue)),
          ("columnTests", .bool(options.columnTests)),
          ("testMethod", .string(options.testMethod.rawValue)),
          ("stricterAlpha", number(options.strictAlpha)),
          ("alpha", number(options.alpha)),
          ("adjustment", .string(options.adjustment.rawValue)),
          ("testAgainstTotal", .bool(options.testAgainstTotal)),
          ("smallBase", .int(options.smallBase)),
          ("suppressBelow", .int(options.suppressBelow)),
          ("independenceTests", .bool(options.independenceTests)),
        ])
      ),
      (
        "tables",
        .array(report.tables.enumerated().map { table($0.element, number: $0.offset + 1) })
      ),
    ])
    return document.rendered()
  }

  private func table(_ table: BannerTable, number: Int) -> JSONValue {
    .object([
      ("number", .int(number)),
      ("title", .string(table.title?.text(in: language))),
      ("filter", .string(table.filter)),
      (
        "columns",
        .array(
          table.columns.enumerated().map { index, column in
            var members: [(String, JSONValue)] = [
              ("index", .int(index)),
              ("kind", .string(column.kind.rawValue)),
              ("break", column.breakIndex.map { .string(table.breaks[$0].name) } ?? .null),
              ("code", column.code.map { .int($0) } ?? .null),
              ("label", .string(column.label.text(in: language))),
              ("letter", .string(column.letter)),
            ]
            // A nested break's column: its outer category too.
            if let outer = column.outerLabel {
              members.append(
                (
                  "outer",
                  .object([
                    ("code", column.outerCode.map { .int($0) } ?? .null),
                    ("label", .string(outer.text(in: language))),
                  ])
                ))
            }
            return .object(members)
          })
      ),
      (
        "breaks",
        .array(
          table.breaks.map { item in
            var members: [(String, JSONValue)] = [
              ("variable", .string(item.variable)),
              ("type", .string(item.type.rawValue)),
              ("label", .string(item.label?.text(in: language))),
              ("columns", .array(item.columns.map { .int($0) })),
              ("overlapping", .bool(item.columnsOverlap)),
            ]
            // A nested break: the inner variable and the columns of each outer category.
            if let inner = item.innerVariable {
              members.append(
                (
                  "nested",
                  .object([
                    ("variable", .string(inner)),
                    ("label", .string(item.innerLabel?.text(in: language))),
                    (
                      "groups",
                      .array(item.groups.map { group in .array(group.map { .int($0) }) })
                    ),
                  ])
                ))
            }
            return .object(members)
          })
      ),
      ("cells", .array(table.cellFigures.map { .string($0.rawValue) })),
      (
        "blocks",
        .array(table.blocks.map { block($0, table: table, figures: Set(table.cellFigures)) })
      ),
    ])
  }

  private func block(
    _ block: BannerBlock, table: BannerTable, figures: Set<BannerTableSpec.CellFigure>
  ) -> JSONValue {
    .object([
      ("variable", .string(block.variable)),
      ("type", .string(block.type.rawValue)),
      ("label", .string(block.label?.text(in: language))),
      ("question", .string(block.question?.text(in: language))),
      (
        "bases",
        .array(
          block.bases.enumerated().map { index, base in
            .object([
              ("column", .int(index)),
              ("n", .int(base.respondents)),
              ("weighted", number(base.weighted)),
              ("effective", number(base.effective)),
              ("size", .string(base.size.rawValue)),
            ])
          })
      ),
      ("rows", .array(block.rows.map { row($0, figures: figures) })),
      (
        "independenceTests",
        .array(block.independenceTests.map { independence($0, table: table) })
      ),
      ("omittedDistinctValues", block.omittedDistinctValues.map { .int($0) } ?? .null),
      ("warnings", .array(block.warnings.map { .string($0) })),
    ])
  }

  private func row(_ row: BannerRow, figures: Set<BannerTableSpec.CellFigure>) -> JSONValue {
    let scale: Double = row.kind == .category || row.kind == .net ? 100 : 1
    var statistic: JSONValue = .null
    switch row.kind {
    case .category, .net: statistic = .string("percent")
    case .mean: statistic = .string(row.meanScale.map(CSVFormat.statistic) ?? "mean")
    default: break
    }
    var meanScale: JSONValue = .null
    if let scale = row.meanScale {
      switch scale {
      case .values:
        meanScale = .object([("scale", .string("values")), ("lowest", .null), ("highest", .null)])
      case .codes(let lowest, let highest):
        meanScale = .object([
          ("scale", .string("codes")), ("lowest", .int(lowest)), ("highest", .int(highest)),
        ])
      case .reversedCodes(let lowest, let highest):
        meanScale = .object([
          ("scale", .string("reversed-codes")), ("lowest", .int(lowest)),
          ("highest", .int(highest)),
        ])
      }
    }
    return .object([
      ("kind", .string(row.kind.rawValue)),
      ("code", row.code.map { .int($0) } ?? .null),
      ("value", number(row.value)),
      ("codes", .array(row.codes.map { .int($0) })),
      ("label", .string(row.label.text(in: language))),
      ("inBase", .bool(row.isInBase)),
      ("statistic", statistic),
      ("mean", meanScale),
      (
        "comparisons",
        .array(
          row.cells.enumerated().flatMap { index, cell in
            cell.comparisons.filter { $0.column > index }.map {
              pair($0, first: index, scale: scale)
            }
          })
      ),
      (
        "cells",
        .array(
          row.cells.enumerated().map { index, cell in
            self.cell(
              cell, column: index, scale: scale, inBase: row.isInBase,
              shares: row.kind == .category || row.kind == .net ? figures : [])
          })
      ),
    ])
  }

  private func cell(
    _ cell: BannerCell, column: Int, scale: Double, inBase: Bool,
    shares: Set<BannerTableSpec.CellFigure>
  ) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("column", .int(column)),
      ("n", .int(cell.respondents)),
      ("weighted", number(cell.weighted)),
    ]
    guard inBase else {
      return .object(
        members + [
          ("estimate", .null), ("letters", .null), ("versusTotal", .null),
          ("rowPercent", .null), ("totalPercent", .null),
        ])
    }
    if let estimate = cell.estimate {
      members.append(
        (
          "estimate",
          .object([
            ("estimate", number(estimate.estimate * scale)),
            ("standardError", number(estimate.standardError.map { $0 * scale })),
            (
              "confidenceInterval",
              estimate.confidenceInterval.map {
                .object([
                  ("lower", number($0.lower * scale)), ("upper", number($0.upper * scale)),
                ])
              } ?? .null
            ),
            ("designEffect", number(estimate.designEffect)),
          ])
        ))
    } else {
      members.append(("estimate", .null))
    }
    members.append(("letters", .string(cell.letters)))
    members.append(("versusTotal", cell.versusTotal.map { comparison($0, scale: scale) } ?? .null))
    members.append(
      ("rowPercent", shares.contains(.row) ? number(cell.rowShare.map { $0 * 100 }) : .null))
    members.append(
      ("totalPercent", shares.contains(.total) ? number(cell.totalShare.map { $0 * 100 }) : .null))
    return .object(members)
  }

  /// A pair of columns of one break, tested once: `columns` [a, b] with a < b, the difference
  /// a − b.
  private func pair(_ test: BannerComparison, first: Int, scale: Double) -> JSONValue {
    .object(
      [("columns", .array([.int(first), .int(test.column)]))] + testMembers(test, scale: scale))
  }

  /// A column against the rest of the sample (or Total).
  private func comparison(_ test: BannerComparison, scale: Double) -> JSONValue {
    .object(testMembers(test, scale: scale))
  }

  private func testMembers(_ test: BannerComparison, scale: Double) -> [(String, JSONValue)] {
    [
      ("difference", number(test.difference * scale)),
      ("standardError", number(test.standardError.map { $0 * scale })),
      ("statistic", number(test.statistic)),
      ("degreesOfFreedom", number(test.degreesOfFreedom)),
      ("pValue", number(test.pValue)),
      ("adjustedPValue", number(test.adjustedPValue)),
      ("level", .string(test.level?.rawValue)),
      ("notTested", .string(test.refusal?.rawValue)),
    ]
  }

  private func independence(_ item: BannerIndependenceTest, table: BannerTable) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("break", .string(table.breaks[item.breakIndex].variable))
    ]
    guard let test = item.test else {
      return .object(
        members + [
          ("secondOrder", .null), ("firstOrder", .null), ("pearsonChiSquare", .null),
          ("deltaTrace", .null), ("sampleSize", .null), ("designDegreesOfFreedom", .null),
          ("notTested", .string(item.reason)),
        ])
    }
    members += [
      (
        "secondOrder",
        .object([
          ("statistic", number(test.secondOrder.statistic)),
          ("numeratorDegreesOfFreedom", number(test.secondOrder.numeratorDegreesOfFreedom)),
          ("denominatorDegreesOfFreedom", number(test.secondOrder.denominatorDegreesOfFreedom)),
          ("pValue", number(test.secondOrder.pValue)),
        ])
      ),
      (
        "firstOrder",
        .object([
          ("statistic", number(test.firstOrder.statistic)),
          ("degreesOfFreedom", .int(test.firstOrder.degreesOfFreedom)),
          ("pValue", number(test.firstOrder.pValue)),
        ])
      ),
      ("pearsonChiSquare", number(test.pearsonChiSquare)),
      ("deltaTrace", number(test.deltaTrace)),
      ("sampleSize", .int(test.sampleSize)),
      ("designDegreesOfFreedom", .int(test.designDegreesOfFreedom)),
      ("notTested", .null),
    ]
    return .object(members)
  }
}
