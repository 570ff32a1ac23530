import RecBenchKernels
import RecBenchCore

/// A fitted recommender: it only scores.
///
/// Ranking, recommending with training items excluded, and evaluation are written once, in
/// extensions and in ``Evaluator``, for every model.
public protocol TrainedModel: Sendable {
    /// The number of items scored.
    var itemCount: Int { get }

    /// Writes the scores of every item for each of `users` into `scores`: row `r` (a buffer of
    /// exactly `itemCount` floats, ``ScoreRows/subscript(row:)``) for `users[users.startIndex + r]`.
    /// Higher is better.
    ///
    /// - Parameters:
    ///   - users: the users to score; `scores.rowCount == users.count`.
    ///   - scores: `users.count` rows of `itemCount` floats, every one of which must be written.
    func scores(for users: UserBatch, into scores: inout ScoreRows)

    /// Whether the model scores items that had no training interaction from what it knows of
    /// them (their metadata) — content-based and feature-aware models do; a collaborative model
    /// has no information on such items, and the new-item protocol ranks them by its fallback
    /// instead (default: false).
    var scoresNewItems: Bool { get }
}

extension TrainedModel {
    public var scoresNewItems: Bool { false }
}

extension TrainedModel {
    /// The scores of every item for each of `users`, row after row (`users.count × itemCount`).
    ///
    /// - Complexity: one call of ``scores(for:into:)``.
    public func scores(for users: some Sequence<UserIndex>) -> [Float] {
        let batch = UserBatch(users)
        var out = [Float](repeating: 0, count: batch.count * itemCount)
        out.withUnsafeMutableBufferPointer { buffer in
            var rows = ScoreRows(buffer, rows: batch.count, itemCount: itemCount)
            self.scores(for: batch, into: &rows)
        }
        return out
    }

    /// The top `k` items for `user` among those not in `user`'s row of `exclude`, best first
    /// (ties: lower index first). Excluded items, and items the model scores −∞ or NaN, are
    /// never returned, so fewer than `k` items come back when fewer remain.
    ///
    /// - Parameters:
    ///   - user: the user, a row of `exclude` (usually the training interactions).
    ///   - k: how many items to return (none when `k ≤ 0`).
    ///   - exclude: the interactions whose items are never recommended.
    /// - Complexity: one row of scores, then O(itemCount) selection.
    public func recommend(user: UserIndex, k: Int, excluding exclude: InteractionMatrix) -> [ItemIndex] {
        guard k > 0, itemCount > 0 else { return [] }
        let excluded = user.int < exclude.rowCount ? exclude.columns[exclude.range(ofRow: user.int)] : []
        var buffer = [Float](repeating: 0, count: itemCount)
        return buffer.withUnsafeMutableBufferPointer { scores in
            var rows = ScoreRows(scores, rows: 1, itemCount: itemCount)
            self.scores(for: UserBatch(user), into: &rows)
            for item in excluded where item >= 0 && Int(item) < itemCount { scores[Int(item)] = -.infinity }
            // The selection never keeps −∞ (or NaN): excluded items cannot come back.
            return TopK.select(UnsafeBufferPointer(scores), k: min(k, itemCount)).indices.map { ItemIndex(rawValue: $0) }
        }
    }
}

extension TrainedModel {
    /// The evaluator's entry point (raw positions and a pointer it sized): forwards to
    /// ``scores(for:into:)`` with a bounded block.
    @inline(__always)
    package func scores(for users: ArraySlice<Int32>, into scores: UnsafeMutablePointer<Float>) {
        var rows = ScoreRows(unchecked: scores, rows: users.count, itemCount: itemCount, rowStride: itemCount)
        self.scores(for: UserBatch(rawValues: users), into: &rows)
    }
}

/// A model whose score is the dot product of a user's and an item's factor vectors.
///
/// Blocks of users are scored with one GEMM against the item factors, transposed and packed
/// once when the model is made, so no users × items matrix is ever held.
public struct FactorModel: TrainedModel {
    /// Factors per user and item.
    public let factors: Int
    /// User factors, users × factors, row-major.
    public let userFactors: [Float]
    /// Item factors, items × factors, row-major.
    public let itemFactors: [Float]
    /// Item factors transposed (factors × items) and packed once for the GEMM tile.
    package let packedItems: GEMM.PackedB
    public let itemCount: Int

    /// Creates a model from user factors (users × f) and item factors (items × f), row-major.
    public init(factors: Int, userFactors: [Float], itemFactors: [Float]) {
        precondition(factors > 0 && userFactors.count % factors == 0 && itemFactors.count % factors == 0)
        self.factors = factors
        self.userFactors = userFactors
        let items = itemFactors.count / factors
        self.itemCount = items
        self.itemFactors = itemFactors
        var transposed = [Float](repeating: 0, count: itemFactors.count)
        for i in 0..<items { for j in 0..<factors { transposed[j * items + i] = itemFactors[i * factors + j] } }
        self.packedItems = transposed.withUnsafeBufferPointer { GEMM.pack(b: $0.baseAddress!, ldb: items, k: factors, n: items) }
    }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        self.scores(for: users, items: 0..<itemCount, into: &scores)
    }
}

/// A model that gives every user the same score per item.
public struct ItemScoreModel: TrainedModel {
    /// The score of each item.
    public let itemScores: [Float]
    public var itemCount: Int { itemScores.count }

    /// Creates a model from one score per item.
    public init(itemScores: [Float]) { self.itemScores = itemScores }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        itemScores.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress else { return }
            for row in 0..<users.count { scores[row: row].baseAddress!.update(from: from, count: itemCount) }
        }
    }

    /// Popularity: each item's number of training users (`byUsers`) or its total value.
    public static func popularity(_ train: InteractionMatrix, byUsers: Bool = true) -> ItemScoreModel {
        var scores = [Float](repeating: 0, count: train.columnCount)
        for (column, value) in zip(train.columns, train.values) { scores[Int(column)] += byUsers ? 1 : value }
        return ItemScoreModel(itemScores: scores)
    }
}

/// Any model, behind one concrete type: it forwards scoring to the model it wraps.
///
/// For APIs that need a concrete ``TrainedModel`` type where only `any TrainedModel` is at
/// hand (``Algorithm/fit(_:seed:)`` returns one). It hides ``ChunkedScoring``: evaluate the
/// wrapped ``base`` to keep chunked ranking.
public struct AnyTrainedModel: TrainedModel {
    /// The wrapped model.
    public let base: any TrainedModel

    /// Wraps `base`.
    public init(_ base: any TrainedModel) { self.base = base }

    public var itemCount: Int { base.itemCount }

    public var scoresNewItems: Bool { base.scoresNewItems }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) { base.scores(for: users, into: &scores) }
}
