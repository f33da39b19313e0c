import ArgumentParser
import EngramLab
import EngramServe
import Foundation

/// `engram serve`: the results store as a live dashboard on localhost.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve the results store as web pages: the run list, runs, sweeps and studies.",
    discussion: """
      Pages: / (the run list; ?where=KEY=VALUE filters as engram runs list --where), \
      /runs/ID, /sweeps/ID, /studies/ID; anything else is HTTP 404. The plots are the \
      report's; pages of running runs reload every 2 s, so their curves grow while they train \
      (no JavaScript, no network resources). The store is only read. Binds 127.0.0.1 unless \
      --host says otherwise; stop with Ctrl-C.
      """)

  @Option(help: "The results store (SQLite).")
  var store: String = ResultsStore.defaultPath

  @Option(parsing: .unconditional, help: "The port.")
  var port: Int = 8080

  @Option(help: "The IPv4 address to listen on (0.0.0.0: every interface).")
  var host: String = "127.0.0.1"

  func validate() throws {
    try FlagCheck.whole("--port", port, in: 1...65535)
  }

  func run() throws {
    try reportingErrors {
      // A short wait: a writer holds the store for milliseconds; a page should not hang.
      let results = try ResultsStore(path: store, create: false, busyTimeout: 5)
      let server = DashboardServer(
        dashboard: Dashboard(store: results), host: host, port: UInt16(port))
      let done = DispatchSemaphore(value: 0)
      let outcome = Outcome()
      let (host, port, store) = (self.host, self.port, self.store)
      Task {
        do {
          try await server.run {
            // Written at once (not buffered): scripts wait for this line to know the port is up.
            FileHandle.standardOutput.write(
              Data("serving \(store) at http://\(host):\(port)/ (Ctrl-C stops)\n".utf8))
          }
        } catch {
          outcome.error = error
        }
        done.signal()
      }
      done.wait()
      if let error = outcome.error { throw CommandError(message: "\(error)") }
    }
  }

  /// The server task's error, handed to the waiting thread.
  private final class Outcome: @unchecked Sendable {
    var error: Error?
  }
}
