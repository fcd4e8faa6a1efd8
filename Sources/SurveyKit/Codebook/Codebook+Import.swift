extension Codebook {
  /// A codebook in the project's YAML format (docs/codebook.md) made from the metadata of an SPSS
  /// (.sav, .zsav) or Stata (.dta) file, ready to edit: variable labels, value labels, user-missing
  /// values and ranges, measure levels and string widths.
  ///
  /// ```
  /// $ survey codebook import samples/citizen-survey-2019.sav
  /// …
  ///   - name: F1
  ///     type: single                   # SPSS measure: nominal
  ///     label: "性別"
  ///     values:
  ///       1: "男性"
  ///       2: "女性"
  ///     missing:
  ///       9: {meaning: no-answer, label: "無回答"}
  /// ```
  /// A numeric variable with value labels (other than its missing codes) becomes `single`, one
  /// without `numeric`, a string `text`; the SPSS measure level is a comment (writers such as R
  /// haven call every number `scale`, so it does not decide the type). Design variables (id,
  /// weight, stratum, fpc) cannot be told from the file: the comment at the top says to set them.
  /// Debian's ReadStat 1.1.8 does not read SPSS multiple-response sets, so the comment also shows
  /// how to declare one.
  public static func importedYAML(
    fromStatisticalFile path: String, format: StatisticalFileFormat, displayPath: String? = nil,
    encoding: TextEncoding? = nil
  ) throws(FileError) -> String {
    let name = displayPath ?? path
    var file = ReadStatFile(
      path: path, displayPath: name, format: format, encoding: encoding.map(\.iconvName))
    do {
      try file.readMetadata()
    } catch {
      // As when reading the data: an unconverted Japanese file is tried as CP932.
      guard encoding == nil, file.conversionFailed else { throw error }
      file = ReadStatFile(path: path, displayPath: name, format: format, encoding: "CP932")
      do { try file.readMetadata() } catch _ { throw error }
    }
    var stem = Substring(name.split(separator: "/").last ?? Substring(name))
    if let dot = stem.lastIndex(of: ".") { stem = stem[..<dot] }
    let title = file.fileLabel.isEmpty ? String(stem) : file.fileLabel
    let encodingName =
      encoding?.displayName ?? file.encoding ?? file.fileEncoding.map { $0.isEmpty ? "UTF-8" : $0 }
      ?? "UTF-8"
    var lines: [String] = [
      "# Codebook imported from \(name) (\(format.displayName), \(encodingName)) by `survey codebook import`.",
      "# Edit it before use (docs/codebook.md):",
      "# - set the design variables' types: id, weight, stratum, cluster, fpc (the file cannot say);",
      "# - a numeric variable with value labels became `single`, one without labels `numeric`,",
      "#   a string `text`; check each, and add `range:` to numeric questions;",
      "# - SPSS missing ranges are listed code by code (up to 100 codes), larger ones in a comment.",
      "#",
      "# Debian's ReadStat 1.1.8 does not read SPSS multiple-response sets ($MRSETS), so none are",
      "# imported. Declare each set yourself, replacing its 0/1 (or code) variables below, e.g.:",
      "#",
      "#   - name: Q3",
      "#     type: multi",
      "#     shape: dichotomy              # or spread (codes from the left) or delimited (\"1;3\")",
      "#     columns: [Q3_1, Q3_2, Q3_3]",
      "#     values: {1: お金がかかりすぎる, 2: 負担が大きい, 3: その他}",
      "survey:",
      "  id: \(yamlKey(String(stem)))",
      "  title: \(yamlString(title))",
      "",
      "# Single-choice questions list their own missing codes below.",
      "missing: {}",
      "",
      "variables:",
    ]
    for variable in file.variables {
      lines.append(contentsOf: variableLines(variable, labels: file.valueLabels))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func variableLines(
    _ variable: StatisticalVariable, labels: [String: [(value: String, label: String)]]
  ) -> [String] {
    var lines = ["  - name: \(yamlKey(variable.name))"]
    let measure = variable.measure == .unknown ? "" : "measure: \(variable.measure.rawValue)"
    if variable.isString {
      var notes = ["string, width \(variable.storageWidth)"]
      if !variable.missingStrings.isEmpty {
        notes.append(
          "SPSS missing strings " + variable.missingStrings.map(quotedValue).joined(separator: ", ")
            + " are not imported")
      }
      lines.append("    type: text                     # " + notes.joined(separator: "; "))
      if !variable.label.isEmpty { lines.append("    label: \(yamlString(variable.label))") }
      return lines
    }
    // Whole codes the codebook can hold; other labelled values go in a comment.
    var codes: [(code: Int, label: String)] = []
    var skipped: [String] = []
    for entry in labels[variable.labelSet] ?? [] {
      if let number = Double(entry.value), number == number.rounded(), abs(number) < 32760 {
        codes.append((Int(number), entry.label))
      } else {
        skipped.append(entry.value)
      }
    }
    var missing: [Int] = []
    var missingNotes: [String] = []
    for range in variable.missingRanges {
      let low = range.low.rounded(.up)
      let high = range.high.rounded(.down)
      if range.low.isFinite, range.high.isFinite, high - low < 100, abs(low) < 32760,
        abs(high) < 32760, low <= high
      {
        for code in Int(low)...Int(high) where !missing.contains(code) { missing.append(code) }
      } else {
        missingNotes.append(
          "SPSS missing range \(ReadStatFile.numberText(range.low, float: false)) thru "
            + "\(ReadStatFile.numberText(range.high, float: false)) is too wide to list")
      }
    }
    let values = codes.filter { !missing.contains($0.code) }
    let isSingle = !values.isEmpty
    var comment = [measure].filter { !$0.isEmpty }
    if !skipped.isEmpty {
      comment.append("labels of non-whole values \(skipped.joined(separator: ", ")) not imported")
    }
    comment.append(contentsOf: missingNotes)
    let typeLine = "    type: \(isSingle ? "single" : "numeric")"
    lines.append(
      comment.isEmpty
        ? typeLine
        : typeLine.padding(toLength: 35, withPad: " ", startingAt: 0) + "# "
          + comment.joined(separator: "; "))
    if !variable.label.isEmpty { lines.append("    label: \(yamlString(variable.label))") }
    if !values.isEmpty {
      lines.append("    values:")
      for entry in values { lines.append("      \(entry.code): \(yamlString(entry.label))") }
    }
    if !missing.isEmpty {
      lines.append("    missing:")
      for code in missing {
        let label = codes.first(where: { $0.code == code })?.label
        let meaning = label.map(missingMeaning) ?? "no-answer"
        if let label {
          lines.append("      \(code): {meaning: \(meaning), label: \(yamlString(label))}")
        } else {
          lines.append("      \(code): \(meaning)")
        }
      }
    }
    return lines
  }

  /// The meaning of a missing code from its label: 非該当 and わからない are told apart, anything
  /// else is no-answer.
  private static func missingMeaning(_ label: String) -> String {
    let lower = label.lowercased()
    if label.contains("非該当") || lower.contains("not applicable") { return "not-applicable" }
    if label.contains("わからない") || label.contains("分からない") || lower.contains("know") {
      return "dont-know"
    }
    return "no-answer"
  }

  /// A YAML scalar in double quotes (JSON escapes, valid YAML), so any label reads back as text.
  static func yamlString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

  /// A name as a plain YAML scalar when it is safe (`Q3_1`), else quoted.
  static func yamlKey(_ text: String) -> String {
    let plain =
      !text.isEmpty
      && text.unicodeScalars.allSatisfy {
        $0.isASCII
          && ($0.properties.isAlphabetic
            || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == ".")
      }
      && text.unicodeScalars.first.map { $0.properties.isAlphabetic } == true
      && !["true", "false", "yes", "no", "on", "off", "null"].contains(text.lowercased())
    return plain ? text : yamlString(text)
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
