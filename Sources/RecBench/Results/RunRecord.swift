import Crypto
import Foundation

/// Which part of the data a run was scored on.
public enum RunPhase: String, Codable, Hashable, Sendable {
    /// Fitted on train minus validation, scored on validation: tunes hyperparameters.
    case validation
    /// Fitted on the whole training part, scored on test: what the leaderboard reports.
    case test
}

/// Everything about one fitted and scored configuration: one JSON file in the results store.
public struct RunRecord: Codable, Sendable, Equatable {
    /// The dataset as loaded.
    public struct DatasetInfo: Codable, Sendable, Equatable {
        public var name: String
        /// SHA-256 of the source files' bytes, in the order the loader reads them.
        public var sha256: String
        public var users: Int
        public var items: Int
        public var interactions: Int
    }

    /// Seconds spent in each phase (load and split are shared by the runs of one invocation).
    public struct Timings: Codable, Sendable, Equatable {
        public var load: Double
        public var split: Double
        public var fit: Double
        public var evaluate: Double
    }

    /// Where the run ran.
    public struct Environment: Codable, Sendable, Equatable {
        public var version: String
        public var commit: String
        public var cpu: String
        public var cores: Int
        public var date: String
    }

    /// The record format's version.
    public var format = 1
    /// The stable identifier of the run (its file name): a digest of what determines its result.
    public var id: String
    public var experiment: String
    public var phase: RunPhase
    public var dataset: DatasetInfo
    public var preparation: Preparation
    public var split: SplitMethod
    public var splitSeed: UInt64
    /// The validation rule (validation runs only).
    public var validation: SplitMethod?
    public var validationSeed: UInt64?
    /// The algorithm's display name in the experiment.
    public var algorithmName: String
    public var algorithm: Algorithm
    public var label: String
    /// The hyperparameters the experiment set, by name.
    public var parameters: [String: ParameterValue]
    public var seed: UInt64
    public var evaluatedUsers: Int
    /// Mean and bootstrap 95% interval of each metric.
    public var metrics: [EvaluationReport.Summary]
    /// The selection metric.
    public var selection: String
    /// Per-user values of the selection metric (test runs), in the order of `users`, for paired tests.
    public var perUser: [Double]?
    public var users: [Int32]?
    public var timings: Timings
    public var environment: Environment

    /// The mean of `metric`, if measured.
    public func mean(_ metric: String) -> Double? { metrics.first { $0.metric == metric }?.mean }

    /// The digest that identifies a run: the same inputs give the same id, and a finished run is not run again.
    public static func identifier(experiment: Experiment, phase: RunPhase, algorithm: Algorithm, name: String, seed: UInt64) -> String {
        struct Key: Encodable {
            var dataset: String, preparation: Preparation, split: SplitMethod, splitSeed: UInt64, validation: SplitMethod?
            var validationSeed: UInt64?, metrics: [Metric], bootstrap: Int, phase: RunPhase, algorithm: Algorithm, name: String, seed: UInt64
        }
        let key = Key(dataset: experiment.dataset, preparation: experiment.preparation, split: experiment.split, splitSeed: experiment.splitSeed,
                      validation: phase == .validation ? experiment.validation : nil, validationSeed: phase == .validation ? experiment.validationSeed : nil,
                      metrics: experiment.metrics, bootstrap: experiment.bootstrapResamples, phase: phase, algorithm: algorithm, name: name, seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let digest = SHA256.hash(data: (try? encoder.encode(key)) ?? Data())
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        return "\(phase.rawValue)-\(hex.prefix(16))"
    }
}

extension RunRecord.Environment {
    /// This process's environment: package version, git commit, CPU model and cores, the date now.
    public static func current() -> RunRecord.Environment {
        RunRecord.Environment(version: RecBenchVersion.string, commit: gitCommit, cpu: cpuModel,
                              cores: ProcessInfo.processInfo.activeProcessorCount,
                              date: ISO8601DateFormatter().string(from: Date()))
    }

    /// `RECBENCH_COMMIT`, or `git rev-parse --short HEAD` in the checkout, or "unknown".
    static let gitCommit: String = {
        if let forced = ProcessInfo.processInfo.environment["RECBENCH_COMMIT"] { return forced }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", DatasetCatalog.repositoryRoot, "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unknown" }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
    }()

    /// The CPU model from /proc/cpuinfo, or the architecture.
    static let cpuModel: String = {
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        #if arch(x86_64)
        return "x86_64"
        #else
        return "arm64"
        #endif
    }()
}

/// SHA-256 of files, streamed.
enum FileDigest {
    /// The hex SHA-256 of the concatenated bytes of `paths`.
    static func sha256(_ paths: [String]) throws -> String {
        var hasher = SHA256()
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw DatasetError.unreadable(path: path, reason: "cannot open") }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
