import EngramRandom
import Foundation

/// Utility-based perturbed gradient descent (Elsayed & Mahmood, ICLR 2024): SGD with noise
/// whose steps shrink on the weights that matter most, against forgetting and loss of
/// plasticity at once.
///
/// A weight's first-order utility is the loss increase from zeroing it, u = −g⊙w. Per weight,
/// Ũ ← β_u·Ũ + (1 − β_u)·u, Û = Ũ/(1 − β_uᵗ), and ū = σ(Û/η) with η = max Û over *all*
/// weights.
/// With ξ ~ N(0, σ²) drawn fresh each step (reference/plasticity.md §5):
/// - protecting: w ← w(1 − αλ) − α(g + ξ)⊙(1 − ū);
/// - non-protecting: w ← w(1 − αλ) − α(g + ξ⊙(1 − ū)).
///
/// Engram takes η from the bias-*corrected* Û. The official code (`mohmdelsayed/upgd`) takes
/// the max of the uncorrected Ũ, which makes Û/η larger by 1/(1 − β_uᵗ) and saturates ū near
/// 0 or 1 for the first ~1/(1 − β_u) steps. With the corrected max the correction cancels,
/// Û/η = Ũ/max Ũ, so no step count is kept. When max Ũ ≤ 0 (no weight is useful, e.g. all
/// gradients zero) the official code divides by zero or flips signs; Engram sets ū = σ(0) = ½,
/// the value a zero-utility weight gets otherwise and the limit as all utilities go to zero.
/// The max is taken before any weight moves, so the update does not depend on weight order.
public final class UPGD: Optimizer {
  /// α.
  public var learningRate: Float
  /// β_u, the utility trace's decay (0 in the official constructor; 0.9–0.9999 in its grids).
  public let beta: Float
  /// σ, the noise's standard deviation; 0 turns the noise off and draws nothing.
  public let sigma: Float
  /// λ, decoupled weight decay: w is scaled by 1 − αλ before the step.
  public let weightDecay: Float
  /// Whether ū also gates the gradient (UPGD) or only the noise (non-protecting UPGD).
  public let protecting: Bool
  private var trace: [Float] = []
  private var noise: RandomStream
  // Test hook: ξ itself (already scaled by σ), one value per weight, used instead of draws.
  var noiseOverride: [Float]?

  /// A UPGD optimiser.
  /// - Parameters:
  ///   - learningRate: α.
  ///   - beta: β_u.
  ///   - sigma: σ of the Gaussian perturbation.
  ///   - weightDecay: λ.
  ///   - protecting: `true` for UPGD, `false` for the non-protecting variant.
  ///   - seed: Seeds the optimiser's own noise stream.
  public init(
    learningRate: Float, beta: Float, sigma: Float, weightDecay: Float = 0, protecting: Bool = true,
    seed: UInt64
  ) {
    precondition((0..<1).contains(beta), "β_u must be in [0, 1)")
    self.learningRate = learningRate
    self.beta = beta
    self.sigma = sigma
    self.weightDecay = weightDecay
    self.protecting = protecting
    self.noise = RandomStream(seed: seed)
  }

  /// The settings, for checkpoints to match ("upgd(lr 0.01, beta 0.9, sigma 0.001, …)"); the
  /// seed is left out because the stream itself is saved.
  public var description: String {
    "upgd(lr \(learningRate), beta \(beta), sigma \(sigma), weight decay \(weightDecay), "
      + (protecting ? "protecting)" : "non-protecting)")
  }

  /// One update: traces and their max over all weights first, then every weight.
  public func step(
    parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>
  ) {
    let n = parameters.count
    if trace.count != n { trace = [Float](repeating: 0, count: n) }
    guard let w = parameters.baseAddress, let g = gradients.baseAddress else { return }
    let (lr, b, sd, protects) = (learningRate, beta, sigma, protecting)
    let decay = 1 - learningRate * weightDecay
    var stream = noise  // a local copy: no exclusivity check per draw
    defer { noise = stream }
    trace.withUnsafeMutableBufferPointer { tp in
      let u = tp.baseAddress!
      // Pass 1: the traces and their global max, before any weight changes.
      var largest = -Float.infinity
      for i in 0..<n {
        u[i] = b * u[i] + (1 - b) * (-g[i] * w[i])
        largest = max(largest, u[i])
      }
      // Û/η = Ũ/max Ũ; a zero inverse makes every ū = σ(0) when no utility is positive.
      let inverse: Float = largest > 0 ? 1 / largest : 0
      // Pass 2: the update, with ū = σ(Ũ/max Ũ) and ξ drawn in weight order.
      @inline(__always) func update(_ i: Int, _ xi: Float) {
        let gate = 1 - 1 / (1 + exp(-u[i] * inverse))
        let move = protects ? (g[i] + xi) * gate : g[i] + xi * gate
        w[i] = w[i] * decay - lr * move
      }
      if let supplied = noiseOverride {
        precondition(supplied.count == n, "noiseOverride needs one value per weight")
        for i in 0..<n { update(i, supplied[i]) }
      } else if sd == 0 {
        for i in 0..<n { update(i, 0) }
      } else {
        for i in 0..<n { update(i, Float(stream.nextGaussian()) * sd) }
      }
    }
  }

  /// Clears the utility traces; the noise stream continues, so noise is not replayed.
  public func reset() { trace = [] }

  /// Zeroes the utility trace of re-initialised weights: a fresh unit has earned no protection.
  public func forget(_ ranges: [Range<Int>]) {
    guard !trace.isEmpty else { return }
    for range in ranges { for i in range { trace[i] = 0 } }
  }

  /// The utility traces ("utility", once a step has run) and the noise stream ("noise": its
  /// four state words, each as four exact 16-bit Float pieces, most significant first).
  public var state: [String: [Float]] {
    var pieces: [Float] = []
    pieces.reserveCapacity(16)
    for word in noise.state {
      for shift in stride(from: 48, through: 0, by: -16) {
        pieces.append(Float((word >> UInt64(shift)) & 0xFFFF))
      }
    }
    return trace.isEmpty ? ["noise": pieces] : ["utility": trace, "noise": pieces]
  }

  /// Restores `state`; a state without "utility" (saved before the first step) clears the trace.
  /// - Throws: `ModelError.checkpointMismatch` for a trace of the wrong size or a missing,
  ///   malformed or all-zero noise state.
  public func restore(_ state: [String: [Float]], parameterCount: Int) throws {
    let pieces = try restoredArray(state, "noise", count: 16)
    var words: [UInt64] = []
    for k in 0..<4 {
      var word: UInt64 = 0
      for piece in pieces[(4 * k)..<(4 * k + 4)] {
        guard piece >= 0, piece <= 0xFFFF, piece == piece.rounded() else {
          throw ModelError.checkpointMismatch(
            file: "optimizer state", field: "noise", expected: "16-bit pieces",
            found: "\(piece)")
        }
        word = word << 16 | UInt64(piece)
      }
      words.append(word)
    }
    guard let restored = RandomStream(state: words) else {
      throw ModelError.checkpointMismatch(
        file: "optimizer state", field: "noise", expected: "a random stream state",
        found: "all zeros")
    }
    let utility =
      state["utility"] == nil ? [] : try restoredArray(state, "utility", count: parameterCount)
    noise = restored
    trace = utility
  }
}
