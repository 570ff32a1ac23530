import Foundation
import RecBenchCore

/// Binary-relevance NDCG at k: `NDCG@k` (docs/metrics.md); the graded form for run files is
/// ``RankingMetrics/gradedNDCG(gains:idealGains:cutoff:)``.
public struct NDCG: PerUserMetric {
    /// The cutoff.
    public var k: Int
    /// The metric at cutoff `k` (1…``Metric/maximumCutoff``).
    public init(k: Int) { self.k = k }
    public var name: String { "NDCG@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .hits }

    public func value(for user: UserRanking) -> Double {
        guard user.relevantCount > 0 else { return 0 }
        var dcg = 0.0
        for (i, hit) in user.hits.prefix(k).enumerated() where hit { dcg += 1 / log2(Double(i + 2)) }
        var ideal = 0.0
        for i in 0..<min(k, user.relevantCount) { ideal += 1 / log2(Double(i + 2)) }
        return dcg / ideal
    }
}
