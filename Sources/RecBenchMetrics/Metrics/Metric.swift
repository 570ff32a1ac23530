import Foundation
import RecBenchCore

/// A metric users name: the closed set of built-in metrics, each mapped to its definition
/// (a ``MetricDefinition`` in its family's file) by the one switch of ``definition``.
///
/// Names are those of docs/metrics.md (`P@10`, `NDCG@10`, `AUC`, `gini@10`, …); a metric is
/// encoded as its name. Adding a metric: its definition file, one case here with its line in
/// ``definition``, and one entry in ``families`` (a test keeps docs/metrics.md's names equal).
public enum Metric: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    case precision(Int)
    case recall(Int)
    case hitRate(Int)
    case reciprocalRank(Int)
    case averagePrecision(Int)
    case averagePrecisionCapped(Int)
    case ndcg(Int)
    case auc
    case coverage(Int)
    case meanPopularity(Int)
    case novelty(Int)
    case gini(Int)
    case rmse
    case mae
    case fcp

    /// The metric's definition: name, cutoff, direction, what it needs and its arithmetic.
    public var definition: any MetricDefinition {
        switch self {
        case .precision(let k): return Precision(k: k)
        case .recall(let k): return Recall(k: k)
        case .hitRate(let k): return HitRate(k: k)
        case .reciprocalRank(let k): return ReciprocalRank(k: k)
        case .averagePrecision(let k): return AveragePrecision(k: k, normalization: .relevantCount)
        case .averagePrecisionCapped(let k): return AveragePrecision(k: k, normalization: .cappedAtCutoff)
        case .ndcg(let k): return NDCG(k: k)
        case .auc: return AUC()
        case .coverage(let k): return BeyondAccuracyMetric(.coverage, k: k)
        case .meanPopularity(let k): return BeyondAccuracyMetric(.meanPopularity, k: k)
        case .novelty(let k): return BeyondAccuracyMetric(.novelty, k: k)
        case .gini(let k): return BeyondAccuracyMetric(.gini, k: k)
        case .rmse: return RMSE()
        case .mae: return MAE()
        case .fcp: return FCP()
        }
    }

    /// The metric's name in reports (`NDCG@10`).
    public var name: String { definition.name }

    public var description: String { name }

    /// The cutoff, or `nil` for metrics over the whole ranking.
    public var cutoff: Int? { definition.cutoff }

    /// Whether higher or lower values are better.
    public var direction: MetricDirection { definition.direction }

    /// Whether a higher value is better.
    public var higherIsBetter: Bool { direction == .higherIsBetter }

    /// The direction of the metric named `name`, higher-is-better for a name that is no metric
    /// (a record written by another tool).
    public static func direction(ofName name: String) -> MetricDirection {
        (try? parse(name))?.direction ?? .higherIsBetter
    }

    /// The largest cutoff a metric may have: names with a larger `@k` are refused wherever they
    /// are parsed (experiment files, `--metrics`, result records). The evaluator also never
    /// ranks deeper than the catalogue.
    public static let maximumCutoff = 100_000

    /// One family of metrics as users name it: `NDCG` for `NDCG@k`, `AUC` without a cutoff.
    public struct Family: Sendable {
        /// The name in reports, before `@k` (`NDCG`, `meanPopularity`, `AUC`).
        public let name: String
        /// Other accepted spellings (matched case-insensitively, like the name).
        public let aliases: [String]
        /// Whether names carry `@k`.
        public let takesCutoff: Bool
        package let make: @Sendable (Int) -> Metric

        /// The family's pattern as docs/metrics.md writes it: `NDCG@k` or `AUC`.
        public var pattern: String { takesCutoff ? "\(name)@k" : name }

        /// The family's metric at cutoff `k` (ignored without cutoffs).
        public func metric(cutoff k: Int) -> Metric { make(k) }
    }

    /// Every family, in the order of docs/metrics.md; ``parse(_:)`` and ``MetricError`` read it.
    public static let families: [Family] = [
        Family(name: "P", aliases: ["PRECISION"], takesCutoff: true, make: Metric.precision),
        Family(name: "R", aliases: ["RECALL"], takesCutoff: true, make: Metric.recall),
        Family(name: "HR", aliases: ["HIT", "HITRATE"], takesCutoff: true, make: Metric.hitRate),
        Family(name: "MRR", aliases: [], takesCutoff: true, make: Metric.reciprocalRank),
        Family(name: "MAP", aliases: ["AP"], takesCutoff: true, make: Metric.averagePrecision),
        Family(name: "MAPmin", aliases: ["APMIN"], takesCutoff: true, make: Metric.averagePrecisionCapped),
        Family(name: "NDCG", aliases: [], takesCutoff: true, make: Metric.ndcg),
        Family(name: "AUC", aliases: [], takesCutoff: false, make: { _ in .auc }),
        Family(name: "coverage", aliases: [], takesCutoff: true, make: Metric.coverage),
        Family(name: "meanPopularity", aliases: [], takesCutoff: true, make: Metric.meanPopularity),
        Family(name: "novelty", aliases: [], takesCutoff: true, make: Metric.novelty),
        Family(name: "gini", aliases: [], takesCutoff: true, make: Metric.gini),
        Family(name: "RMSE", aliases: [], takesCutoff: false, make: { _ in .rmse }),
        Family(name: "MAE", aliases: [], takesCutoff: false, make: { _ in .mae }),
        Family(name: "FCP", aliases: [], takesCutoff: false, make: { _ in .fcp }),
    ]

    /// Parses a name such as `NDCG@10`, `P@5`, `MAP@100` or `AUC` (case-insensitive), or returns
    /// `nil` (see ``parse(_:)`` for the reason).
    public init?(name: String) {
        guard let metric = try? Metric.parse(name) else { return nil }
        self = metric
    }

    /// Parses a name such as `NDCG@10`, `P@5`, `MAP@100`, `gini@10` or `AUC` (case-insensitive):
    /// the one parser of metric names, used by the CLI, experiment files and result records.
    ///
    /// - Throws: ``MetricError/unknown(name:)`` for a name that is no metric,
    ///   ``MetricError/cutoffOutOfRange(name:)`` for a cutoff outside 1…``maximumCutoff``.
    public static func parse(_ name: String) throws(MetricError) -> Metric {
        let upper = name.uppercased()
        func family(_ spelled: Substring) -> Family? {
            families.first { $0.name.uppercased() == spelled || $0.aliases.contains(String(spelled)) }
        }
        if let whole = family(Substring(upper)), !whole.takesCutoff { return whole.metric(cutoff: 0) }
        let parts = upper.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let chosen = family(parts[0]), chosen.takesCutoff else { throw .unknown(name: name) }
        // Digits only: nil means more than Int holds, which is out of range too.
        guard let k = Int(parts[1]), (1...maximumCutoff).contains(k) else { throw .cutoffOutOfRange(name: name) }
        return chosen.metric(cutoff: k)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Metric.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    public static func < (lhs: Metric, rhs: Metric) -> Bool { lhs.name < rhs.name }

    /// The metrics of the mission at the usual cutoffs: P, R, MAP and NDCG at 10, and AUC.
    public static let standard: [Metric] = [.precision(10), .recall(10), .averagePrecision(10), .ndcg(10), .auc]

    /// The default metrics of a task: ``standard`` for ranking, RMSE and MAE for rating.
    public static func defaults(for task: EvaluationTask) -> [Metric] {
        switch task {
        case .ranking: return standard
        case .rating: return [.rmse, .mae]
        }
    }
}

/// Why a metric name was refused.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No metric has this name.
    case unknown(name: String)
    /// The name's `@k` is not in 1…``Metric/maximumCutoff``.
    case cutoffOutOfRange(name: String)

    public var description: String {
        switch self {
        case .unknown(let name):
            let patterns = Metric.families.map(\.pattern)
            return "unknown metric '\(name)'; use \(patterns.dropLast().joined(separator: ", ")) or \(patterns.last!)"
        case .cutoffOutOfRange(let name):
            return "'\(name.prefix(60))': a metric's cutoff k must be an integer in 1…\(Metric.maximumCutoff)"
        }
    }
}

/// The arithmetic of the ranking metrics for one user, by metric (the definitions do it).
public enum RankingMetrics {
    /// The value of a per-user hit metric for one user (0 for a metric that needs more than hits).
    ///
    /// - Parameters:
    ///   - hits: rel_1, rel_2, … of the user's ranked list (it may be shorter than k when the
    ///     candidate set is smaller; missing ranks count as non-relevant).
    ///   - relevantCount: |T|; a user with |T| = 0 scores 0 on every metric.
    public static func value(of metric: Metric, hits: [Bool], relevantCount: Int) -> Double {
        guard let definition = metric.definition as? any PerUserMetric, definition.needs == .hits else { return 0 }
        return definition.value(for: UserRanking(hits: hits, relevantCount: relevantCount))
    }

    /// AUC from scores: the fraction of (positive, negative) pairs where the positive scores
    /// higher, ties counting ½; computed from ranks in O((P + N) log P), never by pairs
    /// (``PairCounts``).
    ///
    /// - Returns: `nil` when there is no positive or no negative.
    public static func auc(positives: [Float], negatives: some Sequence<Float>) -> Double? {
        PairCounts(positives: positives, negatives: negatives)?.auc
    }
}
