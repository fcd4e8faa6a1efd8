import ArgumentParser

/// The `survey` tool: one subcommand per stage of the analysis.
@main
struct SurveyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "survey",
    abstract: "Check citizen-survey exports against their codebooks and tabulate them.",
    discussion: """
      SurveyKit reads a survey export (CSV in UTF-8 or CP932) against the questionnaire's \
      codebook (YAML) and reports every defect with its file, line and column.

      Start with the bundled sample:
        survey check samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml
      """,
    subcommands: [
      CheckCommand.self, WeightCommand.self, FreqCommand.self, TabCommand.self, KPICommand.self,
    ])
}
