// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "SurveyKit",
  products: [
    .library(name: "SurveyKit", targets: ["SurveyKit"]),
    .executable(name: "survey", targets: ["survey"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // libcsv parses CSV (the product spec requires it); Debian package libcsv-dev.
    .systemLibrary(name: "CLibCSV", providers: [.apt(["libcsv-dev"])]),
    // R's standalone math library, so distribution quantiles agree with R exactly; Debian r-mathlib.
    .systemLibrary(name: "CRmath", providers: [.apt(["r-mathlib"])]),
    .target(
      name: "SurveyKit",
      dependencies: [
        "CLibCSV",
        "CRmath",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "survey",
      dependencies: [
        "SurveyKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "SurveyKitTests",
      dependencies: ["SurveyKit"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "surveyTests",
      dependencies: ["survey"],
      resources: [.copy("Golden")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
