/// An output format of a banner-table report (`survey tab`), chosen with dot syntax:
///
/// ```swift
/// report.render(.text(language: .japanese, width: 100))  // aligned, the banner wrapped to fit
/// report.render(.csv())                                   // one row per cell, UTF-8 with a BOM
/// report.render(.markdown(language: .english))
/// report.render(.json())                                  // docs/tables-json.md
/// ```
/// `ReportFormat` for `BannerTableReport`: each format is one type, and the tables never know
/// how they are shown.

extension BannerTableReport {
  /// The report in `format`.
  public func render(_ format: some ReportFormat<BannerTableReport>) -> String {
    format.render(self)
  }
}

extension ReportFormat where Self == BannerTextFormat {
  /// Columns aligned for a terminal `width` cells wide (East Asian Width); a wider banner is
  /// wrapped into blocks of columns, each repeating the row labels and Total.
  public static func text(language: Language = .japanese, width: Int = 100) -> BannerTextFormat {
    BannerTextFormat(language: language, width: width)
  }
}

extension ReportFormat where Self == BannerMarkdownFormat {
  /// A Markdown document with one pipe table per stub question.
  public static func markdown(language: Language = .japanese) -> BannerMarkdownFormat {
    BannerMarkdownFormat(language: language)
  }
}

extension ReportFormat where Self == BannerCSVFormat {
  /// One CSV row per cell, numbers unrounded, UTF-8 with a byte-order mark.
  public static func csv(language: Language = .japanese) -> BannerCSVFormat {
    BannerCSVFormat(language: language)
  }
}

extension ReportFormat where Self == BannerJSONFormat {
  /// The JSON document of docs/tables-json.md, numbers unrounded.
  public static func json(language: Language = .japanese) -> BannerJSONFormat {
    BannerJSONFormat(language: language)
  }
}
