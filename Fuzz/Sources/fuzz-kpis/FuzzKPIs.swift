// Fuzzes the KPI definitions reader: `KPIDefinitions(yaml:file:)` on the input decoded as UTF-8
// (lossily), and `check(against:)` with the sample codebook on what it accepts. The KPI import
// CSV (`survey kpi import`) is parsed by the CLI (Sources/survey/KPICommand.swift,
// `kpiImportEntries`), not by a public SurveyKit API; its year column's parser is public, so
// every field of every line goes through `JapaneseYear.parse`.
import Foundation
import FuzzSupport
import SurveyKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let definitions = try? KPIDefinitions(yaml: text, file: "fuzz.yaml") {
    _ = definitions.check(against: sampleCodebook)
  }
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    for field in line.split(separator: ",", omittingEmptySubsequences: false) {
      if let year = JapaneseYear.parse(field.trimmingCharacters(in: .whitespaces)) {
        _ = JapaneseYear.labelWithWestern(year)
      }
    }
  }
  return 0
}

/// The entry point (see `runFuzzer`).
@_cdecl("fuzz_kpis_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data!, size) }
}
