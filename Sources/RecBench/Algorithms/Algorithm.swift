/// A recommender's configuration: a value that `fit` turns into a trained model.
///
/// Configurations are `Codable` so that experiment files decode into them, and `Hashable` so
/// that sweeps can key results on them. Fitting is deterministic for a seed, whatever the
/// thread count. A type in another package conforms to this protocol to run through the same
/// splits and evaluator (see `Examples/CustomAlgorithm`).
public protocol RecommenderConfiguration: Codable, Hashable, Sendable {
    /// The model `fit` returns.
    associatedtype Model: TrainedModel

    /// A short label for reports, with the hyperparameters that matter.
    var label: String { get }

    /// Fits a model to the training interactions.
    ///
    /// - Parameters:
    ///   - train: the training part of a split (its users and items are the model's).
    ///   - seed: the seed of every random choice of the fit.
    func fit(_ train: Dataset, seed: UInt64) throws -> Model
}

/// The built-in algorithms: a closed set, switched over exhaustively, that experiment files decode into.
public enum Algorithm: Codable, Hashable, Sendable, CustomStringConvertible {
    case popularity(PopularityConfiguration)
    case random(RandomConfiguration)
    case itemKNN(ItemKNNConfiguration)
    case als(ALSConfiguration)
    case bpr(BPRConfiguration)
    case ease(EASEConfiguration)
    case multVAE(MultVAEConfiguration)

    /// The configuration's label.
    public var label: String {
        switch self {
        case .popularity(let c): return c.label
        case .random(let c): return c.label
        case .itemKNN(let c): return c.label
        case .als(let c): return c.label
        case .bpr(let c): return c.label
        case .ease(let c): return c.label
        case .multVAE(let c): return c.label
        }
    }

    public var description: String { label }

    /// The same configuration with its thread count fixed (algorithms without threads are unchanged).
    ///
    /// Results do not depend on it; it only spreads the work, or keeps it on one core when
    /// several fits run side by side.
    public func withThreads(_ threads: Int?) -> Algorithm {
        switch self {
        case .popularity, .random, .itemKNN: return self
        case .als(var c): c.threads = threads; return .als(c)
        case .bpr(var c): c.threads = threads; return .bpr(c)
        case .ease(var c): c.threads = threads; return .ease(c)
        case .multVAE(var c): c.threads = threads; return .multVAE(c)
        }
    }

    /// Fits the configured algorithm.
    public func fit(_ train: Dataset, seed: UInt64) throws -> any TrainedModel {
        switch self {
        case .popularity(let c): return try c.fit(train, seed: seed)
        case .random(let c): return try c.fit(train, seed: seed)
        case .itemKNN(let c): return try c.fit(train, seed: seed)
        case .als(let c): return try c.fit(train, seed: seed)
        case .bpr(let c): return try c.fit(train, seed: seed)
        case .ease(let c): return try c.fit(train, seed: seed)
        case .multVAE(let c): return try c.fit(train, seed: seed)
        }
    }
}

/// Popularity: every user gets the items with the most training users (or plays) first.
/// With `.plays` it is the course lab's `predictMostListened`.
public struct PopularityConfiguration: RecommenderConfiguration {
    /// What popularity counts.
    public enum Measure: String, Codable, Hashable, Sendable { case users, plays }
    /// What popularity counts.
    public var measure: Measure

    /// Creates the configuration.
    public init(measure: Measure = .users) { self.measure = measure }

    public var label: String { "Popularity(\(measure.rawValue))" }

    public func fit(_ train: Dataset, seed: UInt64) throws -> ItemScoreModel {
        ItemScoreModel.popularity(train.interactions, byUsers: measure == .users)
    }
}

/// Random scores: a sanity floor. The score of (user, item) is a hash of the seed, the user
/// and the item, so it does not depend on how users are batched.
public struct RandomConfiguration: RecommenderConfiguration {
    /// Creates the configuration.
    public init() {}

    public var label: String { "Random" }

    public func fit(_ train: Dataset, seed: UInt64) throws -> RandomModel {
        RandomModel(itemCount: train.itemCount, seed: seed)
    }
}

/// The model of ``RandomConfiguration``.
public struct RandomModel: TrainedModel {
    public let itemCount: Int
    let seed: UInt64

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        for (row, user) in users.enumerated() {
            let out = scores[row: row]
            for item in 0..<itemCount { out[item] = score(user: user, item: ItemIndex(item)) }
        }
    }

    /// The score of one (user, item) pair: a hash of the seed, the user and the item, in [0, 1).
    public func score(user: UserIndex, item: ItemIndex) -> Float {
        let base = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(UInt32(bitPattern: user.rawValue)) &* 0xBF58_476D_1CE4_E5B9
        var z = base &+ UInt64(UInt32(bitPattern: item.rawValue)) &* 0x94D0_49BB_1331_11EB
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1.0p-24
    }

    /// ``score(user:item:)`` for raw positions (the course lab's arrays).
    package func score(user: Int32, item: Int32) -> Float { score(user: UserIndex(rawValue: user), item: ItemIndex(rawValue: item)) }
}
