import EngramRandom

extension TaskStream {
  /// A stream with blurry boundaries: a `fraction` of each task's training examples moves to
  /// a neighbouring task (t − 1 or t + 1, at random), so neighbouring tasks' classes mix.
  /// Moved examples keep their own labels and transforms; test sets do not change.
  /// - Throws: `TrainingError.invalidSetting` unless 0 ≤ fraction < 1.
  public func blurred(fraction: Double, using stream: inout RandomStream) throws -> TaskStream {
    guard fraction >= 0, fraction < 1 else {
      throw TrainingError.invalidSetting(
        name: "blurry", value: "\(fraction)", allowed: "must lie in [0, 1)")
    }
    guard fraction > 0, tasks.count > 1 else { return self }
    var views = [[ExampleReference]](repeating: [], count: tasks.count)
    for t in tasks.indices {
      var own = trainingViews[t]
      stream.shuffle(&own)
      let moved = Int((Double(own.count) * fraction).rounded())
      for (i, example) in own.enumerated() {
        guard i < moved else {
          views[t].append(example)
          continue
        }
        let neighbour =
          t == 0
          ? 1 : (t == tasks.count - 1 ? t - 1 : (stream.nextInt(below: 2) == 0 ? t - 1 : t + 1))
        views[neighbour].append(example)
      }
    }
    return TaskStream(
      name: name + ", blurry \(fraction)", scenario: scenario, classOutputs: classOutputs,
      tasks: tasks, outputCount: outputCount, views: ExampleViews(views), testViews: testViews)
  }
}
