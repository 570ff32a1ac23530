import RecBenchCore
/// Hits in the top k over k: `P@k` (docs/metrics.md).
public struct Precision: PerUserMetric {
    /// The cutoff.
    public var k: Int
    /// The metric at cutoff `k` (1…``Metric/maximumCutoff``).
    public init(k: Int) { self.k = k }
    public var name: String { "P@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .hits }

    public func value(for user: UserRanking) -> Double {
        guard user.relevantCount > 0 else { return 0 }
        return Double(HitCount.within(k, user.hits)) / Double(k)
    }
}

/// Hits in the top k over |T|: `R@k` (docs/metrics.md).
public struct Recall: PerUserMetric {
    /// The cutoff.
    public var k: Int
    /// The metric at cutoff `k` (1…``Metric/maximumCutoff``).
    public init(k: Int) { self.k = k }
    public var name: String { "R@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .hits }

    public func value(for user: UserRanking) -> Double {
        guard user.relevantCount > 0 else { return 0 }
        return Double(HitCount.within(k, user.hits)) / Double(user.relevantCount)
    }
}

/// 1 when the top k holds a hit: `HR@k` (docs/metrics.md).
public struct HitRate: PerUserMetric {
    /// The cutoff.
    public var k: Int
    /// The metric at cutoff `k` (1…``Metric/maximumCutoff``).
    public init(k: Int) { self.k = k }
    public var name: String { "HR@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .hits }

    public func value(for user: UserRanking) -> Double {
        guard user.relevantCount > 0 else { return 0 }
        return HitCount.within(k, user.hits) > 0 ? 1 : 0
    }
}

/// Counting hits in the top of a ranking.
package enum HitCount {
    /// hits@k of `hits` (ranks past the list's end count as misses).
    @inline(__always)
    package static func within(_ k: Int, _ hits: [Bool]) -> Int {
        hits.prefix(k).reduce(0) { $0 + ($1 ? 1 : 0) }
    }
}
