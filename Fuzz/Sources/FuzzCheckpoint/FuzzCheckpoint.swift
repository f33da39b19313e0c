import EngramNN
import FuzzSupport

private let file = ScratchFile(name: "checkpoint")

/// The checkpoint reader three ways: the input as a checkpoint file; the input with its last
/// four bytes replaced by the right CRC; and the input framed as a valid checkpoint (marker,
/// version, header length, CRC) whose header JSON is the input up to its first zero byte and
/// whose sections are the rest. The CRC would otherwise stop nearly every mutation before the
/// header parser. Every section read back is decoded as floats, words and integers.
/// Throwing is an answer; a crash, a hang or a huge allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  file.write(input)
  inspect(try? CheckpointFile.read(from: file.url))

  if input.count >= 4 {
    let body = Array(input.dropLast(4))
    inspect(
      try? CheckpointFile.decode(body + CRC32.littleEndian(CRC32.checksum(body)), file: "fuzz"))
  }

  let split = input.firstIndex(of: 0) ?? input.count
  var framed = Array("ENGRAMCK".utf8) + CRC32.littleEndian(1)
  framed += CRC32.littleEndian(UInt32(split)) + input[..<split]
  framed += input[min(input.count, split + 1)...]
  framed += CRC32.littleEndian(CRC32.checksum(framed))
  inspect(try? CheckpointFile.decode(framed, file: "fuzz"))
  return 0
}

private func inspect(_ checkpoint: Checkpoint?) {
  guard let checkpoint else { return }
  for name in checkpoint.sections.keys {
    _ = checkpoint.floats(name)
    _ = checkpoint.words(name)
    _ = checkpoint.ints(name)
  }
}
