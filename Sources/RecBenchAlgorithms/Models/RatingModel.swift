import RecBenchCore

/// A fitted model that predicts the rating a user would give an item (explicit feedback).
///
/// The evaluator asks it for the rating of each held-out (user, item) pair. When the model
/// cannot predict one (``estimate(user:item:)`` returns `nil`, Surprise's
/// `PredictionImpossible`: an unknown user or item, too few neighbours) the evaluator uses the
/// fallback, the training ratings' mean (``fallbackRating``), and counts it; every prediction
/// is then clipped to the rating scale. Models with their own rule for unknown users or items
/// (biases only, as Surprise's SVD and baseline do) apply it inside ``estimate(user:item:)``.
///
/// A rating model also ranks: its score for an item is the predicted rating (fallback where
/// impossible), so ranking metrics apply on the same split.
public protocol RatingModel: TrainedModel {
    /// The prediction used where ``estimate(user:item:)`` gives none: the mean of the
    /// training ratings (Surprise's `default_prediction`).
    var fallbackRating: Double { get }

    /// The model's rating of `item` by `user`, before clipping, or `nil` when it cannot predict it.
    ///
    /// `user` and `item` are positions in the split's numbering; they may have no training
    /// rating (a user or item unknown to the model), and may lie beyond the training arrays.
    /// Deterministic, and safe to call from several threads at once.
    func estimate(user: UserIndex, item: ItemIndex) -> Double?
}

extension RatingModel {
    /// Each item's predicted rating (the fallback where the model gives none).
    ///
    /// - Complexity: `itemCount` calls of ``estimate(user:item:)`` per user.
    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        let fallback = fallbackRating
        for (row, user) in users.enumerated() {
            let out = scores[row: row]
            for item in 0..<itemCount { out[item] = Float(estimate(user: user, item: ItemIndex(item)) ?? fallback) }
        }
    }
}

/// The training ratings seen two ways, with their mean: what every rating algorithm starts from.
///
/// `byUser` is the split's training matrix (a row per user, items sorted); `byItem` its
/// transpose (a row per item, users sorted). A user (item) is known when its row is not empty.
public struct RatingTrainingSet: Sendable {
    /// Ratings by user: rows are users, columns items.
    public let byUser: InteractionMatrix
    /// Ratings by item: rows are items, columns users.
    public let byItem: InteractionMatrix
    /// The mean of every training rating (in double precision, as Surprise's `global_mean`).
    public let globalMean: Double

    /// Reads the training part of a split.
    ///
    /// - Complexity: O(ratings + users + items).
    public init(_ train: Dataset) {
        byUser = train.interactions
        byItem = train.interactions.transposed()
        var sum = 0.0
        for value in byUser.values { sum += Double(value) }
        globalMean = byUser.nonZeroCount > 0 ? sum / Double(byUser.nonZeroCount) : 0
    }

    /// The number of users (rows of ``byUser``).
    public var userCount: Int { byUser.rowCount }
    /// The number of items (rows of ``byItem``).
    public var itemCount: Int { byItem.rowCount }
    /// The number of training ratings.
    public var ratingCount: Int { byUser.nonZeroCount }

    /// Whether `user` has at least one training rating.
    @inlinable public func knows(user: UserIndex) -> Bool {
        let u = Int(user.rawValue)
        return u >= 0 && u < byUser.rowCount && byUser.rowOffsets[u + 1] > byUser.rowOffsets[u]
    }

    /// Whether `item` has at least one training rating.
    @inlinable public func knows(item: ItemIndex) -> Bool {
        let i = Int(item.rawValue)
        return i >= 0 && i < byItem.rowCount && byItem.rowOffsets[i + 1] > byItem.rowOffsets[i]
    }
}
