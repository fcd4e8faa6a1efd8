import Foundation
import Testing

/// Runs the built `survey` executable as a subprocess and compares its output with golden files.
///
/// The child runs in the package root (so `samples/…` and `codebooks/…` resolve and appear in the
/// output as relative paths) with a small fixed environment, stdin from /dev/null and stdout and
/// stderr redirected to files (no pipe can fill up and block it).
///
/// Golden files live in `Tests/surveyTests/Golden/` of the source tree. To rewrite them from the
/// tool's current output, run `SURVEY_UPDATE_GOLDEN=1 swift test --filter surveyTests`, then read
/// the diff before committing. Without that variable a missing golden file is a test failure.
enum SurveyCLI {
  /// The package root, derived from this file's location (`Tests/surveyTests/SurveyCLI.swift`).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // surveyTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  /// `Tests/surveyTests/Golden` in the source tree (not the copy in the test bundle), so that
  /// updating writes where the tests read.
  static let goldenFolder: URL = packageRoot.appendingPathComponent("Tests/surveyTests/Golden")

  static let updatingGoldens: Bool = {
    let value = ProcessInfo.processInfo.environment["SURVEY_UPDATE_GOLDEN"] ?? ""
    return !value.isEmpty && value != "0"
  }()

  struct Result: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: Data
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
  }

  struct LookupError: Error, CustomStringConvertible {
    var description: String
  }

  /// The `survey` executable in the build products folder that holds the running test binary
  /// (e.g. `.build-cli/debug/`). On Linux the test runner is `<products>/<Package>PackageTests.xctest`
  /// (a plain executable); on macOS it sits inside `<products>/<Package>PackageTests.xctest/Contents/MacOS/`.
  static func executable() throws -> URL {
    var starts: [URL] = []
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      starts.append(URL(fileURLWithPath: path))
    }
    if let url = Bundle.main.executableURL { starts.append(url) }
    starts.append(URL(fileURLWithPath: CommandLine.arguments[0]))
    // A file inside the folder named by bundleURL (for a plain executable, its own folder).
    starts.append(Bundle.main.bundleURL.appendingPathComponent("_"))
    var tried: [String] = []
    for start in starts {
      // Linux: <products>/X.xctest is the executable itself. macOS: <products>/X.xctest/Contents/MacOS/X.
      var folder = start.resolvingSymlinksInPath().deletingLastPathComponent()
      while folder.path.contains(".xctest") && folder.path != "/" {
        folder = folder.deletingLastPathComponent()
      }
      let candidate = folder.appendingPathComponent("survey")
      guard !tried.contains(candidate.path) else { continue }
      tried.append(candidate.path)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
      {
        return candidate
      }
    }
    throw LookupError(
      description: """
        The built `survey` executable was not found next to the test binary. \
        Build it into the same scratch folder first (e.g. `swift build --scratch-path .build-cli`), \
        or run the tests with `swift test --scratch-path .build-cli`. Looked at: \
        \(tried.joined(separator: ", "))
        """)
  }

  /// A fresh empty folder for one test, removed by the caller with `removeTemporaryFolder`.
  static func makeTemporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("surveyTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static func removeTemporaryFolder(_ folder: URL) {
    try? FileManager.default.removeItem(at: folder)
  }

  /// Runs `survey arguments…` in the package root and returns its status and whole output.
  static func run(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Result {
    let scratch = try makeTemporaryFolder()
    defer { removeTemporaryFolder(scratch) }
    let home = scratch.appendingPathComponent("home", isDirectory: true)
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    return try await runProcess(
      try executable(), arguments, name: "survey", in: packageRoot,
      environment: [
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home.path,
        "COLUMNS": "100",
        "LINES": "50",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": scratch.path,
      ], logs: scratch, timeout: timeout)
  }

  /// Runs a program in `directory` with exactly `environment`, stdin from /dev/null and stdout
  /// and stderr in files under `logs` (no pipe can fill up and block it); a child still running
  /// after `timeout` is terminated and the test fails.
  static func runProcess(
    _ executable: URL, _ arguments: [String], name: String, in directory: URL,
    environment: [String: String], logs: URL, timeout: Duration,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> Result {
    let stdoutURL = logs.appendingPathComponent("stdout")
    let stderrURL = logs.appendingPathComponent("stderr")
    try Data().write(to: stdoutURL)
    try Data().write(to: stderrURL)
    let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
    let stderrHandle = try FileHandle(forWritingTo: stderrURL)

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle

    // Kills a child that hangs, so that a broken build fails the test instead of blocking it.
    let watchdog = Task.detached { [process] in
      try await Task.sleep(for: timeout)
      if process.isRunning { process.terminate() }
    }
    defer { watchdog.cancel() }
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
      process.terminationHandler = { finished in
        continuation.resume(returning: finished.terminationStatus)
      }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
      }
    }
    try stdoutHandle.close()
    try stderrHandle.close()
    if process.terminationReason == .uncaughtSignal {
      let command = ([name] + arguments).joined(separator: " ")
      Issue.record(
        "\(command) was killed by signal \(status) (timed out after \(timeout)?)",
        sourceLocation: sourceLocation)
    }
    return Result(
      status: status, stdout: try Data(contentsOf: stdoutURL),
      stderr: try Data(contentsOf: stderrURL))
  }

  /// Compares `actual` with the golden file `name`, byte for byte. With SURVEY_UPDATE_GOLDEN=1 the
  /// golden file is (re)written instead; otherwise a missing golden file is a failure.
  static func expectGolden(
    _ actual: Data, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = goldenFolder.appendingPathComponent(name)
    if updatingGoldens {
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let old = try? Data(contentsOf: url)
        if old != actual {
          try actual.write(to: url, options: .atomic)
          print("surveyTests: wrote golden file Tests/surveyTests/Golden/\(name)")
        }
      } catch {
        Issue.record(
          "cannot write the golden file \(url.path): \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let expected = try? Data(contentsOf: url) else {
      Issue.record(
        """
        The golden file Tests/surveyTests/Golden/\(name) is missing. Create it with \
        `SURVEY_UPDATE_GOLDEN=1 swift test --scratch-path .build-cli --filter surveyTests` \
        and read it before committing.
        """, sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      Issue.record(
        """
        The output differs from Tests/surveyTests/Golden/\(name) \
        (if the change is intended, regenerate with SURVEY_UPDATE_GOLDEN=1).
        \(describeDifference(expected: expected, actual: actual))
        """, sourceLocation: sourceLocation)
    }
  }

  static func expectGolden(
    _ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    expectGolden(Data(actual.utf8), name, sourceLocation: sourceLocation)
  }

  /// The first line where two texts differ, with a little context, for a readable failure.
  static func describeDifference(expected: Data, actual: Data) -> String {
    let expectedLines = String(decoding: expected, as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = String(decoding: actual, as: UTF8.self)
      .split(separator: "\n", omittingEmptySubsequences: false)
    let common = min(expectedLines.count, actualLines.count)
    var index = 0
    while index < common && expectedLines[index] == actualLines[index] { index += 1 }
    func show(_ lines: [Substring], _ index: Int) -> String {
      guard index < lines.count else { return "(end of output)" }
      return String(reflecting: String(lines[index]))
    }
    return """
      expected \(expected.count) bytes in \(expectedLines.count) lines, \
      got \(actual.count) bytes in \(actualLines.count) lines; first difference at line \(index + 1):
        expected: \(show(expectedLines, index))
        actual:   \(show(actualLines, index))
      """
  }
}
