import EngramLab
import Foundation

private let folder = URL(fileURLWithPath: "/var/empty-engram-fuzz", isDirectory: true)

/// A sweep file (the input as text), expanded into its runs with the CLI's run limit.
/// A `config:` path resolves against an empty folder, so only absolute paths reach files.
/// Throwing is an answer; a crash, a hang or a huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSweep(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = try? SweepDefinition.parse(text, file: "fuzz.yaml", folder: folder)
  return 0
}
