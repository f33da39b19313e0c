import EngramData
import EngramNN
import EngramRandom
import Foundation
import Testing

@testable import EngramContinual

@Suite("Method registry")
struct MethodRegistryTests {
  @Test("every method builds from its defaults, and the built strategy carries its descriptor")
  func buildsFromDefaults() throws {
    let stream = try twoTaskStream()
    for method in MethodRegistry.all where method.name != "naive" {
      let strategies = try StrategySelection(parsing: method.name).make(MethodSettings())
      #expect(strategies.count == 1, "\(method.name)")
      let strategy = try #require(strategies.first)
      #expect(strategy.name == method.name && strategy.roles == method.roles)
      // Each one trains on a small stream (so its hooks and roles agree with the trainer).
      var settings = MethodSettings()
      for key in ["memory", "memory_per_task"] where method.reads(key) {
        settings.set(key, .int(40))
      }
      _ = try makeTrainer(
        stream, epochs: 1, strategies: try StrategySelection(parsing: method.name).make(settings))
    }
  }

  @Test("methods that share a key agree on its kind; keys are snake_case and unique per method")
  func sharedKeys() {
    for (key, specs) in MethodRegistry.hyperparameters {
      #expect(Set(specs.map { "\($0.spec.kind)" }).count == 1, "\(key)")
      // snake_case: lowercase letters, digits and underscores, starting with a letter (l2_init_lambda).
      #expect(
        key.first?.isLowercase == true
          && key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(key)")
    }
    for method in MethodRegistry.all {
      #expect(Set(method.parameters.map(\.key)).count == method.parameters.count, "\(method.name)")
    }
  }

  @Test("a value set reaches the strategy; unset keys take the reading method's own default")
  func typedSettings() throws {
    var settings = MethodSettings()
    #expect(settings[ICaRL.Parameters.memory] == 2000 && settings[GDumb.Parameters.memory] == 500)
    settings.set("memory", .int(64))
    settings.set("fisher", .string("sampled"))
    #expect(settings[ICaRL.Parameters.memory] == 64 && settings[EWC.Parameters.fisher] == .sampled)
    let built = try StrategySelection(parsing: "ewc").make(settings)
    #expect((built.first as? EWC)?.fisherLabels == .sampled)
  }

  @Test(
    "compositions are refused with the reason",
    arguments: [
      ("der+icarl", MethodSelectionError.conflictingRoles(
        first: "der", second: "icarl", role: "shapes the loss")),
      ("der+er-ace", .conflictingRoles(
        first: "der", second: "er-ace", role: "composes the batch, shapes the loss")),
      ("replay+replay", .repeated("replay")),
      ("", .empty("")),
      ("replay+", .empty("replay+")),
      ("naive+ewc", .naiveComposed("naive+ewc")),
      ("replai", .unknown(name: "replai", known: MethodRegistry.names)),
    ])
  func refusedCompositions(text: String, error: MethodSelectionError) {
    #expect(throws: error) { try StrategySelection(parsing: text) }
  }

  @Test("replay+ewc composes; naive is the empty selection")
  func compositions() throws {
    #expect(try StrategySelection(parsing: "replay + ewc").description == "replay+ewc")
    #expect(try StrategySelection(parsing: "naive") == .naive)
  }

  @Test("the learner's allow-list is the methods that need no stored task data")
  func learnerAllowList() throws {
    let supported = Set(ContinualLearner.supportedMethods.map(\.name))
    #expect(Set(["replay", "si", "lwf", "der", "derpp", "er-ace"]).isSubset(of: supported))
    #expect(supported.isDisjoint(with: ["naive", "joint", "ewc", "mas", "gem", "agem", "icarl", "gdumb"]))
    for method in MethodRegistry.all where method.build != nil {
      let strategies = try StrategySelection(parsing: method.name).make(MethodSettings())
      let accepted =
        (try? ContinualLearner(
          architecture: .mlp(hidden: [8]), features: 4, classes: 3, strategies: strategies)) != nil
      #expect(accepted == !method.needsStoredData, "\(method.name)")
    }
  }
}

@Suite("Trainer roles")
struct TrainerRoleTests {
  /// Adds its rows to every batch, but does not claim `.composesBatch`.
  struct Intruder: Strategy {
    var descriptor: MethodDescriptor {
      MethodDescriptor(name: "intruder", summary: "test", build: nil)
    }
    var calls = 0
    mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
      Issue.record("composeBatch called without the role")
    }
    mutating func shapeLoss(_ loss: inout BaseLoss, batch: BatchView) {
      Issue.record("shapeLoss called without the role")
    }
  }

  @Test("only strategies that claim a role get its hook")
  func hooksFollowRoles() throws {
    let trainer = try makeTrainer(try twoTaskStream(), epochs: 1, strategies: [Intruder()])
    try trainer.train(task: 0)
  }

  @Test("an explicit replay loss next to a loss-shaping strategy is refused, not overridden")
  func replayLossConflict() throws {
    let stream = try twoTaskStream()
    let model = try Architecture.mlp(hidden: [8]).build(input: stream.input, outputs: 4)
    model.initialize(streams: RandomStreams(seed: 0))
    for strategy in [ERACE(capacity: 20) as any Strategy, DarkExperienceReplay(capacity: 20)] {
      #expect(throws: TrainingError.self) {
        try Trainer(
          model: model, optimizer: SGD(learningRate: 0.1, momentum: 0),
          config: TrainerConfig(replayCombination: .sum), stream: stream, strategies: [strategy],
          streams: RandomStreams(seed: 0))
      }
    }
    // Without the explicit setting ER-ACE sets its own combination.
    _ = try Trainer(
      model: model, optimizer: SGD(learningRate: 0.1, momentum: 0), config: TrainerConfig(),
      stream: stream, strategies: [ERACE(capacity: 20)], streams: RandomStreams(seed: 0))
  }

  @Test("a checkpoint without the random streams' state is refused on restore")
  func missingRandomState() throws {
    let stream = try twoTaskStream()
    let trainer = try makeTrainer(stream, epochs: 1)
    try trainer.train(task: 0)
    var checkpoint = Checkpoint()
    try trainer.save(into: &checkpoint)
    checkpoint.sections["trainer.random"] = nil
    let fresh = try makeTrainer(stream, epochs: 1)
    #expect(throws: ModelError.self) { try fresh.restore(from: checkpoint, file: "run.ckpt") }
    checkpoint.setWords([1, 2, 3], for: "trainer.random")
    #expect(throws: ModelError.self) { try fresh.restore(from: checkpoint, file: "run.ckpt") }
  }

  @Test("every stateful strategy refuses a checkpoint without its state, or with another's")
  func missingStrategyState() throws {
    let stream = try twoTaskStream()
    for method in MethodRegistry.all where method.build != nil {
      var settings = MethodSettings()
      for key in ["memory", "memory_per_task"] where method.reads(key) {
        settings.set(key, .int(40))
      }
      let make = { try StrategySelection(parsing: method.name).make(settings) }
      let trainer = try makeTrainer(stream, epochs: 1, strategies: try make())
      try trainer.beginTask(0)
      try trainer.train(task: 0)
      try trainer.endTask(0)
      var checkpoint = Checkpoint()
      try trainer.save(into: &checkpoint)
      let restored = try makeTrainer(stream, epochs: 1, strategies: try make())
      try restored.restore(from: checkpoint, file: "run.ckpt")
      guard checkpoint.sections["strategy.0.state"] != nil else { continue }  // stateless
      var damaged = checkpoint
      damaged.sections["strategy.0.state"] = nil
      #expect(throws: ModelError.self, "\(method.name)") {
        try makeTrainer(stream, epochs: 1, strategies: try make()).restore(
          from: damaged, file: "run.ckpt")
      }
      damaged.sections["strategy.0.state"] = [1, 2, 3]
      #expect(throws: ModelError.self, "\(method.name)") {
        try makeTrainer(stream, epochs: 1, strategies: try make()).restore(
          from: damaged, file: "run.ckpt")
      }
    }
  }
}

@Suite("LwF heads")
struct LwFHeadTests {
  /// Task-IL, three tasks of two units; the teacher outputs `t` for the zero input (its bias),
  /// the student's logits are `z`; T = 2, λ = 1, soft-target cross-entropy.
  func distil(_ heads: LwF.Heads) throws -> (loss: Float, gradient: [Float]) {
    let data = try Dataset(
      name: "six", features: .floats([Float](repeating: 0, count: 6)), labels: [0, 1, 2, 3, 4, 5],
      featureCount: 1, classCount: 6)
    let stream = try Benchmark.split(groups: [[0, 1], [2, 3], [4, 5]]).stream(
      data: [TrainTestData(train: data, test: data)], scenario: .task, preprocessing: .none,
      streams: RandomStreams(seed: 0))
    let model = try Architecture.mlp(hidden: []).build(input: InputShape(features: 1), outputs: 6)
    model.prepare(batchCapacity: 1)
    let t: [Float] = [2, 0, 1, 1, 0, 0]
    for i in 0..<6 { model.parameters[6 + i] = t[i] }  // Linear(1, 6): 6 weights, then 6 biases
    var lwf = LwF(lambda: 1, temperature: 2, heads: heads)
    try lwf.taskWillBegin(
      TaskContext(stream: stream, index: 2, examples: [], reader: StreamBatchReader(stream: stream)),
      model: model)
    let x = Tensor(rows: 1, columns: 1)
    let logits = Tensor(rows: 1, columns: 6)
    let z: [Float] = [1, 2, 0.5, -1, 0.3, 0.7]
    for i in 0..<6 { logits.pointer[i] = z[i] }
    let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
    let losses = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    defer {
      scratch.deallocate()
      losses.deallocate()
    }
    let view = BatchView(
      inputs: x, labels: scratch, tasks: scratch + 1,
      segments: [BatchSegment(source: .new, start: 0, count: 1, slots: [])], logits: logits,
      newExamples: nil, rawNewInputs: nil, currentTask: 2, stream: stream, mask: .all(6),
      perExampleLoss: losses)
    let gradient = Tensor(rows: 1, columns: 6)
    var terms = LossTerms(logitGradient: gradient, parameterGradient: model.gradients)
    lwf.addLoss(&terms, batch: view, model: model)
    return (terms.total, (0..<6).map { gradient.pointer[$0] })
  }

  @Test("per head: one softmax per old task, summed — 1.601477 on the hand-computed case")
  func perHead() throws {
    // Head (0, 1): q = softmax((2, 0)/2), p = softmax((1, 2)/2); head (2, 3): q = (½, ½),
    // p = softmax((0.5, −1)/2); loss = −Σ q log p per head, summed; dL/dz = (p − q)/T.
    let (loss, gradient) = try distil(.perHead)
    #expect(abs(loss - 1.601477) < 1e-5)
    let expected: [Float] = [-0.176759, 0.176759, 0.089589, -0.089589, 0, 0]
    #expect(zip(gradient, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(gradient)")
  }

  @Test("all old units in one softmax (the earlier form) — 1.556276")
  func allOld() throws {
    let (loss, gradient) = try distil(.allOld)
    #expect(abs(loss - 1.556276) < 1e-5)
    let expected: [Float] = [-0.061989, 0.145931, -0.014904, -0.069038, 0, 0]
    #expect(zip(gradient, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(gradient)")
  }
}
