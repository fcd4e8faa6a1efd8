// Fuzzes the CSV export reader: `SurveyReader(codebook:).read(bytes:file:)` against the sample
// codebook, once with the encoding detected (nil) and the default chunk size, once with an
// explicit encoding and a small chunk size chosen from the input (so records, quotes and
// multi-byte characters straddle chunk boundaries). Invariant: rows read = accepted + rejected.
import Foundation
import SurveyKit

/// The repository's root, from this file's place in it (Fuzz/Sources/fuzz-export/…), unless
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
    fatalError("fuzz-export: cannot load \(path): \(error)")
  }
}()

private func check(_ result: IngestResult, _ what: String) {
  if result.rowsRead != result.rowsAccepted + result.rowsRejected {
    fatalError(
      "fuzz-export (\(what)): rows read \(result.rowsRead) != accepted \(result.rowsAccepted)"
        + " + rejected \(result.rowsRejected)")
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // Detected encoding, default (256 KiB) chunks: the whole input is one chunk.
  check(SurveyReader(codebook: codebook).read(bytes: bytes, file: "fuzz.csv"), "detected")
  // An explicit encoding and 1…64-byte chunks, both chosen from the input so a crash reproduces.
  let encoding: TextEncoding = size % 2 == 0 ? .utf8 : .cp932
  let chunkSize = 1 + Int(bytes.last ?? 0) % 64
  check(
    SurveyReader(codebook: codebook, encoding: encoding, chunkSize: chunkSize)
      .read(bytes: bytes, file: "fuzz.csv"),
    "\(encoding.rawValue), chunks of \(chunkSize)")
  return 0
}

// SwiftPM links a Linux executable with `--defsym main=fuzz_export_main` (for testable executables),
// so libFuzzer's own `main` is never used: this is the entry point, and it runs libFuzzer's driver.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("fuzz_export_main")
func fuzzerMain(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) }
}
