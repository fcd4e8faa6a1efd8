// Fuzzes the ReadStat reader, which only reads from a path: the input is written to one file per
// process (overwritten each time) and read with `SurveyReader.read(statisticalFile:format:)`
// against the sample codebook, as SPSS when it starts with "$FL" (.sav "$FL2", .zsav "$FL3"),
// else as Stata (.dta); then `Codebook.importedYAML(fromStatisticalFile:format:)` (`survey
// codebook import`) on the same file. Invariant: rows read = accepted + rejected.
import Foundation
import FuzzSupport
import SurveyKit

/// The per-process folder of the input file (one path per extension, overwritten each time) in
/// the temporary folder, removed when libFuzzer exits normally.
private let folder: String = {
  let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
  atexit { try? FileManager.default.removeItem(atPath: folder) }
  return base + "/surveykit-fuzz-sav-\(getpid())"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let buffer = UnsafeBufferPointer(start: data, count: size)
  let format: StatisticalFileFormat = buffer.starts(with: Array("$FL".utf8)) ? .spss : .stata
  let path = folder + (format == .spss ? "/input.sav" : "/input.dta")
  do {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data(buffer).write(to: URL(fileURLWithPath: path))
  } catch {
    fatalError("fuzz-sav: cannot write \(path): \(error)")
  }
  let reader = SurveyReader(codebook: sampleCodebook)
  if let result = try? reader.read(statisticalFile: path, format: format, displayPath: "fuzz") {
    if result.rowsRead != result.rowsAccepted + result.rowsRejected {
      fatalError(
        "fuzz-sav: rows read \(result.rowsRead) != accepted \(result.rowsAccepted)"
          + " + rejected \(result.rowsRejected)")
    }
  }
  _ = try? Codebook.importedYAML(fromStatisticalFile: path, format: format, displayPath: "fuzz")
  return 0
}

/// The entry point (see `runFuzzer`).
@_cdecl("fuzz_sav_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> Int32
{
  runFuzzer(argc, argv) { data, size in fuzz(data!, size) }
}
