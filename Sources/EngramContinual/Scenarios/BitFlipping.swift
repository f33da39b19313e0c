import EngramData
import EngramRandom

/// Dohare et al.'s slowly-changing regression problem, "bit-flipping" (reference/plasticity.md
/// §9): 20 input bits, of which the first 15 change slowly — one of them flips at every task
/// boundary (every `examples` steps) — and the last 5 are drawn afresh at every step. The target
/// is a fixed network of 100 linear threshold units with ±1 input weights (and bias weight),
/// thresholds θ_i = β·(m + 1) − S_i (m = 20 inputs, S_i the number of −1 weights of unit i,
/// β = 0.7), summed with ±1 output weights.
///
/// Within a task only the 5 fast bits vary, so a task is its 32 distinct inputs and their
/// targets; which of them each step sees is drawn on demand (with replacement), so the full
/// problem — 100 tasks of 10 000 steps — holds 100 × 32 inputs. Engram flips one bit per
/// boundary (the paper's `flip_one`; the repository's default config redraws all 15).
public enum BitFlipping {
  /// Input bits.
  public static let bits = 20
  /// Bits that flip slowly.
  public static let slowBits = 15
  /// Units of the target network.
  public static let targetUnits = 100
  /// β of the thresholds.
  public static let beta = 0.7

  /// The fixed target network: weights (units × (bits + 1), the last column the bias), output
  /// weights and thresholds.
  public struct Target: Sendable {
    /// ±1 input weights, row-major, bias last.
    public let weights: [Float]
    /// ±1 output weights.
    public let outputs: [Float]
    /// θ_i.
    public let thresholds: [Float]

    /// A target drawn from `stream`.
    public init(using stream: inout RandomStream) {
      let width = BitFlipping.bits + 1
      weights = (0..<(BitFlipping.targetUnits * width)).map { _ in
        stream.nextInt(below: 2) == 0 ? -1 : 1
      }
      outputs = (0..<BitFlipping.targetUnits).map { _ in stream.nextInt(below: 2) == 0 ? -1 : 1 }
      let w = weights
      thresholds = (0..<BitFlipping.targetUnits).map { i in
        let negative = w[(i * width)..<((i + 1) * width)].filter { $0 < 0 }.count
        return Float(BitFlipping.beta * Double(BitFlipping.bits + 1) - Double(negative))
      }
    }

    /// The target for input bits `x` (0 or 1 each).
    public func value(_ x: [Float]) -> Float {
      let width = BitFlipping.bits + 1
      var y: Float = 0
      for i in 0..<BitFlipping.targetUnits {
        var s = weights[i * width + BitFlipping.bits]  // the bias input is 1
        for j in 0..<BitFlipping.bits { s += weights[i * width + j] * x[j] }
        if s > thresholds[i] { y += outputs[i] }
      }
      return y
    }
  }

  /// The stream: `tasks` tasks of `examples` steps each.
  /// - Throws: `TrainingError.invalidSetting` for empty tasks.
  public static func stream(tasks: Int, examples: Int, streams: RandomStreams) throws -> TaskStream {
    guard tasks >= 1, examples >= 1 else {
      throw TrainingError.invalidSetting(
        name: "tasks", value: "\(tasks) × \(examples)", allowed: "at least one task of one example")
    }
    var draws = streams.stream("bit-flipping")
    let target = Target(using: &draws)
    var slow = (0..<slowBits).map { _ in Float(draws.nextInt(below: 2)) }
    let fast = bits - slowBits
    var list: [ContinualTask] = []
    list.reserveCapacity(tasks)
    for t in 0..<tasks {
      if t > 0 {
        let flip = draws.nextInt(below: slowBits)
        slow[flip] = 1 - slow[flip]
      }
      var features: [Float] = []
      var targets: [Float] = []
      for k in 0..<(1 << fast) {
        let x = slow + (0..<fast).map { Float((k >> $0) & 1) }
        features += x
        targets.append(target.value(x))
      }
      let data = try Dataset(
        name: "bit-flipping/task \(t)", features: .floats(features),
        labels: [Int32](repeating: 0, count: 1 << fast), featureCount: bits, classCount: 1)
      list.append(
        ContinualTask(
          name: "task \(t): bits " + slow.map { $0 > 0 ? "1" : "0" }.joined(), index: t,
          train: data, test: data, units: [0], sourceClasses: [0], targets: targets))
    }
    let seeds = streams
    let views = ExampleViews<ExampleReference>(count: tasks) { t in
      var draw = seeds.stream("long-stream-views", worker: t)
      return (0..<examples).map { _ in ExampleReference(task: t, index: draw.nextInt(below: 1 << fast)) }
    }
    return TaskStream(
      name: "bit-flipping, \(tasks) tasks of \(examples) steps", scenario: .domain,
      classOutputs: .all, tasks: list, outputCount: 1, views: views, testViews: nil)
  }
}
