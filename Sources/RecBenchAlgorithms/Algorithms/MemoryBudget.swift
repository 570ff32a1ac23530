import Foundation
import RecBenchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A task would need more memory than this process may use.
public enum MemoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `task` needs `bytesNeeded`; `bytesAvailable` is ``MemoryBudget/usableBytes`` when it was checked.
    case insufficient(task: String, bytesNeeded: Int, bytesAvailable: Int, advice: String)

    public var description: String {
        switch self {
        case let .insufficient(task, needed, available, advice):
            return "\(task) needs \(MemoryBudget.format(needed)) of memory, \(MemoryBudget.format(available)) usable here "
                + "(\(MemoryBudget.usableExplanation))" + (advice.isEmpty ? "" : "; \(advice)")
        }
    }
}

/// How much memory this process may plan to use: the one helper every memory estimate asks
/// (EASE, the autoencoders, item-kNN, the factor models and the evaluator's rankings).
///
/// The limit is the smallest of the machine's physical memory, the process's resource limits
/// (`RLIMIT_AS`, `RLIMIT_DATA`) and the memory limit of its control group (cgroup v2
/// `memory.max`, v1 `memory.limit_in_bytes`, of the process's own group and its ancestors), as
/// in a container. A fit plans to use at most ``usableFraction`` of it, leaving room for the
/// data, the split and the evaluator.
public enum MemoryBudget {
    /// The share of ``limitBytes`` an estimate may take.
    public static let usableFraction = 0.8

    /// Replaces the measured limit for the tasks run inside `$limitOverride.withValue(…)`
    /// (tests, or an embedding program that knows better).
    @TaskLocal public static var limitOverride: Int?

    /// The memory this process may use, in bytes (see the type's description).
    public static var limitBytes: Int {
        if let limitOverride { return limitOverride }
        return limit(physical: ProcessInfo.processInfo.physicalMemory, resourceLimits: resourceLimits(),
                     cgroup: cgroupLimit(root: "/sys/fs/cgroup", selfCgroup: try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)))
    }

    /// The bytes an estimate may plan for: ``usableFraction`` of ``limitBytes``.
    public static var usableBytes: Int { Int(Double(limitBytes) * usableFraction) }

    /// How ``usableBytes`` is made, for messages.
    package static let usableExplanation = "80% of the smallest of the RAM, the process's memory rlimit and its container's memory limit"

    /// Throws unless `bytes` fit in ``usableBytes``.
    ///
    /// - Throws: ``MemoryError/insufficient(task:bytesNeeded:bytesAvailable:advice:)`` with both figures.
    public static func check(_ task: String, needs bytes: Int, advice: String) throws(MemoryError) {
        let available = usableBytes
        guard bytes <= available else { throw .insufficient(task: task, bytesNeeded: bytes, bytesAvailable: available, advice: advice) }
    }

    /// The smallest of `physical`, the finite resource limits and the cgroup limit.
    package static func limit(physical: UInt64, resourceLimits: [UInt64], cgroup: UInt64?) -> Int {
        let smallest = ([physical] + resourceLimits + (cgroup.map { [$0] } ?? [])).min() ?? physical
        return Int(clamping: smallest)
    }

    /// The soft `RLIMIT_AS` and `RLIMIT_DATA` of this process that are not unlimited.
    package static func resourceLimits() -> [UInt64] {
        var limits: [UInt64] = []
        #if canImport(Glibc)
        let resources = [__rlimit_resource_t(RLIMIT_AS.rawValue), __rlimit_resource_t(RLIMIT_DATA.rawValue)]
        #else
        let resources = [RLIMIT_AS, RLIMIT_DATA]
        #endif
        for resource in resources {
            var value = rlimit()
            // RLIM_INFINITY is all ones on Linux, 2^63 − 1 on Darwin: both beyond Int.max − 1.
            if getrlimit(resource, &value) == 0, value.rlim_cur < rlim_t(Int.max) { limits.append(UInt64(value.rlim_cur)) }
        }
        return limits
    }

    /// The smallest memory limit of the control group named in `selfCgroup` (the text of
    /// `/proc/self/cgroup`) and of its ancestors, under `root` (`/sys/fs/cgroup`); `nil` when none is set.
    ///
    /// cgroup v2 (`0::/path`) reads `root/path/memory.max`; v1 (`N:…memory…:/path`) reads
    /// `root/memory/path/memory.limit_in_bytes`. Inside a container the group's path is often
    /// not visible, so the root's own file is read too. `max` and unparsable files mean no limit.
    package static func cgroupLimit(root: String, selfCgroup: String?) -> UInt64? {
        var files: [String] = []
        /// The file in the group at `path` and in every group above it.
        func addChain(base: String, path: String, file: String) {
            var components = path.split(separator: "/").map(String.init)
            while true {
                files.append(([base] + components + [file]).joined(separator: "/"))
                if components.isEmpty { break }
                components.removeLast()
            }
        }
        for line in (selfCgroup ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                addChain(base: root, path: path, file: "memory.max")
            } else if fields[1].split(separator: ",").contains("memory") {
                addChain(base: root + "/memory", path: path, file: "memory.limit_in_bytes")
            }
        }
        files.append(root + "/memory.max")
        files.append(root + "/memory/memory.limit_in_bytes")
        var smallest: UInt64?
        for file in Set(files) {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                  let value = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            smallest = min(smallest ?? value, value)
        }
        return smallest
    }

    /// Bytes in GB with one decimal (MB below 0.1 GB).
    package static func format(_ bytes: Int) -> String {
        bytes >= 100_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}

/// Products and sums that saturate at `Int.max` instead of trapping, for sizes and counts
/// (bytes, configurations) estimated from values that come from files and flags.
package enum Saturating {
    /// Π factors, or `Int.max` on overflow (factors below 0 count as 0).
    package static func product(_ factors: Int...) -> Int { product(factors) }

    /// Π factors, or `Int.max` on overflow (factors below 0 count as 0).
    package static func product(_ factors: [Int]) -> Int {
        var result = 1
        for factor in factors {
            if factor <= 0 { return 0 }
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { result = Int.max } else { result = value }
        }
        return result
    }

    /// Σ terms, or `Int.max` on overflow (terms below 0 count as 0).
    package static func sum(_ terms: Int...) -> Int { sum(terms) }

    /// Σ terms, or `Int.max` on overflow (terms below 0 count as 0).
    package static func sum(_ terms: [Int]) -> Int {
        var result = 0
        for term in terms {
            let (value, overflow) = result.addingReportingOverflow(max(0, term))
            if overflow { return Int.max }
            result = value
        }
        return result
    }
}
