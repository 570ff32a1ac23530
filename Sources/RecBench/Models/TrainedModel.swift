import RecBenchKernels

/// A fitted recommender: it only scores.
///
/// Ranking, recommending with training items excluded, and evaluation are written once, in
/// extensions and in ``Evaluator``, for every model.
public protocol TrainedModel: Sendable {
    /// The number of items scored.
    var itemCount: Int { get }

    /// Writes the scores of every item for each of `users`, row after row, into `scores`
    /// (`users.count × itemCount` floats). Higher is better.
    func scores(for users: ArraySlice<Int32>, into scores: UnsafeMutablePointer<Float>)
}

extension TrainedModel {
    /// The top `k` items for `user` among those not in `exclude`, best first (ties: lower index first).
    public func recommend(user: Int, k: Int, excluding exclude: InteractionMatrix) -> [ItemIndex] {
        var buffer = [Float](repeating: 0, count: itemCount)
        return buffer.withUnsafeMutableBufferPointer { scores in
            self.scores(for: [Int32(user)][...], into: scores.baseAddress!)
            for position in exclude.range(ofRow: user) { scores[Int(exclude.columns[position])] = -.infinity }
            return TopK.select(UnsafeBufferPointer(scores), k: k).indices.map { ItemIndex(rawValue: $0) }
        }
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
    let packedItems: GEMM.PackedB
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

    public func scores(for users: ArraySlice<Int32>, into scores: UnsafeMutablePointer<Float>) {
        self.scores(for: users, items: 0..<itemCount, into: scores, ldc: itemCount)
    }
}

/// A model that gives every user the same score per item.
public struct ItemScoreModel: TrainedModel {
    /// The score of each item.
    public let itemScores: [Float]
    public var itemCount: Int { itemScores.count }

    /// Creates a model from one score per item.
    public init(itemScores: [Float]) { self.itemScores = itemScores }

    public func scores(for users: ArraySlice<Int32>, into scores: UnsafeMutablePointer<Float>) {
        itemScores.withUnsafeBufferPointer { source in
            for row in 0..<users.count { (scores + row * itemCount).update(from: source.baseAddress!, count: itemCount) }
        }
    }

    /// Popularity: each item's number of training users (`byUsers`) or its total value.
    public static func popularity(_ train: InteractionMatrix, byUsers: Bool = true) -> ItemScoreModel {
        var scores = [Float](repeating: 0, count: train.columnCount)
        for (column, value) in zip(train.columns, train.values) { scores[Int(column)] += byUsers ? 1 : value }
        return ItemScoreModel(itemScores: scores)
    }
}
