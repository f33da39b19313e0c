import Foundation

/// Runs the built `engram` binary and captures what it prints.
struct CLIResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum CLI {
  /// The `engram` executable, next to the test bundle in the build folder.
  static var executable: URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
      .deletingLastPathComponent().appendingPathComponent("engram")
  }

  /// Runs engram with `arguments` in `directory` (default: a fresh temporary folder, so the
  /// default results store `.engram/` never lands in the source tree).
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
  ) throws -> CLIResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.currentDirectoryURL =
      try directory
      ?? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
          "engram-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
      }()
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Writes `text` to a fresh temporary file and returns its path.
  static func temporaryFile(_ text: String, name: String = "spec.json") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "engram-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }
}

let o1Spec =
  #"{"w_star": [0.6, 0.8], "tasks": [{"rows": [[1, 0]]}, {"rows": [[0.7071067811865476, 0.7071067811865476]]}]}"#
