import Foundation
import RecBenchCore

/// Every held-out rating with its prediction, as the rating metrics read them.
///
/// Entries are grouped by user (the test matrix's order): `users[p]` rated with `actual[p]`,
/// and the model predicted `predicted[p]`, already clipped to the rating scale.
public struct RatingPredictions: Sendable {
    /// The user of each prediction; equal users are adjacent.
    public var users: [Int32]
    /// The held-out ratings.
    public var actual: [Double]
    /// The predictions (fallback where the model gave none, then clipped).
    public var predicted: [Double]

    /// Creates the list; the three arrays have one entry per held-out rating.
    public init(users: [Int32], actual: [Double], predicted: [Double]) {
        self.users = users
        self.actual = actual
        self.predicted = predicted
    }

    /// The number of predictions.
    public var count: Int { actual.count }
}

/// A metric over every held-out rating's prediction (RMSE, MAE, FCP): one value, no per-user
/// values and so no interval.
public protocol RatingMetric: MetricDefinition {
    /// The value over `predictions`, or `nil` when it is undefined (no prediction; FCP without
    /// any ordered pair).
    ///
    /// - Complexity: O(n) for RMSE and MAE; O(Σ n_u²) for FCP.
    func value(over predictions: RatingPredictions) -> Double?
}

/// Root mean squared error: √(1/n Σ (r̂ − r)²) over all n held-out ratings (pooled, not per user:
/// Surprise's `accuracy.rmse`). Lower is better.
public struct RMSE: RatingMetric {
    public init() {}
    public var name: String { "RMSE" }
    public var cutoff: Int? { nil }
    public var direction: MetricDirection { .lowerIsBetter }
    public var needs: MetricInput { .predictedRatings }

    public func value(over predictions: RatingPredictions) -> Double? {
        guard predictions.count > 0 else { return nil }
        var sum = 0.0
        for (a, p) in zip(predictions.actual, predictions.predicted) { sum += (p - a) * (p - a) }
        return (sum / Double(predictions.count)).squareRoot()
    }
}

/// Mean absolute error: 1/n Σ |r̂ − r| over all n held-out ratings (Surprise's `accuracy.mae`).
/// Lower is better.
public struct MAE: RatingMetric {
    public init() {}
    public var name: String { "MAE" }
    public var cutoff: Int? { nil }
    public var direction: MetricDirection { .lowerIsBetter }
    public var needs: MetricInput { .predictedRatings }

    public func value(over predictions: RatingPredictions) -> Double? {
        guard predictions.count > 0 else { return nil }
        var sum = 0.0
        for (a, p) in zip(predictions.actual, predictions.predicted) { sum += abs(p - a) }
        return sum / Double(predictions.count)
    }
}

/// Fraction of concordant pairs (Koren 2011, "OrdRec"), exactly as Surprise's `accuracy.fcp`.
///
/// For each user u, over ordered pairs (i, j) of u's held-out ratings: n_c(u) counts
/// r̂_i > r̂_j with r_i > r_j; n_d(u) counts r̂_i ≥ r̂_j with r_i < r_j (a tie in the predictions
/// is discordant). n_c is the mean of n_c(u) over the users with n_c(u) > 0, n_d the mean of
/// n_d(u) over the users with n_d(u) > 0 (Surprise keeps a user only once a pair was counted),
/// and FCP = n_c / (n_c + n_d); undefined (nil) when both are 0. Higher is better.
public struct FCP: RatingMetric {
    public init() {}
    public var name: String { "FCP" }
    public var cutoff: Int? { nil }
    public var direction: MetricDirection { .higherIsBetter }
    public var needs: MetricInput { .predictedRatings }

    public func value(over predictions: RatingPredictions) -> Double? {
        var concordant = 0.0, concordantUsers = 0, discordant = 0.0, discordantUsers = 0
        var start = 0
        let n = predictions.count
        while start < n {
            var end = start + 1
            while end < n && predictions.users[end] == predictions.users[start] { end += 1 }
            var nc = 0, nd = 0
            for i in start..<end {
                let ri = predictions.actual[i], ei = predictions.predicted[i]
                for j in start..<end {
                    let rj = predictions.actual[j], ej = predictions.predicted[j]
                    if ei > ej && ri > rj { nc += 1 }
                    if ei >= ej && ri < rj { nd += 1 }
                }
            }
            if nc > 0 { concordant += Double(nc); concordantUsers += 1 }
            if nd > 0 { discordant += Double(nd); discordantUsers += 1 }
            start = end
        }
        let meanConcordant = concordantUsers > 0 ? concordant / Double(concordantUsers) : 0
        let meanDiscordant = discordantUsers > 0 ? discordant / Double(discordantUsers) : 0
        guard meanConcordant + meanDiscordant > 0 else { return nil }
        return meanConcordant / (meanConcordant + meanDiscordant)
    }
}
