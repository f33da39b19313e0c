import EngramContinual
import EngramData
import EngramNN

/// One configuration key: its type, help, and how it reads and writes a `RunConfig`.
public struct ConfigField: Sendable {
  /// The snake_case key (YAML); the flag is `--` + the key with dashes.
  public let key: String
  /// Accepted values.
  public let kind: ConfigKind
  /// One line of help.
  public let help: String
  let get: @Sendable (RunConfig) -> ConfigValue
  let set: @Sendable (inout RunConfig, ConfigValue) -> Void

  /// The command-line flag.
  public var flag: String { "--" + key.replacingOccurrences(of: "_", with: "-") }
}

extension RunConfig {
  /// Every key, in the order help lists them.
  public static let fields: [ConfigField] = [
    enumField(
      "benchmark", \.benchmark,
      "Task sequence: split, permuted, rotated, custom; long streams online-permuted, label-permuted, bit-flipping, pairs (each with its protocol's defaults)"),
    makeField(
      "dataset", .string, "fashion-mnist, a folder of four IDX files (raw or .gz), or a CSV file",
      get: { .string($0.dataset) }, set: { if case .string(let v) = $1 { $0.dataset = v } }),
    enumField(
      "scenario", \.scenario,
      "task (task given, masked heads), domain (shared head), class (one head over all classes)"),
    int(
      "tasks", 1...10_000, \.tasks,
      "Number of tasks (split: must divide the classes; rotated: angles i·180/N unless --angles)"),
    optionalInt(
      "task_examples", 1...100_000_000, \.taskExamples,
      "Long streams: training examples per task (pairs: per class); default per benchmark"),
    makeField(
      "class_order", .ints, "Split: the order of classes before grouping (default 0, 1, …)",
      get: { $0.classOrder.map { .ints($0) } ?? .null },
      set: { if case .ints(let v) = $1 { $0.classOrder = v } else { $0.classOrder = nil } }),
    makeField(
      "groups", .groups, "Split: explicit class groups per task, e.g. 0,1;2,3 (overrides --tasks)",
      get: { $0.groups.map { .groups($0) } ?? .null },
      set: { if case .groups(let v) = $1 { $0.groups = v } else { $0.groups = nil } }),
    makeField(
      "custom_tasks", .tasks,
      "Custom: the tasks in order, each {dataset (default: the run's), classes, rotation, permute} (YAML only)",
      get: { $0.customTasks.map { .tasks($0) } ?? .null },
      set: { if case .tasks(let v) = $1 { $0.customTasks = v } else { $0.customTasks = nil } }),
    makeField(
      "angles", .doubles, "Rotated: the angle of each task in degrees",
      get: { $0.angles.map { .doubles($0) } ?? .null },
      set: { if case .doubles(let v) = $1 { $0.angles = v } else { $0.angles = nil } }),
    bool(
      "permute_first", \.permuteFirst,
      "Permuted: permute the first task too (false: identity first)"),
    double(
      "blurry", 0...0.99, \.blurry,
      "Fraction of each task's training examples moved to a neighbouring task (blurry boundaries)"),
    enumField(
      "class_outputs", \.classOutputs, "Class-incremental active outputs: all-so-far, all, current"),
    enumField("preprocess", \.preprocess, "standardize (training statistics) or none"),
    makeField(
      "model", .architecture, "Architecture: mlp:W1,W2,…, linear, cnn, cnn:C1,C2,H",
      get: { .string($0.model.description) },
      set: { config, value in
        if case .string(let v) = value, let a = try? Architecture(parsing: v) { config.model = a }
      }),
    makeField(
      "activation", .activation,
      "Hidden nonlinearity: relu, or elephant (h/(1 + |x/a|^d), a 1, d 4, h 1; elephant:A,D,H)",
      get: { .string($0.activation.name) },
      set: { config, value in
        if case .string(let v) = value, let a = try? Activation.Kind(parsing: v) {
          config.activation = a
        }
      }),
    enumField(
      "initializer", \.initializer, "kaiming-uniform (PyTorch's default) or xavier-uniform"),
    enumField("optimizer", \.optimizer, "sgd, adam or upgd (utility-based perturbed gradient descent)"),
    optionalFloat("lr", 1e-9...100, \.lr, "Learning rate (default 0.01 for sgd, 0.001 for adam)"),
    float("momentum", 0...0.9999, \.momentum, "SGD momentum"),
    float("weight_decay", 0...1, \.weightDecay, "L2 weight decay"),
    float(
      "upgd_beta", 0...0.999999, \.upgdBeta,
      "UPGD: decay β_u of each weight's utility trace (u = −g·w)"),
    float("upgd_sigma", 0...100, \.upgdSigma, "UPGD: deviation σ of the Gaussian noise per step"),
    enumField(
      "upgd_variant", \.upgdVariant,
      "UPGD: protecting (gradient and noise gated by 1 − ū) or non-protecting (noise only)"),
    int(
      "batch", 1...1_000_000, \.batch,
      "New examples per step (1–10 with one epoch: an online stream)"),
    int("epochs", 1...100_000, \.epochs, "Passes over each task"),
    optionalInt("iterations", 1...100_000_000, \.iterations, "Steps per task instead of epochs"),
    bool("reset_optimizer", \.resetOptimizer, "Clear momentum/Adam state when a task begins"),
    bool(
      "hide_boundaries", \.hideBoundaries,
      "Task-free: strategies are not told where tasks begin and end"),
    makeField(
      "strategy", .methods,
      "One of \(MethodRegistry.names.joined(separator: ", ")), or several joined by + (e.g. replay+ewc)",
      get: { .string($0.strategy.description) },
      set: { config, value in
        if case .string(let v) = value, let s = try? StrategySelection(parsing: v) {
          config.strategy = s
        }
      }),
    optionalInt(
      "memory_bytes", 1...100_000_000_000, \.memoryBytes,
      "Replay memory as a byte budget instead of examples: as many as fit (pixels, label, task, DER logits)"
    ),
    makeField(
      "replay_loss", .choice(BaseLoss.Combination.allCases.map(\.rawValue)),
      "concatenate (one mean, default), sum (of means), weighted (1/t), average; not with a method that shapes the loss (er-ace, der, icarl)",
      get: { $0.replayLoss.map { .string($0.rawValue) } ?? .null },
      set: { config, value in
        if case .string(let v) = value { config.replayLoss = BaseLoss.Combination(rawValue: v) } else {
          config.replayLoss = nil
        }
      }),
  ] + hyperparameterFields + [
    optionalInt(
      "eval_every", 1...100_000_000, \.evalEvery,
      "Continual evaluation every K iterations (min-ACC, WC-ACC, curves)"),
    int(
      "eval_subset", 1...1_000_000, \.evalSubset, "Test examples per task for continual evaluation"),
    bool("fwt", \.fwt, "Train a fresh model per task for forward transfer and intransigence"),
    bool(
      "diagnostics", \.diagnostics,
      "Plasticity diagnostics at each task end: dormant and dead units, effective rank, srank, feature and weight magnitudes, gradient norms, a plasticity probe"
    ),
    double(
      "diagnostics_tau", 0...1, \.diagnosticsTau,
      "Diagnostics: a unit is dormant when its ReDo score (mean |h| over the layer's mean) is at most τ"),
    int(
      "diagnostics_examples", 1...100_000, \.diagnosticsExamples,
      "Diagnostics: probe examples of each task's training data"),
    bool(
      "forgetting_events", \.forgettingEvents,
      "Count each training example's learning and forgetting events (Toneva et al.); runs export writes them"),
    int(
      "plasticity_probe_every", 1...1_000_000, \.plasticityProbeEvery,
      "Diagnostics: tasks between plasticity probes (100 SGD steps of a copy on a fixed fresh task)"),
    makeField(
      "seed", .int(0...Int.max), "Seed of every random stream",
      get: { .int(Int(clamping: $0.seed)) },
      set: { if case .int(let v) = $1 { $0.seed = UInt64(v) } }),
    int(
      "threads", 1...1024, \.threads,
      "BLAS threads (bit-identical results for a fixed seed and thread count)"),
  ]

  /// Keys in order.
  public static var keys: [String] { fields.map(\.key) }

  /// The field for a key (snake or kebab case).
  public static func field(named name: String) -> ConfigField? {
    let key = name.replacingOccurrences(of: "-", with: "_")
    // `data_dir` is the name the IDX error messages and other tools use for a dataset folder.
    return fields.first { $0.key == (key == "data_dir" ? "dataset" : key) }
  }

  /// Sets a key from a parsed value, checking its type and range.
  /// - Throws: `ConfigError.unknownKey` or `.invalidValue`.
  public mutating func set(
    _ name: String, _ value: ConfigValue, file: String? = nil, line: Int? = nil
  ) throws {
    guard let field = Self.field(named: name) else {
      throw ConfigError.unknownKey(key: name, file: file, line: line, valid: Self.keys)
    }
    assign(field, try field.kind.check(value, key: field.key))
  }

  /// Sets a checked value. A null (YAML `null`/`~`/nothing, the text `none`) means the key's
  /// default — not "keep whatever an earlier layer set" — and leaves the key unset, so a long
  /// stream's protocol default applies to it.
  private mutating func assign(_ field: ConfigField, _ value: ConfigValue) {
    if value == .null {
      field.set(&self, field.get(RunConfig()))
      explicitKeys.keys.remove(field.key)
    } else {
      field.set(&self, value)
      explicitKeys.keys.insert(field.key)
    }
  }

  /// Checks `value` against the field `key` (type and range), for commands that take the same
  /// settings as `engram run` under their own options (`engram train`): one table for all.
  /// - Throws: `ConfigError.unknownKey` or `.invalidValue`.
  public static func check(_ key: String, _ value: ConfigValue) throws {
    guard let field = field(named: key) else {
      throw ConfigError.unknownKey(key: key, file: nil, line: nil, valid: keys)
    }
    _ = try field.kind.check(value, key: field.key)
  }

  /// Sets a key from command-line text.
  /// - Throws: `ConfigError.unknownKey` or `.invalidValue`.
  public mutating func set(_ name: String, text: String) throws {
    guard let field = Self.field(named: name) else {
      throw ConfigError.unknownKey(key: name, file: nil, line: nil, valid: Self.keys)
    }
    assign(field, try field.kind.parse(text, key: field.key))
  }

  /// The resolved configuration, every key with its value (nil = the documented default).
  public var resolved: [(String, ConfigValue)] { Self.fields.map { ($0.key, $0.get(self)) } }
}

// Field builders: each pairs a key with a typed property.
func makeField(
  _ key: String, _ kind: ConfigKind, _ help: String,
  get: @escaping @Sendable (RunConfig) -> ConfigValue,
  set: @escaping @Sendable (inout RunConfig, ConfigValue) -> Void
) -> ConfigField {
  ConfigField(key: key, kind: kind, help: help, get: get, set: set)
}

private func enumField<E: RawRepresentable & CaseIterable & Sendable>(
  _ key: String, _ path: WritableKeyPath<RunConfig, E> & Sendable, _ help: String
) -> ConfigField where E.RawValue == String {
  makeField(
    key, .choice(E.allCases.map(\.rawValue)), help, get: { .string($0[keyPath: path].rawValue) },
    set: { config, value in
      if case .string(let v) = value, let e = E(rawValue: v) { config[keyPath: path] = e }
    })
}

private func int(
  _ key: String, _ range: ClosedRange<Int>, _ path: WritableKeyPath<RunConfig, Int> & Sendable,
  _ help: String
) -> ConfigField {
  makeField(
    key, .int(range), help, get: { .int($0[keyPath: path]) },
    set: { if case .int(let v) = $1 { $0[keyPath: path] = v } })
}

private func optionalInt(
  _ key: String, _ range: ClosedRange<Int>, _ path: WritableKeyPath<RunConfig, Int?> & Sendable,
  _ help: String
) -> ConfigField {
  makeField(
    key, .int(range), help, get: { $0[keyPath: path].map { .int($0) } ?? .null },
    set: { config, value in
      if case .int(let v) = value { config[keyPath: path] = v } else { config[keyPath: path] = nil }
    })
}

private func float(
  _ key: String, _ range: ClosedRange<Double>, _ path: WritableKeyPath<RunConfig, Float> & Sendable,
  _ help: String
) -> ConfigField {
  makeField(
    key, .double(range), help, get: { .double(Double($0[keyPath: path])) },
    set: { if case .double(let v) = $1 { $0[keyPath: path] = Float(v) } })
}

private func optionalFloat(
  _ key: String, _ range: ClosedRange<Double>,
  _ path: WritableKeyPath<RunConfig, Float?> & Sendable, _ help: String
) -> ConfigField {
  makeField(
    key, .double(range), help, get: { $0[keyPath: path].map { .double(Double($0)) } ?? .null },
    set: { config, value in
      if case .double(let v) = value {
        config[keyPath: path] = Float(v)
      } else {
        config[keyPath: path] = nil
      }
    })
}

private func double(
  _ key: String, _ range: ClosedRange<Double>,
  _ path: WritableKeyPath<RunConfig, Double> & Sendable, _ help: String
) -> ConfigField {
  makeField(
    key, .double(range), help, get: { .double($0[keyPath: path]) },
    set: { if case .double(let v) = $1 { $0[keyPath: path] = v } })
}

private func bool(
  _ key: String, _ path: WritableKeyPath<RunConfig, Bool> & Sendable, _ help: String
) -> ConfigField {
  makeField(
    key, .bool, help, get: { .bool($0[keyPath: path]) },
    set: { if case .bool(let v) = $1 { $0[keyPath: path] = v } })
}
