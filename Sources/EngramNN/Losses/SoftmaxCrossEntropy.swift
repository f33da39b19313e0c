import Foundation

/// Softmax cross-entropy over the active outputs, averaged over the batch.
///
/// For each example, L = logsumexp(z_active) − z_label, computed after subtracting the largest
/// active logit so exp never overflows. dL/dz = (softmax(z_active) − onehot(label)) / batch on
/// active units and 0 elsewhere. The label's unit must be active.
public enum SoftmaxCrossEntropy {
  /// The mean loss; writes (or adds, with `accumulate`) weight·dL/dz into `gradient`, and each
  /// example's loss into `perExample` when given.
  public static func loss(
    logits: Tensor, labels: UnsafePointer<Int32>, mask: OutputMask? = nil, gradient: Tensor? = nil,
    weight: Float = 1, accumulate: Bool = false, perExample: UnsafeMutablePointer<Float>? = nil
  ) -> Float {
    let n = logits.rows
    let c = logits.columns
    let all = [UInt8](repeating: 1, count: c)
    let maskStorage = mask?.active ?? all
    precondition(
      mask == nil || mask?.classes == c, "mask for \(mask?.classes ?? 0) classes on \(c) logits")
    var total = 0.0
    maskStorage.withUnsafeBufferPointer { maskBase in
      for r in 0..<n {
        let z = logits.pointer + r * c
        let active = mask?.row(r, maskBase.baseAddress!) ?? maskBase.baseAddress!
        let label = Int(labels[r])
        precondition(
          label >= 0 && label < c && active[label] != 0, "label \(label) is not an active output")
        var largest = -Float.infinity
        for j in 0..<c where active[j] != 0 { largest = max(largest, z[j]) }
        var sum: Float = 0
        for j in 0..<c where active[j] != 0 { sum += exp(z[j] - largest) }
        // Both terms stay small: log Σ exp(z − max) − (z_label − max).
        let logSum = log(sum)
        let example = logSum - (z[label] - largest)
        perExample?[r] = example
        total += Double(example)
        if let gradient {
          let g = gradient.pointer + r * c
          let scale = weight / Float(n)
          let inverse = 1 / sum
          for j in 0..<c {
            let d =
              active[j] != 0 ? (exp(z[j] - largest) * inverse - (j == label ? 1 : 0)) * scale : 0
            if accumulate { g[j] += d } else { g[j] = d }
          }
        }
      }
    }
    return Float(total / Double(n))
  }

  /// The index of the largest active logit of each example (predictions), into `into`.
  public static func predictions(
    logits: Tensor, mask: OutputMask? = nil, into: UnsafeMutablePointer<Int32>
  ) {
    let c = logits.columns
    for r in 0..<logits.rows {
      let z = logits.pointer + r * c
      var best = -Float.infinity
      var at = 0
      for j in 0..<c where mask?.isActive(j, row: r) ?? true {
        if z[j] > best {
          best = z[j]
          at = j
        }
      }
      into[r] = Int32(at)
    }
  }
}
