import EngramContinual
import EngramData
import EngramNN
import Foundation

/// Every setting of a continual-learning run (`engram run`), with the defaults of the Engram
/// reference protocol: Split Fashion-MNIST, class-incremental, 5 tasks, MLP 784-400-400-10,
/// SGD lr 0.01 momentum 0.9, batch 128, one epoch per task.
///
/// Keys are the same in YAML (snake_case) and on the command line (`--kebab-case`); `fields`
/// describes each once. Method hyperparameters are not fields of their own: each method's
/// descriptor declares them (`MethodRegistry`), and `method` holds the values set.
public struct RunConfig: Equatable, Sendable {
  // The stream.
  public var benchmark: BenchmarkKind = .split
  public var dataset = "fashion-mnist"
  public var scenario: Scenario = .class
  public var tasks = 5
  public var taskExamples: Int? = nil
  public var classOrder: [Int]? = nil
  public var groups: [[Int]]? = nil
  public var customTasks: [CustomTaskConfig]? = nil
  public var angles: [Double]? = nil
  public var permuteFirst = true
  public var blurry = 0.0
  public var classOutputs: ClassOutputs = .allSoFar
  public var preprocess: Preprocessing = .standardize
  // The network and its training.
  public var model: Architecture = .mlp(hidden: [400, 400])
  public var activation: Activation.Kind = .relu
  public var initializer: Initializer = .kaimingUniform
  public var optimizer: OptimizerKind = .sgd
  public var lr: Float? = nil
  public var momentum: Float = 0.9
  public var weightDecay: Float = 0
  public var upgdBeta: Float = 0.9
  public var upgdSigma: Float = 0.001
  public var upgdVariant: UPGDVariant = .protecting
  public var batch = 128
  public var epochs = 1
  public var iterations: Int? = nil
  public var resetOptimizer = false
  public var hideBoundaries = false
  // The method: which strategies, and the hyperparameters set for them.
  public var strategy: StrategySelection = .naive
  public var method = MethodSettings()
  /// Replay memory as a byte budget, turned into each method's example count for the stream.
  public var memoryBytes: Int? = nil
  /// How replayed rows weigh against new rows (nil: concatenate; refused next to a method
  /// that shapes the loss itself).
  public var replayLoss: BaseLoss.Combination? = nil
  // Evaluation and the run.
  public var evalEvery: Int? = nil
  public var evalSubset = 1000
  public var fwt = false
  public var diagnostics = false
  public var diagnosticsTau = 0.025
  public var diagnosticsExamples = 1000
  public var plasticityProbeEvery = 10
  public var forgettingEvents = false
  public var seed: UInt64 = 0
  public var threads = ProcessInfo.processInfo.activeProcessorCount
  /// The keys set explicitly so far (flags, YAML, sweeps), so that a long stream's protocol
  /// defaults fill in only the others (`withProtocolDefaults`).
  public var explicitKeys = ExplicitKeys()

  /// The defaults.
  public init() {}

  /// The learning rate in effect (0.01 for SGD, 0.001 for Adam unless set).
  public var effectiveLearningRate: Float { lr ?? (optimizer == .adam ? 0.001 : 0.01) }
}

/// Keys a configuration set explicitly. Not part of what a configuration is: two configurations
/// with the same values are equal however they were written.
public struct ExplicitKeys: Sendable, Equatable {
  /// The snake_case keys.
  public var keys: Set<String> = []
  /// An empty set.
  public init() {}
  public static func == (a: ExplicitKeys, b: ExplicitKeys) -> Bool { true }
}

/// The task sequences `benchmark` names.
public enum BenchmarkKind: String, Sendable, CaseIterable {
  /// Classes split into tasks.
  case split
  /// Pixel permutations.
  case permuted
  /// Rotations.
  case rotated
  /// The tasks of `custom_tasks`.
  case custom
  /// Online Permuted: hundreds of pixel permutations, one pass each, small batches.
  case onlinePermuted = "online-permuted"
  /// Label-permuted: the labels re-permuted per task (UPGD's protocol).
  case labelPermuted = "label-permuted"
  /// Slowly-changing regression (Dohare et al.'s bit-flipping problem).
  case bitFlipping = "bit-flipping"
  /// Continual pairs: binary tasks of random class pairs with a fresh head each.
  case pairs

  /// Whether this is a long loss-of-plasticity stream (evaluated per task at its end, with
  /// online accuracy, no accuracy matrix).
  public var isLongStream: Bool {
    switch self {
    case .onlinePermuted, .labelPermuted, .bitFlipping, .pairs: return true
    case .split, .permuted, .rotated, .custom: return false
    }
  }

  /// The protocol's settings (reference/plasticity.md §10, scaled to run in minutes on two
  /// cores), used for every key a configuration does not set itself.
  public var protocolDefaults: [(key: String, value: String)] {
    switch self {
    case .onlinePermuted:
      return [
        ("tasks", "200"), ("task_examples", "10000"), ("model", "mlp:100,100"), ("batch", "16"),
        ("epochs", "1"), ("lr", "0.01"), ("momentum", "0"), ("scenario", "domain"),
        ("preprocess", "none"),
      ]
    case .labelPermuted:
      return [
        ("tasks", "80"), ("task_examples", "2500"), ("model", "mlp:300,150"), ("batch", "1"),
        ("epochs", "1"), ("lr", "0.01"), ("momentum", "0"), ("scenario", "domain"),
        ("preprocess", "none"),
      ]
    case .pairs:
      return [
        ("tasks", "50"), ("task_examples", "600"), ("model", "mlp:100,100"), ("batch", "100"),
        ("epochs", "20"), ("lr", "0.01"), ("momentum", "0.9"), ("scenario", "domain"),
        ("preprocess", "none"),
      ]
    case .bitFlipping:
      return [
        ("tasks", "100"), ("task_examples", "10000"), ("model", "mlp:5"), ("batch", "1"),
        ("epochs", "1"), ("lr", "0.01"), ("momentum", "0"), ("scenario", "domain"),
        ("preprocess", "none"),
      ]
    case .split, .permuted, .rotated, .custom: return []
    }
  }
}

/// The optimisers `optimizer` names.
public enum OptimizerKind: String, Sendable, CaseIterable {
  /// SGD with momentum.
  case sgd
  /// Adam.
  case adam
  /// UPGD, utility-based perturbed gradient descent.
  case upgd
}

/// How UPGD gates its noise (`upgd_variant`).
public enum UPGDVariant: String, Sendable, CaseIterable {
  /// Gradient and noise both scaled by 1 − ū: useful weights are protected.
  case protecting
  /// Only the noise scaled by 1 − ū.
  case nonProtecting = "non-protecting"
}
