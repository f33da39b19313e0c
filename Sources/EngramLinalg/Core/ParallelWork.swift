import Foundation

/// Independent jobs on worker threads, with BLAS single-threaded inside each (also with one
/// worker, so the results are the same for any worker count).
///
/// Studies run many small, independent trainings (one per seed); giving each worker a whole
/// job scales far better than splitting one small gemm across cores. Results come back in
/// job order and do not depend on the worker count, as long as each job draws only from its
/// own random streams.
public enum ParallelWork {
  /// `body(i)` for i in 0..<count on up to `workers` threads; `progress` gets the number of
  /// jobs finished. The first error stops the hand-out of further jobs and is rethrown.
  public static func map<T: Sendable>(
    count: Int, workers: Int, progress: @Sendable (Int) -> Void = { _ in },
    _ body: @Sendable (Int) throws -> T
  ) throws -> [T] {
    let workers = max(1, min(workers, count))
    let box = Collector<T>(count: count)
    // One BLAS thread even for one worker: results depend on the BLAS thread count, and must
    // not depend on the worker count.
    BLASThreads.pinned(1) {
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let i = box.claim() {
          do {
            progress(box.finish(i, try body(i)))
          } catch {
            box.fail(error)
          }
        }
      }
    }
    return try box.results()
  }
}

/// Hands job indices to workers and collects results in order.
private final class Collector<T>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private var done = 0
  private var values: [T?]
  private var error: Error?

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.withLock {
      guard error == nil, next < values.count else { return nil }
      next += 1
      return next - 1
    }
  }

  func finish(_ i: Int, _ value: T) -> Int {
    lock.withLock {
      values[i] = value
      done += 1
      return done
    }
  }

  func fail(_ error: Error) {
    lock.withLock { if self.error == nil { self.error = error } }
  }

  func results() throws -> [T] {
    try lock.withLock {
      if let error { throw error }
      return values.map { $0! }
    }
  }
}
