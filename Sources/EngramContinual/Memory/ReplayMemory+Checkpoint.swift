import EngramNN
import Foundation

extension ReplayMemory {
  /// Everything a memory holds, for checkpoints: rows as raw bytes or Floats, logits, and the
  /// slot bookkeeping.
  public struct State: Codable, Sendable {
    var bytes: Data
    var floats: PackedFloats
    var logits: PackedFloats
    var labels: [Int32]
    var tasks: [Int32]
    var origins: [ExampleReference?]
    var occupied: [Int]
  }

  /// The contents now.
  public var state: State {
    State(
      bytes: Data((0..<(storesBytes ? capacity : 0)).flatMap { rowBytes($0) }),
      floats: PackedFloats(storesBytes ? [] : (0..<capacity).flatMap { rowFloats($0) }),
      logits: PackedFloats(logits), labels: labels, tasks: tasks, origins: origins,
      occupied: occupied)
  }

  /// Takes over contents saved from a memory of the same size and layout.
  /// - Throws: `ModelError.checkpointMismatch` naming the part whose size differs.
  public func restore(_ state: State) throws {
    func check(_ field: String, _ found: Int, _ expected: Int) throws {
      guard found == expected else {
        throw ModelError.checkpointMismatch(
          file: "checkpoint", field: "memory.\(field)", expected: "\(expected) values",
          found: "\(found)")
      }
    }
    try check("labels", state.labels.count, capacity)
    try check("tasks", state.tasks.count, capacity)
    try check("origins", state.origins.count, capacity)
    try check("bytes", state.bytes.count, storesBytes ? capacity * width : 0)
    try check("floats", state.floats.values.count, storesBytes ? 0 : capacity * width)
    try check("logits", state.logits.values.count, capacity * logitWidth)
    guard Set(state.occupied).count == state.occupied.count,
      state.occupied.allSatisfy({ $0 >= 0 && $0 < capacity })
    else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: "memory.occupied", expected: "distinct slots below \(capacity)",
        found: "\(state.occupied.count) slots")
    }
    if storesBytes { setRows(bytes: [UInt8](state.bytes)) } else { setRows(floats: state.floats.values) }
    setLogits(state.logits.values)
    setBookkeeping(
      labels: state.labels, tasks: state.tasks, origins: state.origins, occupied: state.occupied)
  }
}
