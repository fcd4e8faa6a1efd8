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
    let temporary = try reserveTemporaryFile(besides: path)
    let descriptor = open(temporary, O_WRONLY | O_TRUNC)
    var failure: Int32 = descriptor < 0 ? errno : 0
    if descriptor >= 0 {
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
      close(descriptor)
    }
    if failure == 0 { failure = commit(temporary, to: path) }
    if failure != 0 {
      unlink(temporary)
      throw FileError(
        path: path, reason: "cannot be written: \(String(cString: strerror(failure)))")
    }
  }

  /// An empty temporary file next to `path` (`.name.tmp-XXXXXX`, so the rename stays within one
  /// file system), created with mkstemp so that two writers never share one.
  static func reserveTemporaryFile(besides path: String) throws(FileError) -> String {
    let (folder, name) = split(path)
    var template = Array("\(folder)/.\(name).tmp-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw FileError(path: path, reason: "cannot be written: \(String(cString: strerror(errno)))")
    }
    close(descriptor)
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }

  /// Makes the finished temporary file the file at `path`: flushes it to disk, makes it readable
  /// (0644), renames it over `path` and flushes the folder, so that after a crash or power loss
  /// `path` is the old file or the whole new one. Returns 0 or the errno of the step that failed.
  static func commit(_ temporary: String, to path: String) -> Int32 {
    let descriptor = open(temporary, O_RDWR)
    guard descriptor >= 0 else { return errno }
    var failure: Int32 = 0
    if fsync(descriptor) != 0 { failure = errno }
    fchmod(descriptor, 0o644)
    close(descriptor)
    guard failure == 0 else { return failure }
    pauseForFaultInjection(before: path)
    if rename(temporary, path) != 0 { return errno }
    let folder = open(split(path).folder, O_RDONLY | O_DIRECTORY)
    if folder >= 0 {
      // Some file systems cannot sync a folder; the rename itself has happened.
      _ = fsync(folder)
      close(folder)
    }
    return 0
  }

  private static func split(_ path: String) -> (folder: String, name: String) {
    let folderEnd = path.lastIndex(of: "/")
    let folder = folderEnd.map { String(path[..<$0]) } ?? "."
    let name = folderEnd.map { String(path[path.index(after: $0)...]) } ?? path
    return (folder.isEmpty ? "/" : folder, name)
  }

  /// Fault injection for the crash tests: with `SURVEYKIT_WRITE_PAUSE` naming a marker file (and
  /// `SURVEYKIT_WRITE_PAUSE_FOR`, if set, the end of the output's path), an output whose new
  /// contents are complete on disk but not yet renamed into place creates the marker and waits
  /// 60 seconds, so a test can kill the process at the worst moment.
  private static func pauseForFaultInjection(before path: String) {
    guard let marker = getenv("SURVEYKIT_WRITE_PAUSE").map({ String(cString: $0) }),
      !marker.isEmpty
    else { return }
    if let only = getenv("SURVEYKIT_WRITE_PAUSE_FOR").map({ String(cString: $0) }),
      !only.isEmpty, !path.hasSuffix(only)
    {
      return
    }
    let descriptor = open(marker, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if descriptor >= 0 { close(descriptor) }
    sleep(60)
  }
}
