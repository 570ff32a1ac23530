import RecBenchCore

/// A fitted model that scores a user it never saw from that user's interactions alone, without
/// refitting: the new-user protocol's fold-in (Liang et al. 2018, "strong generalisation").
///
/// ALS solves the user's least squares against its fixed item factors, item-kNN and EASE apply
/// their item–item weights to the given items, the autoencoders run one forward pass, and
/// popularity ignores the history. Models that cannot do it (their users are parameters of the
/// fit: BPR's user factors) do not conform, and the protocol reports them as not applicable.
public protocol FoldInModel: TrainedModel {
    /// Writes the scores of every item for each of `users`, whose interactions are their rows
    /// of `histories` (users × items; values are play counts or ratings as in training) and not
    /// the model's own (training) rows.
    ///
    /// - Parameters:
    ///   - users: rows of `histories`; `scores.rowCount == users.count`.
    ///   - histories: the given interactions, with as many columns as the model has items.
    ///   - scores: `users.count` rows of `itemCount` floats, every one of which must be written.
    func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows)

    /// Whether this fitted model can fold in (default: true; a hybrid can only when all its
    /// weighted parts can).
    var canFoldIn: Bool { get }
}

extension FoldInModel {
    public var canFoldIn: Bool { true }
}

/// A fold-in model bound to the histories it folds in: a ``TrainedModel`` whose user `u` is the
/// user given by row `u` of ``histories``, so the evaluator ranks it like any other.
public struct FoldedInModel: TrainedModel {
    /// The fitted model.
    public let base: any FoldInModel
    /// The users' given interactions (users × items).
    public let histories: InteractionMatrix

    /// Binds `base` to `histories`.
    public init(_ base: any FoldInModel, histories: InteractionMatrix) {
        self.base = base
        self.histories = histories
    }

    public var itemCount: Int { base.itemCount }
    public var scoresNewItems: Bool { base.scoresNewItems }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        base.foldInScores(for: users, histories: histories, into: &scores)
    }
}
