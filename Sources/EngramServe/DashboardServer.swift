import EngramLab
import FlyingFox
import FlyingSocks
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why the dashboard cannot serve.
public struct DashboardServerError: Error, CustomStringConvertible {
  /// What went wrong and what to do.
  public let description: String
}

/// Serves a `Dashboard` over HTTP with FlyingFox (a small server on non-blocking sockets and
/// Swift concurrency, chosen over NIO-based servers because it builds in seconds, not minutes,
/// on every clean CI build). Every GET is answered by `Dashboard.page`; other methods get 405.
public struct DashboardServer: Sendable {
  /// The pages.
  public let dashboard: Dashboard
  /// The IPv4 address to bind (127.0.0.1 unless the user asks otherwise).
  public let host: String
  /// The port.
  public let port: UInt16

  /// A server of `dashboard` on `host`:`port`.
  public init(dashboard: Dashboard, host: String = "127.0.0.1", port: UInt16) {
    self.dashboard = dashboard
    self.host = host
    self.port = port
  }

  /// Serves until the process ends; calls `ready` once the port is listening.
  /// - Throws: `DashboardServerError` for a host that is not an IPv4 address or a port that is
  ///   in use or not allowed.
  public func run(ready: @escaping @Sendable () -> Void) async throws {
    let address: sockaddr_in
    do {
      address = try .inet(ip4: host, port: port)
    } catch {
      throw DashboardServerError(
        description: "--host \(host): not an IPv4 address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)")
    }
    let server = HTTPServer(address: address, timeout: 30, logger: .disabled)
    let dashboard = self.dashboard
    await server.appendRoute("*") { request in
      guard request.method == .GET || request.method == .HEAD else {
        return HTTPResponse(statusCode: .methodNotAllowed, headers: [HTTPHeader("Allow"): "GET, HEAD"])
      }
      let query = request.query.map { (name: $0.name, value: $0.value) }
      let page = dashboard.page(path: request.path, query: query)
      return HTTPResponse(
        statusCode: HTTPStatusCode(page.status, phrase: Self.phrase(page.status)),
        headers: [
          .contentType: "text/html; charset=utf-8",
          HTTPHeader("Content-Security-Policy"): "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          HTTPHeader("Cache-Control"): "no-store",
        ],
        body: Data(page.html.utf8))
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        do {
          try await server.run()
        } catch let error as SocketError {
          throw Self.translate(error, host: host, port: port)
        }
      }
      group.addTask {
        try await server.waitUntilListening()
        ready()
      }
      try await group.next()
      try await group.next()
    }
  }

  static func translate(_ error: SocketError, host: String, port: UInt16) -> Error {
    if case .failed(let type, let code, _) = error, type.lowercased() == "bind" {
      if code == EADDRINUSE {
        return DashboardServerError(
          description: "port \(port) on \(host) is in use by another program; choose another --port")
      }
      if code == EACCES {
        return DashboardServerError(
          description: "port \(port) on \(host) needs privileges; choose a port from 1024 up with --port")
      }
      if code == EADDRNOTAVAIL {
        return DashboardServerError(description: "--host \(host): no interface of this machine has that address")
      }
    }
    return DashboardServerError(description: "cannot serve on \(host):\(port) (\(error.localizedDescription))")
  }

  static func phrase(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 400: return "Bad Request"
    case 404: return "Not Found"
    default: return "Service Unavailable"
    }
  }
}
