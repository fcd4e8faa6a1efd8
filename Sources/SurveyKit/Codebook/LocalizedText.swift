/// A label or question text: Japanese first, with an optional English alternative.
///
/// In a codebook either a plain string (taken as Japanese) or `{ja: 男性, en: Male}`.
public struct LocalizedText: Sendable, Hashable, Codable {
  public var japanese: String
  public var english: String?

  public init(japanese: String, english: String? = nil) {
    self.japanese = japanese
    self.english = english
  }

  /// The text in `language`, falling back to Japanese when there is no English alternative.
  public func text(in language: Language) -> String {
    switch language {
    case .japanese: return japanese
    case .english: return english ?? japanese
    }
  }
}

/// The language of labels in output.
public enum Language: String, Sendable, CaseIterable, Codable {
  case japanese = "ja"
  case english = "en"
}
