import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

@testable import EngramContinual

/// Ten-class 8×8 images, 30 training and 10 test examples per class.
func tenClassImages(seed: UInt64 = 5) throws -> TrainTestData {
  var random = RandomStream(seed: seed)
  return TrainTestData(
    train: try SyntheticData.images(
      classes: 10, examplesPerClass: 30, side: 8, name: "images/train", using: &random),
    test: try SyntheticData.images(
      classes: 10, examplesPerClass: 10, side: 8, name: "images/test", using: &random))
}

@Suite("Long streams")
struct LongStreamTests {
  @Test("online permuted: each task its own permutation of a fresh subset of the shared data, same every read")
  func onlinePermuted() throws {
    let data = try tenClassImages()
    let stream = try LongStream.onlinePermuted(tasks: 300, examples: 40).stream(
      data: data, preprocessing: .none, streams: RandomStreams(seed: 1))
    #expect(stream.tasks.count == 300 && stream.outputCount == 10 && stream.scenario == .domain)
    #expect(stream.trainingViews.isGenerated)
    let first = stream.trainingViews[7]
    #expect(first == stream.trainingViews[7], "views are generated deterministically")
    #expect(first.count == 40 && Set(first.map(\.index)).count == 40)
    #expect(first.allSatisfy { $0.task == 7 } && first != stream.trainingViews[8])
    // Every task reads the one training set; only its transform differs.
    #expect(stream.tasks.allSatisfy { $0.train == data.train })
    let reader = StreamBatchReader(stream: stream)
    let a = Tensor(rows: 1, columns: 64)
    let b = Tensor(rows: 1, columns: 64)
    var labels: [Int32] = [0, 0]
    reader.read([ExampleReference(task: 0, index: 3)], into: a, start: 0, labels: &labels)
    reader.read([ExampleReference(task: 1, index: 3)], into: b, start: 0, labels: &labels[1])
    #expect(Array(a.buffer) != Array(b.buffer) && Array(a.buffer).sorted() == Array(b.buffer).sorted())
    #expect(labels[0] == labels[1] && labels[0] == data.train.labels[3])
    #expect(throws: TrainingError.self) {
      try LongStream.onlinePermuted(tasks: 2, examples: 301).stream(
        data: data, preprocessing: .none, streams: RandomStreams(seed: 1))
    }
  }

  @Test("label-permuted: the images stay, each task's labels are a permutation read through its map")
  func labelPermuted() throws {
    let data = try tenClassImages()
    let stream = try LongStream.labelPermuted(tasks: 4, examples: 50).stream(
      data: data, preprocessing: .none, streams: RandomStreams(seed: 2))
    let maps = stream.tasks.compactMap(\.labelMap)
    #expect(maps.count == 4 && maps.allSatisfy { Set($0) == Set((0..<10).map(Int32.init)) })
    #expect(Set(maps.map { $0.map(String.init).joined() }).count == 4)
    let reader = StreamBatchReader(stream: stream)
    let x = Tensor(rows: 10, columns: 64)
    var labels = [Int32](repeating: 0, count: 10)
    let examples = (0..<10).map { ExampleReference(task: 2, index: $0 * 30) }
    reader.read(examples, into: x, start: 0, labels: &labels)
    #expect(labels == examples.map { maps[2][Int(data.train.labels[$0.index])] })
  }

  @Test("pairs: two classes per task, labels 0 and 1, test views of both classes, a fresh head each task")
  func pairs() throws {
    let data = try tenClassImages()
    let stream = try LongStream.pairs(tasks: 6, examples: 12, testExamples: 5).stream(
      data: data, preprocessing: .none, streams: RandomStreams(seed: 3))
    #expect(stream.outputCount == 2)
    for t in 0..<6 {
      let classes = stream.tasks[t].sourceClasses
      #expect(classes.count == 2 && classes[0] != classes[1])
      let view = stream.trainingViews[t]
      #expect(view.count == 24)
      #expect(view.allSatisfy { classes.contains(Int(data.train.labels[$0.index])) })
      let test = stream.testIndices(task: t)
      #expect(test.count == 10 && test.allSatisfy { classes.contains(Int(data.test.labels[$0])) })
    }
    #expect(throws: TrainingError.self) {
      try LongStream.pairs(tasks: 2, examples: 31, testExamples: 5).stream(
        data: data, preprocessing: .none, streams: RandomStreams(seed: 3))
    }
    // The head is zeroed when each task begins.
    let model = try Architecture.mlp(hidden: [8]).build(input: stream.input, outputs: 2)
    model.initialize(streams: RandomStreams(seed: 1))
    var config = TrainerConfig(batchSize: 8)
    config.resetsHeadPerTask = true
    let trainer = try Trainer(
      model: model, optimizer: SGD(learningRate: 0.1, momentum: 0.9), config: config,
      stream: stream, streams: RandomStreams(seed: 1))
    try trainer.beginTask(0)
    try trainer.train(task: 0)
    let head = try #require(model.windows.last)
    #expect(model.parameters[head.offset..<(head.offset + head.count)].contains { $0 != 0 })
    try trainer.beginTask(1)
    #expect(model.parameters[head.offset..<(head.offset + head.count)].allSatisfy { $0 == 0 })
    #expect(model.parameters[0] != 0, "only the head is reset")
  }

  @Test("online accuracy is the accuracy of the logits before each step's update")
  func onlineAccuracy() throws {
    let data = try tenClassImages()
    let stream = try LongStream.onlinePermuted(tasks: 1, examples: 100).stream(
      data: data, preprocessing: .standardize, streams: RandomStreams(seed: 4))
    // With a zero learning rate nothing changes, so the online accuracy is the model's
    // accuracy on the task's training view.
    let model = try Architecture.mlp(hidden: [16]).build(input: stream.input, outputs: 10)
    model.initialize(streams: RandomStreams(seed: 4))
    let trainer = try Trainer(
      model: model, optimizer: SGD(learningRate: 0), config: TrainerConfig(batchSize: 7),
      stream: stream, streams: RandomStreams(seed: 4))
    try trainer.beginTask(0)
    try trainer.train(task: 0)
    let view = stream.trainingViews[0]
    let x = Tensor(rows: view.count, columns: 64)
    var labels = [Int32](repeating: 0, count: view.count)
    StreamBatchReader(stream: stream).read(view, into: x, start: 0, labels: &labels)
    model.prepare(batchCapacity: view.count)
    var predictions = [Int32](repeating: 0, count: view.count)
    SoftmaxCrossEntropy.predictions(
      logits: model.forward(x, mode: .inference), into: &predictions)
    let expected = Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(view.count)
    #expect(trainer.lastTaskOnline.seen == 100)
    #expect(abs(trainer.lastTaskOnline.accuracy - expected) < 1e-12)
  }

  @Test("a long-stream run reports online and task-end accuracy per task, no matrix, and resumes exactly")
  func runAndResume() throws {
    let data = try tenClassImages()
    func plan() throws -> ExperimentPlan {
      var p = ExperimentPlan(
        stream: try LongStream.onlinePermuted(tasks: 6, examples: 60).stream(
          data: data, preprocessing: .standardize, streams: RandomStreams(seed: 6)),
        architecture: .mlp(hidden: [16]),
        optimizer: .sgd(learningRate: 0.05, momentum: 0, weightDecay: 0),
        trainer: TrainerConfig(batchSize: 4, epochs: 1),
        strategies: [ContinualBackprop(replacementRate: 0.01, maturity: 5)], seed: 6)
      p.evaluation = .currentTask
      p.evaluationSubset = 50
      return p
    }
    let (whole, resumed) = try resumedFromEverySnapshot(plan, every: 5, label: "long")
    #expect(whole.accuracyMatrix.rows.isEmpty && whole.isLongStream)
    #expect(whole.onlineAccuracy?.count == 6 && whole.taskEndAccuracy?.count == 6)
    #expect(resumed.count >= 8)
    for (i, result) in resumed.enumerated() {
      #expect(result.onlineAccuracy == whole.onlineAccuracy, "snapshot \(i)")
      #expect(result.taskEndAccuracy == whole.taskEndAccuracy, "snapshot \(i)")
    }
  }

  @Test("a result stored before online accuracy existed still decodes")
  func olderResults() throws {
    let result = ExperimentResult(
      accuracyMatrix: AccuracyMatrix(rows: [[0.5]]), untrainedAccuracy: [], referenceAccuracy: nil,
      curves: nil, taskLosses: [1],
      cost: CostReport(
        seconds: 1, trainingSeconds: 1, evaluationSeconds: 0, trainingFLOPs: 1, peakMemoryBytes: 1,
        memoryBufferBytes: 0, parameterCount: 1))
    let json = try JSONEncoder().encode(result)
    #expect(!String(decoding: json, as: UTF8.self).contains("onlineAccuracy"))
    let back = try JSONDecoder().decode(ExperimentResult.self, from: json)
    #expect(back == result && back.onlineAccuracy == nil && !back.isLongStream)
  }
}

@Suite("Bit-flipping regression")
struct BitFlippingTests {
  @Test("each task is the 32 inputs of its slow bits; one slow bit flips per boundary; targets follow the LTU network")
  func stream() throws {
    let stream = try BitFlipping.stream(tasks: 5, examples: 100, streams: RandomStreams(seed: 1))
    #expect(stream.isRegression && stream.outputCount == 1 && stream.tasks.count == 5)
    var random = RandomStreams(seed: 1).stream("bit-flipping")
    let target = BitFlipping.Target(using: &random)
    var previous: [Float]?
    for task in stream.tasks {
      #expect(task.train.count == 32 && task.targets?.count == 32)
      guard case .floats(let x) = task.train.features else {
        Issue.record("features are floats")
        return
      }
      let slow = Array(x[0..<15])
      for k in 0..<32 {
        let row = Array(x[(k * 20)..<((k + 1) * 20)])
        #expect(Array(row[0..<15]) == slow)
        #expect(row[15..<20].enumerated().allSatisfy { Int($1) == (k >> $0) & 1 })
        #expect(task.targets?[k] == target.value(row))
      }
      if let previous { #expect(zip(previous, slow).filter { $0 != $1 }.count == 1) }
      previous = slow
    }
    #expect(stream.trainingViews[3].count == 100 && stream.trainingViews[3] == stream.trainingViews[3])
  }

  @Test("LTU thresholds: θ = β(m + 1) − S with S the unit's −1 weights")
  func thresholds() {
    var random = RandomStream(seed: 9)
    let target = BitFlipping.Target(using: &random)
    for i in 0..<BitFlipping.targetUnits {
      let negative = target.weights[(i * 21)..<((i + 1) * 21)].filter { $0 < 0 }.count
      #expect(abs(target.thresholds[i] - Float(0.7 * 21 - Double(negative))) < 1e-5)
    }
    // An input that agrees with a unit's +1 weights on every bit fires it.
    let weights = Array(target.weights[0..<20])
    let agreeing = weights.map { $0 > 0 ? Float(1) : 0 }
    var s = target.weights[20]
    for j in 0..<20 { s += weights[j] * agreeing[j] }
    #expect(s == Float(weights.filter { $0 > 0 }.count) + target.weights[20])
  }

  @Test("the online error is the pre-update squared error; labelled methods are refused")
  func onlineError() throws {
    let stream = try BitFlipping.stream(tasks: 1, examples: 50, streams: RandomStreams(seed: 2))
    let model = try Architecture.mlp(hidden: [5]).build(input: stream.input, outputs: 1)
    model.initialize(streams: RandomStreams(seed: 2))
    let trainer = try Trainer(
      model: model, optimizer: SGD(learningRate: 0), config: TrainerConfig(batchSize: 1),
      stream: stream, streams: RandomStreams(seed: 2))
    try trainer.beginTask(0)
    try trainer.train(task: 0)
    // With a zero learning rate: the mean squared error of the model over the view.
    let view = stream.trainingViews[0]
    var total = 0.0
    model.prepare(batchCapacity: 1)
    for example in view {
      let row = Array(stream.tasks[0].train.features.floatValues[(example.index * 20)..<((example.index + 1) * 20)])
      let y = model.forward(Tensor(rows: 1, columns: 20, values: row), mode: .inference).pointer[0]
      let d = Double(y - (stream.tasks[0].targets?[example.index] ?? 0))
      total += d * d
    }
    #expect(abs(trainer.lastTaskOnline.meanSquaredError - total / 50) < 1e-9)
    #expect(throws: TrainingError.self) {
      try Trainer(
        model: model, optimizer: SGD(learningRate: 0.01), config: TrainerConfig(batchSize: 1),
        stream: stream, strategies: [ExperienceReplay(capacity: 10)], streams: RandomStreams(seed: 2))
    }
    _ = try Trainer(
      model: model, optimizer: SGD(learningRate: 0.01), config: TrainerConfig(batchSize: 1),
      stream: stream, strategies: [ContinualBackprop(), L2Init()], streams: RandomStreams(seed: 2))
  }
}

extension Dataset.Features {
  /// The values of a float dataset.
  fileprivate var floatValues: [Float] {
    if case .floats(let values) = self { return values }
    return []
  }
}
