import Foundation

/// A ranking metric of one user's recommendations against that user's held-out items.
///
/// Relevance is binary: rel_i = 1 when the item at rank i is in the user's test set T. Every
/// metric has exactly one definition (docs/metrics.md) and one name:
///
/// | name | definition |
/// |---|---|
/// | `P@k` | hits@k / k |
/// | `R@k` | hits@k / \|T\| |
/// | `HR@k` | 1 if hits@k > 0, else 0 |
/// | `MRR@k` | 1 / rank of the first hit within k, or 0 |
/// | `MAP@k` | AP@k = Σ_{i≤k} P@i · rel_i / \|T\| (trec_eval's convention), averaged over users |
/// | `MAPmin@k` | the same sum divided by min(k, \|T\|) (implicit's and many papers' convention) |
/// | `NDCG@k` | DCG@k / IDCG@k, DCG = Σ_{i≤k} rel_i / log2(i + 1), IDCG the DCG of min(k, \|T\|) hits on top |
/// | `AUC` | the fraction of (relevant, non-relevant candidate) pairs ordered correctly, ties ½ |
public enum Metric: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    case precision(Int)
    case recall(Int)
    case hitRate(Int)
    case reciprocalRank(Int)
    case averagePrecision(Int)
    case averagePrecisionCapped(Int)
    case ndcg(Int)
    case auc

    /// The metric's name in reports (`NDCG@10`).
    public var name: String {
        switch self {
        case .precision(let k): return "P@\(k)"
        case .recall(let k): return "R@\(k)"
        case .hitRate(let k): return "HR@\(k)"
        case .reciprocalRank(let k): return "MRR@\(k)"
        case .averagePrecision(let k): return "MAP@\(k)"
        case .averagePrecisionCapped(let k): return "MAPmin@\(k)"
        case .ndcg(let k): return "NDCG@\(k)"
        case .auc: return "AUC"
        }
    }

    public var description: String { name }

    /// The cutoff, or `nil` for metrics over the whole ranking.
    public var cutoff: Int? {
        switch self {
        case .precision(let k), .recall(let k), .hitRate(let k), .reciprocalRank(let k),
             .averagePrecision(let k), .averagePrecisionCapped(let k), .ndcg(let k): return k
        case .auc: return nil
        }
    }

    /// Whether a higher value is better (true for every metric here).
    public var higherIsBetter: Bool { true }

    /// The largest cutoff a metric may have: names with a larger `@k` are refused wherever they
    /// are parsed (experiment files, `--metrics`, result records). The evaluator also never
    /// ranks deeper than the catalogue.
    public static let maximumCutoff = 100_000

    /// Parses a name such as `NDCG@10`, `P@5`, `MAP@100` or `AUC` (case-insensitive), or returns
    /// `nil` (see ``parse(_:)`` for the reason).
    public init?(name: String) {
        guard let metric = try? Metric.parse(name) else { return nil }
        self = metric
    }

    /// Parses a name such as `NDCG@10`, `P@5`, `MAP@100` or `AUC` (case-insensitive).
    ///
    /// - Throws: ``MetricError/unknown(name:)`` for a name that is no metric,
    ///   ``MetricError/cutoffOutOfRange(name:)`` for a cutoff outside 1…``maximumCutoff``.
    public static func parse(_ name: String) throws(MetricError) -> Metric {
        let upper = name.uppercased()
        if upper == "AUC" { return .auc }
        let parts = upper.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .unknown(name: name) }
        let make: (Int) -> Metric
        switch parts[0] {
        case "P", "PRECISION": make = Metric.precision
        case "R", "RECALL": make = Metric.recall
        case "HR", "HIT", "HITRATE": make = Metric.hitRate
        case "MRR": make = Metric.reciprocalRank
        case "MAP", "AP": make = Metric.averagePrecision
        case "MAPMIN", "APMIN": make = Metric.averagePrecisionCapped
        case "NDCG": make = Metric.ndcg
        default: throw .unknown(name: name)
        }
        // Digits only: nil means more than Int holds, which is out of range too.
        guard let k = Int(parts[1]), (1...maximumCutoff).contains(k) else { throw .cutoffOutOfRange(name: name) }
        return make(k)
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
}

/// Why a metric name was refused.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No metric has this name.
    case unknown(name: String)
    /// The name's `@k` is not in 1…``Metric/maximumCutoff``.
    case cutoffOutOfRange(name: String)

    public var description: String {
        switch self {
        case .unknown(let name): return "unknown metric '\(name)'; use P@k, R@k, HR@k, MRR@k, MAP@k, MAPmin@k, NDCG@k or AUC"
        case .cutoffOutOfRange(let name):
            return "'\(name.prefix(60))': a metric's cutoff k must be an integer in 1…\(Metric.maximumCutoff)"
        }
    }
}

/// The arithmetic of the ranking metrics for one user.
public enum RankingMetrics {
    /// The value of a cutoff metric for one user.
    ///
    /// - Parameters:
    ///   - hits: rel_1, rel_2, … of the user's ranked list (it may be shorter than k when the
    ///     candidate set is smaller; missing ranks count as non-relevant).
    ///   - relevantCount: |T|; a user with |T| = 0 scores 0 on every metric.
    public static func value(of metric: Metric, hits: [Bool], relevantCount: Int) -> Double {
        guard let k = metric.cutoff, relevantCount > 0 else { return 0 }
        let top = hits.prefix(k)
        let hitCount = top.reduce(0) { $0 + ($1 ? 1 : 0) }
        switch metric {
        case .precision: return Double(hitCount) / Double(k)
        case .recall: return Double(hitCount) / Double(relevantCount)
        case .hitRate: return hitCount > 0 ? 1 : 0
        case .reciprocalRank:
            guard let first = top.firstIndex(of: true) else { return 0 }
            return 1 / Double(first + 1)
        case .averagePrecision, .averagePrecisionCapped:
            var sum = 0.0, seen = 0
            for (i, hit) in top.enumerated() where hit {
                seen += 1
                sum += Double(seen) / Double(i + 1)
            }
            if case .averagePrecision = metric { return sum / Double(relevantCount) }
            return sum / Double(min(k, relevantCount))
        case .ndcg:
            var dcg = 0.0
            for (i, hit) in top.enumerated() where hit { dcg += 1 / log2(Double(i + 2)) }
            var ideal = 0.0
            for i in 0..<min(k, relevantCount) { ideal += 1 / log2(Double(i + 2)) }
            return dcg / ideal
        case .auc:
            return 0
        }
    }

    /// AUC from scores: the fraction of (positive, negative) pairs where the positive scores
    /// higher, ties counting ½; computed from ranks in O((P + N) log P), never by pairs.
    ///
    /// - Returns: `nil` when there is no positive or no negative.
    public static func auc(positives: [Float], negatives: some Sequence<Float>) -> Double? {
        guard !positives.isEmpty else { return nil }
        let sorted = positives.sorted()
        var correct = 0.0
        var negativeCount = 0
        for x in negatives {
            negativeCount += 1
            // Positives strictly above x, and equal to x.
            let above = sorted.count - upperBound(sorted, x)
            let equal = upperBound(sorted, x) - lowerBound(sorted, x)
            correct += Double(above) + 0.5 * Double(equal)
        }
        guard negativeCount > 0 else { return nil }
        return correct / (Double(sorted.count) * Double(negativeCount))
    }

    static func lowerBound(_ a: [Float], _ x: Float) -> Int {
        var low = 0, high = a.count
        while low < high { let mid = (low + high) / 2; if a[mid] < x { low = mid + 1 } else { high = mid } }
        return low
    }

    static func upperBound(_ a: [Float], _ x: Float) -> Int {
        var low = 0, high = a.count
        while low < high { let mid = (low + high) / 2; if a[mid] <= x { low = mid + 1 } else { high = mid } }
        return low
    }
}
