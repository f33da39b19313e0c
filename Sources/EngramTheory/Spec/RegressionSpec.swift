import EngramIO
import EngramLinalg
import EngramRandom
import EngramSpelling
import Foundation

/// A task sequence read from a JSON spec file, the input of `engram theory forgetting`.
///
/// ```json
/// {"w_star": [0, 1, 0],
///  "tasks": [{"rows": [[1, 0, 0]]},
///            {"basis": [[0, 1, 0], [0, 0, 1]], "samples": 10}],
///  "replay": {"task": 1, "rows": [[1, 0, 0]]},
///  "order": [0, 1]}
/// ```
/// A task is either explicit `rows` (samples) or a `basis` (rows spanning its subspace) with a
/// number of `samples` drawn from the average-case model (Mahdaviyeh et al., Equation 5).
/// `replay` and `order` are optional; `order` lists 0-based task indices and defaults to each
/// task once; replay rows are stacked under their task's rows every time it is trained.
/// Labels are y = X·w\*. Unknown keys are errors (with a suggestion), as are ragged rows,
/// widths that differ from w_star, empty tasks and non-finite numbers.
public struct RegressionSpec: Sendable, Equatable {
  /// The tasks: explicit rows or subspaces to sample.
  public let sources: [TaskSource]
  /// The ground truth w\*.
  public let groundTruth: [Double]
  /// The training order (task indices).
  public let order: [Int]
  /// The replay, if any.
  public let replay: Replay?

  /// Creates a spec from its parts.
  /// - Throws: `TheoryError.invalidSpec` when the parts do not fit together.
  public init(
    sources: [TaskSource], groundTruth: [Double], order: [Int]? = nil, replay: Replay? = nil
  ) throws {
    guard !groundTruth.isEmpty, groundTruth.allSatisfy(\.isFinite) else {
      throw TheoryError.invalidSpec(
        file: nil, field: "w_star", problem: "must hold at least one finite number")
    }
    guard !sources.isEmpty else {
      throw TheoryError.invalidSpec(
        file: nil, field: "tasks", problem: "is empty; give at least one task")
    }
    // The engine keeps d × d projections (a few at once) in Double: check before any is made.
    let d = groundTruth.count
    try MemoryLimit.check(
      count: CheckedSize.product(d, d, 4), bytesEach: 8,
      for: "a spec of dimension \(d) (its d × d projections)")
    for (t, source) in sources.enumerated() {
      guard source.dimension == groundTruth.count else {
        throw TheoryError.invalidSpec(
          file: nil, field: "tasks[\(t)]",
          problem:
            "rows have \(source.dimension) entries but w_star has \(groundTruth.count); every row must match w_star's length"
        )
      }
      if case .subspace(let basis, let samples) = source {
        guard samples >= 1 else {
          throw TheoryError.invalidSpec(
            file: nil, field: "tasks[\(t)].samples", problem: "must be at least 1")
        }
        try MemoryLimit.check(
          count: CheckedSize.product(samples, d), bytesEach: 8,
          for: "tasks[\(t)] with \(samples) samples of dimension \(d)")
        guard basis.isFinite else {
          throw TheoryError.invalidSpec(
            file: nil, field: "tasks[\(t)].basis",
            problem: "contains NaN or infinity; use finite numbers")
        }
      }
    }
    let order = order ?? Array(0..<sources.count)
    _ = try TaskOrder.explicit(order).indices(taskCount: sources.count)
    try replay?.validate(taskCount: sources.count, dimension: groundTruth.count, order: order)
    self.sources = sources
    self.groundTruth = groundTruth
    self.order = order
    self.replay = replay
  }

  /// A spec of explicit tasks.
  /// - Throws: `TheoryError.invalidSpec` when the order or replay do not fit the sequence.
  public init(sequence: TaskSequence, order: [Int]? = nil, replay: Replay? = nil) throws {
    try self.init(
      sources: sequence.tasks.map(TaskSource.rows), groundTruth: sequence.groundTruth, order: order,
      replay: replay)
  }

  /// This spec with another order.
  /// - Throws: `TheoryError.invalidSpec` when the order or replay do not fit.
  public func with(order: [Int]) throws -> RegressionSpec {
    try RegressionSpec(sources: sources, groundTruth: groundTruth, order: order, replay: replay)
  }

  /// Whether any task is drawn at random (a `basis` task).
  public var isRandom: Bool {
    sources.contains { if case .subspace = $0 { return true } else { return false } }
  }

  /// The tasks as data matrices, sampling `basis` tasks in order from `stream`.
  /// - Throws: `TheoryError.invalidSpec` naming the task for a sample count below its rank.
  public func sequence(using stream: inout RandomStream) throws -> TaskSequence {
    var tasks: [Matrix<Double>] = []
    for (t, source) in sources.enumerated() {
      do {
        tasks.append(try source.sample(using: &stream))
      } catch TheoryError.invalidSpec(_, let field, let problem) {
        throw TheoryError.invalidSpec(file: nil, field: "tasks[\(t)].\(field)", problem: problem)
      }
    }
    return try TaskSequence(tasks: tasks, groundTruth: groundTruth)
  }

  /// Reads a spec file.
  /// - Throws: `TheoryError.invalidSpec` naming the file and field.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try InputFile.read(url.path, limit: 1 << 28, what: "a spec file")
    } catch let error as InputFileError {
      throw TheoryError.invalidSpec(
        file: url.path, field: "(file)", problem: "cannot be read (\(error.reason)); check the path")
    }
    try self.init(json: data, file: url.lastPathComponent)
  }

  /// Parses spec JSON; `file` names the source in error messages.
  /// - Throws: `TheoryError.invalidSpec` naming the file and field.
  public init(json data: Data, file: String? = nil) throws {
    do {
      try self.init(document: try JSONValue.parse(data, file: file))
    } catch TheoryError.invalidSpec(nil, let field, let problem) {
      throw TheoryError.invalidSpec(file: file, field: field, problem: problem)
    }
  }

  /// Field names a spec may contain.
  public static let keys = ["w_star", "tasks", "replay", "order"]

  init(document: JSONValue) throws {
    let root = try SpecReader.object(document, at: "(document)", allowed: Self.keys)
    guard let wValue = root["w_star"] else {
      throw TheoryError.invalidSpec(
        file: nil, field: "w_star",
        problem: "is missing; give the ground-truth weights as an array of numbers")
    }
    let wStar = try SpecReader.vector(wValue, at: "w_star")
    guard let tasksValue = root["tasks"] else {
      throw TheoryError.invalidSpec(
        file: nil, field: "tasks",
        problem: "is missing; give an array of {\"rows\": [[...], ...]} objects")
    }
    guard case .array(let taskValues) = tasksValue else {
      throw TheoryError.invalidSpec(
        file: nil, field: "tasks", problem: "must be an array of tasks, not \(tasksValue.kind)")
    }
    let sources = try taskValues.enumerated().map { t, value in
      try SpecReader.task(value, at: "tasks[\(t)]", width: wStar.count)
    }
    var order: [Int]? = nil
    if let orderValue = root["order"] {
      order = try SpecReader.indices(orderValue, at: "order")
    }
    var replay: Replay? = nil
    if let replayValue = root["replay"] {
      let fields = try SpecReader.object(replayValue, at: "replay", allowed: ["task", "rows"])
      guard let taskValue = fields["task"] else {
        throw TheoryError.invalidSpec(
          file: nil, field: "replay.task",
          problem: "is missing; give the index of the task that replays")
      }
      guard let rowsValue = fields["rows"] else {
        throw TheoryError.invalidSpec(
          file: nil, field: "replay.rows",
          problem: "is missing; give the replayed samples as an array of rows")
      }
      let task = try SpecReader.index(taskValue, at: "replay.task")
      replay = Replay(
        task: task,
        rows: try SpecReader.matrix(
          rowsValue, at: "replay.rows", width: wStar.count, allowEmpty: true))
    }
    try self.init(sources: sources, groundTruth: wStar, order: order, replay: replay)
  }

  private struct TaskDocument: Encodable {
    let rows: [[Double]]?
    let basis: [[Double]]?
    let samples: Int?
  }

  private struct ReplayDocument: Encodable {
    let task: Int
    let rows: [[Double]]
  }

  private enum CodingKeys: String, CodingKey {
    case wStar = "w_star"
    case tasks, replay, order
  }
}

extension RegressionSpec: Encodable {
  /// Writes the spec in the format `init(json:)` reads.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(groundTruth, forKey: .wStar)
    let tasks = sources.map { source -> TaskDocument in
      switch source {
      case .rows(let x): return TaskDocument(rows: x.rowArrays, basis: nil, samples: nil)
      case .subspace(let basis, let samples):
        return TaskDocument(rows: nil, basis: basis.rowArrays, samples: samples)
      }
    }
    try c.encode(tasks, forKey: .tasks)
    if let replay {
      try c.encode(ReplayDocument(task: replay.task, rows: replay.rows.rowArrays), forKey: .replay)
    }
    try c.encode(order, forKey: .order)
  }
}

/// Field-by-field checks that turn a `JSONValue` into typed values with precise messages.
enum SpecReader {
  static func object(_ value: JSONValue, at path: String, allowed: [String]) throws -> [String:
    JSONValue]
  {
    guard case .object(let fields) = value else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "must be a JSON object, not \(value.kind)")
    }
    for key in fields.keys.sorted() where !allowed.contains(key) {
      let hint = nearest(to: key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
      let field = path == "(document)" ? key : "\(path).\(key)"
      throw TheoryError.invalidSpec(
        file: nil, field: field,
        problem: "is not a known key; \(hint)valid keys: \(allowed.joined(separator: ", "))")
    }
    return fields
  }

  static func task(_ value: JSONValue, at path: String, width: Int) throws -> TaskSource {
    let fields = try object(value, at: path, allowed: ["rows", "basis", "samples"])
    switch (fields["rows"], fields["basis"]) {
    case (let rows?, nil):
      if fields["samples"] != nil {
        throw TheoryError.invalidSpec(
          file: nil, field: "\(path).samples",
          problem: "goes with \"basis\", not \"rows\"; remove it or give a basis")
      }
      return .rows(try matrix(rows, at: "\(path).rows", width: width))
    case (nil, let basis?):
      guard let samplesValue = fields["samples"] else {
        throw TheoryError.invalidSpec(
          file: nil, field: "\(path).samples",
          problem: "is missing; a basis task needs the number of samples to draw")
      }
      return .subspace(
        basis: try matrix(basis, at: "\(path).basis", width: width),
        samples: try index(samplesValue, at: "\(path).samples"))
    case (.some, .some):
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "has both \"rows\" and \"basis\"; give one")
    case (nil, nil):
      throw TheoryError.invalidSpec(
        file: nil, field: "\(path).rows",
        problem:
          "is missing; give the task's samples as an array of rows (or a \"basis\" and \"samples\")"
      )
    }
  }

  static func number(_ value: JSONValue, at path: String) throws -> Double {
    guard case .number(let x) = value else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "must be a number, not \(value.kind)")
    }
    guard x.isFinite else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "is not finite; use a finite number")
    }
    guard abs(x) <= maximumMagnitude else {
      throw TheoryError.invalidSpec(
        file: nil, field: path,
        problem:
          "is \(x); spec numbers must lie within ±\(maximumMagnitude) so that the products and squares the engine forms stay finite — scale w* and the rows together"
      )
    }
    return x
  }

  /// The largest magnitude a spec number may have (1e100): squares of sums of products stay
  /// far below Double's 1.8e308.
  public static let maximumMagnitude = 1e100

  static func vector(_ value: JSONValue, at path: String) throws -> [Double] {
    guard case .array(let items) = value else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "must be an array of numbers, not \(value.kind)")
    }
    guard !items.isEmpty else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "is empty; give at least one number")
    }
    return try items.enumerated().map { try number($1, at: "\(path)[\($0)]") }
  }

  static func matrix(_ value: JSONValue, at path: String, width: Int, allowEmpty: Bool = false)
    throws -> Matrix<Double>
  {
    guard case .array(let rowValues) = value else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "must be an array of rows, not \(value.kind)")
    }
    guard !rowValues.isEmpty || allowEmpty else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "is empty; a task needs at least one sample")
    }
    var flat: [Double] = []
    flat.reserveCapacity(rowValues.count * width)
    for (i, rowValue) in rowValues.enumerated() {
      let row = try vector(rowValue, at: "\(path)[\(i)]")
      guard row.count == width else {
        throw TheoryError.invalidSpec(
          file: nil, field: "\(path)[\(i)]",
          problem:
            "has \(row.count) entries but w_star has \(width); every row needs one entry per feature"
        )
      }
      flat.append(contentsOf: row)
    }
    return try linalg { try Matrix(rows: rowValues.count, columns: width, elements: flat) }
  }

  static func index(_ value: JSONValue, at path: String) throws -> Int {
    let x = try number(value, at: path)
    guard x == x.rounded(), x >= 0, x < Double(Int32.max) else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "must be a whole number ≥ 0, not \(x)")
    }
    return Int(x)
  }

  static func indices(_ value: JSONValue, at path: String) throws -> [Int] {
    guard case .array(let items) = value else {
      throw TheoryError.invalidSpec(
        file: nil, field: path, problem: "must be an array of task indices, not \(value.kind)")
    }
    return try items.enumerated().map { try index($1, at: "\(path)[\($0)]") }
  }
}
