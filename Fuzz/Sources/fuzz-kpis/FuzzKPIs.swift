// Fuzzes the KPI definitions reader: `KPIDefinitions(yaml:file:)` on the input decoded as UTF-8
// (lossily), and `check(against:)` with the sample codebook on what it accepts. The KPI import
// CSV (`survey kpi import`) is parsed by the CLI (Sources/survey/KPICommand.swift,
// `kpiImportEntries`), not by a public SurveyKit API; its year column's parser is public, so
// every field of every line goes through `JapaneseYear.parse`.
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
  if let definitions = try? KPIDefinitions(yaml: text, file: "fuzz.yaml") {
    _ = definitions.check(against: codebook)
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

// SwiftPM links a Linux executable with `--defsym main=fuzz_kpis_main` (for testable executables),
// so libFuzzer's own `main` is never used: this is the entry point, and it runs libFuzzer's driver.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("fuzz_kpis_main")
func fuzzerMain(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzz(data!, size) }
}
