import EngramNN

/// Which examples of a group (a class or a task) enter a memory when it is filled at a task's
/// end, as a priority order: when a group's quota later shrinks, its prefix stays.
/// See reference/methods.md §2.3.
public enum SelectionPolicy: String, Sendable, CaseIterable, Codable {
  /// Uniformly at random.
  case random
  /// iCaRL herding on L2-normalised penultimate features: each pick brings the mean of the
  /// picked features closest to the class mean (ties: lowest index).
  case herding
  /// Highest per-example loss first (hard, near the boundary).
  case lossHigh = "loss-high"
  /// Lowest per-example loss first (prototypical).
  case lossLow = "loss-low"
  /// Least confident first (lowest top softmax probability).
  case uncertainty
}

/// Herding (Rebuffi et al. 2017): the order in which to pick rows of `features` (n × d, rows
/// already L2-normalised by the caller if wanted) so that the running mean tracks `mean`.
///
/// p_k = argmin_x ‖μ − (φ(x) + Σ_{j<k} φ(p_j))/k‖ over rows not yet picked; ties go to the
/// lowest index. Returns the order and the distance after each pick (oracle O10).
public func herdingOrder(features: [[Float]], mean: [Float], count: Int) -> (
  order: [Int], distances: [Float]
) {
  let d = mean.count
  var chosen: [Int] = []
  var distances: [Float] = []
  var sum = [Float](repeating: 0, count: d)
  var taken = [Bool](repeating: false, count: features.count)
  for k in 1...max(1, min(count, features.count)) {
    var best: (index: Int, distance: Float)? = nil
    for i in features.indices where !taken[i] {
      var squared: Float = 0
      let row = features[i]
      for j in 0..<d {
        let diff = mean[j] - (sum[j] + row[j]) / Float(k)
        squared += diff * diff
      }
      let distance = squared.squareRoot()
      if let current = best, distance >= current.distance - 1e-12 { continue }
      best = (i, distance)
    }
    guard let pick = best else { break }
    chosen.append(pick.index)
    distances.append(pick.distance)
    taken[pick.index] = true
    for j in 0..<d { sum[j] += features[pick.index][j] }
  }
  return (chosen, distances)
}

/// Scales a vector to unit L2 norm (zero stays zero).
public func normalized(_ v: [Float]) -> [Float] {
  let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
  return norm > 0 ? v.map { $0 / norm } : v
}
