import RecBenchKernels
import RecBenchCore

/// The fraction of (relevant, non-relevant candidate) pairs ordered correctly, ties ½: `AUC`
/// (docs/metrics.md). A user without a positive or a negative candidate scores 0.
public struct AUC: PerUserMetric {
    /// The metric.
    public init() {}
    public var name: String { "AUC" }
    public var cutoff: Int? { nil }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .scores }

    public func value(for user: UserRanking) -> Double { user.pairs?.auc ?? 0 }
}

/// One user's positives compared with the negatives, pair by pair, counted from ranks (never
/// by enumerating pairs). Every AUC of RecBench is computed from these counts: the evaluator's
/// (full ranking, chunked or sampled candidates), ``RankingMetrics/auc(positives:negatives:)``
/// and the course lab's (``LabAUC``, which counts ties as wrong).
public struct PairCounts: Sendable, Equatable {
    /// Positives (|P|).
    public var positives: Int
    /// Negatives (|N|).
    public var negatives: Int
    /// Pairs whose positive scores strictly higher.
    public var greater: Int
    /// Pairs whose scores are equal.
    public var ties: Int

    /// Creates counts directly.
    public init(positives: Int, negatives: Int, greater: Int, ties: Int) {
        self.positives = positives
        self.negatives = negatives
        self.greater = greater
        self.ties = ties
    }

    /// The AUC: (greater + ½ ties) / (|P| · |N|).
    public var auc: Double { (Double(greater) + 0.5 * Double(ties)) / (Double(positives) * Double(negatives)) }

    /// The counts of `positives` against `negatives` (a negative may repeat).
    ///
    /// - Returns: `nil` when there is no positive or no negative.
    /// - Complexity: O((P + N) log P).
    public init?(positives: [Float], negatives: some Sequence<Float>) {
        guard !positives.isEmpty else { return nil }
        let sorted = positives.sorted()
        var greater = 0, ties = 0, negativeCount = 0
        for x in negatives {
            negativeCount += 1
            // Positives strictly above x, and equal to x.
            let upper = Self.upperBound(sorted, x)
            greater += sorted.count - upper
            ties += upper - Self.lowerBound(sorted, x)
        }
        guard negativeCount > 0 else { return nil }
        self.init(positives: sorted.count, negatives: negativeCount, greater: greater, ties: ties)
    }

    /// The counts of `positives` against every other finite score of `scores` (the user's row,
    /// −∞ where an item is no candidate); `positives` must be finite and is sorted in place.
    ///
    /// Each positive costs one vectorised pass over the row (which stays in L2), far cheaper
    /// than a binary search per candidate.
    /// - Returns: `nil` when there is no positive or no negative.
    public init?(positives: inout [Float], amongScores scores: UnsafeBufferPointer<Float>) {
        guard !positives.isEmpty else { return nil }
        positives.sort()
        let finite = Counting.greaterAndEqual(scores, than: -.infinity).greater
        var above = [Int](repeating: 0, count: positives.count), equal = above
        positives.withUnsafeBufferPointer { thresholds in
            above.withUnsafeMutableBufferPointer { greater in
                equal.withUnsafeMutableBufferPointer { tied in
                    Counting.accumulateGreaterAndEqual(scores, thresholds: thresholds, greater: greater.baseAddress!, equal: tied.baseAddress!)
                }
            }
        }
        self.init(sortedPositives: positives, candidatesAbove: above, candidatesEqual: equal, finiteCandidates: finite)
    }

    /// The counts from, for each positive (sorted ascending), the candidates (positives
    /// included) scoring above it and equal to it, out of `finiteCandidates` candidates.
    ///
    /// - Returns: `nil` when there is no positive or no negative.
    public init?(sortedPositives positives: [Float], candidatesAbove above: [Int], candidatesEqual equal: [Int], finiteCandidates: Int) {
        let p = positives.count
        guard p > 0 else { return nil }
        let negatives = finiteCandidates - p
        guard negatives > 0 else { return nil }
        var greater = 0, ties = 0
        for (index, s) in positives.enumerated() {
            let upper = Self.upperBound(positives, s)
            let positivesAbove = p - upper
            let positivesEqual = upper - Self.lowerBound(positives, s)
            let negativesAbove = above[index] - positivesAbove, negativesEqual = equal[index] - positivesEqual
            greater += negatives - negativesAbove - negativesEqual
            ties += negativesEqual
        }
        self.init(positives: p, negatives: negatives, greater: greater, ties: ties)
    }

    /// The first index of a sorted array whose value is not below `x`.
    package static func lowerBound(_ a: [Float], _ x: Float) -> Int {
        var low = 0, high = a.count
        while low < high { let mid = (low + high) / 2; if a[mid] < x { low = mid + 1 } else { high = mid } }
        return low
    }

    /// The first index of a sorted array whose value is above `x`.
    package static func upperBound(_ a: [Float], _ x: Float) -> Int {
        var low = 0, high = a.count
        while low < high { let mid = (low + high) / 2; if a[mid] <= x { low = mid + 1 } else { high = mid } }
        return low
    }
}
