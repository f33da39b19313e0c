extension Model {
  /// Adds this model's parameters (and, if given, an optimiser's state) to a checkpoint.
  public func save(into checkpoint: inout Checkpoint, optimizer: Optimizer? = nil) {
    checkpoint.metadata["model.architecture"] = architecture.description
    checkpoint.metadata["model.activation"] = hiddenActivation.name
    checkpoint.metadata["model.inputWidth"] = "\(inputWidth)"
    checkpoint.metadata["model.outputWidth"] = "\(outputWidth)"
    checkpoint.setFloats(UnsafeBufferPointer(parameters), for: "model.parameters")
    var dropoutStates: [UInt64] = []
    for case let dropout as Dropout in network.layers { dropoutStates += dropout.noiseState }
    if !dropoutStates.isEmpty { checkpoint.setWords(dropoutStates, for: "model.dropout") }
    if let optimizer {
      checkpoint.metadata["optimizer"] = optimizer.description
      for (key, values) in optimizer.state { checkpoint.setFloats(values, for: "optimizer.\(key)") }
    }
  }

  /// Restores parameters (and optimiser state) saved by `save(into:optimizer:)`.
  /// - Throws: `ModelError.checkpointMismatch` naming the field when the checkpoint belongs to
  ///   another architecture, input or output size, or optimiser.
  public func load(from checkpoint: Checkpoint, file: String, optimizer: Optimizer? = nil) throws {
    func require(_ key: String, _ expected: String) throws {
      let found = checkpoint.metadata[key] ?? "missing"
      guard found == expected else {
        throw ModelError.checkpointMismatch(
          file: file, field: key.replacingOccurrences(of: "model.", with: ""), expected: expected,
          found: found)
      }
    }
    try require("model.architecture", architecture.description)
    // Checkpoints from before activations were selectable hold ReLU networks.
    if checkpoint.metadata["model.activation"] != nil || hiddenActivation != .relu {
      try require("model.activation", hiddenActivation.name)
    }
    try require("model.inputWidth", "\(inputWidth)")
    try require("model.outputWidth", "\(outputWidth)")
    guard let values = checkpoint.floats("model.parameters"), values.count == parameterCount else {
      throw ModelError.checkpointMismatch(
        file: file, field: "parameter count", expected: "\(parameterCount)",
        found: "\(checkpoint.floats("model.parameters")?.count ?? 0)")
    }
    if let optimizer {
      try require("optimizer", optimizer.description)
      var state: [String: [Float]] = [:]
      for name in checkpoint.sections.keys where name.hasPrefix("optimizer.") {
        state[String(name.dropFirst("optimizer.".count))] = checkpoint.floats(name)
      }
      try optimizer.restore(state, parameterCount: parameterCount)
    }
    values.withUnsafeBufferPointer {
      parameters.baseAddress?.update(from: $0.baseAddress!, count: parameterCount)
    }
    if let words = checkpoint.words("model.dropout") {
      var offset = 0
      for case let dropout as Dropout in network.layers where offset + 4 <= words.count {
        dropout.noiseState = Array(words[offset..<(offset + 4)])
        offset += 4
      }
    }
  }
}
