import ArgumentParser
import SurveyKit

/// The sampling-design options of `survey freq` and `survey tab`: the lonely-PSU policy and the
/// variables that override the codebook's design roles.
struct DesignOptions: ParsableArguments {
  @Option(
    name: .customLong("lonely-psu"),
    help: "A stratum with one PSU: fail, remove, certainty, adjust or average (as R).")
  var lonelyPSU: LonelyPSU = .fail

  @Option(name: .long, help: "The weight variable, instead of the codebook's.")
  var weight: String?

  @Option(name: .long, help: "The stratum variable, instead of the codebook's.")
  var strata: String?

  @Option(
    name: .long,
    help: "The cluster (PSU) variable, instead of the codebook's; twice for two stages.")
  var cluster: [String] = []

  @Option(
    name: .long,
    help: "The population size or sampling fraction variable; once per stage.")
  var fpc: [String] = []

  enum LonelyPSU: String, ExpressibleByArgument, CaseIterable {
    case fail, remove, certainty, adjust, average
    var policy: LonelyPSUPolicy { LonelyPSUPolicy(rawValue: rawValue) ?? .fail }
  }

  /// Fails (a usage error) when an option names a variable the codebook does not have.
  func validate(against codebook: Codebook) throws {
    for name in [weight, strata].compactMap({ $0 }) + cluster + fpc
    where codebook.variable(named: name) == nil {
      throw ValidationError("\(name) is not a variable of the codebook.")
    }
  }

  /// The design variables: the codebook's roles with these options' overrides.
  func variables(of codebook: Codebook) -> DesignVariables {
    DesignVariables(codebookRolesOf: codebook.variables).overriding(
      weight: weight, strata: strata, clusters: cluster, populationSizes: fpc)
  }
}
