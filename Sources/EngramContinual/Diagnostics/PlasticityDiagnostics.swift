import EngramNN
import EngramRandom
import Foundation

/// What `--diagnostics` measures when each task ends, and on what.
public struct DiagnosticsSettings: Sendable, Equatable {
  /// τ: a hidden unit is dormant when its ReDo score s_i ≤ τ.
  public var dormancyThreshold: Double
  /// Probe examples: the first of the task's training view (LoP uses 2000 of the new task).
  public var probeExamples: Int
  /// Tasks between plasticity probes (the probe also runs after the first and last task).
  public var plasticityEvery: Int
  /// SGD steps (batch 16) the plasticity probe trains a copy of the network for.
  public var plasticitySteps: Int

  /// Settings; the defaults are ReDo's τ = 0.025, 1000 probe examples, a plasticity probe every
  /// 10 tasks of 100 steps.
  public init(
    dormancyThreshold: Double = 0.025, probeExamples: Int = 1000, plasticityEvery: Int = 10,
    plasticitySteps: Int = 100
  ) {
    self.dormancyThreshold = dormancyThreshold
    self.probeExamples = probeExamples
    self.plasticityEvery = plasticityEvery
    self.plasticitySteps = plasticitySteps
  }
}

/// The state of the network when a task ended (reference/plasticity.md §8): per hidden layer,
/// from its activations on probe examples of the task, and per parameterised layer, from its
/// weights and the probe loss's gradient.
public struct TaskDiagnostics: Sendable, Codable, Equatable {
  /// The task that ended.
  public var task: Int
  /// Per hidden layer: the fraction of units with ReDo score s ≤ τ.
  public var dormantFraction: [Double]
  /// Per hidden layer: the fraction of units that are 0 on every probe example.
  public var deadFraction: [Double]
  /// Per hidden layer: the effective rank (Roy & Vetterli) of the probe × units representation.
  public var effectiveRank: [Double]
  /// Per hidden layer: srank, the number of singular values holding 99 % of their sum.
  public var srank: [Int]
  /// Per hidden layer: the mean ‖φ(x)‖₂ over probe examples.
  public var featureNorm: [Double]
  /// Per parameterised layer: the mean |w| of its weights (biases excluded).
  public var weightMagnitude: [Double]
  /// Per parameterised layer: ‖∂L/∂θ‖₂ of the mean probe loss.
  public var gradientNorm: [Double]
  /// Accuracy a copy of the network reaches on a fixed fresh task in a fixed budget (nil when
  /// no probe ran at this task).
  public var plasticity: Double?

  /// Diagnostics of task `task` (the store and tests rebuild them; runs measure them).
  public init(
    task: Int, dormantFraction: [Double], deadFraction: [Double], effectiveRank: [Double],
    srank: [Int], featureNorm: [Double], weightMagnitude: [Double], gradientNorm: [Double],
    plasticity: Double?
  ) {
    self.task = task
    self.dormantFraction = dormantFraction
    self.deadFraction = deadFraction
    self.effectiveRank = effectiveRank
    self.srank = srank
    self.featureNorm = featureNorm
    self.weightMagnitude = weightMagnitude
    self.gradientNorm = gradientNorm
    self.plasticity = plasticity
  }

  /// Every value as (measure, layer, value), layer −1 for the whole network: the tidy rows the
  /// store and exports keep.
  public var measurements: [(measure: String, layer: Int, value: Double)] {
    let perLayer: [(String, [Double])] = [
      ("dormant_fraction", dormantFraction), ("dead_fraction", deadFraction),
      ("effective_rank", effectiveRank), ("srank", srank.map(Double.init)),
      ("feature_norm", featureNorm), ("weight_magnitude", weightMagnitude),
      ("gradient_norm", gradientNorm),
    ]
    return perLayer.flatMap { name, values in values.enumerated().map { (name, $0, $1) } }
      + (plasticity.map { [("plasticity", -1, $0)] } ?? [])
  }

  /// The mean of a per-layer measure over layers.
  public static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
  }
}

/// Measures `TaskDiagnostics` for a model and stream.
///
/// The probe passes leave the model's parameters and gradients as they were; the run counts
/// their forward and backward passes (and the plasticity probe's copy's) as evaluation, not
/// training.
final class PlasticityProbe {
  let settings: DiagnosticsSettings
  let stream: TaskStream
  let reader: StreamBatchReader
  let hidden: [HiddenLayer]
  /// The fixed fresh task of the plasticity probe: task 0's examples with permuted labels.
  let freshTask: (examples: [ExampleReference], labelMap: [Int32])
  private let inputs: Tensor
  private var labels: [Int32]

  /// A probe for `model` on `stream`.
  /// - Throws: `ModelError.invalidArchitecture` for a model without a hidden layer.
  init(settings: DiagnosticsSettings, model: Model, stream: TaskStream, seed: UInt64) throws {
    hidden = try model.requireHiddenLayers(for: "--diagnostics")
    self.settings = settings
    self.stream = stream
    reader = StreamBatchReader(stream: stream)
    var draws = RandomStreams(seed: seed).stream("plasticity-probe")
    var order = stream.trainingViews[0]
    draws.shuffle(&order)
    var map = (0..<Int32(stream.outputCount)).map { $0 }
    draws.shuffle(&map)
    // Enough examples for the probe's steps at batch 16, and a fifth more held out.
    freshTask = (Array(order.prefix(max(settings.plasticitySteps * 20, 100))), map)
    let capacity = max(settings.probeExamples, 16)
    inputs = Tensor(rows: capacity, columns: model.inputWidth)
    labels = [Int32](repeating: 0, count: capacity)
  }

  /// The diagnostics of `model` after task `task` of `taskCount`.
  func measure(model: Model, task: Int, taskCount: Int, learningRate: Float) throws
    -> TaskDiagnostics
  {
    let view = stream.trainingViews[task].prefix(settings.probeExamples)
    let n = view.count
    let x = inputs.prefix(rows: n)
    labels.withUnsafeMutableBufferPointer {
      reader.read(view, into: x, start: 0, labels: $0.baseAddress!)
    }
    model.prepare(batchCapacity: n)
    var result = TaskDiagnostics(
      task: task, dormantFraction: [], deadFraction: [], effectiveRank: [], srank: [],
      featureNorm: [], weightMagnitude: [], gradientNorm: [], plasticity: nil)
    let saved = Array(model.gradients)
    model.zeroGradients()
    let logits = model.forward(x, mode: .inference)
    for layer in hidden {
      let h = model.network.outputs[layer.activation]
      let scores = RepresentationMeasures.dormantScores(
        activations: h.pointer, count: n, width: layer.units)
      result.dormantFraction.append(
        RepresentationMeasures.dormantFraction(scores: scores, tau: settings.dormancyThreshold))
      result.deadFraction.append(
        Double(RepresentationMeasures.deadUnits(activations: h.pointer, count: n, width: layer.units))
          / Double(layer.units))
      let sigma = try RepresentationMeasures.singularValues(
        of: h.pointer, count: n, width: layer.units)
      result.effectiveRank.append(RepresentationMeasures.effectiveRank(sigma))
      result.srank.append(RepresentationMeasures.srank(sigma))
      var norms = 0.0
      for r in 0..<n {
        var squared = 0.0
        for i in 0..<layer.units {
          let v = Double(h.pointer[r * layer.units + i])
          squared += v * v
        }
        norms += squared.squareRoot()
      }
      result.featureNorm.append(norms / Double(n))
    }
    // The mean probe loss's gradient, among the task's evaluation units.
    let gradient = Tensor(rows: n, columns: model.outputWidth)
    labels.withUnsafeBufferPointer {
      _ = SoftmaxCrossEntropy.loss(
        logits: logits, labels: $0.baseAddress!,
        mask: stream.evaluationMask(task: task, stage: task), gradient: gradient)
    }
    model.backward(gradient)
    let theta = model.parameters
    let g = model.gradients
    for window in model.windows {
      let layer = model.network.layers[window.index]
      let weights = layer.parameterCount - layer.outputWidthOfBias
      var magnitude = 0.0
      for i in window.offset..<(window.offset + weights) { magnitude += Double(abs(theta[i])) }
      result.weightMagnitude.append(magnitude / Double(max(weights, 1)))
      var squared = 0.0
      for i in window.offset..<(window.offset + window.count) { squared += Double(g[i] * g[i]) }
      result.gradientNorm.append(squared.squareRoot())
    }
    saved.withUnsafeBufferPointer { model.gradients.baseAddress!.update(from: $0.baseAddress!, count: saved.count) }
    if task == 0 || task == taskCount - 1 || task % max(settings.plasticityEvery, 1) == 0 {
      result.plasticity = try plasticity(of: model, learningRate: learningRate)
    }
    return result
  }

  /// Trains a copy of `model` on the fixed fresh task for the probe's budget (plain SGD at the
  /// run's learning rate, batch 16) and returns its accuracy on the task's held-out fifth.
  func plasticity(of model: Model, learningRate: Float) throws -> Double {
    let copy = model.clone()
    let examples = freshTask.examples
    let held = max(examples.count / 5, 1)
    let train = Array(examples.dropLast(held))
    let test = Array(examples.suffix(held))
    let sgd = SGD(learningRate: learningRate)
    let batch = 16
    copy.prepare(batchCapacity: max(batch, held))
    let x = Tensor(rows: max(batch, held), columns: model.inputWidth)
    var y = [Int32](repeating: 0, count: max(batch, held))
    let gradient = Tensor(rows: batch, columns: model.outputWidth)
    let mask = OutputMask.only(Array(0..<stream.outputCount), of: model.outputWidth)
    for step in 0..<settings.plasticitySteps {
      let start = (step * batch) % max(train.count - batch + 1, 1)
      let rows = train[start..<min(start + batch, train.count)]
      readRelabelled(rows, into: x, labels: &y)
      copy.zeroGradients()
      let logits = copy.forward(x.prefix(rows: rows.count), mode: .training)
      let g = gradient.prefix(rows: rows.count)
      y.withUnsafeBufferPointer {
        _ = SoftmaxCrossEntropy.loss(logits: logits, labels: $0.baseAddress!, mask: mask, gradient: g)
      }
      copy.backward(g)
      sgd.step(parameters: copy.parameters, gradients: copy.gradients)
    }
    readRelabelled(test[...], into: x, labels: &y)
    var predicted = [Int32](repeating: 0, count: held)
    SoftmaxCrossEntropy.predictions(
      logits: copy.forward(x.prefix(rows: held), mode: .inference), mask: mask, into: &predicted)
    return Double(zip(predicted, y.prefix(held)).filter { $0 == $1 }.count) / Double(held)
  }

  private func readRelabelled(
    _ rows: ArraySlice<ExampleReference>, into x: Tensor, labels y: inout [Int32]
  ) {
    y.withUnsafeMutableBufferPointer { reader.read(rows, into: x, start: 0, labels: $0.baseAddress!) }
    for r in 0..<rows.count { y[r] = freshTask.labelMap[Int(y[r])] }
  }
}

extension Layer {
  /// Biases at the end of the layer's parameters (Linear: outputs; Conv2D: channels).
  var outputWidthOfBias: Int {
    if let linear = self as? Linear { return linear.outputWidth }
    if let conv = self as? Conv2D { return conv.outputChannels }
    return 0
  }
}
