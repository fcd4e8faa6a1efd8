import Foundation
import Testing

/// Crash tests of every file output: the process is killed (SIGKILL) at the worst moment, when
/// the new file is complete on disk but not yet renamed into place, and the previous file must be
/// found exactly as it was. The pause comes from the fault-injection hook of `AtomicFile`
/// (`SURVEYKIT_WRITE_PAUSE`, `SURVEYKIT_WRITE_PAUSE_FOR`).
@Suite("Outputs survive a kill while they are written")
struct AtomicOutputTests {
  static let root = SurveyCLI.packageRoot.path
  static let codebook = "codebooks/citizen-survey-2019.yaml"

  /// Runs `survey arguments…`, kills it once the output ending in `pauseFor` is about to be
  /// renamed, and returns whether the kill happened there.
  func killWhileWriting(_ arguments: [String], pauseFor: String, folder: URL) async throws
    -> Bool
  {
    let marker = folder.appendingPathComponent("paused").path
    let process = Process()
    process.executableURL = try SurveyCLI.executable()
    process.arguments = arguments
    process.currentDirectoryURL = SurveyCLI.packageRoot
    process.environment = [
      "PATH": "/usr/bin:/bin", "SURVEYKIT_WRITE_PAUSE": marker,
      "SURVEYKIT_WRITE_PAUSE_FOR": pauseFor,
    ]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    var waited = 0
    while !FileManager.default.fileExists(atPath: marker) && process.isRunning && waited < 600 {
      try await Task.sleep(for: .milliseconds(100))
      waited += 1
    }
    let paused = FileManager.default.fileExists(atPath: marker)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return paused && process.terminationReason == .uncaughtSignal
  }

  /// The previous file's bytes, written before the run.
  func previous(_ path: String, _ text: String) throws -> Data {
    let data = Data(text.utf8)
    try data.write(to: URL(fileURLWithPath: path))
    return data
  }

  @Test("the reject log of survey check")
  func rejectLog() async throws {
    let folder = try SurveyCLI.makeTemporaryFolder()
    defer { SurveyCLI.removeTemporaryFolder(folder) }
    let rejects = folder.appendingPathComponent("rejects.csv").path
    let before = try previous(rejects, "line,id,rules,reasons,text\n1,old,,,\n")
    let killed = try await killWhileWriting(
      [
        "check", "samples/citizen-survey-2019-dirty.csv", "--codebook", Self.codebook,
        "--rejects", rejects,
      ], pauseFor: "rejects.csv", folder: folder)
    #expect(killed)
    #expect(try Data(contentsOf: URL(fileURLWithPath: rejects)) == before)
    // Without the hook the same command replaces it.
    let result = try await SurveyCLI.run([
      "check", "samples/citizen-survey-2019-dirty.csv", "--codebook", Self.codebook, "--rejects",
      rejects,
    ])
    #expect(result.status == 1)
    #expect(try Data(contentsOf: URL(fileURLWithPath: rejects)) != before)
  }

  @Test("the weights file of survey weight")
  func weights() async throws {
    let folder = try SurveyCLI.makeTemporaryFolder()
    defer { SurveyCLI.removeTemporaryFolder(folder) }
    let out = folder.appendingPathComponent("weights.csv").path
    let before = try previous(out, "ID,weight\n10001,1\n")
    let killed = try await killWhileWriting(
      [
        "weight", "samples/citizen-survey-2019.csv", "--codebook", Self.codebook, "--targets",
        "codebooks/citizen-survey-2019-targets.yaml", "--missing", "own-class", "--out", out,
      ], pauseFor: "weights.csv", folder: folder)
    #expect(killed)
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
  }

  @Test(
    "the workbook and the HTML report of survey run", arguments: ["report.xlsx", "report.html"])
  func report(_ output: String) async throws {
    let job = try RunCommandTests.Job()
    defer { SurveyCLI.removeTemporaryFolder(job.folder) }
    let workbook = try previous(job.workbook, "the previous workbook\n")
    let html = try previous(job.html, "<p>the previous report</p>\n")
    let killed = try await killWhileWriting(
      ["run", job.path], pauseFor: output, folder: job.folder)
    #expect(killed)
    #expect(try Data(contentsOf: URL(fileURLWithPath: job.html)) == html)
    if output == "report.xlsx" {
      #expect(try Data(contentsOf: URL(fileURLWithPath: job.workbook)) == workbook)
    }
  }
}
