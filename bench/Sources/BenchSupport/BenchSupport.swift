import Foundation

/// What every benchmark line reports about the machine.
public struct Machine: Encodable {
  public let cpu: String
  public let cores: Int
  public let os: String

  public static var current: Machine {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model =
      info.split(separator: "\n").first { $0.hasPrefix("model name") }
      .map {
        $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
          ?? ""
      } ?? "unknown"
    return Machine(
      cpu: model ?? "unknown", cores: ProcessInfo.processInfo.activeProcessorCount,
      os: ProcessInfo.processInfo.operatingSystemVersionString)
  }
}

/// The benchmark package's folder (for reference scripts).
public func benchDirectory(file: String = #filePath) -> URL {
  URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}

/// Runs a reference script with the benchmark's Python (ENGRAM_BENCH_PYTHON, else the venv
/// in bench/.venv if present, else python3) and decodes the JSON it prints last.
public func runReference<T: Decodable>(
  _ script: String, arguments: [String], threads: Int, as type: T.Type
) throws -> T {
  let bench = benchDirectory()
  let venv = bench.appendingPathComponent(".venv/bin/python3").path
  let python =
    ProcessInfo.processInfo.environment["ENGRAM_BENCH_PYTHON"]
    ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env")
  let process = Process()
  process.executableURL = URL(fileURLWithPath: python)
  let path = bench.appendingPathComponent("reference").appendingPathComponent(script).path
  process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + [path] + arguments
  var environment = ProcessInfo.processInfo.environment
  for key in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] {
    environment[key] = "\(threads)"
  }
  process.environment = environment
  let out = Pipe()
  process.standardOutput = out
  try process.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0,
    let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last
  else {
    throw BenchError(
      message:
        "reference \(script) failed (status \(process.terminationStatus)); see bench/README.md for its Python set-up"
    )
  }
  return try JSONDecoder().decode(T.self, from: Data(line.utf8))
}

/// A benchmark failure.
public struct BenchError: Error, CustomStringConvertible {
  public let message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}

/// Best-of-n wall time of `body`, in seconds.
public func bestTime(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
  var best = Double.infinity
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return best
}

/// Prints one JSON line with sorted keys.
public func emit<T: Encodable>(_ value: T) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs a command, returning its wall time and last output line.
public func timed(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Double, String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  for (k, v) in environment { env[k] = v }
  process.environment = env
  let out = Pipe()
  process.standardOutput = out
  process.standardError = FileHandle.nullDevice
  let start = DispatchTime.now().uptimeNanoseconds
  try process.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  guard process.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
    throw BenchError(message: "\(executable) \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus))")
  }
  return (seconds, String(line))
}

/// The release `engram` binary (ENGRAM_BIN, else ../.build/release/engram).
/// - Throws: `BenchError` when it has not been built.
public func engramBinary() throws -> String {
  let path = ProcessInfo.processInfo.environment["ENGRAM_BIN"]
    ?? benchDirectory().deletingLastPathComponent().appendingPathComponent(".build/release/engram").path
  guard FileManager.default.isExecutableFile(atPath: path) else {
    throw BenchError(message: "\(path) not found: build it first with `swift build -c release --product engram` in the repository root")
  }
  return path
}

/// The Python that runs reference scripts: ENGRAM_BENCH_PYTHON, bench/.venv, or /usr/bin/python3.
public func referencePython() -> String {
  let venv = benchDirectory().appendingPathComponent(".venv/bin/python3").path
  return ProcessInfo.processInfo.environment["ENGRAM_BENCH_PYTHON"]
    ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3")
}
