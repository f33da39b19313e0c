import EngramData
import FuzzSupport

private let file = ScratchFile(name: "idx")

/// The IDX reader on a file holding the input as is (raw IDX, or gzip when the input starts
/// with the gzip magic), then on the input wrapped in a valid gzip file of one or two members.
/// Throwing is an answer; a crash, a hang or a huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  file.write(input)
  _ = try? IDXReader.read(file.url)
  file.write(StoredGzip.wrap(input, members: 1 + size % 2))
  _ = try? IDXReader.read(file.url)
  return 0
}
