import Crypto
import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

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

    /// The record format's version: 2 adds ``identity``; 3 writes the algorithm as
    /// `{"type", "parameters"}` and parameter values as plain JSON values, with ids from the
    /// non-default parameters. Formats 1 and 2 are still read (`recbench results migrate` rewrites them).
    public var format = RunRecord.currentFormat
    /// The stable identifier of the run (its file name): a digest of what determines its result.
    public var id: String
    /// The experiment identity the run belongs to (``Experiment/identity(datasetSHA256:)``;
    /// nil in format-1 records, see ``experimentIdentity``).
    public var identity: String?
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
    /// Under the new-item protocol, what ranked the candidates in the model's place when it has
    /// no information on items without training interactions (nil: the model ranked them).
    public var fallback: ColdStart.Fallback? = nil
    /// Test runs: the per-user metrics by activity bucket (``BucketBreakdown``); nil in
    /// validation runs and in records written before buckets existed.
    public var buckets: BucketBreakdown? = nil

    /// The mean of `metric`, if measured.
    public func mean(_ metric: String) -> Double? { metrics.first { $0.metric == metric }?.mean }

    /// The record format this version writes.
    public static let currentFormat = 3

    /// The digest that identifies a run: the same inputs give the same id, and a finished run is
    /// not run again. It covers the experiment identity (so the dataset's content, not only its
    /// name), the phase, the algorithm's type and its parameters that differ from the type's
    /// defaults (so a parameter added later with a default changes no id), its display name and
    /// the fit seed: `<phase>-<16 hex digits of SHA-256 of the key-sorted JSON
    /// {"identity", "name", "parameters", "phase", "seed", "type"}>` (docs/experiments.md).
    ///
    /// - Parameters:
    ///   - parameters: the non-default canonical parameters (``Algorithm/nonDefaultParameters``).
    public static func identifier(identity: String, phase: RunPhase, type: String, parameters: [String: ParameterValue], name: String,
                                  seed: UInt64) -> String {
        struct Key: Encodable {
            var identity: String, phase: RunPhase, type: String, parameters: [String: ParameterValue], name: String, seed: UInt64
        }
        return "\(phase.rawValue)-\(digest(Key(identity: identity, phase: phase, type: type, parameters: parameters, name: name, seed: seed)))"
    }

    /// The id this record's run gets by ``identifier(identity:phase:type:parameters:name:seed:)``
    /// (what `recbench results migrate` renames a legacy record to).
    public var canonicalIdentifier: String {
        Self.identifier(identity: experimentIdentity, phase: phase, type: algorithm.typeName, parameters: algorithm.nonDefaultParameters,
                        name: algorithmName, seed: seed)
    }

    /// The experiment identity of this record: the stored one, or for a format-1 record (which
    /// has none) `v1-` and a digest of what it carries: the dataset's SHA-256, the preparation,
    /// the split and its seed, the metric names and the selection metric (format-1 test records
    /// do not carry the validation rule or the bootstrap count, so these are not compared).
    public var experimentIdentity: String {
        if let identity { return identity }
        struct Key: Encodable {
            var dataset: String, preparation: Preparation, split: IdentitySplit, splitSeed: UInt64, metrics: [String], selection: String
        }
        return "v1-" + Self.digest(Key(dataset: dataset.sha256, preparation: preparation, split: IdentitySplit(split), splitSeed: splitSeed,
                                       metrics: metrics.map(\.metric), selection: selection))
    }

    /// What the experiment identity stands for, for people: experiment, dataset, split.
    public var identitySummary: String {
        "experiment '\(experiment)', \(dataset.name) (sha256 \(dataset.sha256.prefix(12))), \(split.description) seed \(splitSeed), "
            + "\(metrics.count) metrics, selecting by \(selection)"
    }

    /// The first 16 hex digits of the SHA-256 of `key`'s key-sorted JSON.
    package static func digest(_ key: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let digest = SHA256.hash(data: (try? encoder.encode(key)) ?? Data())
        return String(digest.map { String(format: "%02x", $0) }.joined().prefix(16))
    }
}

extension RunRecord.Environment {
    /// This process's environment: package version, git commit, CPU model and cores, the date now
    /// (ISO 8601 with milliseconds).
    public static func current() -> RunRecord.Environment {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions.insert(.withFractionalSeconds)
        return RunRecord.Environment(version: RecBenchVersion.string, commit: gitCommit, cpu: cpuModel,
                                     cores: ProcessInfo.processInfo.activeProcessorCount,
                                     date: formatter.string(from: Date()))
    }

    /// The date as an instant (ISO 8601 with or without fractional seconds; the distant past if neither).
    public var instant: Date {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: date) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: date) ?? .distantPast
    }

    /// `RECBENCH_COMMIT`, or `git rev-parse --short HEAD` in the checkout, or "unknown".
    package static let gitCommit: String = {
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
    package static let cpuModel: String = {
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
package enum FileDigest {
    /// The hex SHA-256 of the concatenated bytes of `paths`.
    package static func sha256(_ paths: [String]) throws -> String {
        var hasher = SHA256()
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw DatasetError.unreadable(path: path, reason: "cannot open") }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
