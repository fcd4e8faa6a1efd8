// swift-tools-version: 6.1
// Micro-benchmarks of SurveyKit (issue 10), kept in their own package so that the root package's
// `swift build` and `swift test` neither build nor resolve ordo-one/benchmark.
//
// Run from this folder (see README.md, "Micro-benchmarks"):
//   swift package --scratch-path ../.build-microbench benchmark
import PackageDescription

let package = Package(
  name: "SurveyKitBenchmarks",
  dependencies: [
    // The package being measured, by path: the benchmarks always see the work tree's code.
    .package(name: "SurveyKit", path: ".."),
    // Only the MallocInterposer trait: the malloc counters without jemalloc, and without the
    // default RuntimeInterposer trait (its package is not in the mirror this project resolves from).
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "SurveyKitBenchmarks",
      dependencies: [
        .product(name: "SurveyKit", package: "SurveyKit"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/SurveyKitBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ],
  swiftLanguageModes: [.v6]
)
