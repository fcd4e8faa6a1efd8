/// An output format of a report, chosen with dot syntax:
///
/// ```swift
/// report.render(.text(language: .japanese))   // aligned columns for a terminal
/// report.render(.csv())                        // one row per table row, numbers unrounded
/// report.render(.markdown(language: .english))
/// report.render(.json())                       // docs/freq-json.md
/// ```
/// Each format is one type for one kind of report (`FrequencyReport` of `survey freq`,
/// `BannerTableReport` of `survey tab`); a new one (XLSX, HTML) is one more type, and the tables
/// never know how they are shown.
public protocol ReportFormat<Report>: Sendable {
  associatedtype Report
  /// The whole report as text, ending with a line break.
  func render(_ report: Report) -> String
}

extension FrequencyReport {
  /// The report in `format`.
  public func render(_ format: some ReportFormat<FrequencyReport>) -> String {
    format.render(self)
  }
}

extension ReportFormat where Self == TextFormat {
  /// Columns aligned for a terminal (East Asian Width), figures rounded as Japanese reports do.
  public static func text(language: Language = .japanese) -> TextFormat {
    TextFormat(language: language)
  }
}

extension ReportFormat where Self == MarkdownFormat {
  /// A Markdown document with one pipe table per question.
  public static func markdown(language: Language = .japanese) -> MarkdownFormat {
    MarkdownFormat(language: language)
  }
}

extension ReportFormat where Self == CSVFormat {
  /// One CSV row per table row, numbers unrounded.
  public static func csv(language: Language = .japanese) -> CSVFormat {
    CSVFormat(language: language)
  }
}

extension ReportFormat where Self == JSONFormat {
  /// The JSON document of docs/freq-json.md, numbers unrounded.
  public static func json(language: Language = .japanese) -> JSONFormat {
    JSONFormat(language: language)
  }
}
