// Fuzzes the banner table spec reader: `BannerTableSpec(yaml:file:codebook:)` on the input
// decoded as UTF-8 (lossily) against the sample codebook, then `BannerTableBuilder.check(_:in:)`
// on every table of a spec it accepts.
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
  guard let spec = try? BannerTableSpec(yaml: text, file: "fuzz.yaml", codebook: codebook) else {
    return 0
  }
  for table in spec.tables {
    _ = try? BannerTableBuilder.check(table, in: codebook)
  }
  return 0
}

// SwiftPM links a Linux executable with `--defsym main=fuzz_spec_main` (for testable executables),
// so libFuzzer's own `main` is never used: this is the entry point, and it runs libFuzzer's driver.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("fuzz_spec_main")
func fuzzerMain(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) }
}
