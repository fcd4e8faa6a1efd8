/// The statistical file formats ReadStat reads, chosen by file extension.
public enum StatisticalFileFormat: String, Sendable, Hashable, CaseIterable {
  /// SPSS system file (`.sav`, and `.zsav` with zlib compression).
  case spss
  /// Stata data file (`.dta`).
  case stata

  /// The format of `path` from its extension (`.sav`, `.zsav`, `.dta`, any case); nil for CSV
  /// and anything else.
  public init?(path: String) {
    let lower = path.lowercased()
    if lower.hasSuffix(".sav") || lower.hasSuffix(".zsav") {
      self = .spss
    } else if lower.hasSuffix(".dta") {
      self = .stata
    } else {
      return nil
    }
  }

  /// The name shown to users.
  public var displayName: String { self == .spss ? "SPSS" : "Stata" }

  /// `an SPSS`, `a Stata`: the name with its article.
  var withArticle: String { self == .spss ? "an SPSS" : "a Stata" }
}
