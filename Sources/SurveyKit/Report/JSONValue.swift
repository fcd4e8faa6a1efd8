/// A JSON document written by hand, so that keys keep the order of the schema (docs) and numbers
/// are written unrounded: the shortest text that reads back to the same double.
enum JSONValue {
  case null
  case bool(Bool)
  case int(Int)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// A number, or null when it is absent or not finite (JSON has no NaN).
  static func number(_ value: Double?) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    return .number(value)
  }

  static func string(_ value: String?) -> JSONValue {
    value.map { .string($0) } ?? .null
  }

  /// Pretty-printed with two-space indentation, ending with a line break.
  func rendered() -> String {
    var output = ""
    write(to: &output, indent: "")
    return output + "\n"
  }

  private func write(to output: inout String, indent: String) {
    switch self {
    case .null: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .int(let value): output += String(value)
    case .number(let value): output += Figures.exact(value)
    case .string(let value): Self.writeString(value, to: &output)
    case .array(let values):
      guard !values.isEmpty else {
        output += "[]"
        return
      }
      let inner = indent + "  "
      output += "[\n"
      for (index, value) in values.enumerated() {
        output += inner
        value.write(to: &output, indent: inner)
        output += index == values.count - 1 ? "\n" : ",\n"
      }
      output += indent + "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      let inner = indent + "  "
      output += "{\n"
      for (index, (key, value)) in members.enumerated() {
        output += inner
        Self.writeString(key, to: &output)
        output += ": "
        value.write(to: &output, indent: inner)
        output += index == members.count - 1 ? "\n" : ",\n"
      }
      output += indent + "}"
    }
  }

  private static func writeString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}

extension JSONValue {
  /// The `survey` object every report's JSON starts with.
  static func survey(_ survey: SurveyInfo, language: Language) -> JSONValue {
    .object([
      ("id", .string(survey.id)),
      ("title", .string(survey.title.text(in: language))),
      ("wave", .string(survey.wave)),
    ])
  }

  /// The row accounting: read = accepted + rejected.
  static func rows(read: Int, accepted: Int, rejected: Int) -> JSONValue {
    .object([("read", .int(read)), ("accepted", .int(accepted)), ("rejected", .int(rejected))])
  }

  /// The sampling design a report was made with.
  static func design(_ design: DesignSummary) -> JSONValue {
    .object([
      ("weight", .string(design.variables.weight)),
      ("strata", .string(design.variables.strata)),
      ("clusters", .array(design.variables.clusters.map { .string($0) })),
      ("fpc", .array(design.variables.populationSizes.map { .string($0) })),
      ("strataCount", .int(design.strataCount)),
      ("psuCount", .int(design.psuCount)),
      ("degreesOfFreedom", .int(design.degreesOfFreedom)),
      ("lonelyPSU", .string(design.lonelyPSU.rawValue)),
      (
        "weighting",
        design.weighting.map { weighting in
          .object([
            ("method", .string(weighting.method.rawValue)),
            ("targets", .string(weighting.targets)),
            ("variables", .array(weighting.variables.map { .string($0) })),
            ("iterations", .int(weighting.iterations)),
            ("trimmedRows", .int(weighting.trimmedRows)),
          ])
        } ?? .null
      ),
    ])
  }
}
