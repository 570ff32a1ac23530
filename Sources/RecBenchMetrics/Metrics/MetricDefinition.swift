import RecBenchCore
/// Whether a larger or a smaller value of a metric is the better one.
///
/// Every consumer that orders or compares values reads it: the leaderboard's order, the choice
/// of the best configuration in a sweep, the sign of a paired comparison and the CI gate.
public enum MetricDirection: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Larger values are better (accuracy, coverage, novelty).
    case higherIsBetter
    /// Smaller values are better (errors, concentration).
    case lowerIsBetter

    public var description: String { self == .higherIsBetter ? "higher is better" : "lower is better" }

    /// Whether `a` is strictly better than `b`.
    @inline(__always)
    public func isBetter(_ a: Double, than b: Double) -> Bool { self == .higherIsBetter ? a > b : a < b }

    /// `value` oriented so that larger is better: `value` itself, or its negation.
    @inline(__always)
    public func oriented(_ value: Double) -> Double { self == .higherIsBetter ? value : -value }

    /// The worst value of all (for a missing value in an order): −∞ or +∞.
    public var worst: Double { self == .higherIsBetter ? -.infinity : .infinity }
}

/// What a metric reads of a user's recommendations.
public enum MetricInput: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The ranked hit list rel_1, rel_2, … and |T| (``PerUserMetric``).
    case hits
    /// The scores of every candidate, as pair counts of positives against negatives (AUC).
    case scores
    /// Predicted ratings against held-out ratings (RMSE, MAE, FCP: ``RatingMetric``).
    case predictedRatings
    /// Every user's top-k list together, with the training popularity (``ListMetric``).
    case recommendationLists

    public var description: String {
        switch self {
        case .hits: return "ranked hits"
        case .scores: return "all candidate scores"
        case .predictedRatings: return "predicted ratings"
        case .recommendationLists: return "all users' top-k lists"
        }
    }
}

/// A metric: its report name, cutoff, direction and what it needs.
///
/// A metric is either a ``PerUserMetric`` (a value per evaluated user, averaged with equal
/// weight; bootstrap intervals, per-user values and paired tests apply) or a ``ListMetric`` (one
/// value over every user's list, such as coverage). Definitions are in docs/metrics.md; the
/// built-in ones are the cases of ``Metric``, each mapped to its definition in one switch.
public protocol MetricDefinition: Sendable {
    /// The report name, such as `NDCG@10`.
    var name: String { get }
    /// The cutoff k, or `nil` for a metric over the whole ranking.
    var cutoff: Int? { get }
    /// Whether higher or lower values are better.
    var direction: MetricDirection { get }
    /// What the metric reads.
    var needs: MetricInput { get }
}

/// What a per-user metric sees of one user.
public struct UserRanking: Sendable {
    /// rel_1, rel_2, … of the user's ranked list, as deep as the evaluation ranks (it may be
    /// shorter than a cutoff when the candidate set is smaller; missing ranks are non-relevant).
    public var hits: [Bool]
    /// |T|, the user's held-out items.
    public var relevantCount: Int
    /// The user's positives against negatives over every candidate's score, when a metric of
    /// the evaluation needs scores (`nil` otherwise, or without a positive or a negative).
    public var pairs: PairCounts?

    /// Creates the view of one user.
    public init(hits: [Bool], relevantCount: Int, pairs: PairCounts? = nil) {
        self.hits = hits
        self.relevantCount = relevantCount
        self.pairs = pairs
    }
}

/// A metric with one value per user; the report's figure is the mean over users.
public protocol PerUserMetric: MetricDefinition {
    /// The user's value (0 for a user with |T| = 0).
    ///
    /// - Complexity: O(cutoff) for hit metrics, O(1) from pair counts.
    func value(for user: UserRanking) -> Double
}

/// Every evaluated user's top of the ranking, as a list metric reads it.
public struct RecommendationLists: Sendable {
    /// `depth` ranked items per user, users one after the other; −1 where the candidates ran out.
    public var rankings: [Int32]
    /// Ranked items kept per user.
    public var depth: Int
    /// Each item's number of training users.
    public var popularity: [Int]
    /// Users in the training matrix.
    public var userCount: Int

    /// Creates the lists; `popularity.count` is the catalogue size.
    public init(rankings: [Int32], depth: Int, popularity: [Int], userCount: Int) {
        self.rankings = rankings
        self.depth = depth
        self.popularity = popularity
        self.userCount = userCount
    }
}

/// A metric with one value over all users' top-k lists (no per-user values, no interval).
public protocol ListMetric: MetricDefinition {
    /// The value over the lists, or `nil` when nothing was recommended.
    ///
    /// - Complexity: O(users × k + items log items).
    func value(over lists: RecommendationLists) -> Double?
}
