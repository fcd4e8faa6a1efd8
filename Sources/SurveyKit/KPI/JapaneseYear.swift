import Foundation

/// Japanese era years (和暦), as municipal documents write them: `H26`, `R1`, `平成26年`, `令和元年`.
///
/// A year is labelled with the era that held most of it: 1989 is H1 (Shōwa 64 lasted seven days)
/// and 2019 is R1 (Heisei 31 ended on 30 April). Plans written before an era change go on
/// counting the old era, so `H31` is read as 2019 and `S64` as 1989. A fiscal year (年度) has the
/// number of the calendar year it starts in, so `令和2年度` is 2020.
public enum JapaneseYear {
  /// An era: its letter, its name in kanji, its first year and the last number written in it.
  struct Era: Sendable {
    var letter: Character
    var kanji: String
    var firstYear: Int
    /// The highest number accepted when reading (the year the next era began); nil for the
    /// current era.
    var lastNumber: Int?
  }

  /// The eras from Meiji on, newest first.
  static let eras: [Era] = [
    Era(letter: "R", kanji: "令和", firstYear: 2019, lastNumber: nil),
    Era(letter: "H", kanji: "平成", firstYear: 1989, lastNumber: 31),
    Era(letter: "S", kanji: "昭和", firstYear: 1926, lastNumber: 64),
    Era(letter: "T", kanji: "大正", firstYear: 1912, lastNumber: 15),
    Era(letter: "M", kanji: "明治", firstYear: 1868, lastNumber: 45),
  ]

  /// The era labelling `year`, with the year's number in it; nil before 1868.
  static func era(of year: Int) -> (era: Era, number: Int)? {
    guard let era = eras.first(where: { year >= $0.firstYear }) else { return nil }
    return (era, year - era.firstYear + 1)
  }

  /// The short era form: `H26` for 2014, `R1` for 2019, `S63` for 1988; the Western year as
  /// digits before 1868.
  public static func label(_ year: Int) -> String {
    guard let (era, number) = era(of: year) else { return String(year) }
    return "\(era.letter)\(number)"
  }

  /// The short era form with the Western year: `H26 (2014)`, `R1 (2019)`.
  public static func labelWithWestern(_ year: Int) -> String {
    guard era(of: year) != nil else { return String(year) }
    return "\(label(year)) (\(year))"
  }

  /// The era form in kanji: `平成26年`, `令和元年` (元 for an era's first year), `令和2年`.
  public static func kanji(_ year: Int) -> String {
    guard let (era, number) = era(of: year) else { return "\(year)年" }
    return "\(era.kanji)\(number == 1 ? "元" : String(number))年"
  }

  /// The Western year written in `text`, or nil if it is not a year.
  ///
  /// Accepted: a four-digit Western year (`2014`, `2014年`, `2014年度`); an era letter, upper or
  /// lower case, and a number (`H26`, `h26`, `R1`, `R元`, `H31` = 2019); an era name
  /// (`平成26`, `平成26年`, `令和元年`, `令和2年度`); any of them with full-width letters and
  /// digits (`Ｈ２６`, `平成２６年`), and an era form followed by the same year in Western digits
  /// (`H26 (2014)`, `平成26年（2014年）`). 年度 (a fiscal year) gives the same number as 年.
  /// Not accepted: an era year 0, a number after the era ended (`H32`, `S65`), `R0`, or a
  /// Western year that is not four digits.
  public static func parse(_ text: String) -> Int? {
    // NFKC folds full-width letters, digits and brackets to ASCII.
    let text = text.precomposedStringWithCompatibilityMapping
      .trimmingCharacters(in: .whitespaces)
    // "H26 (2014)": both forms must name the same year.
    if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
      let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
      let outer = String(text[..<open])
      guard let year = parseSingle(outer), parseSingle(inner) == year,
        isWestern(inner)
      else { return nil }
      return year
    }
    return parseSingle(text)
  }

  /// Whether `text` is a Western year form (digits, possibly followed by 年 or 年度).
  static func isWestern(_ text: String) -> Bool {
    let body = withoutYearSuffix(text.trimmingCharacters(in: .whitespaces))
    return !body.isEmpty && body.allSatisfy(isDigit)
  }

  /// `text` without a trailing 年 or 年度 (and the spaces before it).
  static func withoutYearSuffix(_ text: String) -> Substring {
    var body = Substring(text)
    if body.hasSuffix("年度") {
      body = body.dropLast(2)
    } else if body.hasSuffix("年") {
      body = body.dropLast()
    }
    while body.last == " " { body = body.dropLast() }
    return body
  }

  /// One year form, already folded to half width.
  static func parseSingle(_ text: String) -> Int? {
    let body = withoutYearSuffix(text.trimmingCharacters(in: .whitespaces))
    guard let first = body.first else { return nil }
    if isDigit(first) {
      guard body.count == 4, body.allSatisfy(isDigit), first != "0" else { return nil }
      return Int(body)
    }
    for era in eras {
      var rest: Substring
      if body.hasPrefix(era.kanji) {
        rest = body.dropFirst(era.kanji.count)
      } else if first.uppercased() == String(era.letter) {
        rest = body.dropFirst()
      } else {
        continue
      }
      while rest.first == " " { rest = rest.dropFirst() }
      let number: Int
      if rest == "元" {
        number = 1
      } else {
        guard !rest.isEmpty, rest.count <= 3, rest.allSatisfy(isDigit),
          let value = Int(rest)
        else { return nil }
        number = value
      }
      guard number >= 1, number <= (era.lastNumber ?? 999) else { return nil }
      return era.firstYear + number - 1
    }
    return nil
  }

  /// Whether `character` is one of the ASCII digits 0–9.
  private static func isDigit(_ character: Character) -> Bool {
    character.isASCII && character.isNumber
  }
}
