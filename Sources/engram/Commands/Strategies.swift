import ArgumentParser
import EngramLab

/// `engram strategies`: the methods `--strategy` accepts, from the registry.
struct Strategies: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List every strategy with its hyperparameters, defaults and roles.")

  @Flag(help: "Print the Markdown page docs/strategies.md is generated from.")
  var markdown = false

  func run() throws {
    print(markdown ? MethodCatalog.markdown() : MethodCatalog.text(), terminator: "")
  }
}
