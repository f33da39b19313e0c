import EngramRandom

/// Vitter's Algorithm R: after N offers each example is stored with probability min(1, M/N).
///
/// With n examples seen before the current one: n < M stores at slot n; otherwise r is drawn
/// uniformly from {0, …, n} and the example overwrites slot r when r < M, else is discarded.
/// See reference/methods.md §2.1 (oracle O3).
public struct ReservoirSampler: Sendable, Equatable {
  /// Capacity M.
  public let capacity: Int
  /// Examples offered so far (n).
  public private(set) var seen = 0

  /// A sampler for a memory of `capacity` slots.
  public init(capacity: Int) { self.capacity = capacity }

  /// The slot for the next example, or nil to discard it, drawing from `stream`.
  public mutating func nextSlot(using stream: inout RandomStream) -> Int? {
    nextSlot(draw: seen < capacity ? nil : stream.nextInt(below: seen + 1))
  }

  /// The slot for the next example given the draw r ∈ {0…n} (nil while the memory fills).
  public mutating func nextSlot(draw: Int?) -> Int? {
    defer { seen += 1 }
    if seen < capacity { return seen }
    guard let draw, draw < capacity else { return nil }
    return draw
  }

  /// Restores the count (checkpoints).
  public mutating func restore(seen: Int) { self.seen = seen }
}

/// GDumb's greedy class-balanced sampler (Prabhu et al. 2020; reference/methods.md §5.2, O3).
///
/// Stores while not full; otherwise, if the class of y has fewer than M/|C_seen| examples
/// (C_seen including y), evicts an example of the currently largest class (ties: smallest
/// class id) — its oldest, or a random one — and stores y; else discards.
public struct GreedyClassBalancedSampler: Sendable {
  /// Which example of the largest class leaves.
  public enum Eviction: String, Sendable, Codable {
    /// The oldest stored (deterministic; the reference's oracle convention).
    case oldest
    /// A uniformly random one (the GDumb paper).
    case random
  }
  /// Capacity M.
  public let capacity: Int
  /// Eviction rule.
  public let eviction: Eviction
  /// Slots per class, oldest first.
  public private(set) var slotsByClass: [Int32: [Int]] = [:]
  private var filled = 0

  /// A sampler for `capacity` slots.
  public init(capacity: Int, eviction: Eviction = .random) {
    self.capacity = capacity
    self.eviction = eviction
  }

  /// Decides where an example of class `label` goes: a free slot, a slot to overwrite, or nil.
  public mutating func place(label: Int32, using stream: inout RandomStream) -> Int? {
    if filled < capacity {
      let slot = filled
      filled += 1
      slotsByClass[label, default: []].append(slot)
      return slot
    }
    let classes = Set(slotsByClass.filter { !$0.value.isEmpty }.keys).union([label])
    let quota = Double(capacity) / Double(classes.count)
    guard Double(slotsByClass[label]?.count ?? 0) < quota else { return nil }
    guard
      let largest = slotsByClass.filter({ !$0.value.isEmpty })
        .max(by: {
          $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key)
        })?.key
    else { return nil }
    var members = slotsByClass[largest] ?? []
    let at = eviction == .oldest ? 0 : stream.nextInt(below: members.count)
    let slot = members.remove(at: at)
    slotsByClass[largest] = members
    slotsByClass[label, default: []].append(slot)
    return slot
  }

  /// Stored examples per class.
  public var counts: [Int32: Int] { slotsByClass.mapValues(\.count) }

  /// The state as integers: filled, then (class, count, slots…) per class.
  public var state: [Int] {
    [filled]
      + slotsByClass.keys.sorted().flatMap {
        [Int($0), slotsByClass[$0]?.count ?? 0] + (slotsByClass[$0] ?? [])
      }
  }

  /// Restores `state`.
  public mutating func restore(_ state: [Int]) {
    guard let first = state.first else { return }
    filled = first
    slotsByClass = [:]
    var i = 1
    while i + 1 < state.count {
      let label = Int32(state[i])
      let n = state[i + 1]
      slotsByClass[label] = Array(state[(i + 2)..<min(state.count, i + 2 + n)])
      i += 2 + n
    }
  }
}

/// Splits a budget M over groups as evenly as possible: ⌊M/g⌋ each, the remainder one each to
/// the first groups (Avalanche's `get_group_lengths`; O3: 10 over 3 → [4, 3, 3]).
public func balancedQuotas(budget: Int, groups: Int) -> [Int] {
  guard groups > 0 else { return [] }
  return (0..<groups).map { budget / groups + ($0 < budget % groups ? 1 : 0) }
}
