import Foundation

/// A file that could not be read or written; the check cannot run (exit status 2).
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
  public var path: String
  public var reason: String

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): error: \(reason)" }

  /// Why `path` cannot be read, in words.
  static func reason(forReading path: String) -> String {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      return "no such file"
    }
    if isDirectory.boolValue { return "is a directory, not a file" }
    return "the file cannot be read (permission denied?)"
  }
}
