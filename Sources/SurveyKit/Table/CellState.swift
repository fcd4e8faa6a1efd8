/// Whether a cell holds an answer, and if not, which kind of missing it is.
///
/// Stored as one byte per cell beside every column, so a table keeps *which* missing code a
/// respondent gave (無回答 vs わからない), whether the question was not asked (非該当), and whether a
/// value was blanked by validation.
public struct CellState: RawRepresentable, Sendable, Hashable, Codable {
  public var rawValue: UInt8

  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// The cell holds a valid answer.
  public static let valid = CellState(rawValue: 0)
  /// The cell was empty in the export.
  public static let blank = CellState(rawValue: 1)
  /// The value broke a rule whose action is `set-missing`.
  public static let invalid = CellState(rawValue: 2)
  /// The question's filter says it was not asked (非該当).
  public static let notAsked = CellState(rawValue: 3)

  /// The respondent gave the variable's `index`-th missing code (e.g. 9 = 無回答).
  public static func declared(_ index: Int) -> CellState {
    CellState(rawValue: UInt8(4 + index))
  }

  public var isValid: Bool { rawValue == 0 }
  public var isMissing: Bool { rawValue != 0 }

  /// The position of the missing code in `Variable.missing`, for a declared missing value.
  public var declaredIndex: Int? { rawValue >= 4 ? Int(rawValue) - 4 : nil }
}
