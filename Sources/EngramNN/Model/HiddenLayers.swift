import EngramRandom

/// A fully connected hidden layer of a model: a `Linear` whose units, after one activation, feed
/// the next `Linear`. Plasticity methods (CBP, ReDo) replace its units; diagnostics read its
/// activations.
public struct HiddenLayer: Sendable, Equatable {
  /// Index of the incoming `Linear` in `model.network.layers`.
  public let incoming: Int
  /// Index of the activation whose output is the layer's representation h.
  public let activation: Int
  /// Index of the outgoing `Linear`.
  public let outgoing: Int
  /// Number of units.
  public let units: Int
  /// Inputs per unit (the incoming layer's fan-in).
  public let fanIn: Int
  /// Outputs of the outgoing layer.
  public let outgoingWidth: Int
  /// Offset of the incoming weights (units × fanIn, then units biases) in the flat parameters.
  public let incomingOffset: Int
  /// Offset of the outgoing weights (outgoingWidth × units, then biases) in the flat parameters.
  public let outgoingOffset: Int

  /// Flat index of incoming weight (unit, input).
  public func incomingWeight(unit: Int, input: Int) -> Int { incomingOffset + unit * fanIn + input }
  /// Flat index of unit's bias.
  public func bias(unit: Int) -> Int { incomingOffset + units * fanIn + unit }
  /// Flat index of the outgoing weight from `unit` to output `k`.
  public func outgoingWeight(unit: Int, output k: Int) -> Int { outgoingOffset + k * units + unit }
  /// Flat index of the outgoing layer's bias `k`.
  public func outgoingBias(_ k: Int) -> Int { outgoingOffset + outgoingWidth * units + k }

  /// Every flat parameter of `unit`: its incoming row and bias, and its outgoing column.
  public func parameterRanges(unit: Int) -> [Range<Int>] {
    let row = incomingWeight(unit: unit, input: 0)
    return [row..<(row + fanIn), bias(unit: unit)..<(bias(unit: unit) + 1)]
      + (0..<outgoingWidth).map { outgoingWeight(unit: unit, output: $0) }.map { $0..<($0 + 1) }
  }
}

extension Model {
  /// The fully connected hidden layers, input side first: each `Linear` followed by an
  /// activation and then (through layers without parameters that keep the width, such as
  /// dropout) another `Linear`. Convolutional layers are not listed.
  public var hiddenLayers: [HiddenLayer] {
    let layers = network.layers
    var offsets: [Int] = []
    var offset = 0
    for layer in layers {
      offsets.append(offset)
      offset += layer.parameterCount
    }
    var result: [HiddenLayer] = []
    for (i, layer) in layers.enumerated() {
      guard let linear = layer as? Linear, i + 1 < layers.count, layers[i + 1] is Activation
      else { continue }
      var j = i + 2
      while j < layers.count, layers[j].parameterCount == 0,
        layers[j].outputWidth == linear.outputWidth, !(layers[j] is Activation)
      {
        j += 1
      }
      guard j < layers.count, let next = layers[j] as? Linear,
        next.inputWidth == linear.outputWidth
      else { continue }
      result.append(
        HiddenLayer(
          incoming: i, activation: i + 1, outgoing: j, units: linear.outputWidth,
          fanIn: linear.inputWidth, outgoingWidth: next.outputWidth, incomingOffset: offsets[i],
          outgoingOffset: offsets[j]))
    }
    return result
  }
}

extension Model {
  /// Gives `unit` of hidden layer `layer` a fresh start: its incoming row drawn from the model's
  /// initialiser, its bias and outgoing column zero (so the new unit adds nothing to the output
  /// yet), and its parameters marked for the optimiser to forget. CBP and ReDo replace units so.
  public func reinitialize(unit: Int, of layer: HiddenLayer, using rng: inout RandomStream) {
    let theta = parameters
    let row = layer.incomingWeight(unit: unit, input: 0)
    initializer.fill(
      weights: theta.baseAddress! + row, count: layer.fanIn, bias: nil, biasCount: 0,
      fanIn: layer.fanIn, fanOut: layer.units, using: &rng)
    theta[layer.bias(unit: unit)] = 0
    for k in 0..<layer.outgoingWidth { theta[layer.outgoingWeight(unit: unit, output: k)] = 0 }
    markReinitialized(layer.parameterRanges(unit: unit))
  }

  /// The hidden layers, or an error naming `method` for a model that has none.
  /// - Throws: `ModelError.invalidArchitecture`.
  public func requireHiddenLayers(for method: String) throws -> [HiddenLayer] {
    let layers = hiddenLayers
    guard !layers.isEmpty else {
      throw ModelError.invalidArchitecture(
        architecture.description,
        problem: "\(method) needs fully connected hidden layers and this model has none")
    }
    return layers
  }
}
