import ArgumentParser
import EngramLinalg

/// `engram theory`: exact continual linear regression with replay.
struct Theory: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Exact continual linear regression with replay (Mahdaviyeh et al. 2025; Evron et al. 2022).",
    discussion: """
      Tasks are noiseless linear regressions trained to convergence (the minimum-norm update \
      w_t = w_{t-1} + X_t⁺(y_t − X_t w_{t-1})). Forgetting is the loss on earlier tasks at the \
      end, normalised as in Mahdaviyeh et al. (m25, default) or Evron et al. (e22).
      """,
    subcommands: [
      TheoryForgetting.self, TheoryAngles.self, TheoryExpected.self, TheorySweepCommand.self,
      TheoryConstruction.self, TheoryDemo.self,
    ])
}

/// Options every theory command shares.
struct TheoryCommonOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "BLAS threads (results are bit-identical for a fixed seed and thread count).")
  var threads: Int = 1

  func validate() throws {
    try FlagCheck.setting("threads", .int(threads), flag: "--threads")
  }

  func apply() {
    BLASThreads.set(threads)
  }
}
