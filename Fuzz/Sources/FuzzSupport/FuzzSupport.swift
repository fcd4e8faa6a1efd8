// What every fuzz target shares: the sample codebook and libFuzzer's driver.
import Foundation
import SurveyKit

/// The repository's root, from this file's place in it (Fuzz/Sources/FuzzSupport/…), unless
/// SURVEYKIT_ROOT names it.
public func repositoryRoot() -> String {
  if let root = ProcessInfo.processInfo.environment["SURVEYKIT_ROOT"] { return root }
  return URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
}

/// The sample codebook, loaded once, on the first input (globals are initialized lazily).
public let sampleCodebook: Codebook = {
  let path = repositoryRoot() + "/codebooks/citizen-survey-2019.yaml"
  do {
    return try Codebook(contentsOf: path)
  } catch {
    fatalError("cannot load \(path): \(error)")
  }
}()

@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer's driver with `callback` as `LLVMFuzzerTestOneInput`. SwiftPM links a Linux
/// executable with `--defsym main=<module>_main` (for testable executables), so libFuzzer's own
/// `main` is never used (swiftlang/swift#75800): each target's `<module>_main` calls this.
public func runFuzzer(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32 {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
