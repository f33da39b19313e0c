import EngramContinual
import EngramLab
import Testing

@Suite("Run metrics")
struct RunMetricsTests {
  /// reference/methods.md §10, oracle O1: R, the untrained accuracies b and references a*.
  func result(rows: [[Double]], untrained: [Double], reference: [Double]?) -> ExperimentResult {
    ExperimentResult(
      accuracyMatrix: AccuracyMatrix(rows: rows), untrainedAccuracy: untrained,
      referenceAccuracy: reference, curves: nil, taskLosses: [],
      cost: CostReport(
        seconds: 0, trainingSeconds: 0, evaluationSeconds: 0, trainingFLOPs: 0,
        peakMemoryBytes: 0, memoryBufferBytes: 0, parameterCount: 0))
  }
  let rows = [[0.80, 0.15, 0.12], [0.90, 0.70, 0.20], [0.70, 0.60, 0.95]]

  @Test("O1 by name: FWT −0.06 against a*, zero-shot FWT 0.07 against b, BWT −0.10, …")
  func oracle() {
    // fwt = ((0.70 − 0.80) + (0.95 − 0.97)) / 2 = −0.06 (reference a* = 0.85, 0.80, 0.97);
    // fwt_zero_shot = ((0.15 − 0.12) + (0.20 − 0.09)) / 2 = 0.07 (b = 0.10, 0.12, 0.09).
    let metrics = RunMetrics(
      result(rows: rows, untrained: [0.10, 0.12, 0.09], reference: [0.85, 0.80, 0.97]))
    let expected: [String: Double] = [
      "average_accuracy": 0.75, "forgetting": 0.15, "forgetting_drop": 0.10, "bwt": -0.10,
      "fwt": -0.06, "fwt_zero_shot": 0.07, "learning_accuracy": 0.816667,
      "average_incremental_accuracy": 0.783333,
    ]
    #expect(Set(metrics.values.keys) == Set(expected.keys))
    for (name, value) in expected {
      // The oracle table gives six decimals.
      #expect(abs((metrics[name] ?? .nan) - value) < 1e-6, "\(name) = \(metrics[name] ?? .nan)")
    }
  }

  @Test("transfer needs its inputs: no b, no a*, or a partial matrix gives no FWT")
  func undefined() {
    let none = RunMetrics(result(rows: rows, untrained: [], reference: nil))
    #expect(none["fwt"] == nil && none["fwt_zero_shot"] == nil && none["bwt"] != nil)
    let partial = RunMetrics(
      result(
        rows: Array(rows.prefix(2)), untrained: [0.10, 0.12, 0.09],
        reference: [0.85, 0.80, 0.97]))
    #expect(partial["fwt"] == nil && partial["fwt_zero_shot"] == nil && partial["bwt"] == nil)
    #expect(partial["average_accuracy"].map { abs($0 - (0.90 + 0.70 + 0.20) / 3) < 1e-12 } == true)
  }
}
