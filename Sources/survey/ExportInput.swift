import ArgumentParser
import Foundation
import SurveyKit

/// The check could not run (a missing file, a broken codebook): the reason on standard error and
/// exit status 2.
func couldNotRun(_ error: any Error) -> ExitCode {
  couldNotRun("\(error)")
}

/// The check could not run, with the sentence to print.
func couldNotRun(_ message: String) -> ExitCode {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  return ExitCode(2)
}

/// Loads a codebook, or ends the command with exit status 2.
func loadCodebook(_ path: String) throws -> Codebook {
  do {
    return try Codebook(contentsOf: path)
  } catch {
    throw couldNotRun(error)
  }
}

/// Reads an export against a codebook as `survey check` does, with progress on a terminal, or
/// ends the command with exit status 2. A `.sav`, `.zsav` or `.dta` file is read through ReadStat.
func readExport(_ path: String, codebook: Codebook, encoding: String) throws -> IngestResult {
  let reader = SurveyReader(
    codebook: codebook, encoding: encoding == "auto" ? nil : TextEncoding(name: encoding))
  let progress = ProgressLine(label: path)
  defer { progress.clear() }
  do {
    return try reader.read(export: path, progress: progress.update)
  } catch {
    throw couldNotRun(error)
  }
}
