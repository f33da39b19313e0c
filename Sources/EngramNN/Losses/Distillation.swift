import Foundation

/// Knowledge distillation from a teacher's logits at temperature T (Hinton et al.; LwF).
///
/// With q = softmax(t/T) and p = softmax(z/T) over the active units:
/// - `.crossEntropy`: −Σ q log p (LwF's loss; reference O8: 1.041485 at T = 2);
/// - `.kl`: Σ q log(q/p) (Avalanche; O8: 0.015241) — the same gradient, (p − q)/T.
/// Averaged over the batch, and multiplied by T² when `scaleBySquaredTemperature` (Hinton's
/// scaling, which keeps gradient sizes comparable across T; O8: 4.165939).
/// See reference/methods.md §4.5 and §9.
public enum Distillation {
  /// Which divergence.
  public enum Form: String, Sendable, CaseIterable, Codable {
    /// Cross-entropy with soft targets.
    case crossEntropy = "cross-entropy"
    /// Kullback–Leibler divergence from the teacher.
    case kl
  }

  /// The mean loss; writes (or adds) weight·dL/dz into `gradient` when given.
  public static func loss(
    student: Tensor, teacher: Tensor, temperature: Float, form: Form = .crossEntropy,
    scaleBySquaredTemperature: Bool = false, mask: OutputMask? = nil, gradient: Tensor? = nil,
    weight: Float = 1, accumulate: Bool = false
  ) -> Float {
    precondition(
      student.rows == teacher.rows && student.columns == teacher.columns,
      "distillation between different shapes")
    let n = student.rows
    let c = student.columns
    let factor: Float = scaleBySquaredTemperature ? temperature * temperature : 1
    var total = 0.0
    var q = [Float](repeating: 0, count: c)
    var p = [Float](repeating: 0, count: c)
    for r in 0..<n {
      let z = student.pointer + r * c
      let t = teacher.pointer + r * c
      let active = { (j: Int) in mask?.isActive(j, row: r) ?? true }
      softmax(t, temperature: temperature, active: active, into: &q)
      softmax(z, temperature: temperature, active: active, into: &p)
      var example = 0.0
      for j in 0..<c where active(j) && q[j] > 0 {
        let logP = log(Double(max(p[j], .leastNormalMagnitude)))
        example +=
          form == .crossEntropy ? -Double(q[j]) * logP : Double(q[j]) * (log(Double(q[j])) - logP)
      }
      total += example * Double(factor)
      if let gradient {
        let g = gradient.pointer + r * c
        let scale = weight * factor / (temperature * Float(n))
        for j in 0..<c {
          let d = active(j) ? (p[j] - q[j]) * scale : 0
          if accumulate { g[j] += d } else { g[j] = d }
        }
      }
    }
    return Float(total / Double(n))
  }

  private static func softmax(
    _ z: UnsafeMutablePointer<Float>, temperature: Float, active: (Int) -> Bool,
    into out: inout [Float]
  ) {
    var largest = -Float.infinity
    for j in out.indices where active(j) { largest = max(largest, z[j] / temperature) }
    var sum: Float = 0
    for j in out.indices {
      out[j] = active(j) ? exp(z[j] / temperature - largest) : 0
      sum += out[j]
    }
    for j in out.indices { out[j] /= sum }
  }
}
