import RecBenchCore
/// Popularity: every user gets the items with the most training users (or plays) first.
/// With `.plays` it is the course lab's `predictMostListened`.
public struct PopularityConfiguration: BuiltInConfiguration {
    /// What popularity counts.
    public enum Measure: String, Codable, Hashable, Sendable, CaseIterable { case users, plays }
    /// What popularity counts.
    public var measure: Measure

    /// Creates the configuration.
    public init(measure: Measure = .users) { self.measure = measure }

    public init() { self.init(measure: .users) }

    public static let typeName = "popularity"

    public static let hyperparameters = [
        Hyperparameter("measure", .choice(Measure.allCases.map(\.rawValue)), "What is counted: distinct users or total plays."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.word("measure") { measure = Measure(rawValue: v)! }   // the domain lists exactly the raw values
    }

    public var parameters: [String: ParameterValue] { ["measure": .string(measure.rawValue)] }

    public var algorithm: Algorithm { .popularity(self) }

    public static var usesSeed: Bool { false }

    public var label: String { "Popularity(\(measure.rawValue))" }

    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> ItemScoreModel {
        ItemScoreModel.popularity(train.interactions, byUsers: measure == .users)
    }
}

extension ItemScoreModel: FoldInModel {
    /// Scores a new user as any user: the same score per item, the history ignored (the
    /// history's items are still never recommended: the evaluator excludes them).
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        self.scores(for: users, into: &scores)
    }
}
