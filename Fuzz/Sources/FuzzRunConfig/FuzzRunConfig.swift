import EngramLab

/// A YAML run config (the input as text) applied over the defaults, then validated — the path
/// of `engram run --config` and of a checkpoint's `config.json`.
/// Throwing is an answer; a crash, a hang or a huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var config = RunConfig()
  do {
    try config.apply(yaml: text, file: "fuzz.yaml")
    try config.validate()
    _ = config.json
  } catch {}
  return 0
}
