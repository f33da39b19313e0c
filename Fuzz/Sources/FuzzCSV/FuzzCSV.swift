import EngramData
import FuzzSupport

private let file = ScratchFile(name: "csv")

/// The CSV reader on a file holding the input, with the label column first and last.
/// Throwing is an answer; a crash, a hang or a huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  file.write(UnsafeRawBufferPointer(start: data, count: size))
  _ = try? CSVDataset.read(file.url)
  _ = try? CSVDataset.read(file.url, labelColumn: .last)
  _ = try? CSVDataset.read(file.url, labelColumn: .named("label"))
  return 0
}
