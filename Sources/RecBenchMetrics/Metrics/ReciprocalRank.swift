import RecBenchCore
/// 1 / rank of the first hit within k, or 0: `MRR@k` (docs/metrics.md).
public struct ReciprocalRank: PerUserMetric {
    /// The cutoff.
    public var k: Int
    /// The metric at cutoff `k` (1…``Metric/maximumCutoff``).
    public init(k: Int) { self.k = k }
    public var name: String { "MRR@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .hits }

    public func value(for user: UserRanking) -> Double {
        guard user.relevantCount > 0, let first = user.hits.prefix(k).firstIndex(of: true) else { return 0 }
        return 1 / Double(first + 1)
    }
}
