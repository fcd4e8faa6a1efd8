/// What a stratum with a single PSU contributes to a variance, as R's `survey.lonely.psu`.
public enum LonelyPSUPolicy: String, Sendable, Hashable, CaseIterable, Codable {
  /// Refuse to estimate, naming the stratum (R's default).
  case fail
  /// The stratum adds nothing.
  case remove
  /// The stratum is taken as sampled with certainty: it adds nothing.
  case certainty
  /// The PSU's total is measured from the overall estimate instead of a stratum mean.
  case adjust
  /// The stratum is dropped and the variance scaled up by strata / strata with two or more PSUs.
  case average
}
