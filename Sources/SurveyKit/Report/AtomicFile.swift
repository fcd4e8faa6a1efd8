import Glibc

/// Writes a file so that readers see either the old file or the whole new one, never a part:
/// the text goes to a temporary file in the same folder, is flushed to disk, then renamed.
public enum AtomicFile {
  /// Fails now, before any work, if `path` could not be written later.
  public static func checkWritable(_ path: String) throws(FileError) {
    let folderEnd = path.lastIndex(of: "/")
    let folder = folderEnd.map { String(path[..<$0]) } ?? "."
    var status = stat()
    if stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
      throw FileError(path: path, reason: "cannot be written: it is a directory")
    }
    guard stat(folder.isEmpty ? "/" : folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR
    else {
      throw FileError(path: path, reason: "cannot be written: the folder \(folder) does not exist")
    }
    guard access(folder.isEmpty ? "/" : folder, W_OK) == 0 else {
      throw FileError(path: path, reason: "cannot be written: the folder \(folder) is not writable")
    }
  }

  public static func write(_ text: String, to path: String) throws(FileError) {
    try write(Array(text.utf8), to: path)
  }

  public static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
    let folderEnd = path.lastIndex(of: "/")
    let folder = folderEnd.map { String(path[..<$0]) } ?? "."
    let name = folderEnd.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).tmp-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw FileError(path: path, reason: "cannot be written: \(String(cString: strerror(errno)))")
    }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var failure: Int32 = 0
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += count
      }
    }
    if failure == 0 && fsync(descriptor) != 0 { failure = errno }
    fchmod(descriptor, 0o644)
    close(descriptor)
    if failure == 0 && rename(temporary, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(temporary)
      throw FileError(
        path: path, reason: "cannot be written: \(String(cString: strerror(failure)))")
    }
  }
}
