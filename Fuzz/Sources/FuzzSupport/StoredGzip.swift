/// gzip files whose deflate streams are "stored" (uncompressed) blocks.
///
/// libFuzzer cannot write valid deflate data by mutation, so the IDX target wraps its input in
/// this framing as well as reading it as is: the mutated IDX bytes then reach the reader
/// through zlib, with a correct CRC and size, and splitting them over several members
/// exercises the multi-member path.
public enum StoredGzip {
  /// `payload` as a gzip file of `members` members (the payload split evenly between them).
  public static func wrap(_ payload: [UInt8], members: Int = 1) -> [UInt8] {
    let count = max(1, members)
    let step = (payload.count + count - 1) / count
    var out: [UInt8] = []
    for m in 0..<count {
      let start = min(payload.count, m * step)
      let end = min(payload.count, start + step)
      out += member(Array(payload[start..<end]))
    }
    return out
  }

  private static func member(_ data: [UInt8]) -> [UInt8] {
    // ID1 ID2, CM = deflate, no flags, no mtime, no extra flags, OS unknown.
    var out: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF]
    var offset = 0
    repeat {
      let length = min(data.count - offset, 0xFFFF)
      let final: UInt8 = offset + length == data.count ? 1 : 0
      out.append(final)  // BFINAL, BTYPE = 00 (stored)
      let len = UInt16(length)
      out += [UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8(~len >> 8)]
      out += data[offset..<(offset + length)]
      offset += length
    } while offset < data.count
    out += CRC32.littleEndian(CRC32.checksum(data))
    out += CRC32.littleEndian(UInt32(truncatingIfNeeded: data.count))
    return out
  }
}
