import Foundation
import Yams

/// Reading YAML node by node with every problem located, shared by the codebook and the table-spec
/// loaders: a loader keeps its list of problems and says how to record one; these readers report
/// a wrong shape or value at the node's line and column and carry on, so a file's problems are
/// all found in one run.
protocol YAMLNodeReading {
  /// Records a problem at `node`'s position (line 1, column 1 when there is no node).
  mutating func report(_ node: Node?, _ message: String)
}

/// The root node of a YAML text, or where and why it cannot be read: a syntax error (with the
/// start of the unclosed mapping or list) or an empty file (`"the \(what) is empty"`).
func composeYAML(_ yaml: String, what: String)
  -> Result<Node, YAMLProblem>
{
  do {
    guard let root = try Yams.compose(yaml: yaml) else {
      return .failure(YAMLProblem(line: 1, column: 1, message: "the \(what) is empty"))
    }
    return .success(root)
  } catch let error as YamlError {
    let problem = yamlSyntaxProblem(error)
    return .failure(
      YAMLProblem(line: problem.line, column: problem.column, message: problem.message))
  } catch {
    return .failure(YAMLProblem(line: 1, column: 1, message: "\(error)"))
  }
}

/// A YAML file that cannot be read at all, located.
struct YAMLProblem: Error {
  var line: Int
  var column: Int
  var message: String
}

/// Where a YAML syntax error is and what it says, with the start of the unclosed mapping or list.
func yamlSyntaxProblem(_ error: YamlError) -> (line: Int, column: Int, message: String) {
  switch error {
  case .scanner(let context, let text, let mark, _),
    .parser(let context, let text, let mark, _),
    .composer(let context, let text, let mark, _):
    var message = "the YAML cannot be read: \(text)"
    if let context {
      message += " \(context.text)"
      if context.mark.line != mark.line || context.mark.column != mark.column {
        message += " that starts at line \(context.mark.line), column \(context.mark.column)"
      }
    }
    return (mark.line, mark.column, message)
  case .duplicatedKeysInMapping(let duplicates, let context):
    return (
      context.mark.line, context.mark.column,
      "the key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) "
        + "appears twice in one mapping"
    )
  default:
    return (1, 1, "the YAML cannot be read: \(error)")
  }
}

extension YAMLNodeReading {
  /// The pairs of a mapping, reporting unknown keys against `allowed`.
  mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> [String: Node]? {
    guard case .mapping(let pairs) = node else {
      report(node, "\(what) must be a mapping (key: value)")
      return nil
    }
    var result: [String: Node] = [:]
    for (key, value) in pairs {
      let name = key.string ?? ""
      if !allowed.contains(name) {
        report(
          key,
          "\(what): unknown key \"\(name)\" (expected one of \(allowed.joined(separator: ", ")))")
        continue
      }
      result[name] = value
    }
    return result
  }

  mutating func string(_ node: Node?, _ what: String) -> String? {
    guard let node else { return nil }
    guard case .scalar(let scalar) = node else {
      report(node, "\(what) must be a single value")
      return nil
    }
    return scalar.string
  }

  mutating func integer(_ node: Node?, _ what: String) -> Int? {
    guard let text = string(node, what) else { return nil }
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
      report(node, "\(what) must be a whole number, not \"\(text)\"")
      return nil
    }
    return value
  }

  mutating func number(_ node: Node?, _ what: String) -> Double? {
    guard let text = string(node, what) else { return nil }
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
      report(node, "\(what) must be a number, not \"\(text)\"")
      return nil
    }
    return value
  }

  mutating func boolean(_ node: Node?, _ what: String) -> Bool? {
    guard let text = string(node, what) else { return nil }
    switch text.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default:
      report(node, "\(what) must be true or false, not \"\(text)\"")
      return nil
    }
  }

  mutating func sequence(_ node: Node?, _ what: String) -> [Node]? {
    guard let node else { return nil }
    guard case .sequence(let sequence) = node else {
      report(node, "\(what) must be a list")
      return nil
    }
    return Array(sequence)
  }

  /// `text` or `{ja: …, en: …}`.
  mutating func localized(_ node: Node?, _ what: String) -> LocalizedText? {
    guard let node else { return nil }
    if case .scalar(let scalar) = node { return LocalizedText(japanese: scalar.string) }
    guard let fields = mapping(node, what, allowed: ["ja", "en"]) else { return nil }
    guard let japanese = string(fields["ja"], "\(what).ja") else {
      report(node, "\(what) needs a Japanese text (ja)")
      return nil
    }
    return LocalizedText(japanese: japanese, english: string(fields["en"], "\(what).en"))
  }
}

/// A problem found at a line and column of a YAML file.
protocol PositionedProblem {
  var line: Int { get }
  var column: Int { get }
}

/// Problems in file order, whatever order the checks found them in (stable for equal positions).
func inFileOrder<Problem: PositionedProblem>(_ problems: [Problem]) -> [Problem] {
  problems.enumerated().sorted {
    ($0.element.line, $0.element.column, $0.offset) < (
      $1.element.line, $1.element.column, $1.offset
    )
  }.map(\.element)
}
