import ArgumentParser
import EngramContinual
import EngramData
import EngramLab
import EngramLinalg
import EngramNN
import EngramRandom
import Foundation

/// Optimiser names on the command line.
enum OptimizerName: String, ExpressibleByArgument, CaseIterable, Codable {
  case sgd, adam
}

/// `engram train`: plain (non-continual) training and evaluation — the sanity baseline.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Train a network on one dataset and report test accuracy (the non-continual baseline).",
    discussion: """
      --json prints {"test_accuracy", "train_loss", "seconds", "config"}; train_loss is the \
      mean loss of the last epoch and seconds the wall time of training and evaluation.
      """)

  @Option(
    help: "fashion-mnist, a folder of four IDX files (raw or .gz), or a CSV file (label first).")
  var dataset: String = "fashion-mnist"

  @Option(help: "A folder of MNIST-format IDX files (the same as --dataset DIR).")
  var dataDir: String?

  @Option(help: "Architecture: mlp:W1,W2,… (e.g. mlp:400,400), linear, cnn, or cnn:C1,C2,H.")
  var model: String = "mlp:400,400"

  @Option(help: "Hidden nonlinearity: relu, elephant, or elephant:WIDTH,STEEPNESS,HEIGHT.")
  var activation: String = "relu"

  @Option(help: "sgd or adam.")
  var optimizer: OptimizerName = .sgd

  @Option(parsing: .unconditional, help: "Learning rate (default: 0.01 for sgd, 0.001 for adam).")
  var lr: Float?

  @Option(parsing: .unconditional, help: "SGD momentum.")
  var momentum: Float = 0.9

  @Option(parsing: .unconditional, help: "Weight decay (L2).")
  var weightDecay: Float = 0

  @Option(parsing: .unconditional, help: "Examples per step.")
  var batch: Int = 128

  @Option(parsing: .unconditional, help: "Passes over the training set.")
  var epochs: Int = 5

  @Option(
    help: "standardize (zero mean, unit variance from training statistics) or none ([0, 1] pixels)."
  )
  var preprocess: Preprocessing = .standardize

  @Option(parsing: .unconditional, help: "Seed for initialisation and data order.")
  var seed: UInt64 = 0

  @Option(parsing: .unconditional, help: "BLAS threads (results are bit-identical for a fixed seed and thread count).")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Save the trained model to this checkpoint file.")
  var save: String?

  @Flag(help: "Print one JSON object.")
  var json = false

  @Flag(help: "Replace --save even when it is not an Engram checkpoint.")
  var force = false

  struct Config: Encodable {
    let dataset: String
    let model: String
    let activation: String
    let optimizer: String
    let lr: Float
    let momentum: Float
    let weightDecay: Float
    let batch: Int
    let epochs: Int
    let preprocess: String
    let seed: UInt64
    let threads: Int
  }

  struct Report: Encodable {
    let testAccuracy: Double
    let trainLoss: Double
    let seconds: Double
    let config: Config
  }

  func validate() throws {
    try FlagCheck.seed(seed)
  }

  func run() throws {
    try reportingErrors {
      // The same table of types and ranges as engram run.
      let settings: [(String, ConfigValue)] = [
        ("momentum", .double(Double(momentum))), ("weight_decay", .double(Double(weightDecay))),
        ("batch", .int(batch)), ("epochs", .int(epochs)), ("threads", .int(threads)),
      ] + (lr.map { [("lr", ConfigValue.double(Double($0)))] } ?? [])
      for (key, value) in settings { try RunConfig.check(key, value) }
      if let save {
        // Checked before training: only an earlier checkpoint is replaced without --force.
        try OutputFile.check(
          URL(fileURLWithPath: save), marker: "ENGRAMCK", force: force,
          store: ResultsStore.defaultPath, flag: "--save")
      }
      BLASThreads.set(threads)
      let started = Date()
      let architecture = try Architecture(parsing: model)
      let hidden = try Activation.Kind(parsing: activation)
      if dataDir != nil, self.dataset != "fashion-mnist" {
        throw CommandError(message: "give --dataset or --data-dir, not both")
      }
      let dataset = dataDir ?? self.dataset
      let data = try DatasetResolver.load(dataset, seed: seed)
      let network = try architecture.build(
        input: InputShape(data.train), outputs: data.train.classCount, activation: hidden)
      let streams = RandomStreams(seed: seed)
      network.initialize(streams: streams)
      let rate = lr ?? (optimizer == .sgd ? 0.01 : 0.001)
      guard rate > 0, rate.isFinite else {
        throw CommandError(message: "--lr must be a positive number")
      }
      let step: Optimizer =
        optimizer == .sgd
        ? SGD(learningRate: rate, momentum: momentum, weightDecay: weightDecay)
        : Adam(learningRate: rate, weightDecay: weightDecay)
      // Plain training is a stream of one task holding every class.
      let stream = try Benchmark.split(groups: [Array(0..<data.train.classCount)]).stream(
        data: [data], scenario: .class, preprocessing: preprocess, streams: streams,
        name: data.train.name)
      let trainer = try Trainer(
        model: network, optimizer: step, config: TrainerConfig(batchSize: batch, epochs: epochs),
        stream: stream,
        streams: streams)
      let evaluator = Evaluator(stream: stream, model: network)
      let predictor = ModelPredictor(model: network)
      let log = ProgressReporter(label: "train")
      log.line(
        "\(architecture) on \(data.train.name): \(data.train.count) training, \(data.test.count) test examples, \(network.parameterCount) parameters"
      )
      var epochLoss = 0.0
      var epochSteps = 0
      let loss = try trainer.train(task: 0) { report in
        epochLoss += Double(report.loss)
        epochSteps += 1
        guard report.endsEpoch else { return }
        let accuracy = evaluator.accuracy(task: 0, stage: 0, predictor: predictor)
        log.line(
          String(
            format: "epoch %d/%d  loss %.4f  test accuracy %.4f  %.1f s", report.epoch, epochs,
            epochLoss / Double(epochSteps), accuracy, Date().timeIntervalSince(started)))
        epochLoss = 0
        epochSteps = 0
      }
      let accuracy = evaluator.accuracy(task: 0, stage: 0, predictor: predictor)
      let seconds = Date().timeIntervalSince(started)
      if let save {
        var checkpoint = Checkpoint()
        checkpoint.metadata["dataset"] = dataset
        network.save(into: &checkpoint, optimizer: step)
        try CheckpointFile.write(checkpoint, to: URL(fileURLWithPath: save))
      }
      let config = Config(
        dataset: dataset, model: architecture.description, activation: hidden.name, optimizer: optimizer.rawValue, lr: rate,
        momentum: momentum, weightDecay: weightDecay, batch: batch, epochs: epochs,
        preprocess: preprocess.rawValue, seed: seed, threads: threads)
      let report = Report(testAccuracy: accuracy, trainLoss: loss, seconds: seconds, config: config)
      if json { return try printJSON(report) }
      print(
        String(
          format: "test accuracy %.4f   final training loss %.4f   %.1f s", accuracy, loss, seconds)
      )
    }
  }
}
