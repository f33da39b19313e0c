import EngramNN
import EngramRandom
import Foundation

/// A quadratic pull toward stored parameters, Σᵢ wᵢ(θᵢ − θ*ᵢ)², shared by EWC, SI and MAS.
public struct ParameterAnchor: Sendable {
  /// θ* (the parameters to stay near).
  var center: [Float]
  /// Per-parameter weights (Fisher, Ω).
  var weights: [Float]

  /// The anchor as checkpoint state.
  public struct State: Codable, Sendable {
    var center: PackedFloats
    var weights: PackedFloats
  }

  init(center: [Float], weights: [Float]) {
    self.center = center
    self.weights = weights
  }

  /// An anchor from saved state, checked against the model's parameter count.
  init(_ state: State, parameters: Int) throws {
    center = try state.center.checked(count: parameters, field: "anchor.center")
    weights = try state.weights.checked(count: parameters, field: "anchor.weights")
  }

  /// The anchor as checkpoint state.
  var state: State { State(center: PackedFloats(center), weights: PackedFloats(weights)) }

  /// Σ wᵢ(θᵢ − θ*ᵢ)², and adds `gradientScale`·wᵢ(θᵢ − θ*ᵢ) into `gradient`.
  func penalty(
    at theta: UnsafeMutableBufferPointer<Float>, gradientScale: Float,
    into gradient: UnsafeMutableBufferPointer<Float>
  ) -> Double {
    var total = 0.0
    center.withUnsafeBufferPointer { c in
      weights.withUnsafeBufferPointer { w in
        for i in 0..<theta.count {
          let d = theta[i] - c[i]
          let wd = w[i] * d
          total += Double(wd * d)
          gradient[i] += gradientScale * wd
        }
      }
    }
    return total
  }
}

/// Averages Σₙ s(∂ℓₙ/∂θ) over examples: the diagonal Fisher (s = square, ℓ the log-loss of the
/// true or a sampled label) or MAS's importance (s = |·|, ℓ = ‖logits‖²).
enum Importance {
  /// What each example's output gradient is.
  enum Target {
    /// ∂(−log p(y|x))/∂z with y the true label (empirical Fisher).
    case trueLabel
    /// ∂(−log p(ŷ|x))/∂z with ŷ drawn from p(·|x) (the true Fisher, sampled).
    case sampledLabel
    /// ∂‖z‖²/∂z = 2z (MAS).
    case squaredNorm
  }

  static func estimate(
    _ target: Target, statistic: PerExampleStatistic, examples: [ExampleReference], model: Model,
    reader: StreamBatchReader, stage: Int, rng: inout RandomStream
  ) -> [Float] {
    var sum = [Float](repeating: 0, count: model.parameterCount)
    guard !examples.isEmpty else { return sum }
    let c = model.outputWidth
    let gradient = Tensor(rows: max(256, model.batchCapacity), columns: c)
    StreamPasses.forEachChunk(examples, model: model, reader: reader) { logits, labels, refs in
      let g = gradient.prefix(rows: refs.count)
      g.zero()
      for (r, ref) in refs.enumerated() {
        let z = logits.pointer + r * c
        let row = g.pointer + r * c
        if case .squaredNorm = target {
          for j in 0..<c { row[j] = 2 * z[j] }
          continue
        }
        let units = reader.stream.trainingUnits(example: ref.task, current: stage)
        let largest = units.map { z[$0] }.max() ?? 0
        let sumExp = units.reduce(Float(0)) { $0 + exp(z[$1] - largest) }
        var label = Int(labels[r])
        if case .sampledLabel = target {
          var u = Float(rng.nextUniform()) * sumExp
          label = units.last ?? label
          for unit in units {
            u -= exp(z[unit] - largest)
            if u <= 0 {
              label = unit
              break
            }
          }
        }
        for unit in units { row[unit] = exp(z[unit] - largest) / sumExp - (unit == label ? 1 : 0) }
      }
      sum.withUnsafeMutableBufferPointer {
        model.accumulatePerExample(statistic, outputGradient: g, into: $0)
      }
    }
    let n = Float(examples.count)
    return sum.map { $0 / n }
  }
}

/// A strategy whose whole state is one quadratic anchor (MAS, L2 Init): the anchor is its
/// checkpoint state and its memory, and its penalty λ·Σ wᵢ(θᵢ − θ*ᵢ)² is the loss term it adds.
protocol SingleAnchorStrategy: StatefulStrategy where State == ParameterAnchor.State? {
  /// The anchor, once there is one.
  var anchor: ParameterAnchor? { get set }
  /// λ.
  var lambda: Float { get }
  /// The name of the loss term (`mas`, `l2_init`).
  var lossName: String { get }
}

extension SingleAnchorStrategy {
  public var memoryBytes: Int { 8 * (anchor?.center.count ?? 0) }

  /// The anchor as checkpoint state (nil before there is one).
  public var state: ParameterAnchor.State? { anchor?.state }

  public mutating func restore(_ state: ParameterAnchor.State?, model: Model) throws {
    anchor = try state.map { try ParameterAnchor($0, parameters: model.parameterCount) }
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard let anchor else { return }
    let value = anchor.penalty(
      at: model.parameters, gradientScale: 2 * lambda, into: terms.parameterGradient)
    terms.record(lossName, Float(Double(lambda) * value))
  }
}
