import EngramNN
import EngramRandom

extension Trainer {
  /// Adds everything needed to continue training exactly: model parameters and optimiser
  /// state, the step count, the random streams' positions and every strategy's state.
  /// - Throws: a strategy's state encoding error (not expected).
  public func save(into checkpoint: inout Checkpoint) throws {
    model.save(into: &checkpoint, optimizer: optimizer)
    checkpoint.setInts([iteration], for: "trainer.iteration")
    checkpoint.setWords(randomState, for: "trainer.random")
    checkpoint.metadata["trainer.strategies"] = strategies.map(\.name).joined(separator: "+")
    for (i, strategy) in strategies.enumerated() {
      try strategy.save(into: &checkpoint, prefix: "strategy.\(i)")
    }
  }

  /// Restores what `save(into:)` wrote, into a trainer built with the same model, optimiser,
  /// stream and strategies.
  /// - Throws: `ModelError.checkpointMismatch` naming the field that differs.
  public func restore(from checkpoint: Checkpoint, file: String) throws {
    let names = strategies.map(\.name).joined(separator: "+")
    let saved = checkpoint.metadata["trainer.strategies"] ?? "missing"
    guard saved == names else {
      throw ModelError.checkpointMismatch(
        file: file, field: "strategies", expected: names.isEmpty ? "(none)" : names,
        found: saved.isEmpty ? "(none)" : saved)
    }
    try model.load(from: checkpoint, file: file, optimizer: optimizer)
    guard let steps = checkpoint.ints("trainer.iteration"), steps.count == 1, steps[0] >= 0 else {
      throw ModelError.checkpointMismatch(
        file: file, field: "trainer.iteration", expected: "the step count", found: "nothing")
    }
    iteration = steps[0]
    try restoreRandomState(checkpoint.words("trainer.random"), file: file)
    for i in strategies.indices {
      try strategies[i].restore(from: checkpoint, prefix: "strategy.\(i)", model: model)
    }
  }
}
