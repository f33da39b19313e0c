import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The system's reason for a failed file operation, in words ("No such file or directory",
/// "Not a directory", "No space left on device").
///
/// Foundation on Linux wraps file errors as "The operation could not be completed.
/// (NSCocoaErrorDomain error 512.)", which says nothing; the POSIX error underneath does.
public func systemReason(_ error: Error) -> String {
  let ns = error as NSError
  if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
  if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
    underlying.domain == NSPOSIXErrorDomain
  {
    return String(cString: strerror(Int32(underlying.code)))
  }
  switch CocoaError.Code(rawValue: ns.code) {
  case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
  case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
  case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
  case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
  case .fileWriteFileExists: return String(cString: strerror(EEXIST))
  default:
    let text = ns.localizedDescription
    return text.contains("NSCocoaErrorDomain") ? "the system refused (error \(ns.code))" : text
  }
}
