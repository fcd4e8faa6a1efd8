// Fuzzes the CSV export reader: `SurveyReader(codebook:).read(bytes:file:)` against the sample
// codebook, once with the encoding detected (nil) and the default chunk size, once with an
// explicit encoding and a small chunk size chosen from the input (so records, quotes and
// multi-byte characters straddle chunk boundaries). Invariant: rows read = accepted + rejected.
import Foundation
import FuzzSupport
import SurveyKit

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
  check(SurveyReader(codebook: sampleCodebook).read(bytes: bytes, file: "fuzz.csv"), "detected")
  // An explicit encoding and 1…64-byte chunks, both chosen from the input so a crash reproduces.
  let encoding: TextEncoding = size % 2 == 0 ? .utf8 : .cp932
  let chunkSize = 1 + Int(bytes.last ?? 0) % 64
  check(
    SurveyReader(codebook: sampleCodebook, encoding: encoding, chunkSize: chunkSize)
      .read(bytes: bytes, file: "fuzz.csv"),
    "\(encoding.rawValue), chunks of \(chunkSize)")
  return 0
}

/// The entry point (see `runFuzzer`).
@_cdecl("fuzz_export_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data!, size) }
}
