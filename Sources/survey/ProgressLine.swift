import Foundation

/// A percentage on standard error while a large file is read, shown only on a terminal.
final class ProgressLine: @unchecked Sendable {
  private let label: String
  private let enabled = isatty(STDERR_FILENO) != 0
  private var lastPercent = -1
  private var shown = false

  init(label: String) { self.label = label }

  func update(_ done: Int64, _ total: Int64) {
    guard enabled, total > 8 << 20 else { return }
    let percent = Int(done * 100 / max(total, 1))
    guard percent != lastPercent else { return }
    lastPercent = percent
    shown = true
    FileHandle.standardError.write(Data("\rreading \(label): \(percent)%".utf8))
  }

  func clear() {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    shown = false
  }
}
