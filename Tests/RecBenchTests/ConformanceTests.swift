import Foundation
import Testing
@testable import RecBench
import RecBenchTestSupport

/// Every algorithm in the library, with small hyperparameters where the defaults are slow or
/// tuned for large data. THE one place that lists them: new algorithms join the conformance
/// suite from here automatically.
let everyBuiltInAlgorithm: [Algorithm] = Algorithm.types.map { type in
    // The parameters below are in the types' domains (a test checks every algorithm is here).
    (try? type.init(parameters: conformanceParameters[type.typeName] ?? [:]))?.algorithm ?? type.init().algorithm
}

/// Hyperparameters for the tiny block fixture where the defaults do not suit it; every other
/// algorithm runs with its defaults. ALS's and BPR's 64 factors memorise 27 users' rows (they
/// then rank other blocks' items above the held-out ones); Mult-VAE's 600→200 layers take 5 s.
private let conformanceParameters: [String: [String: ParameterValue]] = [
    "als": ["factors": .integer(8), "iterations": .integer(10), "regularization": .double(1), "alpha": .double(2)],
    "bpr": ["factors": .integer(8), "learning_rate": .double(0.05), "regularization": .double(0.001), "epochs": .integer(200)],
    "vae": ["layers": .integers([16, 4]), "epochs": .integer(300), "batch_size": .integer(10), "learning_rate": .double(0.01),
           "dropout": .double(0.2), "anneal_cap": .double(0.05)],
    "hybrid": ["part1": .string("als(factors=8,iterations=10,regularization=1,alpha=2)"), "part2": .string("content-knn"), "weight": .double(0.5)],
]

/// What a built-in algorithm's ranking promises: a new algorithm is held to the strictest one.
private func ranking(of algorithm: Algorithm) -> ConformanceRanking {
    // A rating model ranks by predicted rating: the block fixture's equal values give it nothing to rank by.
    if type(of: algorithm.configuration).predictsRatings { return .unordered }
    switch algorithm {
    case .random: return .unordered
    case .popularity: return .popular
    default: return .personalised
    }
}

@Suite("Conformance")
struct ConformanceTests {
    @Test(arguments: everyBuiltInAlgorithm, ConformanceCheck.allCases)
    func everyBuiltInAlgorithmPassesTheConformanceSuite(algorithm: Algorithm, check: ConformanceCheck) throws {
        try algorithm.conform(check, ranking: ranking(of: algorithm))
    }

    @Test func everyBuiltInTypeIsCheckedWithParametersInItsDomains() {
        #expect(everyBuiltInAlgorithm.map(\.typeName) == Algorithm.typeNames)
        for (name, parameters) in conformanceParameters {
            #expect(throws: Never.self) { try Algorithm(type: name, parameters: parameters) }
        }
    }

    @Test func theSuiteIsGenericOverAnyConfiguration() throws {
        try ConformanceSuite(PopularityConfiguration(measure: .plays), ranking: .popular).runAll()
        try ConformanceSuite(ALSConfiguration(factors: 8, iterations: 10, regularization: 1, alpha: 2)).runAll()
    }

    @Test func theSuiteCatchesBatchDependentScores() throws {
        let suite = ConformanceSuite(BrokenConfiguration(flaw: .batchDependent), ranking: .unordered)
        #expect(throws: ConformanceFailure.self) { try suite.run(.batchedScoresEqualSingleUserScores) }
        try suite.run(.excludesTrainingItems)
    }

    @Test func theSuiteCatchesNaNForUsersWithoutHistory() throws {
        let suite = ConformanceSuite(BrokenConfiguration(flaw: .nanWithoutHistory), ranking: .unordered)
        #expect(throws: ConformanceFailure.self) { try suite.run(.emptyInputs) }
        try suite.run(.batchedScoresEqualSingleUserScores)
    }

    @Test func theSuiteComparesChunkedAndPairScoresWithWholeRows() throws {
        let failure = try #require(throws: ConformanceFailure.self) {
            try ConformanceSuite(OffByOneULPConfiguration()).run(.batchedScoresEqualSingleUserScores)
        }
        #expect(failure.detail.contains("chunked or pair score"))
    }

    @Test func theSuiteCatchesAnUnpersonalisedRanking() throws {
        let failure = try #require(throws: ConformanceFailure.self) {
            try ConformanceSuite(PopularityConfiguration(), ranking: .personalised).run(.ranksOwnBlockFirst)
        }
        #expect(failure.check == .ranksOwnBlockFirst && failure.label == "Popularity(users)")
    }
}

/// A factor model whose single-pair score is off by one ulp: the suite must notice.
struct OffByOneULPConfiguration: RecommenderConfiguration {
    static let typeName = "off-by-one-ulp"
    static let hyperparameters: [Hyperparameter] = []
    init() {}
    init(parameters: [String: ParameterValue]) throws(ConfigurationError) { _ = try ParameterReader(parameters, for: Self.self) }
    var parameters: [String: ParameterValue] { [:] }
    var label: String { "OffByOneULP" }

    func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> Model {
        let users = train.userCount, items = train.itemCount
        return Model(factors: FactorModel(factors: 1, userFactors: [Float](repeating: 1, count: users),
                                          itemFactors: (0..<items).map { Float($0) }))
    }

    struct Model: ChunkedScoring {
        let factors: FactorModel
        var itemCount: Int { factors.itemCount }
        var scoringChunkAlignment: Int { factors.scoringChunkAlignment }
        func scores(for users: UserBatch, into scores: inout ScoreRows) { factors.scores(for: users, into: &scores) }
        func scores(for users: UserBatch, items: Range<Int>, into scores: inout ScoreRows) {
            factors.scores(for: users, items: items, into: &scores)
        }
        func score(user: UserIndex, item: ItemIndex) -> Float { factors.score(user: user, item: item).nextUp }
    }
}

/// A configuration whose model breaks one rule, to show that the suite notices.
struct BrokenConfiguration: RecommenderConfiguration {
    enum Flaw: String, Codable, Hashable, Sendable { case batchDependent, nanWithoutHistory }
    var flaw: Flaw
    static let typeName = "broken"
    static let hyperparameters = [Hyperparameter("flaw", .choice(["batchDependent", "nanWithoutHistory"]), "The rule the model breaks.")]
    init() { flaw = .batchDependent }
    init(flaw: Flaw) { self.flaw = flaw }
    init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let reader = try ParameterReader(parameters, for: Self.self)
        flaw = reader.word("flaw").flatMap(Flaw.init(rawValue:)) ?? .batchDependent
    }
    var parameters: [String: ParameterValue] { ["flaw": .string(flaw.rawValue)] }
    var label: String { "Broken(\(flaw.rawValue))" }

    func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> Model { Model(flaw: flaw, train: train.interactions) }

    struct Model: TrainedModel {
        let flaw: Flaw
        let train: InteractionMatrix
        var itemCount: Int { train.columnCount }

        func scores(for users: UserBatch, into scores: inout ScoreRows) {
            for (row, user) in users.enumerated() {
                let out = scores[row: row]
                for item in 0..<itemCount {
                    switch flaw {
                    case .batchDependent: out[item] = Float(item + users.count)
                    case .nanWithoutHistory: out[item] = train.range(ofRow: user.int).isEmpty ? .nan : Float(item)
                    }
                }
            }
        }
    }
}
