/// The three scenarios of van de Ven et al. ("Three types of incremental learning", 2022):
/// what the learner is told at test time and which outputs compete.
/// See reference/methods.md §8.1.
public enum Scenario: String, Sendable, CaseIterable, Codable {
  /// Task identity given: each task's own output units, masked ("multi-headed").
  case task
  /// Task identity not given, nor needed: one shared head; labels are remapped to their
  /// position within the task (Split: first or second class of the pair).
  case domain
  /// Task identity not given and must be inferred: one head over all classes.
  case `class`
}

/// Which output units are active while training in the class-incremental scenario.
///
/// `allSoFar` (van de Ven's default): the classes of tasks 1…t; `all`: every unit (a plain
/// C-way classifier); `current`: only the current task's units (trained like task-incremental,
/// tested class-incremental). The choice changes class-incremental results a lot (§8.1).
/// At test time predictions are over the classes seen so far, or over all units with `all`.
public enum ClassOutputs: String, Sendable, CaseIterable, Codable {
  /// Classes of the tasks seen so far.
  case allSoFar = "all-so-far"
  /// All output units.
  case all
  /// The current task's classes.
  case current
}
