import ArgumentParser
import Foundation
import RecBench

/// `recbench bench`: machine-readable performance figures.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure RecBench's own speed and print machine-readable figures.",
        subcommands: [Load.self])

    /// `recbench bench load`: parse throughput, cache reload speedup and peak memory.
    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time parsing a dataset, writing its binary cache and reloading it.")

        @OptionGroup var data: DatasetOptions

        @Option(help: "How many times to parse and reload (the best time counts).")
        var repetitions: Int = 3

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            try reportingErrors {
                let (source, _) = try data.source()
                let directory = data.cacheDir ?? (NSTemporaryDirectory() + "recbench-bench-cache-\(ProcessInfo.processInfo.processIdentifier)")
                defer { if data.cacheDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
                let result = try LoadBenchmark.run(source, cacheDirectory: directory, repetitions: repetitions)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(result), as: UTF8.self))
                } else {
                    print(String(format: "bytes %d  rows %d", result.bytes, result.rows))
                    print(String(format: "parse        %8.3f s  %7.1f MB/s", result.parseSeconds, result.parseMegabytesPerSecond))
                    print(String(format: "cache write  %8.3f s", result.cacheWriteSeconds))
                    print(String(format: "cache read   %8.3f s  %7.1fx faster than parsing", result.cacheReadSeconds, result.cacheSpeedup))
                    print(String(format: "peak memory  %8.1f MB", result.peakResidentMegabytes))
                }
            }
        }
    }
}
