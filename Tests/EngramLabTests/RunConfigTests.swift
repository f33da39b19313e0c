import EngramContinual
import EngramLab
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
    #expect(config.strategy == "replay+ewc" && config.memory == 200 && config.lr == 0.05)
    #expect(
      config.scenario == .task && config.groups == [[0, 1], [2, 3]] && config.angles == [0, 45])
    #expect(config.fwt && config.evalEvery == 10 && config.batch == 128)
    #expect(try StrategyFactory.make(config).map(\.name) == ["replay", "ewc"])
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
    config.strategy = "replai"
    #expect(
      throws: ConfigError.invalidValue(
        key: "strategy", value: "replai (did you mean 'replay'?)",
        expected:
          "one of naive, joint, cumulative, replay, gem, agem, ewc, online-ewc, si, mas, lwf, icarl, gdumb, der, derpp, er-ace, or several joined by +"
      )
    ) {
      try StrategyFactory.make(config)
    }
  }

  @Test("every key round-trips through its command-line text")
  func flagsRoundTrip() throws {
    var config = RunConfig()
    try config.set("ewc-lambda", text: "250")
    try config.set("class_outputs", text: "all")
    try config.set("groups", text: "0,1;2,3")
    #expect(
      config.ewcLambda == 250 && config.classOutputs == .all && config.groups == [[0, 1], [2, 3]])
    for (key, value) in RunConfig().resolved {
      var copy = RunConfig()
      try copy.set(key, text: value.text)
      #expect(copy.resolved.first { $0.0 == key }?.1 == value, "\(key)")
    }
  }
}
