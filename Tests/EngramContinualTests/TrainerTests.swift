import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

func clusterTask(seed: UInt64 = 1) throws -> TrainingTask {
  var stream = RandomStream(seed: seed)
  let all = try SyntheticData.gaussianClusters(
    classes: 3, dimension: 8, examplesPerClass: 100, using: &stream)
  let (train, test) = try all.split(validationFraction: 0.3, using: &stream)
  return TrainingTask(name: "clusters", index: 0, train: train, test: test, classes: [0, 1, 2])
}

func makeTrainer(
  _ architecture: String = "mlp:16", lr: Float = 0.05, batch: Int = 16, epochs: Int = 3,
  seed: UInt64 = 0, inputs: Int = 8
) throws -> Trainer {
  let model = try Architecture(parsing: architecture).build(
    input: InputShape(features: inputs), outputs: 3)
  model.initialize(streams: RandomStreams(seed: seed))
  return try Trainer(
    model: model, optimizer: SGD(learningRate: lr, momentum: 0.9),
    config: TrainerConfig(batchSize: batch, epochs: epochs),
    streams: RandomStreams(seed: seed))
}

@Suite("Trainer")
struct TrainerTests {
  @Test("training separable clusters reaches high test accuracy and reports every epoch")
  func learns() throws {
    let task = try clusterTask()
    let trainer = try makeTrainer()
    var epochs: [Int] = []
    let loss = try trainer.train(task) { epochs.append($0.epoch) }
    #expect(epochs == [1, 2, 3])
    #expect(loss < 0.2)
    #expect(Evaluator(model: trainer.model).accuracy(on: task.test) > 0.95)
  }

  @Test("a diverging run stops with a clear error and keeps finite parameters")
  func divergence() throws {
    let task = try clusterTask()
    let trainer = try makeTrainer(lr: 1e30)
    do {
      try trainer.train(task)
      Issue.record("a learning rate of 1e30 did not diverge")
    } catch let error as TrainingError {
      guard case .nonFiniteLoss(let name, _, _, _) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(name == "clusters")
      #expect(error.description.contains("lower the learning rate"))
    }
    #expect(trainer.model.parameters.allSatisfy { $0.isFinite })
  }

  @Test("data that do not fit the model and bad settings are refused")
  func refusals() throws {
    let task = try clusterTask()
    let trainer = try makeTrainer(inputs: 9)
    #expect(throws: TrainingError.self) { try trainer.train(task) }
    #expect(
      throws: TrainingError.invalidSetting(
        name: "batch", value: "0", allowed: "must lie in 1…1000000")
    ) {
      try makeTrainer(batch: 0)
    }
  }

  @Test("iterations replace epochs, and the same seed reproduces the run bit for bit")
  func iterationsAndDeterminism() throws {
    let task = try clusterTask()
    func run(seed: UInt64) throws -> [Float] {
      let model = try Architecture(parsing: "mlp:16").build(
        input: InputShape(features: 8), outputs: 3)
      model.initialize(streams: RandomStreams(seed: seed))
      let trainer = try Trainer(
        model: model, optimizer: SGD(learningRate: 0.05, momentum: 0.9),
        config: TrainerConfig(batchSize: 8, iterations: 7),
        streams: RandomStreams(seed: seed))
      var steps: [Int] = []
      try trainer.train(task) { steps.append($0.step) }
      #expect(steps.last == 7)
      return model.parameterArray
    }
    #expect(try run(seed: 3) == run(seed: 3))
    #expect(try run(seed: 3) != run(seed: 4))
  }

  @Test("the evaluator predicts among the active outputs only")
  func maskedEvaluation() throws {
    let task = try clusterTask()
    let trainer = try makeTrainer()
    try trainer.train(task)
    let evaluator = Evaluator(model: trainer.model)
    let zeros = try task.test.filtering(classes: [0])
    // With only class 0 active, every prediction is 0: all examples of class 0 are right.
    #expect(evaluator.accuracy(on: zeros, mask: .only([0], of: 3)) == 1)
    #expect(
      evaluator.accuracy(on: try task.test.filtering(classes: [1]), mask: .only([0], of: 3)) == 0)
  }

  @Test("integration: 2 epochs on 3 000 real Fashion-MNIST images beat 0.7 test accuracy")
  func fashionMNISTSlice() throws {
    try #require(Fixtures.hasFashionMNIST, "dataset-fashion-mnist is not installed")
    let data = try IDXDataset.load(
      directory: try Fixtures.fashionMNISTSlice(train: 3000, test: 1000))
    let model = try Architecture(parsing: "mlp:100").build(
      input: InputShape(data.train), outputs: 10)
    let streams = RandomStreams(seed: 0)
    model.initialize(streams: streams)
    let trainer = try Trainer(
      model: model, optimizer: SGD(learningRate: 0.01, momentum: 0.9),
      config: TrainerConfig(epochs: 2), streams: streams)
    let transforms = [Preprocessing.standardize.transform(fittedTo: data.train)].compactMap { $0 }
    try trainer.train(
      TrainingTask(
        name: "slice", index: 0, train: data.train, test: data.test, transforms: transforms,
        classes: Array(0..<10)))
    #expect(Evaluator(model: model).accuracy(on: data.test, transforms: transforms) > 0.7)
  }
}
