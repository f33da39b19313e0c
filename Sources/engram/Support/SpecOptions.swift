import ArgumentParser
import EngramIO
import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation

/// `--order`: identity, cyclic:N (N passes), random:K (K uniform draws), or explicit indices.
struct OrderArgument: ExpressibleByArgument {
  let order: TaskOrder
  /// The text as given, for messages.
  let text: String

  init?(argument: String) {
    let text = argument.trimmingCharacters(in: .whitespaces)
    self.text = text
    if text == "identity" {
      order = .identity
    } else if text.hasPrefix("cyclic:"), let n = Int(text.dropFirst(7)), n >= 1 {
      order = .cyclic(passes: n)
    } else if text.hasPrefix("random:"), let k = Int(text.dropFirst(7)), k >= 1 {
      order = .random(iterations: k)
    } else {
      let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
      order = .explicit(parts.compactMap { $0 })
    }
  }

  static var defaultValueDescription: String { "identity | cyclic:N | random:K | 0,1,0" }
}

/// The options that load a spec file and turn it into concrete tasks.
struct SpecOptions: ParsableArguments {
  @Option(help: "The task-sequence spec (JSON).")
  var spec: String?

  @Option(
    help:
      "Training order, overriding the spec's: identity, cyclic:N, random:K, or indices like 0,1,0.")
  var order: OrderArgument?

  @Option(parsing: .unconditional, help: "Seed for sampling basis tasks, random orders and replay draws.")
  var seed: UInt64 = 0

  func validate() throws {
    try FlagCheck.seed(seed)
  }

  /// The spec (with the order applied) and its tasks sampled from stream `.noise`, as the
  /// constructions sample theirs. The random order draws from stream `.ordering`.
  func load() throws -> (spec: RegressionSpec, sequence: TaskSequence) {
    guard let path = spec else { throw CommandError(message: "--spec is required") }
    var parsed = try RegressionSpec(contentsOf: URL(fileURLWithPath: path))
    let streams = RandomStreams(seed: seed)
    if let order {
      var stream = streams.stream(.ordering)
      let indices: [Int]
      do {
        indices = try order.order.indices(taskCount: parsed.sources.count, using: &stream)
      } catch let error as TheoryError {
        // The library names the order's parameter (passes, iterations, order[i]); here the
        // user typed --order.
        throw CommandError(message: "--order \(abbreviated(order.text)): \(error)")
      }
      parsed = try parsed.with(order: indices)
    }
    var noise = streams.stream(.noise)
    do {
      return (parsed, try parsed.sequence(using: &noise))
    } catch TheoryError.invalidSpec(nil, let field, let problem) {
      throw TheoryError.invalidSpec(
        file: URL(fileURLWithPath: path).lastPathComponent, field: field, problem: problem)
    }
  }
}
