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
    // The KPI ledger is an SQLite file through GRDB (system SQLite: Debian libsqlite3-dev).
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    // SHA-256 of a survey wave's file, recorded with every KPI value it gave (no SHA in
    // Foundation on Linux).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
  ],
  targets: [
    // libcsv parses CSV (the product spec requires it); Debian package libcsv-dev.
    .systemLibrary(name: "CLibCSV", providers: [.apt(["libcsv-dev"])]),
    // R's standalone math library, so distribution quantiles agree with R exactly; Debian r-mathlib.
    .systemLibrary(name: "CRmath", providers: [.apt(["r-mathlib"])]),
    // libxlsxwriter writes the council workbook (XLSX) with native charts; Debian libxlsxwriter-dev.
    .systemLibrary(name: "CLibXlsxWriter", providers: [.apt(["libxlsxwriter-dev"])]),
    // ReadStat reads SPSS (.sav, .zsav) and Stata (.dta) files; Debian libreadstat-dev.
    .systemLibrary(name: "CReadStat", providers: [.apt(["libreadstat-dev"])]),
    .target(
      name: "SurveyKit",
      dependencies: [
        "CLibCSV",
        "CReadStat",
        "CRmath",
        "CLibXlsxWriter",
        .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
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
      // SurveyKit for the crash tests, which check a killed process's ledger directly.
      dependencies: ["survey", "SurveyKit"],
      resources: [.copy("Golden")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
