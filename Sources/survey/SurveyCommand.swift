import ArgumentParser

/// The `survey` tool: one subcommand per stage of the analysis.
@main
struct SurveyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "survey",
    abstract:
      "Check, weight and tabulate citizen surveys, track their KPIs, report to the council.",
    discussion: """
      SurveyKit reads a survey export (CSV in UTF-8 or CP932, SPSS .sav or Stata .dta) against \
      the questionnaire's codebook (YAML) and reports every defect with its file, line and column; weights it to \
      population margins; makes frequency and banner tables with design-based standard errors; \
      keeps the strategy's KPIs in a ledger; and writes the council's workbook and HTML report.

      Start with the bundled sample's yearly job:
        survey run codebooks/citizen-survey-2019-project.yaml
      or one step at a time:
        survey check samples/citizen-survey-2019.csv \\
            --codebook codebooks/citizen-survey-2019.yaml
      """,
    subcommands: [
      CheckCommand.self, WeightCommand.self, FreqCommand.self, TabCommand.self, KPICommand.self,
      RunCommand.self, CodebookCommand.self,
    ])
}
