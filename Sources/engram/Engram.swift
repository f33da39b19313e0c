import ArgumentParser

/// The `engram` command-line tool.
@main
struct Engram: ParsableCommand {

  static let configuration = CommandConfiguration(
    commandName: "engram",
    abstract: "Continual learning, measured: exact replay theory, networks, studies.",
    subcommands: [
      Demo.self, Run.self, Strategies.self, Runs.self, Sweep.self, ReportCommand.self, Train.self,
      Theory.self,
      ReplayStudyCommand.self, ReplayAdviceCommand.self,
    ])
}
