import Testing

@testable import SurveyKit

/// Japanese era years: the labels of municipal documents and every way a plan writes a year.
@Suite("Japanese era years")
struct JapaneseYearTests {
  @Test("labels at the era boundaries")
  func labels() {
    let expected: [(Int, String)] = [
      (1867, "1867"), (1868, "M1"), (1911, "M44"), (1912, "T1"), (1925, "T14"), (1926, "S1"),
      (1988, "S63"), (1989, "H1"), (2014, "H26"), (2018, "H30"), (2019, "R1"), (2020, "R2"),
      (2024, "R6"),
    ]
    for (year, label) in expected {
      #expect(JapaneseYear.label(year) == label, "\(year)")
    }
  }

  @Test("labels with the Western year")
  func labelsWithWestern() {
    #expect(JapaneseYear.labelWithWestern(2014) == "H26 (2014)")
    #expect(JapaneseYear.labelWithWestern(2018) == "H30 (2018)")
    #expect(JapaneseYear.labelWithWestern(2019) == "R1 (2019)")
    #expect(JapaneseYear.labelWithWestern(2020) == "R2 (2020)")
    #expect(JapaneseYear.labelWithWestern(1988) == "S63 (1988)")
    #expect(JapaneseYear.labelWithWestern(1989) == "H1 (1989)")
    #expect(JapaneseYear.labelWithWestern(1800) == "1800")
  }

  @Test("kanji forms, with 元 for an era's first year")
  func kanji() {
    #expect(JapaneseYear.kanji(2014) == "平成26年")
    #expect(JapaneseYear.kanji(2018) == "平成30年")
    #expect(JapaneseYear.kanji(2019) == "令和元年")
    #expect(JapaneseYear.kanji(2020) == "令和2年")
    #expect(JapaneseYear.kanji(1989) == "平成元年")
    #expect(JapaneseYear.kanji(1988) == "昭和63年")
    #expect(JapaneseYear.kanji(1926) == "昭和元年")
    #expect(JapaneseYear.kanji(1800) == "1800年")
  }

  @Test(
    "the forms plans write a year in",
    arguments: [
      ("2014", 2014), ("H26", 2014), ("h26", 2014), ("R1", 2019), ("r2", 2020), ("R元", 2019),
      ("H31", 2019), ("H30", 2018), ("H1", 1989), ("S63", 1988), ("S64", 1989),
      ("平成26", 2014), ("平成26年", 2014), ("平成26年度", 2014), ("平成元年", 1989),
      ("平成31年", 2019), ("令和元年", 2019), ("令和元年度", 2019), ("令和2年度", 2020),
      ("昭和63年", 1988), ("Ｈ２６", 2014), ("ｈ２６", 2014), ("平成２６年", 2014), ("２０１４", 2014),
      ("Ｒ元", 2019), ("2014年", 2014), ("2019年度", 2019), (" H26 ", 2014), ("平成 26 年", 2014),
      ("H26 (2014)", 2014), ("R1 (2019)", 2019), ("平成26年（2014年）", 2014),
    ])
  func parse(text: String, year: Int) {
    #expect(JapaneseYear.parse(text) == year)
  }

  @Test(
    "not years",
    arguments: [
      "H0", "H32", "R0", "S0", "S65", "12345", "201", "0999", "abc", "", "H", "令和", "令和年",
      "平成32年", "H26.5", "H-1", "X26", "H26 (2015)", "(2014)", "2014 (H26)", "H26年年",
    ])
  func notYears(text: String) {
    #expect(JapaneseYear.parse(text) == nil)
  }

  @Test("every label, kanji form and label with the Western year reads back as its year")
  func roundTrip() {
    for year in 1868...2100 {
      #expect(JapaneseYear.parse(JapaneseYear.label(year)) == year)
      #expect(JapaneseYear.parse(JapaneseYear.kanji(year)) == year)
      #expect(JapaneseYear.parse(JapaneseYear.labelWithWestern(year)) == year)
      #expect(JapaneseYear.parse(String(year)) == year)
    }
  }
}
