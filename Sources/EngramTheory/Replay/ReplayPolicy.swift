import EngramLinalg

/// How a memory of m samples is chosen from a pool.
public enum ReplayPolicy: String, Sendable, CaseIterable, Codable {
  /// Uniformly at random without replacement (the paper's average case).
  case random
  /// Greedily, one sample at a time, the sample that leaves the least forgetting.
  case greedyMinimizing = "greedy-min"
  /// Greedily, one sample at a time, the sample that leaves the most forgetting — a
  /// constructive search for harmful replay (the paper's worst case picks x₂ this way).
  case greedyMaximizing = "greedy-max"
}

/// A memory chosen by a deterministic policy, with the forgetting it leaves.
public struct ChosenMemory: Sendable, Equatable {
  /// Indices of the chosen pool rows, in the order they were picked.
  public let indices: [Int]
  /// Forgetting with that memory replayed.
  public let forgetting: Double
}

extension ReplayExperiment {
  /// Chooses m rows of a `.rows` pool greedily under a policy.
  ///
  /// Greedy choice is not globally optimal, but each step is exact, and the search costs
  /// O(m·n) forgetting evaluations for a pool of n rows.
  /// - Throws: `TheoryError.unsupportedParameter` for a random policy or a subspace pool;
  ///   `TheoryError.memoryTooLarge`.
  public func chooseMemory(size m: Int, policy: ReplayPolicy) throws -> ChosenMemory {
    guard policy != .random else {
      throw TheoryError.unsupportedParameter(
        name: "policy random", context: "chooseMemory",
        hint: "use expectedForgetting(memory:draws:using:)")
    }
    guard case .rows(let candidates) = pool else {
      throw TheoryError.unsupportedParameter(
        name: "policy \(policy.rawValue)", context: "a Gaussian subspace pool",
        hint:
          "greedy policies need a finite pool of rows; use a spec or a construction with explicit rows"
      )
    }
    guard m >= 0, m <= candidates.rows else {
      throw TheoryError.memoryTooLarge(requested: m, available: candidates.rows, task: poolTask)
    }
    var chosen: [Int] = []
    var best = noReplayForgetting
    for _ in 0..<m {
      var pick: (index: Int, value: Double)? = nil
      for i in 0..<candidates.rows where !chosen.contains(i) {
        let value = try forgetting(replayingPoolRows: chosen + [i])
        let better =
          policy == .greedyMinimizing
          ? value < (pick?.value ?? .infinity) : value > (pick?.value ?? -.infinity)
        if better { pick = (i, value) }
      }
      guard let pick else { break }
      chosen.append(pick.index)
      best = pick.value
    }
    return ChosenMemory(indices: chosen, forgetting: best)
  }
}
