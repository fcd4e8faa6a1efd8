// swift-tools-version: 6.1
// libFuzzer targets for every input path of SurveyKit (issue 11, "Reliability"), kept in their own
// package so that the root package's `swift build` and `swift test` neither build nor see them.
//
// Build and run from this folder (see README.md):
//   swift build -c release --scratch-path ../.build-fuzz --product fuzz-export \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   ../.build-fuzz/release/fuzz-export -runs=1000000 "$(mktemp -d)" Corpus/fuzz-export
// or all of them: ./run.sh [RUNS]
import PackageDescription

/// One executable per input path; each is a single file defining `LLVMFuzzerTestOneInput` and an
/// entry point `<module>_main` that runs libFuzzer's driver (linked in by `-sanitize=fuzzer`)
/// through FuzzSupport: SwiftPM links Linux executables with `--defsym main=<module>_main`, so
/// libFuzzer's `main` cannot be used (swiftlang/swift#75800, swift-package-manager#8731).
func fuzzTarget(_ name: String) -> Target {
  .executableTarget(
    name: name,
    dependencies: ["FuzzSupport", .product(name: "SurveyKit", package: "SurveyKit")],
    path: "Sources/\(name)"
  )
}

/// The sample codebook and the driver every target shares.
let support = Target.target(
  name: "FuzzSupport",
  dependencies: [.product(name: "SurveyKit", package: "SurveyKit")],
  path: "Sources/FuzzSupport",
  // `@_extern(c)` declares libFuzzer's `LLVMFuzzerRunDriver`.
  swiftSettings: [.enableExperimentalFeature("Extern")]
)

let targets = [
  "fuzz-export", "fuzz-codebook", "fuzz-spec", "fuzz-targets", "fuzz-kpis", "fuzz-sav",
]

let package = Package(
  name: "SurveyKitFuzz",
  products: targets.map { .executable(name: $0, targets: [$0]) },
  dependencies: [
    // The package being fuzzed, by path: the fuzzers always see the work tree's code.
    .package(name: "SurveyKit", path: "..")
  ],
  targets: [support] + targets.map(fuzzTarget),
  swiftLanguageModes: [.v6]
)
