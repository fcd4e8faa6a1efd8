import Foundation
import Testing

@testable import SurveyKit

/// KPI definitions files: the shipped first-period file, the forms of docs/kpi.md read into the
/// model, and every mistake reported with its line and column.
@Suite("KPI definitions files")
struct KPIDefinitionsTests {
  typealias Definition = KPIDefinition

  static let shipped = "codebooks/strategy-kpis.yaml"

  func definitions(_ yaml: String) throws -> KPIDefinitions {
    try KPIDefinitions(yaml: yaml, file: "t.yaml")
  }

  /// The messages of a broken definitions file, as printed.
  func problems(_ yaml: String) -> [String] {
    do {
      _ = try definitions(yaml)
      return []
    } catch {
      return "\(error)".split(separator: "\n").map(String.init)
    }
  }

  /// A file with one goal and the indicator `a` whose last lines are `lines` (indented by four
  /// spaces); the indicator starts on line 3, so `lines` start on line 7.
  func indicator(_ lines: String...) -> String {
    indicatorText(lines)
  }

  func indicatorText(_ lines: [String]) -> String {
    ([
      "goals: {1: 雇用}", "indicators:", "  - id: a", "    name: A", "    goal: 1",
      "    target: {year: H31, value: 10}",
    ] + lines.map { "    " + $0 }).joined(separator: "\n")
  }

  /// The messages of `indicator(lines)`.
  func indicatorProblems(_ lines: String...) -> [String] {
    problems(indicatorText(lines))
  }

  // MARK: The shipped file

  @Test("the shipped file: the ten basic-goal indicators of the first strategy period")
  func shipped() throws {
    let read = try KPIDefinitions(
      contentsOf: packagePath(Self.shipped), displayPath: "strategy-kpis.yaml")
    #expect(read.file == "strategy-kpis.yaml")
    #expect(read.strategy == LocalizedText(japanese: "第1期総合戦略", english: "First strategy period"))
    #expect(read.goals.map(\.number) == [1, 2, 3, 4])
    #expect(read.goals[0].name.japanese == "地元企業と学生との“つながり”を強化し、地元雇用拡大を実現")
    #expect(read.goals[1].name.japanese == "子育てしながら仕事を続けられる社会環境の整備")
    #expect(read.goals[2].name.japanese == "地元の魅力を強化、暮らしやすさ発信で移住を促進")
    #expect(read.goals[3].name.japanese == "産業競争力を高め、地域ブランド力を向上")
    #expect(read.goals.allSatisfy { $0.name.english != nil })
    #expect(
      read.indicators.map(\.id) == [
        "new-jobs", "local-hiring", "fertility-rate", "childcare-satisfaction",
        "female-labour-force", "in-migrants", "tourists", "livability", "new-firms",
        "joint-projects",
      ])
    #expect(read.indicators.map(\.goal) == [1, 1, 2, 2, 2, 3, 3, 3, 4, 4])
    #expect(
      read.indicators.map(\.name.japanese) == [
        "新規雇用創出数", "管内学生の管内事業所就職割合", "合計特殊出生率", "子育て環境や支援の満足度（5段階評価）",
        "子育て世代の女性の労働力率", "転入者数", "観光入込客数", "「苫小牧は住みやすい」と回答した人の割合", "新規企業進出件数",
        "広域連携による共同事業の新規実施件数",
      ])
    #expect(read.indicators.allSatisfy { $0.name.english != nil })
    #expect(read.indicators.map(\.line) == [23, 32, 42, 51, 60, 70, 79, 88, 101, 110])
    #expect(
      read.indicators.map(\.unit?.japanese) == ["人", "%", nil, nil, "%", "人", "万人", "%", "件", "件"])
    #expect(read.indicators.map(\.decimals) == [0, 2, 2, 2, 1, 0, 1, 1, 0, 0])
    #expect(
      read.indicators.filter(\.cumulative).map(\.id) == ["new-jobs", "new-firms", "joint-projects"])
    #expect(read.indicators.filter(\.cumulative).allSatisfy { $0.baseline == nil })
    #expect(
      read.indicators.map { $0.baseline?.value } == [
        nil, 53.49, 1.51, 2.80, 62.2, 5958, 186, 23.3, nil, nil,
      ])
    #expect(read.indicators.compactMap(\.baseline).allSatisfy { $0.year == 2014 })
    #expect(
      read.indicators.map(\.target.value) == [300, 60, 1.60, 3.30, 66.7, 6500, 218, 30.3, 20, 10])
    #expect(read.indicators.allSatisfy { $0.target.year == 2019 })
    #expect(read.indicators.allSatisfy { $0.direction == .higher && $0.rule == .ratio })
    #expect(read.indicators.allSatisfy { $0.cap == 1.2 })
    #expect(
      read.indicators.map(\.plausible) == [nil, nil, 0.5...3, nil, nil, nil, nil, nil, nil, nil])
    #expect(
      read.indicators.filter { $0.survey != nil }.map(\.id) == [
        "childcare-satisfaction", "livability",
      ])

    #expect(
      read.indicator("new-jobs")
        == Definition(
          id: "new-jobs", name: LocalizedText(japanese: "新規雇用創出数", english: "New jobs created"),
          goal: 1, unit: LocalizedText(japanese: "人", english: "people"), cumulative: true,
          target: KPIYearValue(year: 2019, value: 300), decimals: 0, publishedRate: 0.94, line: 23))
    #expect(
      read.indicator("livability")
        == Definition(
          id: "livability",
          name: LocalizedText(
            japanese: "「苫小牧は住みやすい」と回答した人の割合",
            english: "Residents who find the city a good place to live"),
          goal: 3, unit: LocalizedText(japanese: "%"),
          baseline: KPIYearValue(year: 2014, value: 23.3),
          target: KPIYearValue(year: 2019, value: 30.3), decimals: 1,
          survey: Definition.SurveySource(question: "Q5", statistic: .share(codes: [1])),
          publishedRate: 1.1, line: 88))
    #expect(
      read.indicator("childcare-satisfaction")?.survey
        == Definition.SurveySource(question: "Q6", statistic: .mean(reversed: true), scale: 1))
    #expect(read.indicator("tourists")?.unit?.english == "10,000 visits")
  }

  @Test("the shipped file fits the bundled codebook")
  func shippedAgainstCodebook() throws {
    let read = try KPIDefinitions(contentsOf: packagePath(Self.shipped))
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    #expect(read.check(against: codebook) == [])
  }

  /// The text of the first block fenced as `fence` after `heading` in docs/kpi.md.
  func documented(_ fence: String, after heading: String) throws -> String {
    let text = try String(contentsOfFile: packagePath("docs/kpi.md"), encoding: .utf8)
    let section = try #require(text.range(of: heading))
    let start = try #require(
      text.range(of: "```\(fence)\n", range: section.upperBound..<text.endIndex))
    let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
    return String(text[start.upperBound..<end.lowerBound])
  }

  @Test("the example of docs/kpi.md")
  func documentedExample() throws {
    let read = try definitions(try documented("yaml", after: "## The definitions file"))
    #expect(read.goals.count == 4)
    #expect(read.indicators.map(\.id) == ["new-jobs", "livability", "childcare-satisfaction"])
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    #expect(read.check(against: codebook) == [])
  }

  @Test("the mistakes of docs/kpi.md, as printed there")
  func documentedMistakes() throws {
    let yaml = try documented("yaml", after: "### Mistakes")
    let printed = try documented("text", after: "### Mistakes")
    do {
      _ = try KPIDefinitions(yaml: yaml, file: "kpis.yaml")
      Issue.record("the example of mistakes was read without problems")
    } catch {
      #expect("\(error)\n" == printed)
    }
  }

  // MARK: Reading

  @Test("defaults: higher, ratio, a 120% cap, one decimal, no unit, not cumulative")
  func defaults() throws {
    let read = try definitions(indicator())
    #expect(read.strategy == nil)
    #expect(read.goals == [KPIGoal(number: 1, name: LocalizedText(japanese: "雇用"))])
    #expect(
      read.indicators == [
        Definition(
          id: "a", name: LocalizedText(japanese: "A"), goal: 1,
          target: KPIYearValue(year: 2019, value: 10), line: 3)
      ])
  }

  @Test("every key given: lower, progress, cap as a percentage or a ratio, plausible, survey")
  func everyKey() throws {
    let read = try definitions(
      """
      goals:
        1: {ja: 安定した雇用を創出する, en: Create stable jobs}
        2: 子育て
      indicators:
        - id: waiting-list
          name: {ja: 待機児童数, en: Children waiting for a nursery place}
          goal: 2
          unit: {ja: 人, en: children}
          direction: lower
          cumulative: false
          baseline: {year: 平成26年度, value: "1,025"}
          target: {year: 令和元年, value: 0}
          rule: progress
          cap: 100%
          decimals: 0
          plausible: [0, 5000]
        - id: top2
          name: Top-2
          goal: 1
          baseline: {year: 2014, value: ２３．３}
          target: {year: Ｈ３１, value: 40}
          cap: 1.5
          decimals: 6
          survey:
            question: Q5
            share: [1, 2]
            scale: 1
            targets: citizen-survey-2019-targets.yaml
        - id: mean-as-coded
          name: Mean
          goal: 1
          target: {year: R2, value: 3}
          survey: {question: Q6, mean: as-coded, scale: 20}
      """)
    #expect(read.goals.map(\.number) == [1, 2])
    #expect(read.goals[1].name == LocalizedText(japanese: "子育て"))
    #expect(
      read.indicators[0]
        == Definition(
          id: "waiting-list",
          name: LocalizedText(japanese: "待機児童数", english: "Children waiting for a nursery place"),
          goal: 2, unit: LocalizedText(japanese: "人", english: "children"), direction: .lower,
          baseline: KPIYearValue(year: 2014, value: 1025),
          target: KPIYearValue(year: 2019, value: 0), rule: .progress, cap: 1, decimals: 0,
          plausible: 0...5000, line: 5))
    #expect(
      read.indicators[1]
        == Definition(
          id: "top2", name: LocalizedText(japanese: "Top-2"), goal: 1,
          baseline: KPIYearValue(year: 2014, value: 23.3),
          target: KPIYearValue(year: 2019, value: 40), cap: 1.5, decimals: 6,
          survey: Definition.SurveySource(
            question: "Q5", statistic: .share(codes: [1, 2]), scale: 1,
            weightingTargets: "citizen-survey-2019-targets.yaml"),
          line: 17))
    #expect(
      read.indicators[2].survey
        == Definition.SurveySource(question: "Q6", statistic: .mean(reversed: false), scale: 20))
    #expect(read.indicators[2].target.year == 2020)
  }

  @Test("files: read from disk; a missing file and a file that is not UTF-8")
  func files() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("kpi-definitions-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = folder.appendingPathComponent("kpis.yaml").path
    try indicator().write(toFile: yaml, atomically: true, encoding: .utf8)
    let read = try KPIDefinitions(contentsOf: yaml, displayPath: "kpis.yaml")
    #expect(read.file == "kpis.yaml" && read.indicators.map(\.id) == ["a"])
    #expect(try KPIDefinitions(contentsOf: yaml).file == yaml)
    #expect(throws: FileError(path: "none.yaml", reason: "no such file")) {
      try KPIDefinitions(
        contentsOf: folder.appendingPathComponent("none.yaml").path, displayPath: "none.yaml")
    }
    let cp932 = folder.appendingPathComponent("cp932.yaml").path
    #expect(
      FileManager.default.createFile(
        atPath: cp932,
        contents: Data(cp932Bytes(indicator().replacingOccurrences(of: "A", with: "雇用")))))
    #expect(
      throws: KPIDefinitionsError(
        file: "cp932.yaml",
        problems: [
          .init(
            line: 1, column: 1,
            message: "the definitions file is not UTF-8 text; save it as UTF-8")
        ])
    ) {
      try KPIDefinitions(contentsOf: cp932, displayPath: "cp932.yaml")
    }
  }

  // MARK: Mistakes, one test each

  @Test("an empty file, a YAML syntax error, a file that is not a mapping")
  func unreadable() {
    #expect(problems("") == ["t.yaml:1:1: error: the definitions file is empty"])
    #expect(
      problems("goals: {1: a\nindicators: []\n") == [
        "t.yaml:2:11: error: the YAML cannot be read: did not find expected ',' or '}' while "
          + "parsing a flow mapping that starts at line 1, column 8"
      ])
    #expect(
      problems("- a\n- b") == [
        "t.yaml:1:1: error: the definitions file must be a mapping (key: value)"
      ])
  }

  @Test("unknown keys, listing the allowed ones")
  func unknownKeys() {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        period: 1
        indicators:
          - id: a
            name: A
            goal: 1
            baseine: {year: H26, value: 5}
            target: {year: H31, value: 10, yaer: H30}
            survey: {question: Q5, share: [1], weights: w.yaml}
        """) == [
          "t.yaml:2:1: error: the definitions file: unknown key \"period\" (expected one of "
            + "strategy, goals, indicators)",
          "t.yaml:7:5: error: indicator a: unknown key \"baseine\" (expected one of id, name, "
            + "goal, unit, direction, cumulative, baseline, target, rule, cap, decimals, "
            + "plausible, survey, published-rate)",
          "t.yaml:8:36: error: indicator a: target: unknown key \"yaer\" (expected one of year, "
            + "value)",
          "t.yaml:9:40: error: indicator a: survey: unknown key \"weights\" (expected one of "
            + "question, share, mean, scale, targets)",
        ])
  }

  @Test("missing goals and indicators")
  func missingSections() {
    #expect(
      problems("strategy: 第1期") == [
        "t.yaml:1:1: error: the definitions file needs \"goals\" (the basic goals, 基本目標, "
          + "by number)",
        "t.yaml:1:1: error: the definitions file needs \"indicators\" (the list of indicators)",
      ])
    #expect(
      problems("goals: {1: a}\nindicators: []") == [
        "t.yaml:2:13: error: the list of indicators is empty"
      ])
    #expect(
      problems("goals: [a, b]\nindicators: {}") == [
        "t.yaml:1:8: error: goals must map each goal's number to its name, such as "
          + "1: {ja: 安定した雇用を創出する, en: Create stable jobs}",
        "t.yaml:2:13: error: indicators must be a list",
      ])
  }

  @Test("goal numbers that are not numbers or are listed twice")
  func goalNumbers() {
    #expect(
      problems(
        """
        goals:
          one: 雇用
          1: 雇用
          01: 子育て
          2: {en: Child care}
        indicators:
          - {id: a, name: A, goal: 1, target: {year: H31, value: 10}}
        """) == [
          "t.yaml:2:3: error: goals: \"one\" is not a goal number (a whole number from 1)",
          "t.yaml:4:3: error: goals: goal 1 is listed twice, on lines 3 and 4",
          "t.yaml:5:6: error: goal 2 needs a Japanese text (ja)",
        ])
  }

  @Test("an indicator without id, name, goal or target")
  func missingKeys() {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - name: A
            goal: 1
            target: {year: H31, value: 10}
          - id: b
            goal: 1
          - id: c
            name: C
            target: {year: H31, value: 10}
        """) == [
          "t.yaml:3:5: error: indicator #1 needs \"id\" (a short name such as new-jobs)",
          "t.yaml:6:5: error: indicator b needs \"name\" (its name as the strategy prints it)",
          "t.yaml:6:5: error: indicator b needs \"target\" (the target, 目標値, such as "
            + "{year: H31, value: 300})",
          "t.yaml:8:5: error: indicator c needs \"goal\" (the number of its basic goal, 基本目標)",
        ])
  }

  @Test("an id used twice, naming both lines")
  func duplicateID() {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 1
            target: {year: H31, value: 10}
          - id: a
            name: A2
            goal: 1
            target: {year: H31, value: 10}
          - {id: b, name: B, goal: 1, target: {year: H31, value: 1}}
          - {id: b, name: B, goal: 1, target: {year: H31, value: 1}}
        """) == [
          "t.yaml:7:9: error: indicator a: the id a is used twice, on lines 3 and 7",
          "t.yaml:12:10: error: indicator b: the id b is used twice, on lines 11 and 12",
        ])
  }

  @Test("an id that is not lower-case letters, digits and hyphens")
  func invalidID() {
    let rule =
      "must be lower-case letters, digits and hyphens, starting with a letter or digit (such "
      + "as new-jobs)"
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - {id: New-Jobs, name: A, goal: 1, target: {year: H31, value: 10}}
          - {id: "-a", name: A, goal: 1, target: {year: H31, value: 10}}
          - {id: 新規雇用, name: A, goal: 1, target: {year: H31, value: 10}}
          - {id: "", name: A, goal: 1, target: {year: H31, value: 10}}
          - {id: new_jobs, name: A, goal: 1, target: {year: H31, value: 10}}
        """) == [
          "t.yaml:3:10: error: indicator New-Jobs: the id \"New-Jobs\" \(rule)",
          "t.yaml:4:10: error: indicator -a: the id \"-a\" \(rule)",
          "t.yaml:5:10: error: indicator 新規雇用: the id \"新規雇用\" \(rule)",
          "t.yaml:6:10: error: indicator #4: the id \"\" \(rule)",
          "t.yaml:7:10: error: indicator new_jobs: the id \"new_jobs\" \(rule)",
        ])
  }

  @Test("a goal that is not listed under goals, or not a number")
  func unlistedGoal() {
    #expect(
      problems(
        """
        goals: {1: 雇用, 2: 子育て}
        indicators:
          - {id: a, name: A, goal: 5, target: {year: H31, value: 10}}
          - {id: b, name: B, goal: one, target: {year: H31, value: 10}}
        """) == [
          "t.yaml:3:28: error: indicator a: goal 5 is not listed under goals (1, 2)",
          "t.yaml:4:28: error: indicator b: goal must be a whole number, not \"one\"",
        ])
  }

  @Test("a year that is not a year, quoted")
  func badYear() {
    let advice = "write a Western year such as 2019 or an era year such as H31, R1 or 令和元年"
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 1
            baseline: {year: H0, value: 5}
            target: {year: H32, value: 10}
          - id: b
            name: B
            goal: 1
            target: {year: 12345, value: 10}
        """) == [
          "t.yaml:6:22: error: indicator a: baseline: \"H0\" is not a year; \(advice)",
          "t.yaml:7:20: error: indicator a: target: \"H32\" is not a year; \(advice)",
          "t.yaml:11:20: error: indicator b: target: \"12345\" is not a year; \(advice)",
        ])
  }

  @Test("a baseline or target that is not a year and a number")
  func badYearValue() {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 1
            baseline: {year: H26, value: 5,958}
            target: {year: H31, value: 30.3%}
          - id: b
            name: B
            goal: 1
            baseline: {value: 5}
            target: 300
          - id: c
            name: C
            goal: 1
            target: {}
        """) == [
          "t.yaml:6:36: error: indicator a: baseline: the value 5,958 was split at its comma; "
            + "write 5958 or \"5,958\" in quotes",
          "t.yaml:7:32: error: indicator a: target: value must be a number, not \"30.3%\"",
          "t.yaml:11:15: error: indicator b: baseline needs \"year\", such as "
            + "{year: H31, value: 300}",
          "t.yaml:12:13: error: indicator b: target must be a year and a value, such as "
            + "{year: H31, value: 300}",
          "t.yaml:16:13: error: indicator c: target needs \"year\" and \"value\", such as "
            + "{year: H31, value: 300}",
        ])
  }

  @Test("a target of 0 with rule ratio, higher or lower")
  func zeroTarget() throws {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 1
            target: {year: H31, value: 0}
          - id: waiting-list
            name: 待機児童数
            goal: 1
            direction: lower
            baseline: {year: H26, value: 25}
            target: {year: H31, value: 0.0}
        """) == [
          "t.yaml:6:32: error: indicator a: a target of 0 cannot be divided by (rule ratio is "
            + "actual ÷ target); use rule: progress with a baseline",
          "t.yaml:12:32: error: indicator waiting-list: with direction lower, rule ratio is "
            + "target ÷ actual, which is 0% for any actual above a target of 0; use rule: "
            + "progress with a baseline",
        ])
    // Progress from a baseline measures the change to 0.
    let read = try definitions(
      """
      goals: {1: 雇用}
      indicators:
        - id: waiting-list
          name: 待機児童数
          goal: 1
          direction: lower
          rule: progress
          baseline: {year: H26, value: 25}
          target: {year: H31, value: 0}
      """)
    #expect(read.indicators[0].rule == .progress && read.indicators[0].target.value == 0)
  }

  @Test("rule progress without a baseline or with the baseline as target")
  func progressWithoutChange() {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 1
            rule: progress
            target: {year: H31, value: 10}
          - id: b
            name: B
            goal: 1
            rule: progress
            baseline: {year: H26, value: 23.3}
            target: {year: H31, value: 23.30}
        """) == [
          "t.yaml:6:11: error: indicator a: rule progress needs a baseline (基準値) to measure "
            + "the change from",
          "t.yaml:13:32: error: indicator b: rule progress needs a target different from the "
            + "baseline (both are 23.3)",
        ])
  }

  @Test("a baseline year after the target year")
  func baselineAfterTarget() {
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 1
            baseline: {year: 令和2年度, value: 5}
            target: {year: H31, value: 10}
        """) == [
          "t.yaml:6:22: error: indicator a: the baseline year 令和2年度 (2020) is after the "
            + "target year H31 (2019)"
        ])
  }

  @Test("direction and rule that are not one of the choices")
  func choices() {
    #expect(
      indicatorProblems("direction: up", "rule: share", "cumulative: 累計") == [
        "t.yaml:7:16: error: indicator a: direction: \"up\" is not one of higher, lower",
        "t.yaml:8:11: error: indicator a: rule: \"share\" is not one of ratio, progress",
        "t.yaml:9:17: error: indicator a: cumulative must be true or false, not \"累計\"",
      ])
  }

  @Test("a cap below 100%, not a rate, or a percentage without %")
  func caps() throws {
    #expect(try definitions(indicator("cap: 120%")).indicators[0].cap == 1.2)
    #expect(try definitions(indicator("cap: 150 ％")).indicators[0].cap == 1.5)
    #expect(try definitions(indicator("cap: 1")).indicators[0].cap == 1)
    #expect(
      indicatorProblems("cap: 90%") == [
        "t.yaml:7:10: error: indicator a: cap must be at least 100% (1), not 90%"
      ])
    #expect(
      indicatorProblems("cap: 0.9") == [
        "t.yaml:7:10: error: indicator a: cap must be at least 100% (1), not 0.9"
      ])
    #expect(
      indicatorProblems("cap: 120") == [
        "t.yaml:7:10: error: indicator a: cap 120 would be 12000%; write 120% or 1.2"
      ])
    #expect(
      indicatorProblems("cap: high") == [
        "t.yaml:7:10: error: indicator a: cap must be a rate such as 120% or 1.2, not \"high\""
      ])
  }

  @Test("decimals outside 0…6")
  func decimals() {
    #expect(
      indicatorProblems("decimals: 7") == [
        "t.yaml:7:15: error: indicator a: decimals must be from 0 to 6, not 7"
      ])
    #expect(
      indicatorProblems("decimals: -1") == [
        "t.yaml:7:15: error: indicator a: decimals must be from 0 to 6, not -1"
      ])
    #expect(
      indicatorProblems("decimals: 1.5") == [
        "t.yaml:7:15: error: indicator a: decimals must be a whole number, not \"1.5\""
      ])
  }

  @Test("a plausible range that is not a range, or excludes the baseline or target")
  func plausible() {
    #expect(
      indicatorProblems("plausible: [3, 0.5]") == [
        "t.yaml:7:16: error: indicator a: plausible [3, 0.5] must have its low end below its "
          + "high end"
      ])
    #expect(
      indicatorProblems("plausible: [2, 2]") == [
        "t.yaml:7:16: error: indicator a: plausible [2, 2] must have its low end below its "
          + "high end"
      ])
    #expect(
      indicatorProblems("plausible: [1]") == [
        "t.yaml:7:16: error: indicator a: plausible must be two numbers [low, high], such as "
          + "[0.5, 3]"
      ])
    #expect(
      indicatorProblems("plausible: [low, 3]") == [
        "t.yaml:7:17: error: indicator a: plausible: low must be a number, not \"low\""
      ])
    #expect(
      indicatorProblems("plausible: [0.5, 3]", "baseline: {year: H26, value: 15.1}") == [
        "t.yaml:6:32: error: indicator a: the target 10 is outside the plausible range [0.5, 3]",
        "t.yaml:8:34: error: indicator a: the baseline 15.1 is outside the plausible range "
          + "[0.5, 3]",
      ])
  }

  @Test("a survey without a question, with both or neither of share and mean")
  func surveyShape() {
    #expect(
      indicatorProblems("survey: {share: [1]}") == [
        "t.yaml:7:13: error: indicator a: survey needs \"question\" (the codebook's question, "
          + "such as Q5)"
      ])
    #expect(
      indicatorProblems("survey: {question: Q5, share: [1], mean: reversed}") == [
        "t.yaml:7:40: error: indicator a: survey has both share and mean; give one of them"
      ])
    #expect(
      indicatorProblems("survey: {question: Q5}") == [
        "t.yaml:7:13: error: indicator a: survey needs \"share\" (the codes counted, such as "
          + "[1]) or \"mean\" (reversed or as-coded)"
      ])
    #expect(
      indicatorProblems("survey: Q5") == [
        "t.yaml:7:13: error: indicator a: survey must be a mapping (key: value)"
      ])
  }

  @Test("share codes that are not whole numbers, an empty list, a mean that is not a form")
  func surveyCodes() {
    #expect(
      indicatorProblems("survey: {question: Q5, share: [a, 1.5, 2, 2]}") == [
        "t.yaml:7:36: error: indicator a: survey: share code \"a\" is not a whole number",
        "t.yaml:7:39: error: indicator a: survey: share code \"1.5\" is not a whole number",
        "t.yaml:7:47: error: indicator a: survey: share code 2 is listed twice",
      ])
    #expect(
      indicatorProblems("survey: {question: Q5, share: []}") == [
        "t.yaml:7:35: error: indicator a: survey: the list of share codes is empty"
      ])
    #expect(
      indicatorProblems("survey: {question: Q5, share: 1}") == [
        "t.yaml:7:35: error: indicator a: survey: share must be a list of codes, such as [1] "
          + "or [1, 2]"
      ])
    #expect(
      indicatorProblems("survey: {question: Q6, mean: reverse}") == [
        "t.yaml:7:34: error: indicator a: survey: mean: \"reverse\" is not one of reversed, "
          + "as-coded"
      ])
    #expect(
      indicatorProblems("survey: {question: Q6, mean: reversed, scale: 0}") == [
        "t.yaml:7:51: error: indicator a: survey: scale must be greater than 0, not 0"
      ])
  }

  @Test("all problems at once, in file order")
  func allAtOnce() {
    // The checks find the target of 0 after the decimals and the survey, and the second a's
    // duplicate id before its cap: the report is in file order all the same.
    #expect(
      problems(
        """
        goals: {1: 雇用}
        indicators:
          - id: a
            name: A
            goal: 3
            target: {year: H31, value: 0}
            decimals: 9
            survey: {question: Q5, mean: reverse}
          - id: a
            name: B
            goal: 1
            baseline: {year: R3, value: 1}
            target: {year: H31, value: 2}
            cap: 50%
        """) == [
          "t.yaml:5:11: error: indicator a: goal 3 is not listed under goals (1)",
          "t.yaml:6:32: error: indicator a: a target of 0 cannot be divided by (rule ratio is "
            + "actual ÷ target); use rule: progress with a baseline",
          "t.yaml:7:15: error: indicator a: decimals must be from 0 to 6, not 9",
          "t.yaml:8:34: error: indicator a: survey: mean: \"reverse\" is not one of reversed, "
            + "as-coded",
          "t.yaml:9:9: error: indicator a: the id a is used twice, on lines 3 and 9",
          "t.yaml:12:22: error: indicator a: the baseline year R3 (2021) is after the target "
            + "year H31 (2019)",
          "t.yaml:14:10: error: indicator a: cap must be at least 100% (1), not 50%",
        ])
  }

  // MARK: Against the codebook

  @Test("against the sample's codebook: questions, types, codes and missing codes")
  func againstCodebook() throws {
    let codebook = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let read = try definitions(
      """
      goals: {1: 雇用}
      indicators:
        - id: a
          name: A
          goal: 1
          target: {year: H31, value: 10}
          survey: {question: Q55, share: [1]}
        - id: b
          name: B
          goal: 1
          target: {year: H31, value: 10}
          survey: {question: Q7, share: [1]}
        - id: c
          name: C
          goal: 1
          target: {year: H31, value: 10}
          survey: {question: Q6, share: [1, 7, 9]}
        - id: d
          name: D
          goal: 1
          target: {year: H31, value: 3}
          survey: {question: Q6, mean: reversed}
        - id: e
          name: E
          goal: 1
          target: {year: H31, value: 3}
          survey: {question: Q1, mean: as-coded}
      """)
    #expect(
      read.check(against: codebook).map { "\($0.line):\($0.column): \($0.message)" } == [
        "3:1: indicator a: survey: Q55 is not a variable of the codebook",
        "8:1: indicator b: survey: Q7 is a multi variable; a survey-based indicator needs a "
          + "single-choice question",
        "13:1: indicator c: survey: share code 7 is not a code of Q6 (1–5; 8 = わからない, "
          + "9 = 無回答)",
        "13:1: indicator c: survey: share code 9 is a missing code of Q6 (無回答); missing "
          + "codes are left out of the share's base, so they cannot be counted in it",
        "23:1: indicator e: survey: Q1 is a numeric variable; a survey-based indicator needs a "
          + "single-choice question",
      ])
  }
}
