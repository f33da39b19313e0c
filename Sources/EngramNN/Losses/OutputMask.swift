/// Which output units (classes) take part in a loss.
///
/// Inactive logits are treated as −∞: excluded from the softmax, with zero gradient. A mask is
/// either shared by every example (class-incremental "all classes seen so far") or given per
/// example (task-incremental: each example's own task's classes).
public struct OutputMask: Sendable, Equatable {
  /// 1 for active, 0 for inactive; `classes` entries, or rows × classes when per example.
  public var active: [UInt8]
  /// Number of output units.
  public let classes: Int
  /// Whether `active` holds one row per example.
  public let perExample: Bool
  /// The row of `active` that batch row 0 uses (lets a segment of a batch share one buffer).
  public var firstRow = 0

  /// A mask from raw flags.
  public init(active: [UInt8], classes: Int, perExample: Bool, firstRow: Int = 0) {
    self.active = active
    self.classes = classes
    self.perExample = perExample
    self.firstRow = firstRow
  }

  /// Every unit active.
  public static func all(_ classes: Int) -> OutputMask {
    OutputMask(active: [UInt8](repeating: 1, count: classes), classes: classes, perExample: false)
  }

  /// Only the listed units active, for every example.
  public static func only<S: Sequence>(_ units: S, of classes: Int) -> OutputMask
  where S.Element == Int {
    var active = [UInt8](repeating: 0, count: classes)
    for u in units { active[u] = 1 }
    return OutputMask(active: active, classes: classes, perExample: false)
  }

  /// A mask per example (rows × classes of 0/1).
  public static func perExample(_ rows: [[Bool]]) -> OutputMask {
    let classes = rows.first?.count ?? 0
    return OutputMask(
      active: rows.flatMap { $0.map { $0 ? 1 : 0 } }, classes: classes, perExample: true)
  }

  /// The active flags for example `row`.
  @inline(__always) func row(_ r: Int, _ base: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
    perExample ? base + (firstRow + r) * classes : base
  }

  /// Whether unit `unit` is active for example `row`.
  public func isActive(_ unit: Int, row: Int = 0) -> Bool {
    active[(perExample ? (firstRow + row) * classes : 0) + unit] != 0
  }
}
