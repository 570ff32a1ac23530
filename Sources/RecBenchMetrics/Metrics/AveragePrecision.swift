import RecBenchCore
/// Average precision at k in both conventions (docs/metrics.md): `MAP@k` divides the sum of
/// P@i · rel_i by |T| (trec_eval's `map_cut_k`), `MAPmin@k` by min(k, |T|) (implicit's).
public struct AveragePrecision: PerUserMetric {
    /// The denominator of the sum.
    public enum Normalization: Sendable, Hashable {
        /// |T| (`MAP@k`).
        case relevantCount
        /// min(k, |T|) (`MAPmin@k`).
        case cappedAtCutoff
    }

    /// The cutoff.
    public var k: Int
    /// The sum's denominator.
    public var normalization: Normalization
    /// The metric at cutoff `k` with a denominator.
    public init(k: Int, normalization: Normalization) {
        self.k = k
        self.normalization = normalization
    }

    public var name: String { normalization == .relevantCount ? "MAP@\(k)" : "MAPmin@\(k)" }
    public var cutoff: Int? { k }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .hits }

    public func value(for user: UserRanking) -> Double {
        guard user.relevantCount > 0 else { return 0 }
        var sum = 0.0, seen = 0
        for (i, hit) in user.hits.prefix(k).enumerated() where hit {
            seen += 1
            sum += Double(seen) / Double(i + 1)
        }
        switch normalization {
        case .relevantCount: return sum / Double(user.relevantCount)
        case .cappedAtCutoff: return sum / Double(min(k, user.relevantCount))
        }
    }
}
