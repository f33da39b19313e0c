import EngramContinual
import EngramData
import EngramNN
import Foundation

/// Every setting of a continual-learning run (`engram run`), with the defaults of the Engram
/// reference protocol: Split Fashion-MNIST, class-incremental, 5 tasks, MLP 784-400-400-10,
/// SGD lr 0.01 momentum 0.9, batch 128, one epoch per task.
///
/// Keys are the same in YAML (snake_case) and on the command line (`--kebab-case`); `fields`
/// describes each once. Strategy hyperparameters default to the values in
/// reference/methods.md (nil here means "the strategy's documented default").
public struct RunConfig: Equatable, Sendable {
  // The stream.
  public var benchmark = "split"
  public var dataset = "fashion-mnist"
  public var scenario: Scenario = .class
  public var tasks = 5
  public var classOrder: [Int]? = nil
  public var groups: [[Int]]? = nil
  public var customTasks: [CustomTaskConfig]? = nil
  public var angles: [Double]? = nil
  public var permuteFirst = true
  public var blurry = 0.0
  public var classOutputs: ClassOutputs = .allSoFar
  public var preprocess: Preprocessing = .standardize
  // The network and its training.
  public var model = "mlp:400,400"
  public var initializer: Initializer = .kaimingUniform
  public var optimizer = "sgd"
  public var lr: Float? = nil
  public var momentum: Float = 0.9
  public var weightDecay: Float = 0
  public var batch = 128
  public var epochs = 1
  public var iterations: Int? = nil
  public var resetOptimizer = false
  public var hideBoundaries = false
  // The strategy.
  public var strategy = "naive"
  public var memory: Int? = nil
  public var memoryBytes: Int? = nil
  public var memoryPerTask: Int? = nil
  public var replayBatch: Int? = nil
  public var memoryFilling: ExperienceReplay.Filling = .reservoir
  public var selection: SelectionPolicy = .random
  public var replayLoss: BaseLoss.Combination = .concatenate
  public var ewcLambda: Float = 100
  public var fisher: EWC.FisherLabels = .empirical
  public var fisherSamples: Int? = nil
  public var ewcGamma: Float = 1
  public var siC: Float = 0.1
  public var siXi: Float = 0.1
  public var masLambda: Float = 0.1
  public var lwfLambda: Float = 1
  public var lwfTemperature: Float = 2
  public var kdForm: Distillation.Form = .crossEntropy
  public var kdSquaredTemperature = false
  public var gemMargin = 0.5
  public var agemBatch = 256
  public var derAlpha: Float? = nil
  public var derBeta: Float? = nil
  public var derReduction: DarkExperienceReplay.Reduction = .mean
  public var aceVariant: ERACE.Variant = .mammoth
  public var gdumbEpochs = 128
  // Evaluation and the run.
  public var evalEvery: Int? = nil
  public var evalSubset = 1000
  public var fwt = false
  public var seed: UInt64 = 0
  public var threads = ProcessInfo.processInfo.activeProcessorCount

  /// The defaults.
  public init() {}

  /// The learning rate in effect (0.01 for SGD, 0.001 for Adam unless set).
  public var effectiveLearningRate: Float { lr ?? (optimizer == "adam" ? 0.001 : 0.01) }
}
