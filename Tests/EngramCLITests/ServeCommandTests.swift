import EngramTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A process started in the background with its output in a file (a pipe nobody reads
/// would fill up and block it), stopped when the test ends.
final class Background {
  let process = Process()
  let log: URL

  init(_ arguments: [String], in directory: URL, log name: String) throws {
    log = directory.appendingPathComponent(name)
    FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.executableURL = CLI.executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
  }

  /// Waits until the output contains `text`, the process ends, or `seconds` pass.
  func waitFor(_ text: String, seconds: Double = 60) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      let seen = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      if seen.contains(text) { return true }
      if !process.isRunning { return false }
      Thread.sleep(forTimeInterval: 0.1)
    }
    return false
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGTERM)
      process.waitUntilExit()
    }
  }
}

@Suite("engram serve")
struct ServeCommandTests {
  /// A free port on 127.0.0.1, chosen by the kernel.
  func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    #expect(bound == 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  func fetch(_ url: String) throws -> (status: Int, body: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", """
      import sys, urllib.request, urllib.error
      try:
          r = urllib.request.urlopen(sys.argv[1], timeout=10); print(r.status); sys.stdout.write(r.read().decode())
      except urllib.error.HTTPError as e:
          print(e.code); sys.stdout.write(e.read().decode())
      """, url]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    return (Int(lines.first ?? "") ?? 0, lines.count > 1 ? String(lines[1]) : "")
  }

  /// Points drawn on the page's line charts (the vertices of every polyline).
  func curvePoints(_ html: String) -> Int {
    html.components(separatedBy: "<polyline points=\"").dropFirst().reduce(0) {
      $0 + ($1.prefix { $0 != "\"" }.split(separator: " ").count)
    }
  }

  @Test(
    "a running run's page in headless Chromium: its curve grows between two screenshots",
    .enabled(if: chromiumPath != nil, "Chromium is not installed (apt-get install chromium)"))
  func liveRunInBrowser() throws {
    let work = try Fixtures.temporaryDirectory("serve")
    let port = try freePort()
    let run = try Background(
      [
        "run", "--dataset", "synthetic", "--tasks", "2", "--iterations", "15000", "--batch", "16",
        "--model", "mlp:64", "--eval-every", "100", "--threads", "1",
      ], in: work, log: "run.log")
    // The row exists once the run has started training.
    #expect(run.waitFor("task 1/2"))
    let serve = try Background(["serve", "--port", "\(port)"], in: work, log: "serve.log")
    #expect(serve.waitFor("serving"))
    let page = "http://127.0.0.1:\(port)/runs/1"
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/render-report")
    func screenshot(_ name: String) throws -> Data {
      let process = Process()
      process.executableURL = script
      process.arguments = [page, work.appendingPathComponent(name).path, "1100"]
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      return try Data(contentsOf: work.appendingPathComponent(name))
    }
    let first = try fetch(page)
    #expect(first.status == 200 && first.body.contains("http-equiv=\"refresh\""))
    let before = try screenshot("before.png")
    Thread.sleep(forTimeInterval: 3)
    let second = try fetch(page)
    let after = try screenshot("after.png")
    #expect(curvePoints(second.body) > curvePoints(first.body), "the curve grew")
    #expect(before != after, "the screenshots differ")
    #expect(before.count > 20_000 && after.count > 20_000, "rendered pages, not blank ones")
    // The list, an unknown id, and the store untouched by the server (only the run writes).
    #expect(try fetch("http://127.0.0.1:\(port)/").body.contains("/runs/1"))
    #expect(try fetch("http://127.0.0.1:\(port)/runs/42").status == 404)
    #expect(try fetch("http://127.0.0.1:\(port)/sweeps/1").status == 404)
    let busy = try CLI.run(["serve", "--port", "\(port)"], in: work)
    #expect(busy.status == 1 && busy.stderr.contains("is in use by another program"), "\(busy.stderr)")
  }
}

@Suite("Shell completions")
struct CompletionTests {
  @Test("engram --generate-completion-script writes bash, zsh and fish scripts for every command")
  func completions() throws {
    for shell in ["bash", "zsh", "fish"] {
      let result = try CLI.run(["--generate-completion-script", shell])
      #expect(result.status == 0, "\(shell): \(result.stderr)")
      for command in ["serve", "run", "sweep", "theory", "tensorboard"] {
        #expect(result.stdout.contains(command), "\(shell) completes \(command)")
      }
    }
    let unknown = try CLI.run(["--generate-completion-script", "tcsh"])
    #expect(unknown.status != 0)
  }
}
