// Fuzzes the weighting targets readers: `WeightingTargets(yaml:file:)` and
// `WeightingTargets(csv:file:population:)` (without and with a population) on the input decoded
// as UTF-8 (lossily), and `check(against:)` with the sample codebook on what they accept.
import Foundation
import SurveyKit

/// The repository's root, from this file's place in it (Fuzz/Sources/<target>/…), unless
/// SURVEYKIT_ROOT names it.
private func repositoryRoot() -> String {
  if let root = ProcessInfo.processInfo.environment["SURVEYKIT_ROOT"] { return root }
  return URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
}

/// The sample codebook, loaded once, on the first input (globals are initialized lazily).
private let codebook: Codebook = {
  let path = repositoryRoot() + "/codebooks/citizen-survey-2019.yaml"
  do {
    return try Codebook(contentsOf: path)
  } catch {
    fatalError("cannot load \(path): \(error)")
  }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let targets = try? WeightingTargets(yaml: text, file: "fuzz.yaml") {
    _ = targets.check(against: codebook)
  }
  for population in [nil, 145_000.0] as [Double?] {
    if let targets = try? WeightingTargets(csv: text, file: "fuzz.csv", population: population) {
      _ = targets.check(against: codebook)
    }
  }
  return 0
}

// SwiftPM links a Linux executable with `--defsym main=fuzz_targets_main` (for testable executables),
// so libFuzzer's own `main` is never used: this is the entry point, and it runs libFuzzer's driver.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("fuzz_targets_main")
func fuzzerMain(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) }
}
