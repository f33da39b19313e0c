import EngramContinual
import EngramData
import EngramLab
import EngramRandom
import Foundation
import Testing

@Suite("Run configuration")
struct RunConfigTests {
  @Test("YAML sets typed keys over the defaults; lists and groups parse either way")
  func yaml() throws {
    var config = RunConfig()
    try config.apply(
      yaml: """
        strategy: replay+ewc
        memory: 200
        lr: 0.05
        scenario: task
        groups: [[0, 1], [2, 3]]
        angles: 0,45
        fwt: true
        eval_every: 10
        """, file: "c.yaml")
    #expect(
      config.strategy.description == "replay+ewc" && config.method.values["memory"] == .int(200)
        && config.lr == 0.05)
    #expect(
      config.scenario == .task && config.groups == [[0, 1], [2, 3]] && config.angles == [0, 45])
    #expect(config.fwt && config.evalEvery == 10 && config.batch == 128)
    #expect(try config.strategy.make(config.method).map(\.name) == ["replay", "ewc"])
  }

  @Test("an unknown key names the file, the line, the nearest key and the valid keys")
  func unknownKey() {
    var config = RunConfig()
    do {
      try config.apply(yaml: "batch: 32\newc_lamda: 10\n", file: "c.yaml")
      Issue.record("accepted an unknown key")
    } catch let error as ConfigError {
      #expect(
        error.description.hasPrefix(
          "c.yaml, line 2: unknown key 'ewc_lamda' (did you mean 'ewc_lambda'?); valid keys: benchmark, dataset,"
        ))
    } catch {
      Issue.record("wrong error \(error)")
    }
  }

  @Test(
    "wrong types and out-of-range values name the key and what it accepts",
    arguments: [
      (
        "batch: many",
        "batch (c.yaml, line 1) = 'many' is not valid: expected a whole number in 1…1000000"
      ),
      ("batch: 0", "batch (c.yaml, line 1) = 0 is not valid: expected a whole number in 1…1000000"),
      (
        "scenario: classes",
        "scenario (c.yaml, line 1) = classes is not valid: expected one of task, domain, class"
      ),
      ("lr: [1, 2]", "lr (c.yaml, line 1) = a list is not valid: expected a number in 1e-09…100.0"),
      ("fwt: maybe", "fwt (c.yaml, line 1) = 'maybe' is not valid: expected true or false"),
    ])
  func wrongTypes(yaml: String, message: String) {
    var config = RunConfig()
    do {
      try config.apply(yaml: yaml, file: "c.yaml")
      Issue.record("accepted \(yaml)")
    } catch {
      #expect("\(error)" == message)
    }
  }

  @Test("unknown strategies are refused with a suggestion")
  func unknownStrategy() throws {
    var config = RunConfig()
    do {
      try config.set("strategy", text: "replai")
      Issue.record("accepted an unknown strategy")
    } catch {
      #expect(
        "\(error)"
          == "strategy = replai (did you mean 'replay'?) is not valid: expected one of \(MethodRegistry.names.joined(separator: ", ")), or several joined by +"
      )
    }
    #expect(config.strategy == .naive)
  }

  @Test("every key round-trips through its command-line text")
  func flagsRoundTrip() throws {
    var config = RunConfig()
    try config.set("ewc-lambda", text: "250")
    try config.set("class_outputs", text: "all")
    try config.set("groups", text: "0,1;2,3")
    try config.set("data-dir", text: "/data/kmnist")
    #expect(config.dataset == "/data/kmnist")
    #expect(
      config.method[EWC.Parameters.lambda] == 250 && config.classOutputs == .all && config.groups == [[0, 1], [2, 3]])
    for (key, value) in RunConfig().resolved {
      var copy = RunConfig()
      try copy.set(key, text: value.text)
      #expect(copy.resolved.first { $0.0 == key }?.1 == value, "\(key)")
    }
  }

  @Test("a custom stream from YAML mixes datasets, class subsets, rotations and permutations")
  func customStream() throws {
    var config = RunConfig()
    try config.apply(
      yaml: """
        benchmark: custom
        scenario: task
        preprocess: none
        custom_tasks:
          - {classes: [0, 1]}
          - {dataset: other, classes: [2, 3], rotation: 90}
          - {dataset: other, permute: true}
        """, file: "c.yaml")
    #expect(config.customTasks?.map(\.dataset) == [nil, "other", "other"])
    var random = RandomStream(seed: 3)
    func data(_ name: String) throws -> TrainTestData {
      TrainTestData(
        train: try SyntheticData.images(
          classes: 4, examplesPerClass: 5, side: 8, name: name, using: &random),
        test: try SyntheticData.images(
          classes: 4, examplesPerClass: 2, side: 8, name: name, using: &random))
    }
    var loaded: [String] = []
    let stream = try config.makeStream(data: try data("own")) { name in
      loaded.append(name)
      return try data(name)
    }
    #expect(loaded == ["other"], "each extra dataset is loaded once")
    #expect(stream.tasks.map(\.train.count) == [10, 10, 20])
    #expect(stream.tasks.map(\.units) == [[0, 1], [2, 3], [4, 5, 6, 7]])
    #expect(stream.tasks[1].transforms.first is Rotation)
    #expect(stream.tasks[2].transforms.first is PixelPermutation)
    #expect(stream.tasks[0].transforms.isEmpty)
  }

  @Test(
    "custom tasks refuse bad entries, flags, and a missing list",
    arguments: [
      (
        "benchmark: custom\ncustom_tasks:\n  - {clases: [0]}\n",
        "unknown key 'clases' (did you mean 'classes'?)"
      ),
      ("benchmark: custom\ncustom_tasks:\n  - {rotation: left}\n", "expected an angle in degrees"),
      ("benchmark: custom\ncustom_tasks: [1, 2]\n", "expected a mapping"),
      ("benchmark: custom\n", "custom_tasks = none is not valid"),
      ("custom_tasks:\n  - {classes: [0]}\n", "expected custom when custom_tasks is given"),
    ])
  func customStreamErrors(yaml: String, message: String) throws {
    var config = RunConfig()
    var random = RandomStream(seed: 1)
    let own = TrainTestData(
      train: try SyntheticData.gaussianClusters(
        classes: 2, dimension: 4, examplesPerClass: 3, using: &random),
      test: try SyntheticData.gaussianClusters(
        classes: 2, dimension: 4, examplesPerClass: 3, using: &random))
    do {
      try config.apply(yaml: yaml, file: "c.yaml")
      _ = try config.makeStream(data: own)
      Issue.record("accepted \(yaml)")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test("custom_tasks cannot be given as a flag")
  func customTasksFlag() {
    var config = RunConfig()
    #expect(throws: ConfigError.self) { try config.set("custom-tasks", text: "0,1") }
  }

  @Test("memory_bytes buys as many examples as the buffers hold; both budgets at once is an error")
  func memoryBytes() throws {
    var random = RandomStream(seed: 5)
    let data = TrainTestData(
      train: try SyntheticData.images(
        classes: 4, examplesPerClass: 20, side: 8, using: &random),
      test: try SyntheticData.images(classes: 4, examplesPerClass: 2, side: 8, using: &random))
    var config = RunConfig()
    config.tasks = 2
    config.memoryBytes = 1000
    try config.set("strategy", text: "replay")
    let stream = try config.makeStream(data: data)
    let memory = ExperienceReplay.Parameters.memory
    // 64 pixel bytes + label + task (8) = 72 bytes an example.
    #expect(try config.methodSettings(for: stream)[memory] == 13)
    try config.set("strategy", text: "derpp")
    // … plus 4 logits of 4 bytes = 88.
    #expect(try config.methodSettings(for: stream)[memory] == 11)
    try config.set("strategy", text: "gem")
    #expect(try config.methodSettings(for: stream)[GEM.Parameters.memoryPerTask] == 6)
    config.memoryBytes = 50
    #expect(throws: ConfigError.self) { try config.methodSettings(for: stream) }
    config.memoryBytes = 1000
    try config.set("memory", text: "10")
    #expect(throws: ConfigError.self) { try config.validate() }
  }

  @Test("strings become types at the boundary: the model parses when set, not when the run starts")
  func typedAtTheBoundary() throws {
    var config = RunConfig()
    try config.set("model", text: "cnn")
    #expect(config.model == .cnn(channels: [32, 64], hidden: 128))
    #expect(config.resolved.first { $0.0 == "model" }?.1 == .string("cnn:32,64,128"))
    #expect(throws: ConfigError.self) { try config.set("model", text: "resnet50") }
    try config.set("benchmark", text: "permuted")
    try config.set("optimizer", text: "adam")
    #expect(config.benchmark == .permuted && config.optimizer == .adam)
    #expect(config.effectiveLearningRate == 0.001)
  }


  @Test("a quoted '' is text, never YAML's null: every key refuses it; empty list parts too")
  func emptyValues() throws {
    for key in RunConfig.keys {
      var config = RunConfig()
      #expect(throws: ConfigError.self, "\(key): ''") {
        try config.apply(yaml: "\(key): ''\n", file: "c.yaml")
      }
    }
    // A plain empty value is YAML's null: the default stays; so does a `---`-only file.
    var config = RunConfig()
    try config.apply(yaml: "---\n", file: "c.yaml")
    try config.apply(yaml: "--- # nothing here\n...\n", file: "c.yaml")
    try config.apply(yaml: "lr:\nbatch: ~\n", file: "c.yaml")
    #expect(config.lr == nil && config.batch == RunConfig().batch)
    // A null is the default, not the value an earlier layer set.
    try config.set("batch", text: "7")
    try config.set("batch", text: "none")
    #expect(config.batch == RunConfig().batch)
    // ... except where "none" is a value of the key.
    try config.set("preprocess", text: "none")
    #expect(config.preprocess == Preprocessing.none)
    for (key, text) in [("groups", "0,1;;2"), ("groups", "0,1;"), ("class_order", "0,,1"), ("angles", "0,")] {
      #expect(throws: ConfigError.self, "\(key) \(text)") { try config.set(key, text: text) }
    }
  }
}

/// Four classes of 8×8 synthetic images, `perClass` training and `testPerClass` test each.
func smallImages(perClass: Int = 6, testPerClass: Int = 2) throws -> TrainTestData {
  var random = RandomStream(seed: 3)
  return TrainTestData(
    train: try SyntheticData.images(
      classes: 4, examplesPerClass: perClass, side: 8, name: "own", using: &random),
    test: try SyntheticData.images(
      classes: 4, examplesPerClass: testPerClass, side: 8, name: "own", using: &random))
}

@Suite("Run configuration: activation")
struct RunConfigActivationTests {
  @Test("activation is a key in YAML and on the command line, and reaches the plan's model")
  func activationKey() throws {
    var config = RunConfig()
    try config.apply(yaml: "activation: elephant\nmodel: mlp:16\n", file: "c.yaml")
    #expect(config.activation == .elephantDefault)
    #expect(throws: ConfigError.self) {
      try config.apply(yaml: "activation: swish\n", file: "c.yaml")
    }
    let data = try smallImages()
    config.tasks = 2
    let plan = try config.makePlan(data: data)
    #expect(try plan.buildModel().hiddenActivation == .elephantDefault)
  }
}

@Suite("Run configuration: UPGD")
struct RunConfigUPGDTests {
  @Test("--optimizer upgd builds UPGD with the upgd_* keys and a seed drawn from the run's seed")
  func upgdKeys() throws {
    var config = RunConfig()
    try config.apply(
      yaml: "optimizer: upgd\nupgd_beta: 0.99\nupgd_sigma: 0.1\nupgd_variant: non-protecting\n",
      file: "c.yaml")
    let data = try smallImages()
    config.tasks = 2
    let plan = try config.makePlan(data: data)
    guard case .upgd(let lr, let beta, let sigma, _, let protecting, let seed) = plan.optimizer
    else {
      Issue.record("not UPGD: \(plan.optimizer)")
      return
    }
    #expect(lr == 0.01 && beta == 0.99 && sigma == 0.1 && !protecting)
    config.seed = 1
    guard case .upgd(_, _, _, _, _, let other) = try config.makePlan(data: data).optimizer else {
      return
    }
    #expect(seed != other)
    #expect(throws: ConfigError.self) { try config.apply(yaml: "upgd_beta: 1\n", file: "c.yaml") }
  }
}

@Suite("Run configuration: long streams")
struct RunConfigLongStreamTests {
  @Test("a long stream's protocol defaults fill only the keys not set, in any order and layer")
  func protocolDefaults() throws {
    var flagsFirst = RunConfig()
    try flagsFirst.set("tasks", text: "7")
    try flagsFirst.set("benchmark", text: "online-permuted")
    let a = try flagsFirst.withProtocolDefaults()
    #expect(a.tasks == 7 && a.batch == 16 && a.taskExamples == 10_000 && a.momentum == 0)
    #expect(a.model == .mlp(hidden: [100, 100]) && a.scenario == .domain && a.preprocess == Preprocessing.none)
    var yaml = RunConfig()
    try yaml.apply(yaml: "benchmark: pairs\nbatch: 50\n", file: "c.yaml")
    let b = try yaml.withProtocolDefaults()
    #expect(b.batch == 50 && b.epochs == 20 && b.tasks == 50 && b.taskExamples == 600)
    // The split default is untouched, and resolving twice changes nothing.
    #expect(try RunConfig().withProtocolDefaults() == RunConfig())
    #expect(try b.withProtocolDefaults() == b)
    // Stored settings (all keys) come back as they were.
    let again = try RunConfig(json: b.json, file: "config.json")
    #expect(try again.withProtocolDefaults() == b)
  }

  @Test("long streams refuse settings that would evaluate T² times or break the shared outputs")
  func refusals() throws {
    let data = try smallImages(perClass: 20, testPerClass: 5)
    for extra in ["eval_every: 10", "scenario: class", "fwt: true"] {
      var config = RunConfig()
      try config.apply(yaml: "benchmark: online-permuted\ntask_examples: 20\n\(extra)\n", file: "c.yaml")
      #expect(throws: ConfigError.self, "\(extra)") {
        try config.withProtocolDefaults().makePlan(data: data)
      }
    }
    var fine = RunConfig()
    try fine.apply(yaml: "benchmark: label-permuted\ntask_examples: 20\ntasks: 3\n", file: "c.yaml")
    let plan = try fine.withProtocolDefaults().makePlan(data: data)
    #expect(plan.evaluation == .currentTask && plan.stream.tasks.count == 3)
  }
}
