import EngramContinual
import EngramIO
import EngramLab

import Foundation

/// One run's TensorBoard folder, `ROOT/ID-STRATEGY` (or `ROOT/run-STRATEGY-UID` for a run that
/// is not stored), written while the run trains or afterwards from its stored record.
///
/// Tags: `loss/train` (every step, live runs only: the store keeps each task's mean loss,
/// exported as `loss/task_mean`), `accuracy/task_N` (continual-evaluation curves when on, else
/// each task's accuracy after every task), `accuracy/average` (after each task), `metrics/NAME`
/// (at the last step), and two text summaries, `accuracy_matrix` and `config`, as Markdown
/// tables. Steps are training iterations when the run recorded them, else task numbers.
///
/// A folder is only ever added to by the run it belongs to: it holds `engram-run.txt` with the
/// run's unique id, and a folder holding anything else is refused (TensorBoard would merge two
/// runs' files into one confusing curve).
public final class TensorBoardRun {
  /// The run's folder.
  public let folder: URL
  private let writer: EventFileWriter
  private var lastIteration: Int64 = 0
  private var taskEnds: [Int64] = []

  /// The name of the marker file holding the run's unique id.
  public static let marker = "engram-run.txt"

  /// Opens (creating) the folder of run `id` (nil: not stored) with `label` under `root`.
  /// - Throws: `OutputFileError` for a root that cannot hold folders, or a run folder that
  ///   holds another run's files; `EventFileError` when the events file cannot be created.
  public init(root: URL, id: Int64?, uid: String, label: String) throws {
    let safe = label.map { $0.isLetter || $0.isNumber || "+-_.".contains($0) ? $0 : "_" }
    let name = id.map { "\($0)-\(String(safe))" } ?? "run-\(String(safe))-\(uid.prefix(8))"
    folder = root.appendingPathComponent(name)
    try OutputFile.makeFolder(folder, flag: "--tensorboard")
    let markerURL = folder.appendingPathComponent(Self.marker)
    let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    if !present.isEmpty {
      let owner = try? InputFile.text(markerURL.path, limit: 4096)
      guard owner?.trimmingCharacters(in: .whitespacesAndNewlines) == uid else {
        throw OutputFileError(
          path: folder.path,
          reason:
            "already holds files of another run (TensorBoard would mix them); choose another --tensorboard folder or move this one away"
        )
      }
    }
    try writeAtomically(uid + "\n", to: markerURL)
    writer = try EventFileWriter(folder: folder)
  }

  /// Checks, before a run starts, that `root` can hold run folders.
  /// - Throws: `OutputFileError` naming the path.
  public static func checkRoot(_ root: URL) throws {
    try OutputFile.makeFolder(root, flag: "--tensorboard")
    guard access(root.path, W_OK) == 0 else {
      throw OutputFileError(
        path: root.path, reason: "is not writable; choose another --tensorboard folder")
    }
  }

  /// Records a training step (live runs).
  public func step(_ report: StepReport) throws {
    lastIteration = Int64(report.iteration)
    try writer.scalar("loss/train", Double(report.loss), step: lastIteration)
  }

  /// Records a finished task's row of the accuracy matrix, at the current iteration (live
  /// runs) or at `step`.
  public func taskFinished(_ index: Int, accuracies: [Double], step: Int64? = nil) throws {
    let at = step ?? lastIteration
    taskEnds.append(at)
    for (j, accuracy) in accuracies.enumerated() where j <= index || accuracies.count == 1 {
      try writer.scalar("accuracy/task_\(j + 1)", accuracy, step: at)
    }
    let seen = accuracies.prefix(index + 1)
    if !seen.isEmpty {
      try writer.scalar("accuracy/average", seen.reduce(0, +) / Double(seen.count), step: at)
    }
    try writer.flush()
  }

  /// Records what only the finished record holds: curves, each task's mean loss, the metrics,
  /// the accuracy matrix and the settings. Then closes the file.
  public func finish(_ record: RunRecord, curvesAlreadyWritten: Bool = false) throws {
    let last = max(lastIteration, taskEnds.last ?? 0)
    if let result = record.result {
      if let curves = result.curves, !curvesAlreadyWritten {
        for (task, points) in curves.points.enumerated() {
          for point in points {
            try writer.scalar(
              "accuracy/task_\(task + 1)/continual", point.accuracy, step: Int64(point.iteration))
          }
        }
      }
      for (task, loss) in result.taskLosses.enumerated() where loss.isFinite {
        let at = task < taskEnds.count ? taskEnds[task] : Int64(task + 1)
        try writer.scalar("loss/task_mean", loss, step: at)
      }
      for (name, value) in RunMetrics(result).values.sorted(by: { $0.key < $1.key })
      where value.isFinite {
        try writer.scalar("metrics/\(name)", value, step: last)
      }
      try perTask(result)
      if !result.isLongStream {
        try writer.text("accuracy_matrix", Self.markdown(result.accuracyMatrix), step: last)
      }
    }
    try writer.text("config", Self.markdown(config: record.config), step: 0)
    if let message = record.message { try writer.text("status", "\(record.status.rawValue): \(message)", step: last) }
    try writer.close()
  }

  /// Long streams' per-task series, with the task number (1-based) as the step: online
  /// accuracy or error, test accuracy at each task's end, and the diagnostics' layer means.
  func perTask(_ result: ExperimentResult) throws {
    let series: [(String, [Double?])] = [
      ("online/accuracy", result.onlineError == nil && result.isLongStream ? result.onlineAccuracy ?? [] : []),
      ("online/squared_error", result.onlineError ?? []),
      ("online/task_end_accuracy", result.taskEndAccuracy ?? []),
      ("diagnostics/dormant_fraction", (result.diagnostics ?? []).map { TaskDiagnostics.mean($0.dormantFraction) }),
      ("diagnostics/effective_rank", (result.diagnostics ?? []).map { TaskDiagnostics.mean($0.effectiveRank) }),
      ("diagnostics/plasticity", (result.diagnostics ?? []).map(\.plasticity)),
    ]
    for (tag, values) in series {
      for (t, value) in values.enumerated() {
        if let value, value.isFinite { try writer.scalar(tag, value, step: Int64(t + 1)) }
      }
    }
  }

  /// Writes a stored run's folder: its matrix rows at the task ends, then `finish`.
  public static func export(_ record: RunRecord, id: Int64, root: URL) throws -> URL {
    let run = try TensorBoardRun(
      root: root, id: id, uid: record.uid ?? "stored-\(id)", label: record.label)
    if let result = record.result {
      let ends = result.curves?.taskEnds ?? []
      for (i, row) in result.accuracyMatrix.rows.enumerated() {
        let step = i < ends.count ? ends[i].map(Int64.init) ?? Int64(i + 1) : Int64(i + 1)
        try run.taskFinished(i, accuracies: row, step: step)
      }
    }
    try run.finish(record)
    return run.folder
  }

  /// R as a Markdown table: a row per task trained, a column per task evaluated.
  static func markdown(_ matrix: AccuracyMatrix) -> String {
    guard let width = matrix.rows.map(\.count).max(), width > 0 else { return "(empty)" }
    var lines = ["| after task | " + (1...width).map { "task \($0)" }.joined(separator: " | ") + " |"]
    lines.append("|---|" + String(repeating: "---|", count: width))
    for (i, row) in matrix.rows.enumerated() {
      lines.append(
        "| \(i + 1) | " + row.map { String(format: "%.4f", $0) }.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n")
  }

  /// A run's settings (its stored JSON object) as a Markdown table of key and value.
  static func markdown(config json: String) -> String {
    // The same flat values as the report's settings table.
    let flat = ResultsStore.flatConfig(json)
    guard !flat.isEmpty else { return "`" + abbreviated(json, limit: 2000) + "`" }
    var lines = ["| setting | value |", "|---|---|"]
    for key in flat.keys.sorted() {
      let cell = abbreviated(flat[key] ?? "", limit: 200).replacingOccurrences(of: "|", with: "\\|")
        .replacingOccurrences(of: "\n", with: " ")
      lines.append("| \(key) | \(cell) |")
    }
    return lines.joined(separator: "\n")
  }
}
