import EngramNN
import EngramRandom
import Foundation

/// Continual backpropagation (Dohare et al., Nature 2024, "Loss of plasticity in deep continual
/// learning"): after every step, each fully connected hidden layer replaces a small fraction
/// of its mature, least useful units with freshly initialised ones (reference/plasticity.md §1).
///
/// Per hidden layer and step, in the order of the authors' code: every unit ages by one; the
/// running mean activation f ← ηf + (1−η)·mean_batch(h) is updated (mean-corrected and
/// adaptable utilities); the utility u ← ηu + (1−η)·y with
///
/// - contribution: y = mean_batch|h|·Σ_k|w_out,k|,
/// - mean-corrected: y = mean_batch|h − f̂|·Σ_k|w_out,k|, f̂ = f/(1−η^age),
/// - adaptable: the mean-corrected y divided by Σ_j|w_in,j|;
///
/// then units older than the maturity threshold m are eligible, a counter gains ρ·|eligible|,
/// and ⌊counter⌋ of them with the lowest bias-corrected utility û = u/(1−η^age) are replaced:
/// incoming row redrawn from the model's initialiser, bias 0, outgoing column 0 (the network's
/// function is unchanged at the moment of replacement), u = f = age = 0, and the optimiser's
/// state of the row, bias and column cleared. With the mean-corrected and adaptable
/// utilities the next layer's bias first absorbs the unit's mean contribution,
/// b_{l+1} += W_{l+1}[:, i]·f̂_i — the transfer the paper describes; the official `gnt.py`
/// zeroes f before reading it, so there it does nothing.
///
/// The counter is exact: ρ is taken as the decimal it is written as (1e-4 = 1/10 000) and
/// summed in integers, so ρ|E| = 0.25 fires at steps 4, 8, 12 (the ≥ rule of the code), never a
/// step late or early from rounding. ρ is per step, as in the paper (B = 1): with larger
/// batches a run replaces the same number of units per step, so scale ρ with B to keep the
/// replacements per example. Only fully connected hidden layers take part (`Model.hiddenLayers`).
public struct ContinualBackprop: StatefulStrategy {
  /// How a unit's usefulness is measured.
  public enum Utility: String, Sendable, CaseIterable, Codable {
    /// |h|·Σ|w_out| (Nature eq. 1).
    case contribution
    /// |h − f̂|·Σ|w_out|.
    case meanCorrected = "mean-corrected"
    /// The mean-corrected utility over Σ|w_in| (the default of the MNIST and ImageNet configs).
    case adaptable
  }

  /// ρ: replacements per eligible unit per step.
  public let replacementRate: Double
  /// m: steps before a unit may be replaced.
  public let maturity: Int
  /// η: the decay of the utility and mean-activation averages.
  public let decay: Float
  /// The utility.
  public let utility: Utility
  /// ρ as an exact fraction numerator / denominator.
  let rate: (numerator: Int, denominator: Int)
  var layers: [LayerState] = []
  var hidden: [HiddenLayer] = []
  /// Units replaced since the start, per hidden layer.
  public private(set) var replacements: [Int] = []

  /// One hidden layer's bookkeeping.
  struct LayerState: Codable, Sendable, Equatable {
    var utility: [Float]
    var meanActivation: [Float]
    var age: [Int32]
    /// Accumulated ρ|E|, in units of 1/denominator.
    var counter: Int
    var replaced: Int
  }

  /// A CBP strategy.
  public init(
    replacementRate: Double = 1e-4, maturity: Int = 100, decay: Float = 0.99,
    utility: Utility = .adaptable
  ) {
    self.replacementRate = replacementRate
    self.maturity = maturity
    self.decay = decay
    self.utility = utility
    rate = Self.fraction(replacementRate)
  }

  public var descriptor: MethodDescriptor { Self.descriptor }

  public var memoryBytes: Int { layers.reduce(0) { $0 + 12 * $1.age.count } }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    hidden = try model.requireHiddenLayers(for: "cbp")
    layers = hidden.map {
      LayerState(
        utility: [Float](repeating: 0, count: $0.units),
        meanActivation: [Float](repeating: 0, count: $0.units),
        age: [Int32](repeating: 0, count: $0.units), counter: 0, replaced: 0)
    }
    replacements = layers.map(\.replaced)
  }

  /// Per layer: utilities, mean activations, ages, the counter.
  public var state: [LayerStateCodable] { layers.map(LayerStateCodable.init) }

  public mutating func restore(_ state: [LayerStateCodable], model: Model) throws {
    guard state.count == hidden.count,
      zip(state, hidden).allSatisfy({ $0.age.count == $1.units && $0.utility.values.count == $1.units })
    else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: "cbp", expected: "\(hidden.map(\.units)) units per layer",
        found: "\(state.map(\.age.count))")
    }
    layers = state.map(\.layer)
    replacements = layers.map(\.replaced)
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    let outputs = model.network.outputs
    let theta = model.parameters
    for l in hidden.indices {
      let layer = hidden[l]
      let h = outputs[layer.activation]
      Self.updateUtilities(
        &layers[l], h: h.pointer, rows: h.rows, layer: layer, parameters: theta,
        decay: decay, utility: utility)
      var eligible = 0
      for a in layers[l].age where Int(a) > maturity { eligible += 1 }
      let fire = Self.advance(&layers[l].counter, eligible: eligible, rate: rate)
      guard fire > 0 else { continue }
      replace(layer: l, count: min(fire, eligible), model: model, rng: &rng)
    }
  }

  /// Ages units, updates f and u from a batch of activations `h` (rows × units).
  static func updateUtilities(
    _ state: inout LayerState, h: UnsafePointer<Float>, rows: Int, layer: HiddenLayer,
    parameters theta: UnsafeMutableBufferPointer<Float>, decay: Float, utility: Utility
  ) {
    let n = layer.units
    let keep = decay
    let add = 1 - decay
    let scale = 1 / Float(rows)
    for i in 0..<n {
      state.age[i] &+= 1
      var outgoing: Float = 0
      for k in 0..<layer.outgoingWidth { outgoing += abs(theta[layer.outgoingWeight(unit: i, output: k)]) }
      var magnitude: Float = 0
      switch utility {
      case .contribution:
        for r in 0..<rows { magnitude += abs(h[r * n + i]) }
        magnitude *= scale
      case .meanCorrected, .adaptable:
        var mean: Float = 0
        for r in 0..<rows { mean += h[r * n + i] }
        state.meanActivation[i] = keep * state.meanActivation[i] + add * mean * scale
        let corrected = state.meanActivation[i] / correction(decay, age: state.age[i])
        for r in 0..<rows { magnitude += abs(h[r * n + i] - corrected) }
        magnitude *= scale
      }
      var value = magnitude * outgoing
      if utility == .adaptable {
        var incoming: Float = 0
        let row = layer.incomingWeight(unit: i, input: 0)
        for j in 0..<layer.fanIn { incoming += abs(theta[row + j]) }
        value = incoming > 0 ? value / incoming : 0
      }
      state.utility[i] = keep * state.utility[i] + add * value
    }
  }

  /// 1 − η^age: the bias correction of an average started at zero (1 when η = 0).
  static func correction(_ decay: Float, age: Int32) -> Float {
    let c = 1 - pow(decay, Float(age))
    return c > 0 ? c : 1
  }

  /// û = u / (1 − η^age) of every unit of a layer.
  static func correctedUtilities(_ state: LayerState, decay: Float) -> [Float] {
    zip(state.utility, state.age).map { $0 / correction(decay, age: $1) }
  }

  /// Adds ρ·eligible to the counter and takes out the whole replacements it now holds (≥ 1).
  static func advance(
    _ counter: inout Int, eligible: Int, rate: (numerator: Int, denominator: Int)
  ) -> Int {
    counter += rate.numerator * eligible
    let fire = counter / rate.denominator
    counter -= fire * rate.denominator
    return fire
  }

  /// `value` as numerator / 10^k from its shortest decimal text, so the counter is exact.
  static func fraction(_ value: Double) -> (numerator: Int, denominator: Int) {
    var numerator = 0
    var denominator = 1
    let text = String(format: "%.12f", value)
    var afterPoint = false
    for ch in text {
      if ch == "." {
        afterPoint = true
        continue
      }
      guard let digit = ch.wholeNumberValue else { continue }
      numerator = numerator * 10 + digit
      if afterPoint { denominator *= 10 }
    }
    // Drop trailing zeros so that the numbers stay small.
    while denominator > 1, numerator % 10 == 0 {
      numerator /= 10
      denominator /= 10
    }
    return (numerator, denominator)
  }

  /// Replaces the `count` eligible units of layer `l` with the lowest bias-corrected utility.
  mutating func replace(layer l: Int, count: Int, model: Model, rng: inout RandomStream) {
    let layer = hidden[l]
    let corrected = Self.correctedUtilities(layers[l], decay: decay)
    let chosen = layers[l].age.indices.filter { Int(layers[l].age[$0]) > maturity }
      .sorted { corrected[$0] < corrected[$1] || (corrected[$0] == corrected[$1] && $0 < $1) }
      .prefix(count)
    let theta = model.parameters
    for i in chosen {
      if utility != .contribution {
        let mean = layers[l].meanActivation[i] / Self.correction(decay, age: layers[l].age[i])
        for k in 0..<layer.outgoingWidth {
          theta[layer.outgoingBias(k)] += theta[layer.outgoingWeight(unit: i, output: k)] * mean
        }
      }
      model.reinitialize(unit: i, of: layer, using: &rng)
      layers[l].utility[i] = 0
      layers[l].meanActivation[i] = 0
      layers[l].age[i] = 0
      if utility != .contribution {
        // The outgoing bias moved: its optimiser state describes the old bias no more than
        // the column's does.
        model.markReinitialized([layer.outgoingBias(0)..<(layer.outgoingBias(0) + layer.outgoingWidth)])
      }
    }
    layers[l].replaced += chosen.count
    replacements[l] = layers[l].replaced
  }
}

extension ContinualBackprop {
  /// A layer's state as saved in checkpoints (floats as raw bytes).
  public struct LayerStateCodable: Codable, Sendable {
    var utility: PackedFloats
    var meanActivation: PackedFloats
    var age: [Int32]
    var counter: Int
    var replaced: Int

    init(_ layer: LayerState) {
      utility = PackedFloats(layer.utility)
      meanActivation = PackedFloats(layer.meanActivation)
      age = layer.age
      counter = layer.counter
      replaced = layer.replaced
    }

    var layer: LayerState {
      LayerState(
        utility: utility.values, meanActivation: meanActivation.values, age: age,
        counter: counter, replaced: replaced)
    }
  }

  /// The hyperparameters `cbp` reads.
  public enum Parameters {
    /// ρ.
    public static let rate = Hyperparameter<Double>(
      "cbp_rate", default: 1e-4, in: 1e-9...1,
      "CBP replacement rate ρ per eligible unit per step (scale with the batch size)")
    /// m.
    public static let maturity = Hyperparameter<Int>(
      "cbp_maturity", default: 100, in: 0...1_000_000_000,
      "CBP maturity threshold: steps before a unit may be replaced")
    /// η.
    public static let decay = Hyperparameter<Float>(
      "cbp_decay", default: 0.99, in: 0...0.999999, "CBP decay η of the utility averages")
    /// The utility.
    public static let utility = Hyperparameter<Utility>(
      "cbp_utility", default: .adaptable, "CBP utility: contribution, mean-corrected or adaptable")
  }

  /// `--strategy cbp`.
  public static let descriptor = MethodDescriptor(
    name: "cbp",
    summary: "Continual backprop: replace mature low-utility units each step (Dohare et al. 2024)",
    parameters: [
      Parameters.rate.spec, Parameters.maturity.spec, Parameters.decay.spec, Parameters.utility.spec,
    ], needsStoredData: false, usesLabels: false,
    build: { s in
      ContinualBackprop(
        replacementRate: s[Parameters.rate], maturity: s[Parameters.maturity],
        decay: s[Parameters.decay], utility: s[Parameters.utility])
    })
}
