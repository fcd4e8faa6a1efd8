import Foundation
import Testing

@testable import SurveyKit

/// A small deterministic random number generator (SplitMix64), so failures can be replayed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite("Property: any byte sequence is read without a crash and fully accounted")
struct FuzzTests {
  /// Bytes that matter to a CSV reader, drawn more often than the rest.
  static let interesting: [UInt8] = [
    0x2C, 0x22, 0x0A, 0x0D, 0x20, 0x09, 0x3B, 0x30, 0x31, 0x32, 0x39, 0x80, 0x81, 0x82, 0xE3,
    0xEF, 0xBB, 0xBF, 0xFF, 0x00,
  ]

  /// The first lines of the dirty sample, a realistic base to mutate.
  static let base: [UInt8] = {
    let path = packagePath("samples/citizen-survey-2019-dirty.csv")
    guard let data = try? readAll(path) else { return [] }
    var lines = 0
    var end = 0
    while end < data.count && lines < 60 {
      if data[end] == 0x0A { lines += 1 }
      end += 1
    }
    return Array(data[0..<end])
  }()

  static func readAll(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return Array(data)
  }

  func randomBytes(_ generator: inout SplitMix64) -> [UInt8] {
    let length = Int.random(in: 0...400, using: &generator)
    return (0..<length).map { _ in
      Bool.random(using: &generator)
        ? Self.interesting.randomElement(using: &generator)!
        : UInt8.random(in: 0...255, using: &generator)
    }
  }

  func mutated(_ generator: inout SplitMix64) -> [UInt8] {
    var bytes = Self.base
    let header = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0
    for _ in 0..<Int.random(in: 1...8, using: &generator) where bytes.count > header + 1 {
      let at = Int.random(in: header..<bytes.count, using: &generator)
      switch Int.random(in: 0..<5, using: &generator) {
      case 0: bytes[at] = Self.interesting.randomElement(using: &generator)!
      case 1: bytes.insert(Self.interesting.randomElement(using: &generator)!, at: at)
      case 2: bytes.remove(at: at)
      case 3: bytes[at] = UInt8.random(in: 0...255, using: &generator)
      default:
        let end = min(bytes.count, at + Int.random(in: 1...80, using: &generator))
        bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
      }
    }
    if Bool.random(using: &generator) {
      bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
    }
    return bytes
  }

  @Test func tenThousandInputs() throws {
    let sample = try Codebook(contentsOf: packagePath("codebooks/citizen-survey-2019.yaml"))
    let small = try testCodebook()
    var generator = SplitMix64(state: 20_191_231)
    #expect(Self.base.count > 1000)
    var rowsSeen = 0
    for iteration in 0..<10_000 {
      let useSample = iteration % 2 == 0
      var bytes = useSample ? mutated(&generator) : randomBytes(&generator)
      if !useSample && Bool.random(using: &generator) {
        bytes = Array((testHeader + "\n").utf8) + bytes
      }
      let encoding: TextEncoding? = [nil, .utf8, .cp932].randomElement(using: &generator)!
      let reader = SurveyReader(
        codebook: useSample ? sample : small, encoding: encoding,
        chunkSize: Int.random(in: 1...512, using: &generator))
      let result = reader.read(bytes: bytes, file: "fuzz.csv")
      rowsSeen += result.rowsRead
      guard result.rowsRead == result.rowsAccepted + result.rowsRejected,
        result.table.invariantViolations().isEmpty,
        result.diagnostics.allSatisfy({ ($0.line ?? 1) >= 1 && !$0.message.isEmpty })
      else {
        Issue.record(
          "iteration \(iteration): read \(result.rowsRead) ≠ \(result.rowsAccepted) + \(result.rowsRejected) or broken invariants \(result.table.invariantViolations().prefix(3))"
        )
        return
      }
    }
    #expect(rowsSeen > 100_000)
  }
}
