import EngramNN
import EngramRandom
import Foundation

/// Orders candidate examples for a memory by a selection policy (reference/methods.md §2.3).
enum SelectionScorer {
  /// `candidates` in priority order under `policy`, scored with the current model.
  /// Only the first `limit` positions are computed exactly (herding's cost grows with them).
  static func prioritize(
    _ candidates: [ExampleReference], policy: SelectionPolicy, model: Model,
    reader: StreamBatchReader, stage: Int,
    limit: Int, rng: inout RandomStream
  ) -> [ExampleReference] {
    switch policy {
    case .random:
      var order = candidates
      rng.shuffle(&order)
      return order
    case .herding:
      let features = penultimateFeatures(candidates, model: model, reader: reader)
      let mean = normalizedMean(features)
      return herdingOrder(features: features, mean: mean, count: limit).order.map { candidates[$0] }
    case .lossHigh, .lossLow, .uncertainty:
      var scores = [Float]()
      scores.reserveCapacity(candidates.count)
      StreamPasses.forEachChunk(candidates, model: model, reader: reader) { logits, labels, refs in
        for (r, ref) in refs.enumerated() {
          let units = reader.stream.evaluationUnits(task: ref.task, stage: stage)
          let z = logits.pointer + r * logits.columns
          let largest = units.map { z[$0] }.max() ?? 0
          let sum = units.reduce(Float(0)) { $0 + exp(z[$1] - largest) }
          let label = Int(labels[r])
          switch policy {
          case .uncertainty: scores.append(-1 / sum)  // higher score = lower top probability
          default: scores.append(log(sum) - (z[label] - largest))
          }
        }
      }
      let descending = policy != .lossLow
      return candidates.indices.sorted { a, b in
        scores[a] == scores[b]
          ? a < b : (descending ? scores[a] > scores[b] : scores[a] < scores[b])
      }.map { candidates[$0] }
    }
  }

  /// L2-normalised penultimate features of each candidate.
  static func penultimateFeatures(
    _ candidates: [ExampleReference], model: Model, reader: StreamBatchReader
  ) -> [[Float]] {
    var features: [[Float]] = []
    features.reserveCapacity(candidates.count)
    StreamPasses.forEachChunk(candidates, model: model, reader: reader) { _, _, refs in
      guard let phi = model.penultimate else { return }
      for r in 0..<refs.count {
        features.append(
          normalized(
            Array(UnsafeBufferPointer(start: phi.pointer + r * phi.columns, count: phi.columns))))
      }
    }
    return features
  }

  static func normalizedMean(_ rows: [[Float]]) -> [Float] {
    guard let width = rows.first?.count else { return [] }
    var mean = [Float](repeating: 0, count: width)
    for row in rows { for j in 0..<width { mean[j] += row[j] / Float(rows.count) } }
    return mean
  }
}
