import Foundation
import Testing

/// End-to-end tests of `survey weight` and of `--targets` in `survey freq` and `survey tab`: the
/// built executable on the bundled sample, whole outputs compared with golden files, and every
/// failure with its exact message.
@Suite("survey weight")
struct WeightCommandTests {
  static let codebook = "codebooks/citizen-survey-2019.yaml"
  static let sample = "samples/citizen-survey-2019.csv"
  static let targets = "codebooks/citizen-survey-2019-targets.yaml"
  static let fixtures = "Tests/surveyTests/Golden/weight-fixtures"

  static func weight(_ arguments: [String]) async throws -> SurveyCLI.Result {
    try await SurveyCLI.run(["weight", sample, "--codebook", codebook] + arguments)
  }

  struct GoldenCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var golden: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let goldenCases: [GoldenCase] = [
    .init(arguments: ["--targets", targets], golden: "weight-sample.txt"),
    .init(arguments: ["--targets", targets, "--lang", "en"], golden: "weight-sample-en.txt"),
    .init(arguments: ["--targets", targets, "--format", "json"], golden: "weight-sample.json"),
    .init(
      arguments: [
        "--targets", "\(fixtures)/register.csv", "--population", "145000", "--missing",
        "own-class", "--method", "calibrate-raking", "--bounds", "0.5,2.25", "--lang", "en",
      ], golden: "weight-csv-calibrate-bounded.txt"),
    .init(
      arguments: ["--targets", targets, "--trim", "0.6x,2x", "--trim-strict", "--lang", "en"],
      golden: "weight-trim-strict.txt"),
    .init(
      arguments: ["--targets", "\(fixtures)/within-tolerance.yaml"],
      golden: "weight-within-tolerance.txt"),
  ]

  @Test("the sample weighted: exit status 0, nothing on stderr", arguments: goldenCases)
  func sample(_ example: GoldenCase) async throws {
    let result = try await Self.weight(example.arguments)
    #expect(result.status == 0)
    #expect(result.stderrText == "")
    FreqCommandTests.expectGoldenFigures(result.stdout, example.golden)
  }

  @Test("--out writes the id and final weight of every row, atomically")
  func weightsFile() async throws {
    let folder = try SurveyCLI.makeTemporaryFolder()
    defer { SurveyCLI.removeTemporaryFolder(folder) }
    let out = folder.appendingPathComponent("weights.csv").path
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: out))
    let result = try await Self.weight(["--targets", Self.targets, "--out", out])
    #expect(result.status == 0)
    #expect(result.stdoutText.hasSuffix("ウェイトを \(out) に書き出しました（1,200行）\n"))
    let written = try Data(contentsOf: URL(fileURLWithPath: out))
    let lines = String(decoding: written, as: UTF8.self).split(separator: "\n")
    #expect(lines.count == 1201)
    #expect(lines.first == "ID,weight")
    #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 2 })
    let sum = lines.dropFirst().compactMap { Double($0.split(separator: ",")[1]) }.reduce(0, +)
    #expect(abs(sum - 145_000) < 1e-6)
    FreqCommandTests.expectGoldenFigures(written, "weight-sample-weights.csv")
    // Nothing is left beside it (no temporary file).
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(files == ["weights.csv"])
    // A folder that does not exist: refused before the export is read.
    let missing = folder.appendingPathComponent("no-such-folder/weights.csv").path
    let refused = try await Self.weight(["--targets", Self.targets, "--out", missing])
    #expect(refused.status == 2)
    #expect(refused.stdoutText == "")
    #expect(refused.stderrText.hasPrefix("\(missing): error: "))
  }

  struct Failure: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var status: Int32
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let failures: [Failure] = [
    .init(
      arguments: ["--targets", "\(fixtures)/missing-category.yaml"], status: 2,
      message:
        "samples/citizen-survey-2019.csv: error: the weighting cannot be done: 309 respondents "
        + "have F2 = 6 (first on line 3), which no target covers; add the category to "
        + "\(fixtures)/missing-category.yaml\n"),
    .init(
      arguments: ["--targets", "\(fixtures)/disagree.yaml"], status: 2,
      message:
        "\(fixtures)/disagree.yaml:5: error: the targets of DISTRICT sum to 143000 but the "
        + "targets of F1 sum to 145000 (1.38% apart; the tolerance is 0.1%)\n"),
    .init(
      arguments: ["--targets", "\(fixtures)/no-missing-policy.yaml"], status: 2,
      message:
        "samples/citizen-survey-2019.csv: error: the weighting cannot be done: 5 respondents "
        + "have no answer to F1 (first on line 35); weight them as a class of their own "
        + "(`missing: own-class` in the targets, or --missing own-class), or let survey check "
        + "reject them\n"),
    .init(
      arguments: ["--targets", targets, "--max-iterations", "2"], status: 2,
      message:
        "samples/citizen-survey-2019.csv: error: the weighting cannot be done: raking did not "
        + "converge in 2 passes: F1 = no answer is at 598.48 against its target 595 (residual "
        + "3.48); allow more passes or check that the margins can be met together\n"),
    .init(
      arguments: ["--targets", targets, "--method", "calibrate-raking", "--bounds", "0.5,2"],
      status: 2,
      message:
        "samples/citizen-survey-2019.csv: error: the weighting cannot be done: F2 = 18–29 "
        + "needs its weights multiplied by 2.12 on average (target 20264.53 against 9556.67 "
        + "design-weighted), above the upper bound 2; widen the bounds\n"),
    .init(
      arguments: ["--targets", "\(fixtures)/no-such-file.yaml"], status: 2,
      message: "\(fixtures)/no-such-file.yaml: error: "),
    .init(
      arguments: ["--targets", targets, "--trim", "3,1"], status: 64,
      message:
        "Error: --trim takes LOW,HIGH weights (either may be empty; both with x for times the "
        + "mean weight, such as 0.3x,3x), not \"3,1\".\n"),
    .init(
      arguments: ["--targets", targets, "--bounds", "2,0.5"], status: 64,
      message:
        "Error: --bounds takes LOW,HIGH with 0 ≤ LOW < 1 < HIGH (such as 0.5,2), not \"2,0.5\".\n"
    ),
    .init(
      arguments: [], status: 64,
      message: "Error: survey weight needs --targets FILE (the population margins).\n"),
  ]

  @Test("every failure is one sentence with its exit status", arguments: failures)
  func failure(_ failure: Failure) async throws {
    let result = try await Self.weight(failure.arguments)
    #expect(result.status == failure.status)
    #expect(result.stdoutText == "")
    if failure.message.hasSuffix("\n") {
      #expect(
        result.stderrText == failure.message
          || (failure.status == 64 && result.stderrText.hasPrefix(failure.message)))
    } else {
      #expect(result.stderrText.hasPrefix(failure.message), "\(result.stderrText)")
    }
  }

  @Test("freq and tab with --targets: the weighted design, SEs that account for the raking")
  func freqAndTab() async throws {
    let freq = try await SurveyCLI.run([
      "freq", Self.sample, "--codebook", Self.codebook, "--targets", Self.targets, "Q5", "Q6",
      "--reverse", "Q6",
    ])
    #expect(freq.status == 0)
    #expect(freq.stderrText == "")
    SurveyCLI.expectGolden(freq.stdout, "freq-weighted-q5-q6.txt")
    let tab = try await SurveyCLI.run([
      "tab", Self.sample, "--codebook", Self.codebook, "--spec",
      "codebooks/citizen-survey-2019-tables.yaml", "--targets", Self.targets, "--lang", "en",
      "--test", "design", "--format", "json",
    ])
    #expect(tab.status == 0)
    #expect(tab.stderrText == "")
    let document = try #require(
      try JSONSerialization.jsonObject(with: tab.stdout) as? [String: Any])
    let design = try #require(document["design"] as? [String: Any])
    let weighting = try #require(design["weighting"] as? [String: Any])
    #expect(weighting["method"] as? String == "rake")
    #expect(weighting["variables"] as? [String] == ["F1", "F2", "DISTRICT"])
    #expect(weighting["iterations"] as? Int == 7)
    let options = try await SurveyCLI.run([
      "freq", Self.sample, "--codebook", Self.codebook, "--method", "rake",
    ])
    #expect(options.status == 64)
    #expect(
      options.stderrText.hasPrefix(
        "Error: Weighting options need --targets FILE (the population margins).\n"))
  }

  @Test("--help shows the discussion, the examples and the options")
  func help() async throws {
    let result = try await SurveyCLI.run(["weight", "--help"])
    #expect(result.status == 0)
    SurveyCLI.expectGolden(result.stdout, "help-weight.txt")
  }
}
