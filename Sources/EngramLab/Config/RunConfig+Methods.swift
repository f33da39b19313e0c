import EngramContinual

extension RunConfig {
  /// One field per hyperparameter key of the registry, generated from the methods'
  /// descriptors: the flag, YAML key, help line and JSON entry of every method setting.
  static var hyperparameterFields: [ConfigField] {
    MethodRegistry.hyperparameters.map { key, specs in
      let first = specs[0].spec
      return makeField(
        key, ConfigKind(first.kind), help(first, specs: specs),
        get: { config in
          if let value = config.method.values[key] { return ConfigValue(value) }
          // One default shared by every method that reads the key is shown; differing or
          // derived defaults show as null ("the method's default").
          let defaults = Set(specs.map(\.spec.defaultValue))
          return defaults.count == 1 ? defaults.first.flatMap { $0.map(ConfigValue.init) } ?? .null : .null
        },
        set: { config, value in
          // A value equal to the one default every reading method shares is no setting at
          // all, so a configuration reads back from its JSON unchanged.
          let value = HyperparameterValue(value)
          let defaults = Set(specs.map(\.spec.defaultValue))
          config.method.set(key, defaults == [value] ? nil : value)
        })
    }
  }

  /// "doc (method: default, …)", naming which methods read the key.
  private static func help(
    _ spec: HyperparameterSpec, specs: [(method: String, spec: HyperparameterSpec)]
  ) -> String {
    let defaults = Set(specs.map(\.spec.defaultText))
    let names = specs.map(\.method).joined(separator: ", ")
    if defaults.count == 1 { return "\(spec.doc) (\(names); default \(spec.defaultText))" }
    let each = specs.map { "\($0.method) \($0.spec.defaultText)" }.joined(separator: ", ")
    return "\(spec.doc) (default: \(each))"
  }

  /// Hyperparameters set that none of the selected methods reads (e.g. `ewc_lambda` with
  /// `replay`): kept, since a sweep's base may serve several strategies, but worth a note.
  public var unreadSettings: [String] {
    method.values.keys.filter { !strategy.reads($0) }.sorted()
  }

  /// Checks the settings that only make sense together, before anything runs or is written.
  /// - Throws: `ConfigError.conflict` naming both settings and the fix.
  public func validate() throws {
    if let loss = replayLoss, let shaper = strategy.methods.first(where: {
      $0.roles.contains(.shapesLoss)
    }) {
      throw ConfigError.conflict(
        key: "replay_loss", value: loss.rawValue, with: "strategy \(shaper.name)",
        fix: "\(shaper.name) weighs replayed rows itself; drop replay_loss")
    }
    if let budget = memoryBytes {
      for key in ["memory", "memory_per_task"] where method.values[key] != nil {
        throw ConfigError.conflict(
          key: "memory_bytes", value: "\(budget)", with: key,
          fix: "give either memory_bytes or \(key), not both")
      }
    }
  }

  /// The method settings with `memory_bytes` turned into example counts for `stream`: the
  /// largest memory whose buffers (`ReplayMemory.byteCount`) fit the budget; methods that
  /// keep `memory_per_task` split it evenly over the tasks.
  /// - Throws: `ConfigError.invalidValue` when not one example fits.
  public func methodSettings(for stream: TaskStream) throws -> MethodSettings {
    guard let budget = memoryBytes else { return method }
    let logits = strategy.methods.contains { $0.storesLogits } ? stream.outputCount : 0
    let perExample = ReplayMemory(capacity: 1, stream: stream, logitWidth: logits).byteCount
    let perTask = strategy.reads("memory_per_task")
    let examples = budget / perExample / (perTask ? stream.tasks.count : 1)
    guard examples >= 1 else {
      throw ConfigError.invalidValue(
        key: "memory_bytes", value: "\(budget)",
        expected:
          "room for at least one example (\(perExample) bytes each here\(perTask ? ", per task" : ""))")
    }
    var settings = method
    settings.set("memory", .int(budget / perExample))
    settings.set("memory_per_task", .int(budget / perExample / stream.tasks.count))
    return settings
  }
}

extension ConfigKind {
  /// The configuration kind of a hyperparameter kind.
  init(_ kind: HyperparameterKind) {
    switch kind {
    case .int(let range): self = .int(range)
    case .double(let range): self = .double(range)
    case .bool: self = .bool
    case .choice(let names): self = .choice(names)
    }
  }
}

extension ConfigValue {
  /// A hyperparameter value as a configuration value.
  init(_ value: HyperparameterValue) {
    switch value {
    case .int(let v): self = .int(v)
    case .double(let v): self = .double(v)
    case .bool(let v): self = .bool(v)
    case .string(let v): self = .string(v)
    }
  }
}

extension HyperparameterValue {
  /// A checked configuration value as a hyperparameter value (nil: unset).
  init?(_ value: ConfigValue) {
    switch value {
    case .int(let v): self = .int(v)
    case .double(let v): self = .double(v)
    case .bool(let v): self = .bool(v)
    case .string(let v): self = .string(v)
    default: return nil
    }
  }
}
