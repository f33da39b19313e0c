import EngramContinual
import EngramSpelling

/// Builds strategies from their command-line names and a configuration's hyperparameters.
///
/// `naive` is no strategy at all. Names joined by `+` compose (e.g. `replay+ewc`), subject to
/// the trainer's exclusive roles. Defaults come from reference/methods.md; see each type.
public enum StrategyFactory {
  /// The names `--strategy` accepts.
  public static let names = [
    "naive", "joint", "cumulative", "replay", "gem", "agem", "ewc", "online-ewc", "si", "mas",
    "lwf", "icarl", "gdumb", "der",
    "derpp", "er-ace",
  ]

  /// The strategies for `config.strategy`.
  /// - Throws: `ConfigError.invalidValue` for an unknown name (with a suggestion).
  public static func make(_ config: RunConfig) throws -> [any Strategy] {
    try config.strategy.split(separator: "+").map {
      String($0).trimmingCharacters(in: .whitespaces)
    }.compactMap { name in
      try make(name, config)
    }
  }

  static func make(_ name: String, _ c: RunConfig) throws -> (any Strategy)? {
    switch name {
    case "naive": return nil
    case "joint": return Joint()
    case "cumulative": return Cumulative()
    case "replay":
      return ExperienceReplay(
        capacity: c.memory ?? 500, replayBatch: c.replayBatch, filling: c.memoryFilling,
        selection: c.selection)
    case "gem": return GEM(memoryPerTask: c.memoryPerTask ?? 256, margin: c.gemMargin)
    case "agem": return AGEM(memoryPerTask: c.memoryPerTask ?? 250, referenceBatch: c.agemBatch)
    case "ewc":
      return EWC(
        lambda: c.ewcLambda, fisherLabels: c.fisher, consolidation: .separate,
        fisherSamples: c.fisherSamples)
    case "online-ewc":
      return EWC(
        lambda: c.ewcLambda, fisherLabels: c.fisher, consolidation: .online(gamma: c.ewcGamma),
        fisherSamples: c.fisherSamples)
    case "si": return SynapticIntelligence(strength: c.siC, damping: c.siXi)
    case "mas": return MAS(lambda: c.masLambda)
    case "lwf":
      return LwF(
        lambda: c.lwfLambda, temperature: c.lwfTemperature, form: c.kdForm,
        scaleBySquaredTemperature: c.kdSquaredTemperature)
    case "icarl": return ICaRL(capacity: c.memory ?? 2000)
    case "gdumb": return GDumb(capacity: c.memory ?? 500, epochs: c.gdumbEpochs)
    case "der":
      return DarkExperienceReplay(
        capacity: c.memory ?? 500, alpha: c.derAlpha ?? 1.0, beta: 0, replayBatch: c.replayBatch,
        reduction: c.derReduction)
    case "derpp":
      return DarkExperienceReplay(
        capacity: c.memory ?? 500, alpha: c.derAlpha ?? 1.0, beta: c.derBeta ?? 0.5,
        replayBatch: c.replayBatch, reduction: c.derReduction)
    case "er-ace":
      return ERACE(capacity: c.memory ?? 500, replayBatch: c.replayBatch, variant: c.aceVariant)
    default:
      let hint = nearest(to: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
      throw ConfigError.invalidValue(
        key: "strategy", value: name + hint,
        expected: "one of \(names.joined(separator: ", ")), or several joined by +")
    }
  }
}
