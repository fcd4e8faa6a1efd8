import Foundation
import Yams

/// The yearly job in one file (docs/project.md): the export and its codebook, the design and
/// weighting, the table spec, the KPI definitions and ledger, and the outputs. Paths in the file
/// are relative to the file's folder; `survey run` runs check → weight → tables → KPIs → report.
public struct Project: Sendable, Equatable {
  /// A path as written, resolved against the project's folder, with the line it is on.
  public struct Path: Sendable, Equatable {
    public var written: String
    public var resolved: String
    public var line: Int
  }

  public var file: String
  public var fieldwork: String?
  /// Questionnaires sent (発送数), for the response rate.
  public var sampleSize: Int?
  public var export: Path
  /// auto, utf-8 or cp932.
  public var encoding: String
  public var codebook: Path
  /// The design's variables, when they override the codebook's roles.
  public var weight: String?
  public var strata: String?
  public var clusters: [String]
  public var fpc: [String]
  public var lonelyPSU: LonelyPSUPolicy
  /// The line and column each design variable is named at, for messages.
  public var designPositions: [String: [Int]]
  public var weightingTargets: Path?
  public var tables: Path
  public var kpiDefinitions: Path?
  public var kpiLedger: Path?
  /// Values to import (`kpi,year,value[,published,note]`) where the ledger has none for that
  /// indicator and year: earlier years, entered once.
  public var kpiImport: Path?
  /// Record the wave's survey-based KPIs in the ledger (default true).
  public var kpiUpdate: Bool
  /// Replace values of the wave's year already in the ledger.
  public var kpiReplace: Bool
  public var language: Language
  public var fontName: String
  public var workbook: Path?
  public var html: Path?
  /// Go on with the accepted rows when the check rejects some.
  public var acceptRejects: Bool
}

/// A project file that cannot be used, with every problem located.
public struct ProjectError: LocatedFileError, Sendable, Hashable {
  public typealias Problem = LocatedProblem

  public var file: String
  public var problems: [Problem]

  public init(file: String, problems: [Problem]) {
    self.file = file
    self.problems = problems
  }
}

extension Project {
  /// The design variables the codebook does not have, as located problems.
  public func check(against codebook: Codebook) -> [ProjectError.Problem] {
    let named = [weight, strata].compactMap { $0 } + clusters + fpc
    return named.filter { codebook.variable(named: $0) == nil }.map {
      ProjectError.Problem(
        line: designPositions[$0]?.first ?? 1, column: designPositions[$0]?.last ?? 1,
        message: "design: \($0) is not a variable of the codebook \(codebook.survey.id)")
    }
  }

  /// Reads a project file; every problem is reported with its line and column, and every file it
  /// names must exist (an output's folder must exist and be writable).
  public init(contentsOf path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FileError(path: path, reason: FileError.reason(forReading: path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ProjectError(
        file: path,
        problems: [.init(line: 1, column: 1, message: "the project file is not UTF-8 text")])
    }
    try self.init(yaml: text, file: path)
  }

  /// Reads a project from YAML text; `file` names it in messages and its folder anchors the
  /// relative paths.
  public init(yaml: String, file: String) throws(ProjectError) {
    let root: Node
    switch composeYAML(yaml, what: "project file") {
    case .success(let node): root = node
    case .failure(let problem):
      throw ProjectError(
        file: file,
        problems: [.init(line: problem.line, column: problem.column, message: problem.message)])
    }
    var loader = ProjectLoader(file: file)
    let project = loader.project(from: root)
    guard loader.problems.isEmpty, let project else {
      throw ProjectError(file: file, problems: inFileOrder(loader.problems))
    }
    self = project
  }
}

private struct ProjectLoader: YAMLNodeReading {
  let file: String
  let folder: String
  var problems: [ProjectError.Problem] = []

  init(file: String) {
    self.file = file
    folder = (file as NSString).deletingLastPathComponent
  }

  mutating func report(_ node: Node?, _ message: String) {
    problems.append(
      .init(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message))
  }

  static let topKeys = [
    "survey", "export", "codebook", "design", "weighting", "tables", "kpi", "report",
    "accept-rejects",
  ]

  /// A file the project reads: it must exist.
  mutating func input(_ node: Node?, _ what: String, required: Bool = true) -> Project.Path? {
    guard let node else { return nil }
    guard let written = string(node, what) else { return nil }
    let resolved = resolve(written)
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder) {
      report(node, "\(what): \(resolved) does not exist")
      return nil
    }
    if isFolder.boolValue {
      report(node, "\(what): \(resolved) is a folder, not a file")
      return nil
    }
    return Project.Path(written: written, resolved: resolved, line: node.mark?.line ?? 1)
  }

  /// A file the project writes: its folder must exist and be writable.
  mutating func output(_ node: Node?, _ what: String) -> Project.Path? {
    guard let node, let written = string(node, what) else { return nil }
    let resolved = resolve(written)
    let parent = (resolved as NSString).deletingLastPathComponent
    let directory = parent.isEmpty ? "." : parent
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder)
      || !isFolder.boolValue
    {
      report(node, "\(what): the folder \(directory) does not exist")
      return nil
    }
    if !FileManager.default.isWritableFile(atPath: directory) {
      report(node, "\(what): the folder \(directory) is not writable")
      return nil
    }
    return Project.Path(written: written, resolved: resolved, line: node.mark?.line ?? 1)
  }

  /// `path` relative to the project's folder, `..` and `.` folded (`codebooks/../reports/x` →
  /// `reports/x`), so messages and outputs show the path a person would write.
  func resolve(_ path: String) -> String {
    let joined =
      path.hasPrefix("/") || folder.isEmpty
      ? path : (folder as NSString).appendingPathComponent(path)
    var parts: [Substring] = []
    for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(part)
      }
    }
    let folded = parts.joined(separator: "/")
    return joined.hasPrefix("/") ? "/" + folded : (folded.isEmpty ? "." : folded)
  }

  mutating func project(from root: Node) -> Project? {
    guard let top = mapping(root, "the project file", allowed: Self.topKeys) else { return nil }
    var fieldwork: String?
    var sampleSize: Int?
    if let survey = top["survey"],
      let fields = mapping(survey, "survey", allowed: ["fieldwork", "sample-size"])
    {
      fieldwork = string(fields["fieldwork"], "survey: fieldwork")
      sampleSize = integer(fields["sample-size"], "survey: sample-size")
      if let size = sampleSize, size <= 0 {
        report(fields["sample-size"], "survey: sample-size must be a positive number, not \(size)")
      }
    }
    var export: Project.Path?
    var encoding = "auto"
    if let node = top["export"] {
      if case .scalar = node {
        export = input(node, "export")
      } else if let fields = mapping(node, "export", allowed: ["file", "encoding"]) {
        export = input(fields["file"], "export: file")
        if fields["file"] == nil { report(node, "export needs \"file\" (the survey export)") }
        if let text = string(fields["encoding"], "export: encoding") {
          if ["auto", "utf-8", "cp932"].contains(text.lowercased()) {
            encoding = text.lowercased()
          } else {
            report(
              fields["encoding"],
              "export: encoding \"\(text)\" is not one of auto, utf-8, cp932")
          }
        }
      }
    } else {
      report(root, "the project file needs \"export\" (the survey export to read)")
    }
    let codebook = top["codebook"].flatMap { input($0, "codebook") }
    if top["codebook"] == nil { report(root, "the project file needs \"codebook\"") }
    var weight: String?
    var strata: String?
    var clusters: [String] = []
    var fpc: [String] = []
    var lonely = LonelyPSUPolicy.fail
    var designPositions: [String: [Int]] = [:]
    if let node = top["design"],
      let fields = mapping(
        node, "design", allowed: ["weight", "strata", "cluster", "fpc", "lonely-psu"])
    {
      weight = string(fields["weight"], "design: weight")
      strata = string(fields["strata"], "design: strata")
      clusters = names(fields["cluster"], "design: cluster")
      fpc = names(fields["fpc"], "design: fpc")
      for key in ["weight", "strata", "cluster", "fpc"] {
        guard let value = fields[key] else { continue }
        for name in names(value, "design: \(key)") {
          designPositions[name] = [value.mark?.line ?? 1, value.mark?.column ?? 1]
        }
      }
      if let text = string(fields["lonely-psu"], "design: lonely-psu") {
        if let policy = LonelyPSUPolicy(rawValue: text) {
          lonely = policy
        } else {
          report(
            fields["lonely-psu"],
            "design: lonely-psu \"\(text)\" is not one of fail, remove, certainty, adjust, average")
        }
      }
    }
    var targets: Project.Path?
    if let node = top["weighting"],
      let fields = mapping(node, "weighting", allowed: ["targets"])
    {
      targets = input(fields["targets"], "weighting: targets")
    }
    let tables = top["tables"].flatMap { input($0, "tables") }
    if top["tables"] == nil { report(root, "the project file needs \"tables\" (the table spec)") }
    var definitions: Project.Path?
    var ledger: Project.Path?
    var kpiImport: Project.Path?
    var update = true
    var replace = false
    if let node = top["kpi"],
      let fields = mapping(
        node, "kpi", allowed: ["definitions", "ledger", "import", "update", "replace"])
    {
      definitions = input(fields["definitions"], "kpi: definitions")
      if fields["definitions"] == nil { report(node, "kpi needs \"definitions\" (the KPI file)") }
      ledger = output(fields["ledger"], "kpi: ledger")
      kpiImport = input(fields["import"], "kpi: import")
      update = boolean(fields["update"], "kpi: update") ?? true
      replace = boolean(fields["replace"], "kpi: replace") ?? false
    }
    var language = Language.japanese
    var font = "游ゴシック"
    var workbook: Project.Path?
    var html: Project.Path?
    if let node = top["report"],
      let fields = mapping(node, "report", allowed: ["language", "font", "workbook", "html"])
    {
      if let text = string(fields["language"], "report: language") {
        switch text {
        case "ja": language = .japanese
        case "en": language = .english
        default: report(fields["language"], "report: language \"\(text)\" is not ja or en")
        }
      }
      font = string(fields["font"], "report: font") ?? font
      workbook = output(fields["workbook"], "report: workbook")
      html = output(fields["html"], "report: html")
      if fields["workbook"] == nil && fields["html"] == nil {
        report(node, "report needs \"workbook\" or \"html\" (an output to write)")
      }
    } else {
      report(root, "the project file needs \"report\" (the outputs to write)")
    }
    let acceptRejects = boolean(top["accept-rejects"], "accept-rejects") ?? false
    guard let export, let codebook, let tables else { return nil }
    return Project(
      file: file, fieldwork: fieldwork, sampleSize: sampleSize, export: export,
      encoding: encoding, codebook: codebook, weight: weight, strata: strata, clusters: clusters,
      fpc: fpc, lonelyPSU: lonely, designPositions: designPositions, weightingTargets: targets,
      tables: tables,
      kpiDefinitions: definitions, kpiLedger: ledger, kpiImport: kpiImport, kpiUpdate: update,
      kpiReplace: replace,
      language: language, fontName: font, workbook: workbook, html: html,
      acceptRejects: acceptRejects)
  }

  /// `X` or `[X, Y]`.
  mutating func names(_ node: Node?, _ what: String) -> [String] {
    guard let node else { return [] }
    if case .scalar = node { return string(node, what).map { [$0] } ?? [] }
    return (sequence(node, what) ?? []).compactMap { string($0, what) }
  }
}
