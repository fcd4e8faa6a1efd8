// Micro-benchmarks of SurveyKit's library calls (issue 10): ingest, a weighted frequency table and
// a banner table, on the 1,200-row sample and, when it has been generated, a 100,000-row file.
// Only the call named by a benchmark is timed: files are read, and designs and specs made, in its
// setup, except by the ingest benchmarks, whose work is reading the file.

import Benchmark
import Foundation
import SurveyKit

/// The repository's root: this file is Benchmarks/Benchmarks/SurveyKitBenchmarks/<file>.swift.
private let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()  // SurveyKitBenchmarks
  .deletingLastPathComponent()  // Benchmarks (the targets' folder)
  .deletingLastPathComponent()  // Benchmarks (this package)
  .deletingLastPathComponent()

private func repositoryPath(_ relative: String) -> String {
  repositoryRoot.appendingPathComponent(relative).path
}

private let codebookPath = repositoryPath("codebooks/citizen-survey-2019.yaml")
private let samplePath = repositoryPath("samples/citizen-survey-2019.csv")
private let bannerSpecPath = repositoryPath("Benchmarks/tab-benchmark.yaml")
/// The 100,000-row file of `Benchmarks/compare.sh` (or `generate_large.py --rows 100000`);
/// SURVEYKIT_LARGE_CSV names another.
private let largePath =
  ProcessInfo.processInfo.environment["SURVEYKIT_LARGE_CSV"]
  ?? "/tmp/surveykit-compare/large-100000.csv"
private let largeLabel =
  ProcessInfo.processInfo.environment["SURVEYKIT_LARGE_CSV"] == nil
  ? "100k rows" : URL(fileURLWithPath: largePath).lastPathComponent

/// The question of the frequency benchmarks.
private let frequencyQuestion = "Q5"

/// What the banner benchmarks time: the builder, and the spec's tables.
private typealias BannerWork = (builder: BannerTableBuilder, tables: [BannerTableSpec.Table])

private struct BenchmarkSetupError: Error, CustomStringConvertible {
  var description: String
}

/// A file read, checked and ready for tabulation under the codebook's design.
private struct SurveyData {
  var result: IngestResult
  var design: SurveyDesign

  init(export path: String, codebook: Codebook) throws {
    result = try SurveyReader(codebook: codebook).read(contentsOf: path)
    guard result.rowsAccepted > 0 else {
      throw BenchmarkSetupError(description: "\(path): no row was accepted")
    }
    design = try SurveyDesign(table: result.table)
  }
}

/// The timed work's settings: short runs, as these are for comparing one build with another.
private func configuration(maxIterations: Int, maxSeconds: Int64) -> Benchmark.Configuration {
  .init(
    metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
    warmupIterations: 1,
    maxDuration: .seconds(maxSeconds),
    maxIterations: maxIterations)
}

/// The ingest, frequency and banner benchmarks of one export, named "<what> <label>".
private func registerBenchmarks(
  label: String, export: String, iterations: (ingest: Int, freq: Int, tab: Int)
) {
  Benchmark(
    "ingest \(label)",
    configuration: configuration(maxIterations: iterations.ingest, maxSeconds: 5),
    closure: { (benchmark: Benchmark, reader: SurveyReader) throws in
      for _ in benchmark.scaledIterations {
        let result = try reader.read(contentsOf: export)
        blackHole(result.rowsAccepted)
      }
    },
    setup: { () async throws -> SurveyReader in
      let reader = SurveyReader(codebook: try Codebook(contentsOf: codebookPath))
      // One untimed read, to fail here rather than time a file that is not what it should be.
      let result = try reader.read(contentsOf: export)
      guard result.rowsAccepted > 0, result.rowsRejected == 0 else {
        throw BenchmarkSetupError(
          description:
            "\(export): \(result.rowsAccepted) rows accepted, \(result.rowsRejected) rejected")
      }
      return reader
    })

  Benchmark(
    "freq \(frequencyQuestion) weighted \(label)",
    configuration: configuration(maxIterations: iterations.freq, maxSeconds: 3),
    closure: { (benchmark: Benchmark, data: SurveyData) throws in
      for _ in benchmark.scaledIterations {
        let builder = FrequencyTableBuilder(table: data.result.table, design: data.design)
        blackHole(try builder.frequencyTable(of: frequencyQuestion))
      }
    },
    setup: { () async throws -> SurveyData in
      try SurveyData(export: export, codebook: try Codebook(contentsOf: codebookPath))
    })

  Benchmark(
    "tab banner \(label)",
    configuration: configuration(maxIterations: iterations.tab, maxSeconds: 8),
    closure: { (benchmark: Benchmark, work: BannerWork) throws in
      for _ in benchmark.scaledIterations {
        for table in work.tables { blackHole(try work.builder.bannerTable(table)) }
      }
    },
    setup: { () async throws -> BannerWork in
      let codebook = try Codebook(contentsOf: codebookPath)
      let spec = try BannerTableSpec(contentsOf: bannerSpecPath, codebook: codebook)
      let data = try SurveyData(export: export, codebook: codebook)
      let builder = try BannerTableBuilder(
        table: data.result.table, design: data.design, options: spec.options
      ).adding(spec.recodes)
      return (builder, spec.tables)
    })
}

let benchmarks: @Sendable () -> Void = {
  registerBenchmarks(
    label: "sample 1.2k rows", export: samplePath,
    iterations: (ingest: 200, freq: 1000, tab: 50))

  if FileManager.default.isReadableFile(atPath: largePath) {
    registerBenchmarks(
      label: "large \(largeLabel)", export: largePath,
      iterations: (ingest: 5, freq: 20, tab: 3))
  } else {
    FileHandle.standardError.write(
      Data(
        ("SurveyKitBenchmarks: \(largePath) is absent, so the 100k benchmarks are skipped; "
          + "make it with `python3 \(repositoryPath("Benchmarks/generate_large.py")) --rows 100000 "
          + "--out \(largePath)`.\n")
          .utf8))
  }
}
