import Foundation

/// A sweep's runs grouped by configuration (everything but the seed), with each metric's
/// mean, standard deviation and 95 % confidence interval over seeds.
public struct SweepSummary: Sendable {
  /// One metric over a group's seeds.
  public struct Metric: Sendable, Equatable, Encodable {
    /// Runs with a value.
    public let n: Int
    /// Mean.
    public let mean: Double
    /// Sample standard deviation (0 for one run).
    public let sd: Double
    /// Lower end of the 95 % confidence interval of the mean (nil for one run).
    public let ciLow: Double?
    /// Upper end.
    public let ciHigh: Double?

    /// The summary of `values`.
    public init(_ values: [Double]) {
      n = values.count
      mean = Statistics.mean(values)
      sd = Statistics.standardDeviation(values)
      let half = Statistics.confidenceHalfWidth(values)
      ciLow = half.isNaN ? nil : mean - half
      ciHigh = half.isNaN ? nil : mean + half
    }
  }

  /// Runs sharing a configuration.
  public struct Group: Sendable {
    /// The group's values of the keys that vary across the sweep.
    public let settings: [String: String]
    /// The runs' ids.
    public let runIDs: [Int64]
    /// Their seeds.
    public let seeds: [UInt64]
    /// Each metric (only those every run of the group defines).
    public let metrics: [String: Metric]
  }

  /// The sweep.
  public let sweep: SweepRecord
  /// Keys whose values differ between groups, in a stable order.
  public let varying: [String]
  /// The groups, in the order their first run appears.
  public let groups: [Group]
  /// Metric names that appear, in display order.
  public let metricNames: [String]
  /// Runs of the sweep not complete (failed or still running), by status.
  public let incomplete: [String: Int]

  /// Summarises sweep `id` (the newest when nil).
  /// - Throws: `StoreError.unknown` for a sweep that does not exist.
  public static func make(store: ResultsStore, sweep id: Int64?) throws -> SweepSummary {
    let sweep = try store.sweep(id)
    let own = try store.summaries(sweep: sweep.id)
    // The study is its configurations: runs skipped because an earlier sweep already had
    // them complete count too (found by run key through the sweep's folder).
    var runKeys = Set(own.map(\.runKey))
    if let directory = sweep.directory {
      let folder = SweepFolder(URL(fileURLWithPath: directory))
      if let keys = folder.runKeys() {
        runKeys.formUnion(keys)
      } else {
        for index in 0..<sweep.total {
          if let config = try? folder.runConfig(index) { runKeys.insert(config.runKey) }
        }
      }
    }
    var byKey: [String: RunSummary] = [:]
    for run in try store.summaries() where run.status == .complete && runKeys.contains(run.runKey) {
      if run.sweepID == sweep.id || byKey[run.runKey]?.sweepID != sweep.id {
        byKey[run.runKey] = run
      }
    }
    let complete = byKey.values.sorted { $0.id < $1.id }
    var incomplete: [String: Int] = [:]
    for run in own where run.status != .complete && byKey[run.runKey] == nil {
      incomplete[run.status.rawValue, default: 0] += 1
    }
    let flats = complete.map { ResultsStore.flatConfig($0.config) }
    let ignored: Set<String> = ["seed", "threads"]
    let keys = Set(flats.flatMap(\.keys)).subtracting(ignored).sorted()
    let varying = keys.filter { key in Set(flats.map { $0[key] ?? "" }).count > 1 }
    var order: [String] = []
    var members: [String: [(RunSummary, [String: String])]] = [:]
    for (run, flat) in zip(complete, flats) {
      let identity = keys.map { "\($0)=\(flat[$0] ?? "")" }.joined(separator: "\n")
      if members[identity] == nil { order.append(identity) }
      members[identity, default: []].append((run, flat))
    }
    let names = RunMetrics.names + ["seconds"]
    var seen: Set<String> = []
    let groups = order.map { identity -> Group in
      let items = members[identity] ?? []
      var metrics: [String: Metric] = [:]
      for name in names {
        let values = items.compactMap { name == "seconds" ? $0.0.seconds : $0.0.metrics[name] }
        if values.count == items.count, !values.isEmpty {
          metrics[name] = Metric(values)
          seen.insert(name)
        }
      }
      let first = items.first?.1 ?? [:]
      return Group(
        settings: Dictionary(uniqueKeysWithValues: varying.map { ($0, first[$0] ?? "") }),
        runIDs: items.map(\.0.id), seeds: items.map(\.0.seed), metrics: metrics)
    }
    return SweepSummary(
      sweep: sweep, varying: varying, groups: groups,
      metricNames: names.filter(seen.contains), incomplete: incomplete)
  }
}
