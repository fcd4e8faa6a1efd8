import Foundation
import Testing

@testable import SurveyKit

/// Hostile sizes: a quoted field that never closes, streamed through a FIFO so that nothing
/// touches the disk, must end in one located error and bounded memory, not in a gigabyte held.
@Suite("Limits against hostile input", .serialized)
struct LimitsTests {
  /// Whether this test binary runs under AddressSanitizer (its runtime is linked in).
  static let underAddressSanitizer = dlsym(nil, "__asan_init") != nil  // nil: RTLD_DEFAULT

  /// The peak resident memory of this process so far, in bytes.
  func peakResident() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  }

  @Test("a 1 GiB quoted field is cut off at 1 MiB with its line, and memory stays bounded")
  func gigabyteField() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("limits-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("huge.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)

    let gibibyte = 1 << 30
    let writer = Thread {
      let handle = open(fifo, O_WRONLY)
      guard handle >= 0 else { return }
      defer { close(handle) }
      func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
          var offset = 0
          while offset < buffer.count {
            let count = write(handle, buffer.baseAddress! + offset, buffer.count - offset)
            if count <= 0 { return }
            offset += count
          }
        }
      }
      send(Array((testHeader + "\n" + askedRow + "\n").utf8))
      send(Array("2,1,10,100,1,2,1,1,0,0,1;2,1,2,\"".utf8))
      let block = [UInt8](repeating: 0x78, count: 1 << 20)
      for _ in 0..<(gibibyte >> 20) { send(block) }
      send(Array("\"\n".utf8))
      send(Array((notAskedRow + "\n").utf8))
    }
    let before = peakResident()
    writer.start()
    let result = try SurveyReader(codebook: testCodebook()).read(contentsOf: fifo)
    let grown = peakResident() - before

    #expect(result.rowsRead == 3)
    #expect(result.rowsAccepted == 2)
    #expect(result.rowsRejected == 1)
    #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
    #expect(
      result.diagnostics.map(\.description).contains(
        "\(fifo):3: error: MEMO (column 14): a quoted field opened here is not closed within 1 MiB"
      ), "\(result.diagnostics.map(\.description))")
    #expect(result.table.lines == [2, 4])
    // The field is never held: well under the gibibyte streamed through. AddressSanitizer keeps
    // freed memory in quarantine (256 MiB by default), so there the bound is wider.
    let bound = Self.underAddressSanitizer ? 768 << 20 : 128 << 20
    #expect(grown < bound, "peak resident memory grew by \(grown >> 20) MiB")
  }

  @Test("a line longer than 1 MiB without quotes is one error on its line; the next row is read")
  func longLine() throws {
    let long = "3,1,10,100,1,2,1,1,0,0,1;2,1,2," + String(repeating: "x", count: 2 << 20)
    let text = [testHeader, askedRow, long, notAskedRow].joined(separator: "\n") + "\n"
    let result = try ingest(text, chunkSize: 1 << 16)
    #expect(result.rowsRead == 3)
    #expect(result.rowsRejected == 1)
    #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
    #expect(
      result.diagnostics.map(\.description)
        == ["t.csv:3: error: MEMO (column 14): the record is longer than 1 MiB"])
    #expect(result.table.lines == [2, 4])
  }

  @Test("a header of 100,000 columns: each unknown one is reported and the rows are still read")
  func manyColumns() throws {
    let extra = (0..<100_000).map { "X\($0)" }.joined(separator: ",")
    let blanks = String(repeating: ",", count: 100_000)
    let text = testHeader + "," + extra + "\n" + askedRow + blanks + "\n"
    let result = try ingest(text)
    #expect(result.rowsAccepted == 1)
    #expect(result.diagnostics.count == 100_000)
    #expect(
      result.diagnostics.first?.description
        == "t.csv:1: warning: column X0 (column 15) is not in the codebook and is ignored")
  }

  @Test("a dichotomy's columns in reverse order in the header are named one by one (fuzz crash)")
  func reversedColumns() throws {
    // Asked (actual 1 < ideal 2) but WHY left blank: the message names WHY's columns.
    let header = testHeader.replacingOccurrences(of: "WHY_1,WHY_2,WHY_3", with: "WHY_3,WHY_2,WHY_1")
    let text = header + "\n" + "1,1,10,100,1,2,1,,,,1;2,1,2,\n"
    let result = try ingest(text)
    #expect(result.rowsRead == result.rowsAccepted + result.rowsRejected)
    #expect(
      result.diagnostics.map(\.description)
        == [
          "t.csv:2: warning: WHY (columns 10, 9, 8): left blank, but the question was asked "
            + "(filter ACTUAL < IDEAL is true: ACTUAL = 1, IDEAL = 2) [id=1]"
        ])
  }
}
