import EngramTheory
import Foundation

/// A theory spec (the input as JSON bytes), as `engram theory forgetting --spec` reads it.
/// Throwing is an answer; a crash, a hang or a huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheorySpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  _ = try? RegressionSpec(json: Data(bytes: data, count: size), file: "fuzz.json")
  return 0
}
