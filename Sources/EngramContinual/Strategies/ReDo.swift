import EngramNN
import EngramRandom

/// ReDo, recycling dormant neurons (Sokar et al., ICML 2023, "The Dormant Neuron Phenomenon in
/// Deep Reinforcement Learning"; reference/plasticity.md §2).
///
/// Every F steps, each fully connected hidden layer scores its units, s_i = E|h_i| / ((1/H)·
/// Σ_k E|h_k| + 1e-9), and recycles the τ-dormant ones (s_i ≤ τ): incoming weights redrawn from
/// the model's initialiser, bias 0, outgoing weights 0, and the optimiser's state of those
/// weights cleared (Adam's shared step count is kept, as in the dopamine code). The output
/// layer is never recycled.
///
/// E|h| is the mean over every input the layer saw since the last recycle (all rows of the last
/// F steps), not over one probe batch: at the small batches of long streams (B = 1) a single
/// batch says nothing about which units are dormant, and the running sum costs one add per unit
/// per row. Defaults F = 1000, τ = 0.025 (the paper's DQN setting).
public struct ReDo: StatefulStrategy {
  /// τ.
  public let threshold: Double
  /// F.
  public let every: Int
  var hidden: [HiddenLayer] = []
  var window = Window()
  /// Units recycled since the start, per hidden layer.
  public private(set) var recycled: [Int] = []

  /// What was seen since the last recycle (saved in checkpoints).
  public struct Window: Codable, Sendable, Equatable {
    /// Per layer, Σ|h| per unit.
    var sums: [[Double]] = []
    /// Rows summed.
    var rows = 0
    /// Steps since the last recycle.
    var steps = 0
    /// Units recycled so far per layer.
    var recycled: [Int] = []
  }

  /// A ReDo strategy.
  public init(threshold: Double = 0.025, every: Int = 1000) {
    self.threshold = threshold
    self.every = every
  }

  public var descriptor: MethodDescriptor { Self.descriptor }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    hidden = try model.requireHiddenLayers(for: "redo")
    window = Window(
      sums: hidden.map { [Double](repeating: 0, count: $0.units) }, rows: 0, steps: 0,
      recycled: hidden.map { _ in 0 })
    recycled = window.recycled
  }

  /// The window since the last recycle.
  public var state: Window { window }

  public mutating func restore(_ state: Window, model: Model) throws {
    guard state.sums.map(\.count) == hidden.map(\.units), state.recycled.count == hidden.count
    else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: "redo", expected: "\(hidden.map(\.units)) units per layer",
        found: "\(state.sums.map(\.count))")
    }
    window = state
    recycled = state.recycled
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    let outputs = model.network.outputs
    var rows = 0
    for (l, layer) in hidden.enumerated() {
      let h = outputs[layer.activation]
      rows = h.rows
      let n = layer.units
      window.sums[l].withUnsafeMutableBufferPointer { sum in
        for r in 0..<h.rows {
          let row = h.pointer + r * n
          for i in 0..<n { sum[i] += Double(abs(row[i])) }
        }
      }
    }
    window.rows += rows
    window.steps += 1
    guard window.steps >= every else { return }
    for (l, layer) in hidden.enumerated() {
      let means = window.sums[l].map { $0 / Double(max(window.rows, 1)) }
      let dormant = RepresentationMeasures.dormantUnits(
        scores: RepresentationMeasures.dormantScores(means: means), tau: threshold)
      recycle(dormant, layer: layer, model: model, rng: &rng)
      window.recycled[l] += dormant.count
      window.sums[l] = [Double](repeating: 0, count: layer.units)
    }
    window.rows = 0
    window.steps = 0
    recycled = window.recycled
  }

  private func recycle(
    _ units: [Int], layer: HiddenLayer, model: Model, rng: inout RandomStream
  ) {
    for i in units { model.reinitialize(unit: i, of: layer, using: &rng) }
  }

}

extension ReDo {
  /// The hyperparameters `redo` reads.
  public enum Parameters {
    /// τ.
    public static let threshold = Hyperparameter<Double>(
      "redo_tau", default: 0.025, in: 0...1,
      "ReDo dormancy threshold τ: units with score s ≤ τ are recycled")
    /// F.
    public static let every = Hyperparameter<Int>(
      "redo_every", default: 1000, in: 1...1_000_000_000, "ReDo: steps between recycles")
  }

  /// `--strategy redo`.
  public static let descriptor = MethodDescriptor(
    name: "redo",
    summary: "ReDo: recycle τ-dormant hidden units every F steps (Sokar et al. 2023)",
    parameters: [Parameters.threshold.spec, Parameters.every.spec], needsStoredData: false, usesLabels: false,
    build: { s in ReDo(threshold: s[Parameters.threshold], every: s[Parameters.every]) })
}
