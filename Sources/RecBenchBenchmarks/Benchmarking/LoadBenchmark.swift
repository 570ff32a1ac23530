import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
#if canImport(Glibc)
import Glibc
#endif

/// Measures how fast a dataset is parsed and how much faster the binary cache reloads it.
public struct LoadBenchmark: Codable, Sendable {
    /// The files read.
    public var files: [String]
    /// Their total size in bytes.
    public var bytes: Int
    /// Rows read from the source.
    public var rows: Int
    /// Best parse time in seconds over the repetitions.
    public var parseSeconds: Double
    /// bytes / parseSeconds, in MB/s (10⁶ bytes).
    public var parseMegabytesPerSecond: Double
    /// Seconds to write the cache once.
    public var cacheWriteSeconds: Double
    /// Best cache read time in seconds, checksum of the sources included.
    public var cacheReadSeconds: Double
    /// parseSeconds / cacheReadSeconds.
    public var cacheSpeedup: Double
    /// Peak resident memory of the process, in MB.
    public var peakResidentMegabytes: Double

    /// Parses `source` `repetitions` times without a cache, then writes and reads a cache in `cacheDirectory`.
    public static func run(_ source: DatasetSource, cacheDirectory: String, repetitions: Int = 3) throws -> LoadBenchmark {
        let bytes = try source.files.reduce(0) { $0 + (try LineReader.checkRegularFile($1)) }
        var parse = Double.infinity
        var dataset: Dataset?
        for _ in 0..<max(1, repetitions) {
            dataset = nil                                    // free the previous copy before parsing again
            let start = ContinuousClock.now
            dataset = try DatasetLoader.parse(source)
            parse = min(parse, (ContinuousClock.now - start).seconds)
        }
        let cache = DatasetCache(directory: cacheDirectory, policy: .always)
        let writeStart = ContinuousClock.now
        try cache.write(dataset!, for: source)
        let write = (ContinuousClock.now - writeStart).seconds
        let rows = dataset!.report.rowsRead
        dataset = nil
        var read = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = ContinuousClock.now
            let (cached, outcome) = cache.read(source)
            read = min(read, (ContinuousClock.now - start).seconds)
            guard outcome == .hit, cached != nil else { throw DatasetError.unreadable(path: cacheDirectory, reason: "cache read gave \(outcome)") }
        }
        return LoadBenchmark(files: source.files, bytes: bytes, rows: rows, parseSeconds: parse,
                             parseMegabytesPerSecond: Double(bytes) / parse / 1e6, cacheWriteSeconds: write,
                             cacheReadSeconds: read, cacheSpeedup: parse / read, peakResidentMegabytes: peakResidentMegabytes())
    }

    /// The process's peak resident set size in MB (getrusage).
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024          // kilobytes on Linux
        #else
        return Double(usage.ru_maxrss) / 1_048_576     // bytes on macOS
        #endif
    }
}
