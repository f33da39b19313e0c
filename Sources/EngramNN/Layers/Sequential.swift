import EngramRandom

/// Layers applied one after another.
///
/// Keeps each child's output from the last forward pass: backward needs them, and
/// plasticity diagnostics read them as the network's hidden activations.
public final class Sequential: Layer {
  /// The children, first applied first.
  public let layers: [Layer]
  /// Each child's output from the last `forward` (views, valid until the next one).
  public private(set) var outputs: [Tensor] = []

  /// A chain of layers whose widths fit together.
  public init(_ layers: [Layer]) {
    precondition(!layers.isEmpty, "a Sequential needs at least one layer")
    for (a, b) in zip(layers, layers.dropFirst()) {
      precondition(
        a.outputWidth == b.inputWidth,
        "\(a.description) gives \(a.outputWidth) features but \(b.description) takes \(b.inputWidth)"
      )
    }
    self.layers = layers
  }

  public var description: String { layers.map(\.description).joined(separator: " → ") }
  public var inputWidth: Int { layers[0].inputWidth }
  public var outputWidth: Int { layers[layers.count - 1].outputWidth }
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {
    var offset = 0
    for layer in layers {
      layer.bind(parameters: parameters + offset, gradients: gradients + offset)
      offset += layer.parameterCount
    }
  }

  public func initialize(
    _ initializer: Initializer, weights: inout RandomStream, noise: inout RandomStream
  ) {
    for layer in layers { layer.initialize(initializer, weights: &weights, noise: &noise) }
  }

  public func prepare(batchCapacity: Int) {
    for layer in layers { layer.prepare(batchCapacity: batchCapacity) }
  }

  public func forward(_ x: Tensor, mode: Mode) -> Tensor {
    outputs.removeAll(keepingCapacity: true)
    var h = x
    for layer in layers {
      h = layer.forward(h, mode: mode)
      outputs.append(h)
    }
    return h
  }

  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    var gradient: Tensor? = dy
    for i in layers.indices.reversed() {
      guard let g = gradient else { break }
      let input = i == 0 ? x : outputs[i - 1]
      gradient = layers[i].backward(
        g, input: input, output: outputs[i], inputGradient: i > 0 || wanted)
    }
    return gradient
  }

  public func makeCopy() -> Layer { Sequential(layers.map { $0.makeCopy() }) }

  /// Backward that also adds each layer's per-example statistic into its window of
  /// `accumulator` (the flat parameter layout).
  func backward(
    _ dy: Tensor, input x: Tensor, statistic: PerExampleStatistic,
    into accumulator: UnsafeMutablePointer<Float>
  ) {
    var offsets: [Int] = []
    var offset = 0
    for layer in layers {
      offsets.append(offset)
      offset += layer.parameterCount
    }
    var gradient: Tensor? = dy
    for i in layers.indices.reversed() {
      guard let g = gradient else { break }
      let input = i == 0 ? x : outputs[i - 1]
      layers[i].accumulatePerExample(statistic, dy: g, input: input, into: accumulator + offsets[i])
      gradient =
        i > 0 ? layers[i].backward(g, input: input, output: outputs[i], inputGradient: true) : nil
    }
  }
}
