import EngramIO
import EngramRandom

/// Counts the examples models push through forward and backward passes, for compute
/// accounting. Clones share their original's meter.
public final class ComputeMeter: @unchecked Sendable {
  /// Examples through forward passes.
  public var forwardExamples = 0
  /// Examples through backward passes.
  public var backwardExamples = 0
  /// Multiply-accumulates per example of a forward pass.
  public let macsPerExample: Int

  init(macsPerExample: Int) {
    self.macsPerExample = macsPerExample
  }

  /// Training-style FLOPs: 2 per MAC forward, 4 per MAC backward (weights and inputs).
  public var flops: Double {
    2 * Double(macsPerExample) * (Double(forwardExamples) + 2 * Double(backwardExamples))
  }
}

/// A network with all its parameters in one flat buffer and all gradients in another.
///
/// Layer i's parameters are the window `windows[i]` of `parameters` (weights then bias), so
/// methods that treat the network as one vector (EWC, SI, GEM, A-GEM) read and write the
/// buffers directly, and the optimiser updates every parameter in one loop. `forward` keeps
/// what `backward` needs; `backward` adds into `gradients`, which `zeroGradients` clears.
public final class Model {
  /// The architecture this model was built from.
  public let architecture: Architecture
  /// The layers.
  public let network: Sequential
  /// Number of parameters.
  public let parameterCount: Int
  private let parameterStorage: TensorStorage
  private let gradientStorage: TensorStorage
  private var lastInput: Tensor?
  private var lastOutput: Tensor?
  /// The largest batch `forward` accepts (grown by `prepare(batchCapacity:)`).
  public private(set) var batchCapacity = 0
  /// Counts examples through forward and backward passes (shared with clones).
  public private(set) var meter: ComputeMeter
  /// Parameters re-initialised (by CBP, ReDo, a head reset) whose optimiser state the trainer
  /// has not yet cleared.
  public private(set) var reinitialized: [Range<Int>] = []

  /// A model from layers; parameters are zero until `initialize`.
  public init(architecture: Architecture, layers: [Layer]) {
    self.architecture = architecture
    network = Sequential(layers)
    parameterCount = network.parameterCount
    meter = ComputeMeter(macsPerExample: layers.reduce(0) { $0 + $1.multiplyAccumulates })
    parameterStorage = TensorStorage(capacity: parameterCount)
    gradientStorage = TensorStorage(capacity: parameterCount)
    network.bind(parameters: parameterStorage.base, gradients: gradientStorage.base)
  }

  /// All parameters, flat (layer by layer; weights then bias).
  public var parameters: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: parameterStorage.base, count: parameterCount)
  }

  /// All gradients, in the order of `parameters`.
  public var gradients: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: gradientStorage.base, count: parameterCount)
  }

  /// Features per input example.
  public var inputWidth: Int { network.inputWidth }
  /// Outputs (logits) per example.
  public var outputWidth: Int { network.outputWidth }

  /// The nonlinearity after the hidden layers (ReLU when there is none).
  public var hiddenActivation: Activation.Kind {
    network.layers.lazy.compactMap { ($0 as? Activation)?.kind }.first ?? .relu
  }

  /// Where each layer's parameters sit in the flat buffers (layers without parameters omitted).
  public var windows: [ParameterWindow] {
    var offset = 0
    var result: [ParameterWindow] = []
    for (i, layer) in network.layers.enumerated() where layer.parameterCount > 0 {
      result.append(
        ParameterWindow(
          layer: layer.description, index: i, offset: offset, count: layer.parameterCount))
      offset += layer.parameterCount
    }
    return result
  }

  /// The initialiser of the last `initialize` (what `freshParameters` draws with).
  public private(set) var initializer: Initializer = .kaimingUniform

  /// Draws initial parameters from stream `.initialization` (and seeds dropout from `.noise`).
  public func initialize(_ initializer: Initializer = .kaimingUniform, streams: RandomStreams) {
    var weights = streams.stream(.initialization)
    var noise = streams.stream(.noise)
    network.initialize(initializer, weights: &weights, noise: &noise)
    self.initializer = initializer
  }

  /// A fresh draw of initial parameters (the last `initialize`'s initialiser, each layer's
  /// fan-in) from `seed`, as one flat vector; the model's parameters and dropout streams are
  /// left as they were. Shrink and perturb mixes such a draw into a trained network.
  public func freshParameters(seed: UInt64) -> [Float] {
    let current = Array(parameters)
    let dropouts = network.layers.compactMap { $0 as? Dropout }
    let streams = dropouts.map(\.noiseState)
    var weights = RandomStream(seed: seed)
    var noise = RandomStream(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
    network.initialize(initializer, weights: &weights, noise: &noise)
    let fresh = Array(parameters)
    for i in 0..<current.count { parameters[i] = current[i] }
    for (dropout, state) in zip(dropouts, streams) { dropout.noiseState = state }
    return fresh
  }

  /// Makes room for batches of up to `batchCapacity` examples, after checking that the
  /// activations, their gradients and workspace (about three floats per unit per example) fit.
  /// - Throws: `MemoryLimitError` naming the batch.
  public func checkedPrepare(batchCapacity: Int) throws {
    let units = CheckedSize.sum([inputWidth] + network.layers.map { Optional($0.outputWidth) })
    try MemoryLimit.check(
      count: CheckedSize.product(batchCapacity, units, 3), bytesEach: 4,
      for: "batches of \(batchCapacity) examples through \(architecture)")
    prepare(batchCapacity: batchCapacity)
  }

  /// Makes room for batches of up to `batchCapacity` examples (never shrinks).
  public func prepare(batchCapacity: Int) {
    guard batchCapacity > self.batchCapacity else { return }
    network.prepare(batchCapacity: batchCapacity)
    self.batchCapacity = batchCapacity
  }

  /// The logits for a batch (a view, valid until the next forward).
  public func forward(_ x: Tensor, mode: Mode = .training) -> Tensor {
    precondition(x.columns == inputWidth, "model takes \(inputWidth) features, got \(x.columns)")
    precondition(
      x.rows <= batchCapacity, "batch of \(x.rows) exceeds the prepared capacity \(batchCapacity)")
    let y = network.forward(x, mode: mode)
    meter.forwardExamples += x.rows
    lastInput = x
    lastOutput = y
    return y
  }

  /// Adds dL/dθ for the last forward's batch into `gradients`, given dL/dlogits.
  /// The input gradient is not computed (nothing upstream needs it).
  public func backward(_ outputGradient: Tensor) {
    guard let x = lastInput, let y = lastOutput else {
      preconditionFailure("backward before forward")
    }
    _ = network.backward(outputGradient, input: x, output: y, inputGradient: false)
    meter.backwardExamples += x.rows
  }

  /// Adds Σₙ s(∂ℓₙ/∂θ) over the last forward's examples into `accumulator` (flat layout),
  /// given per-example output gradients (row n = ∂ℓₙ/∂logitsₙ, not divided by the batch).
  /// `gradients` are left untouched.
  public func accumulatePerExample(
    _ statistic: PerExampleStatistic, outputGradient: Tensor,
    into accumulator: UnsafeMutableBufferPointer<Float>
  ) {
    guard let x = lastInput, let base = accumulator.baseAddress else {
      preconditionFailure("statistic before forward")
    }
    precondition(
      accumulator.count == parameterCount, "accumulator must hold \(parameterCount) values")
    // The layers' backward also adds into `gradients`; keep the caller's gradient intact.
    let saved = Array(gradients)
    network.backward(outputGradient, input: x, statistic: statistic, into: base)
    meter.backwardExamples += x.rows
    saved.withUnsafeBufferPointer {
      gradients.baseAddress?.update(from: $0.baseAddress!, count: parameterCount)
    }
  }

  /// Records that the parameters in `ranges` were given fresh values, so that the trainer
  /// clears their optimiser state (momentum, Adam moments) before the next step.
  public func markReinitialized(_ ranges: [Range<Int>]) {
    reinitialized += ranges
  }

  /// The ranges marked since the last call, which are forgotten here.
  public func takeReinitialized() -> [Range<Int>] {
    defer { reinitialized.removeAll(keepingCapacity: true) }
    return reinitialized
  }

  /// Sets every gradient to zero.
  public func zeroGradients() {
    gradients.update(repeating: 0)
  }

  /// Each layer's output from the last forward, with its description.
  public var activations: [(layer: String, values: Tensor)] {
    zip(network.layers, network.outputs).map { ($0.description, $1) }
  }

  /// The representation the last layer reads (its input) from the last forward: the
  /// penultimate features used by herding and nearest-mean classifiers.
  public var penultimate: Tensor? {
    let outputs = network.outputs
    return outputs.count >= 2 ? outputs[outputs.count - 2] : lastInput
  }

  /// Counts this model's passes on `other`'s meter (a fresh network trained on a run's
  /// behalf, such as GDumb's, belongs to the run's compute).
  public func shareMeter(with other: Model) {
    meter = other.meter
  }

  /// A copy with the same architecture and parameters, prepared for the same batch size.
  public func clone() -> Model {
    let copy = Model(architecture: architecture, layers: network.layers.map { $0.makeCopy() })
    copy.meter = meter
    copy.parameters.update(fromContentsOf: parameters)
    copy.prepare(batchCapacity: batchCapacity)
    return copy
  }

  /// Copies the parameters of a model of the same architecture.
  public func copyParameters(from other: Model) {
    precondition(other.parameterCount == parameterCount, "models differ in size")
    parameters.update(fromContentsOf: other.parameters)
  }

  /// The parameters as an array (a snapshot).
  public var parameterArray: [Float] { Array(parameters) }
}

extension UnsafeMutableBufferPointer where Element == Float {
  fileprivate func update(fromContentsOf other: UnsafeMutableBufferPointer<Float>) {
    guard let base = baseAddress, let from = other.baseAddress else { return }
    base.update(from: from, count: Swift.min(count, other.count))
  }
}
