import RecBenchCore
/// Random scores: a sanity floor. The score of (user, item) is a hash of the seed, the user
/// and the item, so it does not depend on how users are batched.
public struct RandomConfiguration: BuiltInConfiguration {
    /// Creates the configuration.
    public init() {}

    public static let typeName = "random"

    public static let hyperparameters: [Hyperparameter] = []

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        _ = try ParameterReader(parameters, for: Self.self)
    }

    public var parameters: [String: ParameterValue] { [:] }

    public var algorithm: Algorithm { .random(self) }

    public var label: String { "Random" }

    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> RandomModel {
        RandomModel(itemCount: train.itemCount, seed: seed)
    }
}

/// The model of ``RandomConfiguration``.
public struct RandomModel: TrainedModel {
    public let itemCount: Int
    package let seed: UInt64

    /// A model of `itemCount` items whose scores are a hash of (seed, user, item) in [0, 1).
    public init(itemCount: Int, seed: UInt64) {
        self.itemCount = itemCount
        self.seed = seed
    }

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

extension RandomModel: FoldInModel {
    /// Scores a new user as any user: the seeded hash of (user, item), the history ignored.
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        self.scores(for: users, into: &scores)
    }
}
