import RecBenchCore
import RecBenchSplits
import RecBenchAlgorithms

/// How the cold-start protocols meet the models: the new-user protocol scores a held-out user
/// through the model's fold-in (``FoldInModel``), and the new-item protocol counts a model that
/// has no information on items without training interactions and ranks them by a stated
/// fallback instead of trusting scores that mean nothing.
public enum ColdStart {
    /// What ranked a model's candidates in its place, and for how many users.
    public struct Fallback: Codable, Sendable, Equatable {
        /// Why the model could not rank them.
        public var reason: String
        /// What ranked them instead.
        public var fallback: String
        /// The users ranked by the fallback.
        public var users: Int
    }

    /// The protocol of `split`, in words, or nil for a warm-start split.
    public static func protocolName(of split: Split) -> String? {
        if split.foldIn != nil { return "new users" }
        if split.candidateItems != nil { return "new items" }
        return nil
    }

    /// Refuses, before fitting, what cannot run on `split`: sampled candidates under a
    /// cold-start protocol, and a type whose models cannot fold a user in under the new-user one.
    ///
    /// - Throws: ``ColdStartError``.
    public static func check(_ configuration: any RecommenderConfiguration, on split: Split, evaluator: Evaluator) throws(ColdStartError) {
        guard let name = protocolName(of: split) else { return }
        if case .sampled = evaluator.configuration.candidates { throw .sampledCandidates(protocol: name) }
        if split.foldIn != nil, !configuration.foldsInUsers {
            throw .cannotFoldIn(model: configuration.label)
        }
    }

    /// The model the evaluator ranks on `split`, and the fallback it used, if any.
    ///
    /// - New users: the fitted model bound to the split's fold-in histories (``FoldedInModel``).
    /// - New items: the fitted model itself when it ``TrainedModel/scoresNewItems``; otherwise
    ///   the seeded random order (``RandomModel`` of `seed`), reported as the fallback for every
    ///   evaluated user — a collaborative model's scores of items it never saw are noise, and
    ///   its expected metric there is that of a random order.
    /// - Throws: ``ColdStartError/cannotFoldIn(model:)`` when the fitted model cannot fold in.
    public static func model(_ fitted: any TrainedModel, on split: Split, seed: UInt64, name: String)
        throws(ColdStartError) -> (model: any TrainedModel, fallback: Fallback?) {
        if let histories = split.foldIn {
            guard let foldIn = fitted as? any FoldInModel, foldIn.canFoldIn else { throw .cannotFoldIn(model: name) }
            return (FoldedInModel(foldIn, histories: histories), nil)
        }
        if split.candidateItems != nil, !fitted.scoresNewItems {
            let fallback = Fallback(reason: "\(name) has no information on items without training interactions",
                                    fallback: "random order (seed \(seed))", users: split.evaluatedUsers.count)
            return (RandomModel(itemCount: fitted.itemCount, seed: seed), fallback)
        }
        return (fitted, nil)
    }
}

/// What a cold-start protocol cannot do with a model.
public enum ColdStartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model cannot score a user from given interactions without refitting: not applicable
    /// under the new-user protocol.
    case cannotFoldIn(model: String)
    /// Sampled candidates were asked for under a cold-start protocol, whose candidates are fixed.
    case sampledCandidates(protocol: String)

    public var description: String {
        switch self {
        case .cannotFoldIn(let model):
            return "not applicable: \(model) cannot fold in a new user without refitting (the new-user protocol needs a fold-in model: "
                + Algorithm.types.filter { $0.foldsIn }.map { $0.typeName }.joined(separator: ", ") + ")"
        case .sampledCandidates(let name):
            return "the \(name) protocol ranks its own candidates; sampled candidates do not apply"
        }
    }
}
