import EngramContinual
import Testing

/// Oracle values from reference/methods.md §10; tolerance 1e-6 as it states.
let oracleTolerance = 1e-6

@Suite("Metrics")
struct MetricTests {
  let r = AccuracyMatrix(rows: [[0.80, 0.15, 0.12], [0.90, 0.70, 0.20], [0.70, 0.60, 0.95]])
  let b = [0.10, 0.12, 0.09]

  @Test("O1: average accuracies A_k, ACC and average incremental accuracy")
  func averages() {
    #expect(
      (0..<3).map(r.averageAccuracy(after:)).enumerated().allSatisfy {
        abs($1 - [0.80, 0.80, 0.75][$0]) < oracleTolerance
      })
    #expect(abs(r.finalAverageAccuracy - 0.75) < oracleTolerance)
    #expect(abs(r.averageIncrementalAccuracy - 0.783333) < oracleTolerance)
  }

  @Test("O1: BWT −0.10 and FWT 0.07 (dividing by T − 1)")
  func transfer() {
    #expect(abs((r.backwardTransfer ?? 0) - -0.10) < oracleTolerance)
    #expect(abs((r.forwardTransfer(untrained: b) ?? 0) - 0.07) < oracleTolerance)
  }

  @Test("FWT against references a* = (0.85, 0.80, 0.97): ((0.70 − 0.80) + (0.95 − 0.97))/2 = −0.06")
  func referenceTransfer() {
    let reference = [0.85, 0.80, 0.97]
    #expect(abs((r.forwardTransfer(reference: reference) ?? 0) - -0.06) < oracleTolerance)
    // Undefined, not zero, without a full matrix or with one value per task missing.
    let partial = AccuracyMatrix(rows: Array(r.rows.prefix(2)))
    #expect(partial.forwardTransfer(reference: reference) == nil)
    #expect(partial.forwardTransfer(untrained: b) == nil)
    #expect(r.forwardTransfer(reference: [0.85, 0.80]) == nil)
    #expect(r.forwardTransfer(untrained: [0.10, 0.12]) == nil)
  }

  @Test("O1: forgetting 0.15 (Chaudhry) against 0.10 (first minus last)")
  func forgetting() {
    #expect(abs((r.averageForgetting(.chaudhry) ?? 0) - 0.15) < oracleTolerance)
    #expect(abs((r.averageForgetting(.drop) ?? 0) - 0.10) < oracleTolerance)
    // After task 2 alone: f = 0.80 − 0.90 = −0.10 (backward transfer shows as negative).
    let two = AccuracyMatrix(rows: [[0.80, 0.15], [0.90, 0.70]])
    #expect(abs((two.averageForgetting() ?? 0) - -0.10) < oracleTolerance)
  }

  @Test("O1: learning accuracy 0.816667 and intransigence [0.05, 0.10, 0.02]")
  func plasticity() {
    #expect(abs((r.learningAccuracy ?? 0) - 0.816667) < oracleTolerance)
    let i = r.intransigence(reference: [0.85, 0.80, 0.97]) ?? []
    #expect(zip(i, [0.05, 0.10, 0.02]).allSatisfy { abs($0 - $1) < oracleTolerance })
    #expect(abs(i.reduce(0, +) / 3 - 0.056667) < oracleTolerance)
  }

  @Test("O2: min-ACC 0.35, WC-ACC 0.553333, final 0.89, WF³ 0.585, WP³ 0.33")
  func continualEvaluation() {
    let task1 = [0.50, 0.80, 0.90, 0.95, 0.40, 0.60, 0.85, 0.90, 0.70, 0.88, 0.80, 0.85]
    let task2 = [0.55, 0.80, 0.90, 0.92, 0.30, 0.75, 0.85, 0.86]
    let task3 = [0.60, 0.85, 0.93, 0.96]
    let curves = ContinualEvaluation(
      points: [
        task1.enumerated().map { .init(iteration: $0 + 1, accuracy: $1) },
        task2.enumerated().map { .init(iteration: $0 + 5, accuracy: $1) },
        task3.enumerated().map { .init(iteration: $0 + 9, accuracy: $1) },
      ], taskEnds: [4, 8, nil])
    #expect(abs((curves.minACC ?? 0) - 0.35) < oracleTolerance)
    #expect(abs((curves.wcACC ?? 0) - 0.553333) < oracleTolerance)
    #expect(abs((curves.finalAccuracy ?? 0) - 0.89) < oracleTolerance)
    #expect(abs((curves.windowedForgetting(window: 3) ?? 0) - 0.585) < oracleTolerance)
    #expect(
      abs(ContinualEvaluation.windowedDrop(Array(task1.dropFirst(4)), window: 3) - 0.20)
        < oracleTolerance)
    #expect(abs(curves.windowedPlasticity(task: 2, window: 3) - 0.33) < oracleTolerance)
  }
}
