/// 1 / rank of the first hit within k, or 0: `MRR@k` (docs/metrics.md).
public struct ReciprocalRank: PerUserMetric {
    public var k: Int
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
