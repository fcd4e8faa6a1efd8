// Fuzzes the banner table spec reader: `BannerTableSpec(yaml:file:codebook:)` on the input
// decoded as UTF-8 (lossily) against the sample codebook, then `BannerTableBuilder.check(_:in:)`
// on every table of a spec it accepts.
import Foundation
import FuzzSupport
import SurveyKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let spec = try? BannerTableSpec(yaml: text, file: "fuzz.yaml", codebook: sampleCodebook)
  else {
    return 0
  }
  for table in spec.tables {
    _ = try? BannerTableBuilder.check(table, in: sampleCodebook)
  }
  return 0
}

/// The entry point (see `runFuzzer`).
@_cdecl("fuzz_spec_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data!, size) }
}
