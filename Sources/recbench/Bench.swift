import ArgumentParser
import Foundation
import RecBench
import RecBenchKernels

/// `recbench bench`: machine-readable performance figures.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure RecBench's own speed and print machine-readable figures.",
        subcommands: [Kernels.self, Load.self, EvaluateSpeed.self, Fit.self])

    /// `recbench bench kernels`: GFLOP/s and GB/s of every kernel.
    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the SIMD kernels at the shapes the algorithms use (best of 7 repetitions).")

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Flag(help: "Smaller shapes and fewer repetitions, for a quick check.")
        var quick = false

        @Option(help: "Threads for the multi-threaded rows (default: all cores).")
        var threads: Int = Parallel.defaultThreads

        func run() throws {
            let result = KernelBenchmark.run(quick: quick, threads: threads)
            let cpu = CPUReport(brand: CPUCheck.brand, available: CPUCheck.available, builtFor: CPUCheck.builtFor,
                                cores: ProcessInfo.processInfo.activeProcessorCount)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(KernelReport(cpu: cpu, benchmark: result)), as: UTF8.self))
                return
            }
            print("cpu: \(cpu.brand) (\(cpu.cores) cores); supports \(cpu.available); kernels built for \(result.builtFor); GEMM tile \(result.gemmTile)")
            print("kernel        shape                                 threads     time        GFLOP/s   GB/s")
            for row in result.rows {
                let time = row.seconds < 1e-3 ? String(format: "%8.2f us", row.seconds * 1e6) : String(format: "%8.3f ms", row.seconds * 1e3)
                print(row.kernel.padding(toLength: 14, withPad: " ", startingAt: 0)
                      + row.shape.padding(toLength: 38, withPad: " ", startingAt: 0)
                      + String(format: "%7d  ", row.threads) + time
                      + (row.gflops.map { String(format: "  %8.1f", $0) } ?? "          ")
                      + (row.gigabytesPerSecond.map { String(format: "  %6.1f", $0) } ?? ""))
            }
            for (name, value) in result.ratios.sorted(by: { $0.key < $1.key }) { print(String(format: "%@ = %.3f", name, value)) }
        }
    }

    /// `recbench bench evaluate`: ranking and metrics over random factor scores.
    struct EvaluateSpeed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Time the evaluator on a split with seeded random factors (written out for peers to use).")

        @Option(help: "A split folder written by `recbench split`.")
        var splitDir: String

        @Option(help: "Factors per user and item.")
        var factors: Int = 64

        @Option(help: "Seed of the random factors.")
        var seed: UInt64 = 7

        @Option(help: "Write user_factors.f32 and item_factors.f32 (float32, split index order) here.")
        var writeFactors: String?

        @Option(parsing: .upToNextOption, help: "Metrics.")
        var metrics: [String] = ["P@10", "MAP@10", "NDCG@10", "AUC"]

        @Option(help: "Threads.")
        var threads: Int = Parallel.defaultThreads

        @Option(help: "Repetitions (best time counts).")
        var repetitions: Int = 3

        func run() throws {
            try reportingErrors {
                let split = try SplitFiles.read(from: splitDir)
                let (user, item) = EvaluationBenchmark.randomFactors(users: split.users.count, items: split.items.count,
                                                                     factors: factors, seed: seed)
                if let writeFactors {
                    try FileManager.default.createDirectory(atPath: writeFactors, withIntermediateDirectories: true)
                    try EvaluationBenchmark.writeFloats(user, to: writeFactors + "/user_factors.f32")
                    try EvaluationBenchmark.writeFloats(item, to: writeFactors + "/item_factors.f32")
                }
                let model = FactorModel(factors: factors, userFactors: user, itemFactors: item)
                let chosen = metrics.compactMap(Metric.init(name:))
                var best = Double.infinity
                var report: EvaluationReport?
                for _ in 0..<max(1, repetitions) {
                    let r = Evaluator(EvaluationConfiguration(metrics: chosen, bootstrapResamples: 0, threads: threads, buckets: nil)).evaluate(model, on: split)
                    best = min(best, r.seconds)
                    report = r
                }
                var output: [String: Double] = ["seconds": best, "users": Double(report!.evaluatedUsers),
                                                "items": Double(split.items.count), "threads": Double(threads)]
                for s in report!.summaries { output[s.metric] = s.mean }
                print(String(decoding: try JSONEncoder.pretty.encode(output), as: UTF8.self))
            }
        }
    }

    /// `recbench bench fit`: fit time and NDCG@10 of an algorithm on a split.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time fitting an algorithm on a split folder (best of N) and report its NDCG@10, as JSON.")

        @Option(help: "A split folder written by `recbench split`.")
        var splitDir: String

        @OptionGroup var model: AlgorithmOptions

        @Option(help: "Repetitions (best time counts).")
        var repetitions: Int = 3

        func run() throws {
            try reportingErrors {
                let split = try SplitFiles.read(from: splitDir)
                let algorithm = try model.configuration()
                let outcome = try Benchmark.fitAndEvaluate(algorithm, on: split, seed: model.fitSeed,
                                                           evaluator: Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .precision(10)], bootstrapResamples: 0, buckets: nil)),
                                                           repetitions: repetitions)
                let report = outcome.report, best = outcome.fitSeconds
                var output: [String: String] = ["algorithm": algorithm.label]
                output["fitSeconds"] = String(best)
                output["NDCG@10"] = String(report.mean(.ndcg(10))!)
                output["P@10"] = String(report.mean(.precision(10))!)
                output["users"] = String(report.evaluatedUsers)
                if case .als(let c) = algorithm { output["secondsPerIteration"] = String(best / Double(max(c.iterations, 1))) }
                if case .bpr(let c) = algorithm {
                    output["secondsPerEpoch"] = String(best / Double(max(c.epochs, 1)))
                    output["samplesPerEpoch"] = String(split.train.nonZeroCount)
                }
                print(String(decoding: try JSONEncoder.pretty.encode(output), as: UTF8.self))
            }
        }
    }

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

/// The CPU as the benchmark saw it.
struct CPUReport: Codable {
    var brand: String
    var available: String
    var builtFor: String
    var cores: Int
}

/// What `recbench bench kernels --json` prints.
struct KernelReport: Codable {
    var cpu: CPUReport
    var benchmark: KernelBenchmark
}
