import EngramContinual
import EngramLab
import Foundation

/// The `engram run --json` object and the human tables.
struct RunReport: Encodable {
  let accuracyMatrix: [[Double]]
  let averageAccuracy: Double
  let forgetting: Nullable<Double>
  let forgettingDrop: Nullable<Double>
  let bwt: Nullable<Double>
  let fwt: Nullable<Double>
  let fwtZeroShot: Nullable<Double>
  let learningAccuracy: Nullable<Double>
  let averageIncrementalAccuracy: Double
  let intransigence: Nullable<[Double]>
  let minAcc: Nullable<Double>
  let wcAcc: Nullable<Double>
  let windowedForgetting: Nullable<Double>
  /// Long streams: per task, the mean pre-update accuracy on its batches (null otherwise:
  /// every run measures it, but only long streams report it).
  let onlineAccuracy: Nullable<[Double]>
  /// Long streams: per task, its test accuracy when its training ended.
  let taskEndAccuracy: Nullable<[Double]>
  /// Regression streams: per task, the mean squared error of the pre-update predictions.
  let onlineError: Nullable<[Double]>
  /// With --diagnostics: per task, the plasticity diagnostics when it ended.
  let diagnostics: Nullable<[TaskDiagnostics]>
  /// With --forgetting-events: the fraction of training examples forgotten at least once.
  let forgettableExamples: Nullable<Double>
  let meanOnlineAccuracy: Nullable<Double>
  let meanTaskEndAccuracy: Nullable<Double>
  let curves: Nullable<ContinualEvaluation>
  let untrainedAccuracy: [Double]
  let referenceAccuracy: Nullable<[Double]>
  let taskLosses: [Double]
  let seconds: Double
  let trainingSeconds: Double
  let evaluationSeconds: Double
  let trainingFlops: Double
  let peakMemoryBytes: Int
  let memoryBufferBytes: Int
  let parameters: Int
  let config: ResolvedConfig
  /// The run's id in the results store (null when not stored).
  let runId: Nullable<Int64>
  /// Why the run stopped early (null when it finished); the metrics cover the finished tasks.
  let interrupted: Nullable<String>

  /// The report of `result`, whose metrics are `metrics` (computed once, by the caller that
  /// also stored them).
  init(
    result: ExperimentResult, metrics m: RunMetrics, config: RunConfig,
    interrupted: String? = nil, id: Int64? = nil
  ) {
    self.interrupted = Nullable(interrupted)
    self.runId = Nullable(id)
    let r = result.accuracyMatrix
    accuracyMatrix = r.rows
    averageAccuracy = m["average_accuracy"] ?? 0
    forgetting = Nullable(m["forgetting"])
    forgettingDrop = Nullable(m["forgetting_drop"])
    bwt = Nullable(m["bwt"])
    fwt = Nullable(m["fwt"])
    fwtZeroShot = Nullable(m["fwt_zero_shot"])
    learningAccuracy = Nullable(m["learning_accuracy"])
    averageIncrementalAccuracy = m["average_incremental_accuracy"] ?? 0
    intransigence = Nullable(result.referenceAccuracy.flatMap { r.intransigence(reference: $0) })
    minAcc = Nullable(m["min_acc"])
    wcAcc = Nullable(m["wc_acc"])
    windowedForgetting = Nullable(m["windowed_forgetting"])
    onlineAccuracy = Nullable(result.onlineAccuracy)
    taskEndAccuracy = Nullable(result.taskEndAccuracy)
    onlineError = Nullable(result.onlineError)
    diagnostics = Nullable(result.diagnostics)
    forgettableExamples = Nullable(m["forgettable_examples"])
    meanOnlineAccuracy = Nullable(m["mean_online_accuracy"])
    meanTaskEndAccuracy = Nullable(m["mean_task_end_accuracy"])
    curves = Nullable(result.curves)
    untrainedAccuracy = result.untrainedAccuracy
    referenceAccuracy = Nullable(result.referenceAccuracy)
    taskLosses = result.taskLosses
    seconds = result.cost.seconds
    trainingSeconds = result.cost.trainingSeconds
    evaluationSeconds = result.cost.evaluationSeconds
    trainingFlops = result.cost.trainingFLOPs
    peakMemoryBytes = result.cost.peakMemoryBytes
    memoryBufferBytes = result.cost.memoryBufferBytes
    parameters = result.cost.parameterCount
    self.config = ResolvedConfig(config)
  }

  /// The accuracy matrix and metrics as text.
  static func table(_ result: ExperimentResult, metrics: RunMetrics, config: RunConfig) -> String
  {
    if result.isLongStream { return longStreamTable(result, metrics: metrics, config: config) }
    let r = result.accuracyMatrix
    let n = r.taskCount
    var lines: [String] = []
    lines.append(
      "\(config.strategy) on \(config.benchmark.rawValue) \(config.dataset), \(config.scenario.rawValue)-incremental, \(n) tasks"
    )
    var matrix = TextTable(["after task"] + (1...max(1, n)).map { "task \($0)" })
    let offset = r.rows.count == n ? 0 : n - r.rows.count
    for (i, row) in r.rows.enumerated() {
      matrix.add(["\(i + 1 + offset)"] + row.map { String(format: "%.4f", $0) })
    }
    lines.append(matrix.rendered)
    lines.append("")
    let report = RunReport(result: result, metrics: metrics, config: config)
    var metricTable = TextTable(["metric", "value"])
    let entries: [(String, Double?)] = [
      ("average accuracy", report.averageAccuracy),
      ("forgetting (Chaudhry)", report.forgetting.value),
      ("forgetting (first − last)", report.forgettingDrop.value), ("BWT", report.bwt.value),
      ("FWT (reference)", report.fwt.value),
      ("FWT (zero-shot)", report.fwtZeroShot.value),
      ("learning accuracy", report.learningAccuracy.value),
      ("average incremental accuracy", report.averageIncrementalAccuracy),
      ("min-ACC", report.minAcc.value),
      ("WC-ACC", report.wcAcc.value),
      ("windowed forgetting (w = 10)", report.windowedForgetting.value),
      ("forgettable examples", report.forgettableExamples.value),
    ]
    for (name, value) in entries where value != nil {
      metricTable.add([name, String(format: "%.4f", value ?? 0)])
    }
    addCosts(to: &metricTable, report)
    lines.append(metricTable.rendered)
    return lines.joined(separator: "\n")
  }

  /// A long stream's table: online and task-end accuracy at about ten tasks spread over the
  /// stream (every task is in the JSON and the store), then the means and costs.
  static func longStreamTable(
    _ result: ExperimentResult, metrics: RunMetrics, config: RunConfig
  ) -> String {
    let regression = result.onlineError != nil
    let online = result.onlineError ?? result.onlineAccuracy ?? []
    let end = result.taskEndAccuracy ?? []
    let n = online.count
    var lines = [
      "\(config.strategy) on \(config.benchmark.rawValue) \(config.dataset), \(n) tasks of \(config.taskExamples ?? 0) examples"
    ]
    let diagnostics = result.diagnostics ?? []
    var table = TextTable(
      ["task", regression ? "online squared error" : "online accuracy"]
        + (end.isEmpty ? [] : ["test accuracy at its end"])
        + (diagnostics.isEmpty ? [] : ["dormant", "effective rank", "plasticity"]))
    let shown = n <= 12 ? Array(0..<n) : Array(Set((0..<10).map { $0 * (n - 1) / 9 })).sorted()
    for t in shown {
      var row = ["\(t + 1)", String(format: "%.4f", online[t])]
      if !end.isEmpty { row.append(t < end.count ? String(format: "%.4f", end[t]) : "") }
      if t < diagnostics.count {
        let d = diagnostics[t]
        row += [
          String(format: "%.3f", TaskDiagnostics.mean(d.dormantFraction)),
          String(format: "%.1f", TaskDiagnostics.mean(d.effectiveRank)),
          d.plasticity.map { String(format: "%.3f", $0) } ?? "",
        ]
      }
      table.add(row)
    }
    lines.append(table.rendered)
    lines.append("")
    let report = RunReport(result: result, metrics: metrics, config: config)
    var metricTable = TextTable(["metric", "value"])
    for (name, key) in [
      ("mean online accuracy", "mean_online_accuracy"),
      ("final online accuracy", "final_online_accuracy"),
      ("mean test accuracy at task ends", "mean_task_end_accuracy"),
      ("mean online squared error", "mean_online_error"),
      ("final online squared error", "final_online_error"),
    ] {
      if let value = metrics[key] { metricTable.add([name, String(format: "%.4f", value)]) }
    }
    addCosts(to: &metricTable, report)
    lines.append(metricTable.rendered)
    return lines.joined(separator: "\n")
  }

  /// Time, compute and memory rows.
  static func addCosts(to metricTable: inout TextTable, _ report: RunReport) {
    metricTable.add([
      "wall time",
      String(format: "%.1f s (training %.1f s)", report.seconds, report.trainingSeconds),
    ])
    metricTable.add(["training FLOPs", String(format: "%.3g", report.trainingFlops)])
    metricTable.add(["peak memory", String(format: "%.0f MB", Double(report.peakMemoryBytes) / 1e6)])
    metricTable.add(["memory buffers", "\(report.memoryBufferBytes) bytes"])
  }
}

/// The resolved configuration as an ordered JSON object.
