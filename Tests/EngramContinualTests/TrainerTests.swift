import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

/// Three well-separated Gaussian clusters, one task with all classes.
func clusterStream(seed: UInt64 = 1, scenario: Scenario = .class, groups: [[Int]] = [[0, 1, 2]])
  throws -> TaskStream
{
  var stream = RandomStream(seed: seed)
  let all = try SyntheticData.gaussianClusters(
    classes: 3, dimension: 8, examplesPerClass: 100, using: &stream)
  let (train, test) = try all.split(validationFraction: 0.3, using: &stream)
  return try Benchmark.split(groups: groups).stream(
    data: [TrainTestData(train: train, test: test)], scenario: scenario, preprocessing: .none,
    streams: RandomStreams(seed: seed))
}

func makeTrainer(
  _ stream: TaskStream, architecture: String = "mlp:16", lr: Float = 0.05, batch: Int = 16,
  epochs: Int = 3, seed: UInt64 = 0,
  strategies: [any Strategy] = []
) throws -> Trainer {
  let model = try Architecture(parsing: architecture).build(
    input: stream.input, outputs: stream.outputCount)
  model.initialize(streams: RandomStreams(seed: seed))
  return try Trainer(
    model: model, optimizer: SGD(learningRate: lr, momentum: 0.9),
    config: TrainerConfig(batchSize: batch, epochs: epochs),
    stream: stream, strategies: strategies, streams: RandomStreams(seed: seed))
}

@Suite("Trainer")
struct TrainerTests {
  @Test("training separable clusters reaches high test accuracy and reports every epoch end")
  func learns() throws {
    let stream = try clusterStream()
    let trainer = try makeTrainer(stream)
    var epochs: [Int] = []
    let loss = try trainer.train(task: 0) { if $0.endsEpoch { epochs.append($0.epoch) } }
    #expect(epochs == [1, 2, 3])
    #expect(loss < 0.2)
    let accuracy = Evaluator(stream: stream, model: trainer.model).accuracy(
      task: 0, stage: 0, predictor: ModelPredictor(model: trainer.model))
    #expect(accuracy > 0.95)
  }

  @Test("a diverging run stops with a clear error and keeps finite parameters")
  func divergence() throws {
    let trainer = try makeTrainer(try clusterStream(), lr: 1e30)
    do {
      try trainer.train(task: 0)
      Issue.record("a learning rate of 1e30 did not diverge")
    } catch let error as TrainingError {
      guard case .nonFiniteLoss = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(error.description.contains("lower the learning rate"))
    }
    #expect(trainer.model.parameters.allSatisfy { $0.isFinite })
  }

  @Test("data that do not fit the model and bad settings are refused")
  func refusals() throws {
    let stream = try clusterStream()
    let model = try Architecture(parsing: "mlp:4").build(input: InputShape(features: 9), outputs: 3)
    #expect(throws: TrainingError.self) {
      try Trainer(
        model: model, optimizer: SGD(learningRate: 0.1), config: TrainerConfig(), stream: stream,
        streams: RandomStreams(seed: 0))
    }
    #expect(
      throws: TrainingError.invalidSetting(
        name: "batch", value: "0", allowed: "must lie in 1…1000000")
    ) {
      try makeTrainer(stream, batch: 0)
    }
  }

  @Test("iterations replace epochs, and the same seed reproduces the run bit for bit")
  func iterationsAndDeterminism() throws {
    let stream = try clusterStream()
    func run(seed: UInt64) throws -> [Float] {
      let model = try Architecture(parsing: "mlp:16").build(input: stream.input, outputs: 3)
      model.initialize(streams: RandomStreams(seed: seed))
      let trainer = try Trainer(
        model: model, optimizer: SGD(learningRate: 0.05, momentum: 0.9),
        config: TrainerConfig(batchSize: 8, iterations: 7),
        stream: stream, streams: RandomStreams(seed: seed))
      var steps: [Int] = []
      try trainer.train(task: 0) { steps.append($0.step) }
      #expect(steps.last == 7 && trainer.iteration == 7)
      return model.parameterArray
    }
    #expect(try run(seed: 3) == run(seed: 3))
    #expect(try run(seed: 3) != run(seed: 4))
  }

  @Test("integration: 2 epochs on 3 000 real Fashion-MNIST images beat 0.7 test accuracy")
  func fashionMNISTSlice() throws {
    try #require(Fixtures.hasFashionMNIST, "dataset-fashion-mnist is not installed")
    let data = try IDXDataset.load(
      directory: try Fixtures.fashionMNISTSlice(train: 3000, test: 1000))
    let stream = try Benchmark.split(groups: [Array(0..<10)]).stream(
      data: [data], scenario: .class, streams: RandomStreams(seed: 0))
    let trainer = try makeTrainer(stream, architecture: "mlp:100", lr: 0.01, batch: 128, epochs: 2)
    try trainer.train(task: 0)
    let accuracy = Evaluator(stream: stream, model: trainer.model).accuracy(
      task: 0, stage: 0, predictor: ModelPredictor(model: trainer.model))
    #expect(accuracy > 0.7)
  }
}
