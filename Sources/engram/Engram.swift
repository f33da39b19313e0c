import ArgumentParser
import Foundation

/// The `engram` command-line tool.
@main
struct Engram: ParsableCommand {

  static let configuration = CommandConfiguration(
    commandName: "engram",
    abstract: "Continual learning, measured: exact replay theory, networks, studies.",
    subcommands: [
      Demo.self, Run.self, Strategies.self, Runs.self, Sweep.self, ReportCommand.self, Serve.self, Train.self,
      Theory.self,
      ReplayStudyCommand.self, ReplayAdviceCommand.self,
    ])

  static func main() {
    // A parent may start engram with SIGINT/SIGTERM blocked (a worker thread of another
    // program, a test runner); blocked, they would stay pending and nothing could stop it.
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    sigaddset(&stopSignals, SIGINT)
    sigaddset(&stopSignals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
    main(nil)
  }
}
