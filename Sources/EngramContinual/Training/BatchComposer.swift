import EngramData
import EngramNN

/// A group of rows in a composed batch.
public struct BatchSegment: Sendable, Equatable {
  /// Where the rows came from.
  public enum Source: Sendable, Equatable {
    /// The current task's new examples.
    case new
    /// Replayed examples, and what they are replayed for.
    case replay(ReplayPurpose)
  }
  /// The source.
  public let source: Source
  /// First row.
  public let start: Int
  /// Number of rows.
  public let count: Int
  /// Memory slots of replayed rows (empty for new rows).
  public let slots: [Int]
}

/// Why rows were replayed, which decides the loss they enter.
public enum ReplayPurpose: Sendable, Equatable {
  /// For their labels: they join the base cross-entropy (ER, ER-ACE), unless a strategy that
  /// shapes the loss weighs them itself (DER++).
  case labels
  /// For the logits stored with them (DER): never part of the base cross-entropy.
  case logits
}

/// Reads stream examples into Float rows, applying each example's own task transforms.
public final class StreamBatchReader {
  /// The stream read.
  public let stream: TaskStream
  private let pipelines: [TransformPipeline?]

  /// A reader for a stream.
  public init(stream: TaskStream) {
    self.stream = stream
    pipelines = stream.tasks.map { task in
      task.transforms.isEmpty
        ? nil : TransformPipeline(task.transforms, width: task.train.featureCount)
    }
  }

  /// Copies `examples` into rows of `x` starting at row `start`, with labels into `labels`.
  public func read<C: Collection>(
    _ examples: C, into x: Tensor, start: Int, labels: UnsafeMutablePointer<Int32>,
    test: Bool = false
  ) where C.Element == ExampleReference {
    let width = x.columns
    var row = start
    var run: [Int] = []
    run.reserveCapacity(examples.count)
    var runTask = -1
    // Consecutive examples of one task are copied and transformed together.
    func flush() {
      guard !run.isEmpty else { return }
      let task = stream.tasks[runTask]
      // Shapes are checked when the stream is built; this guards the buffer all the same.
      precondition(
        (test ? task.test : task.train).featureCount == width,
        "rows of \((test ? task.test : task.train).featureCount) features into a buffer of \(width)")
      (test ? task.test : task.train).copyBatch(
        run, into: x.pointer + row * width, labels: labels + row)
      if let map = task.labelMap {
        for r in row..<(row + run.count) { labels[r] = map[Int(labels[r])] }
      }
      pipelines[runTask]?.apply(to: x.pointer + row * width, count: run.count)
      row += run.count
      run.removeAll(keepingCapacity: true)
    }
    for example in examples {
      if example.task != runTask {
        flush()
        runTask = example.task
      }
      run.append(example.index)
    }
    flush()
  }

  /// Applies task `task`'s transforms to `count` raw rows at `rows`.
  public func transform(_ rows: UnsafeMutablePointer<Float>, count: Int, task: Int) {
    pipelines[task]?.apply(to: rows, count: count)
  }
}

/// The batch being built for one step: new rows, then replayed rows, each with its task and
/// label, in preallocated buffers.
public struct BatchComposer {
  /// Inputs (capacity rows; the first `rows` are this step's).
  public let inputs: Tensor
  /// Labels per row (output units).
  public internal(set) var labels: [Int32]
  /// Task of each row.
  public internal(set) var tasks: [Int32]
  /// The groups of rows, new first.
  public internal(set) var segments: [BatchSegment] = []
  /// Rows used so far.
  public internal(set) var rows = 0
  /// The task being trained.
  public let currentTask: Int
  let reader: StreamBatchReader

  init(inputs: Tensor, labels: [Int32], tasks: [Int32], currentTask: Int, reader: StreamBatchReader)
  {
    self.inputs = inputs
    self.labels = labels
    self.tasks = tasks
    self.currentTask = currentTask
    self.reader = reader
  }

  /// Free rows left.
  public var remaining: Int { inputs.rows - rows }

  /// Appends memory rows `slots` (stored raw; transformed here by their own task).
  public mutating func appendReplay(
    from memory: ReplayMemory, slots: [Int], purpose: ReplayPurpose
  ) {
    let n = min(slots.count, remaining)
    guard n > 0 else { return }
    let start = rows
    labels.withUnsafeMutableBufferPointer { l in
      tasks.withUnsafeMutableBufferPointer { t in
        memory.copy(
          slots: slots.prefix(n), into: inputs.pointer + start * inputs.columns,
          labels: l.baseAddress! + start, tasks: t.baseAddress! + start)
        for r in start..<(start + n) {
          reader.transform(inputs.pointer + r * inputs.columns, count: 1, task: Int(t[r]))
        }
      }
    }
    segments.append(
      BatchSegment(source: .replay(purpose), start: start, count: n, slots: Array(slots.prefix(n))))
    rows += n
  }
}

/// What hooks see of a composed, forwarded batch.
public struct BatchView {
  /// Inputs of all rows (transformed).
  public let inputs: Tensor
  /// Labels of all rows.
  public let labels: UnsafeMutablePointer<Int32>
  /// Task of each row.
  public let tasks: UnsafeMutablePointer<Int32>
  /// The row groups (new first).
  public let segments: [BatchSegment]
  /// Logits of all rows from the training forward pass (a copy, safe from later forwards).
  public let logits: Tensor
  /// The new rows' stream references (nil when the batch came from raw inputs).
  public let newExamples: [ExampleReference]?
  /// The new rows' inputs before transforms, when they came from raw inputs.
  public let rawNewInputs: Tensor?
  /// The task being trained.
  public let currentTask: Int
  /// The stream.
  public let stream: TaskStream
  /// The scenario's active units per row.
  public let mask: OutputMask
  /// Per-row cross-entropy of the base loss (0 where it was not computed).
  public let perExampleLoss: UnsafeMutablePointer<Float>

  /// The new rows' segment.
  public var newRows: BatchSegment { segments[0] }
  /// Total rows.
  public var rowCount: Int { inputs.rows }
  /// The first segment replayed for `purpose`.
  public func segment(_ purpose: ReplayPurpose) -> BatchSegment? {
    segments.first { $0.source == .replay(purpose) }
  }
}

/// How the base cross-entropy is computed, as strategies may shape it.
public struct BaseLoss {
  /// How replayed rows are weighted against new rows (reference/methods.md §2.1).
  public enum Combination: String, Sendable, CaseIterable, Codable {
    /// One mean over all rows (mammoth, Avalanche, Chaudhry et al.).
    case concatenate
    /// Mean of new rows plus mean of replayed rows.
    case sum
    /// van de Ven: (1/t)·new + (1 − 1/t)·replayed, t the task number.
    case weighted
    /// Half of each mean (Avalanche's ER-ACE criterion).
    case average
  }
  /// Whether the trainer computes it at all (iCaRL computes its own).
  public var enabled = true
  /// The combination of new and replayed rows.
  public var combination: Combination = .concatenate
  /// Whether rows replayed for their labels enter the cross-entropy (DER weighs its own).
  public var includesReplayedLabels = true
  /// A replacement mask for the new rows (ER-ACE), else the scenario's masks.
  public var newRowsMask: [Int]? = nil
}

/// Extra loss terms added by strategies.
public struct LossTerms {
  /// dL/dlogits for all rows; add into it.
  public let logitGradient: Tensor
  /// dL/dθ; add into it (backward adds the logit part on top).
  public let parameterGradient: UnsafeMutableBufferPointer<Float>
  /// Named loss values, for logs.
  public internal(set) var values: [(String, Float)] = []

  /// Records a term's value.
  public mutating func record(_ name: String, _ value: Float) { values.append((name, value)) }

  /// The sum of all recorded values.
  public var total: Float { values.reduce(0) { $0 + $1.1 } }
}
