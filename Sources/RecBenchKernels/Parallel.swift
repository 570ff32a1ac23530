import Dispatch
import Foundation
import Synchronization

/// Helpers that spread independent work over the machine's cores.
///
/// Work is cut into a fixed number of pieces that does not depend on the thread count, so a
/// kernel that writes each output from one piece gives the same bits on 1 or 2 threads.
public enum Parallel {
    /// The default thread count: `RECBENCH_THREADS` if set, else the active processor count.
    public static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["RECBENCH_THREADS"], let value = Int(text), value > 0 { return value }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// Calls `body(i)` for every `i` in `0..<count`, on up to `threads` threads.
    ///
    /// Iterations are handed out in contiguous ranges, one range per thread.
    /// - Complexity: one dispatch per thread (about 0.5 µs), then `count` calls.
    public static func forEach(count: Int, threads: Int = defaultThreads, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = count * worker / workers, end = count * (worker + 1) / workers
            for i in start..<end { body(i) }
        }
    }

    /// Calls `body(range)` for `pieces` contiguous ranges that cover `0..<count`.
    ///
    /// The ranges depend only on `count` and `pieces`, never on `threads`; threads take the
    /// next unclaimed piece as they finish one, so uneven pieces (popular items, heavy users)
    /// do not leave a core idle.
    public static func forEachRange(count: Int, pieces: Int, threads: Int = defaultThreads, _ body: @Sendable (Range<Int>) -> Void) {
        let pieces = max(1, min(pieces, count))
        let workers = max(1, min(threads, pieces))
        let range: @Sendable (Int) -> Range<Int> = { piece in (count * piece / pieces)..<(count * (piece + 1) / pieces) }
        if workers == 1 {
            for piece in 0..<pieces { body(range(piece)) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let piece = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if piece >= pieces { break }
                body(range(piece))
            }
        }
    }
}

/// A read-only pointer that may cross threads. The caller guarantees the memory outlives the work.
public struct SendablePointer<T>: @unchecked Sendable {
    /// The pointer.
    public let pointer: UnsafePointer<T>
    /// Wraps `pointer`.
    public init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
    /// Wraps a mutable pointer for reading.
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = UnsafePointer(pointer) }
}

/// A mutable pointer that may cross threads; threads must write disjoint elements.
public struct SendableMutablePointer<T>: @unchecked Sendable {
    /// The pointer.
    public let pointer: UnsafeMutablePointer<T>
    /// Wraps `pointer`.
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
