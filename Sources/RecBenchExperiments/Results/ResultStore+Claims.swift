import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Claims: processes that share a results folder split its runs.
///
/// Before fitting a run, a process creates `<id>.claim` with `O_CREAT | O_EXCL` (exactly one
/// process succeeds) holding its pid and host name, and removes it once the record is written.
/// A process that finds a run claimed skips it and waits for it at the end of the phase. A claim
/// whose process is gone (same host, no such pid) is stale: it is taken over.
extension ResultStore {
    /// The process named in a claim file.
    public struct ClaimHolder: Sendable, Equatable, CustomStringConvertible {
        /// Its process id (nil: the claim file could not be read as one).
        public var pid: Int32?
        /// The host it runs on.
        public var host: String

        /// This process.
        public static var current: ClaimHolder { ClaimHolder(pid: getpid(), host: hostName) }

        /// Whether this is a process of this host.
        public var isLocal: Bool { host == Self.hostName }

        /// Whether the process is known to be gone: it ran on this host and no process has its pid now.
        public var isGone: Bool {
            guard isLocal, let pid, pid > 0 else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }

        public var description: String { pid.map { "process \($0) on \(host)" } ?? "an unreadable claim" }

        /// The claim file's text.
        package var text: String { "pid \(pid ?? 0)\nhost \(host)\n" }

        /// Reads a claim file's text.
        package init(parsing text: String) {
            var pid: Int32?, host = "?"
            for line in text.split(separator: "\n") {
                if line.hasPrefix("pid ") { pid = Int32(line.dropFirst(4)) }
                if line.hasPrefix("host ") { host = String(line.dropFirst(5)) }
            }
            self.init(pid: pid, host: host)
        }

        package init(pid: Int32?, host: String) {
            self.pid = pid
            self.host = host
        }

        package static let hostName: String = {
            var buffer = [CChar](repeating: 0, count: 256)
            guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }()
    }

    /// The result of trying to claim a run.
    public enum ClaimOutcome: Sendable, Equatable {
        /// This process holds the claim now.
        case claimed
        /// Another process holds it.
        case held(by: ClaimHolder)
    }

    /// The path of run `id`'s claim file.
    public func claimPath(of id: String) -> String { directory + "/" + id + ".claim" }

    /// Claims run `id` for this process, taking over a stale claim.
    ///
    /// - Throws: ``ResultError/writeFailed(path:reason:)`` when the claim file cannot be created
    ///   for another reason than its existence.
    public func claim(_ id: String) throws(ResultError) -> ClaimOutcome {
        let path = claimPath(of: id)
        let mine = Data(ClaimHolder.current.text.utf8)
        var lastHolder = ClaimHolder(pid: nil, host: "?")
        for _ in 0..<8 {
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
            if fd >= 0 {
                do { try AtomicFile.writeAll(mine, to: fd, path: path) } catch {
                    close(fd)
                    unlink(path)
                    throw error
                }
                close(fd)
                return .claimed
            }
            guard errno == EEXIST else { throw .writeFailed(path: path, reason: ResultError.errnoText()) }
            guard let seen = FileManager.default.contents(atPath: path) else { continue }  // released meanwhile
            let holder = ClaimHolder(parsing: String(decoding: seen, as: UTF8.self))
            lastHolder = holder
            // A claim without a pid is being written by its creator, unless it is old.
            let stale = holder.pid == nil ? Self.age(of: path).map { $0 > 60 } ?? false : holder.isGone
            guard stale else { return .held(by: holder) }
            // Take the stale claim over: move it aside (only one process can), check that what
            // moved is the stale claim seen, then claim afresh.
            let aside = path + ".stale.\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
            guard rename(path, aside) == 0 else { continue }
            let moved = FileManager.default.contents(atPath: aside)
            if moved != seen {
                // A live claim made after the stale one was read: put it back.
                _ = link(aside, path)
                unlink(aside)
                return .held(by: ClaimHolder(parsing: String(decoding: moved ?? Data(), as: UTF8.self)))
            }
            unlink(aside)
        }
        return .held(by: lastHolder)
    }

    /// Who holds run `id`'s claim, if anyone.
    public func claimHolder(of id: String) -> ClaimHolder? {
        FileManager.default.contents(atPath: claimPath(of: id)).map { ClaimHolder(parsing: String(decoding: $0, as: UTF8.self)) }
    }

    /// Releases this process's claim on run `id` (a claim another process took over is left alone).
    public func release(_ id: String) {
        let path = claimPath(of: id)
        if FileManager.default.contents(atPath: path) == Data(ClaimHolder.current.text.utf8) { unlink(path) }
    }

    /// Removes what killed processes of this tool left in the folder, and returns their names.
    ///
    /// Temporary files (`.recbench-tmp.<pid>.…`, and Foundation's `.dat.nosync<hex pid>.…`
    /// that earlier versions left) go when their process is not running on this host and they
    /// are older than `age` seconds (a process of another host sharing the folder may still be
    /// writing a young one). Claims go when their process ran on this host and is gone.
    public func removeStaleFiles(olderThan age: Double = 60) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            let path = directory + "/" + name
            var pid: Int32?
            if name.hasPrefix(AtomicFile.temporaryPrefix) {
                pid = Int32(name.dropFirst(AtomicFile.temporaryPrefix.count).prefix { $0 != "." })
            } else if name.hasPrefix(".dat.nosync") {
                pid = Int32(name.dropFirst(".dat.nosync".count).prefix { $0 != "." }, radix: 16)
            } else if name.hasSuffix(".claim"), let text = FileManager.default.contents(atPath: path) {
                let holder = ClaimHolder(parsing: String(decoding: text, as: UTF8.self))
                if holder.isGone, unlink(path) == 0 { removed.append(name) }
                continue
            } else {
                continue
            }
            guard let pid, pid > 0, pid != getpid(), ClaimHolder(pid: pid, host: ClaimHolder.hostName).isGone,
                  let seconds = Self.age(of: path), seconds > age else { continue }
            if unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Seconds since `path` was last modified.
    package static func age(of path: String) -> Double? {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
        return Date().timeIntervalSince(date)
    }
}
