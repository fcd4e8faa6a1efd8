// Fuzzes the weighting targets readers: `WeightingTargets(yaml:file:)` and
// `WeightingTargets(csv:file:population:)` (without and with a population) on the input decoded
// as UTF-8 (lossily), and `check(against:)` with the sample codebook on what they accept.
import Foundation
import FuzzSupport
import SurveyKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let targets = try? WeightingTargets(yaml: text, file: "fuzz.yaml") {
    _ = targets.check(against: sampleCodebook)
  }
  for population in [nil, 145_000.0] as [Double?] {
    if let targets = try? WeightingTargets(csv: text, file: "fuzz.csv", population: population) {
      _ = targets.check(against: sampleCodebook)
    }
  }
  return 0
}

/// The entry point (see `runFuzzer`).
@_cdecl("fuzz_targets_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data!, size) }
}
