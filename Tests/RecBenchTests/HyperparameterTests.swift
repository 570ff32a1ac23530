import Foundation
import Testing
@testable import RecBench

@Suite("Hyperparameters declared once")
struct HyperparameterTests {
    @Test func everyBuiltInTypeIsNamedOnceAndBuildsItsDefaultFromNoParameters() throws {
        #expect(Set(Algorithm.typeNames).count == Algorithm.types.count)
        for type in Algorithm.types {
            let fromNothing = try Algorithm(type: type.typeName)
            #expect(fromNothing == type.init().algorithm, "\(type.typeName)")
            #expect(fromNothing.nonDefaultParameters.isEmpty)
            #expect(fromNothing.typeName == type.typeName)
            #expect(Set(fromNothing.parameters.keys).isSubset(of: Set(type.hyperparameters.map(\.name))), "\(type.typeName)")
        }
    }

    @Test func canonicalParametersRebuildTheSameConfiguration() throws {
        let configurations: [Algorithm] = [
            .popularity(PopularityConfiguration(measure: .plays)),
            .itemKNN(ItemKNNConfiguration(neighbors: 7, weighting: .bm25(k1: 2, b: 0.5), shrinkage: 3, similarity: .cosine)),
            .itemKNN(ItemKNNConfiguration(weighting: .tfidf, similarity: .dotProduct)),
            .als(ALSConfiguration(factors: 8, regularizationScaling: .byInteractions, solver: .cholesky, computeLoss: true)),
            .als(ALSConfiguration(solver: .conjugateGradient(steps: 7))),
            .bpr(BPRConfiguration(factors: 3, negatives: .popularity, blocks: 2)),
            .ease(EASEConfiguration(regularization: 12, maxItems: 99)),
            .multDAE(MultDAEConfiguration(layers: [5], epochs: 2, dropout: 0.1)),
            .multVAE(MultVAEConfiguration(layers: [6, 3], annealCap: 0.4, annealSteps: 10)),
        ]
        for algorithm in configurations {
            #expect(try Algorithm(type: algorithm.typeName, parameters: algorithm.parameters) == algorithm, "\(algorithm)")
            let json = try JSONEncoder().encode(algorithm)
            #expect(!String(decoding: json, as: UTF8.self).contains("_0"))
            #expect(try JSONDecoder().decode(Algorithm.self, from: json) == algorithm)
        }
    }

    @Test func badParametersAreTypedErrorsNamingTheTypeAndTheParameter() {
        #expect(throws: ConfigurationError.unknownType(name: "knn", known: Algorithm.typeNames)) { try Algorithm(type: "knn") }
        #expect(throws: ConfigurationError.unknownParameter(type: "ease", parameter: "factors", known: ["regularization", "max_items"])) {
            try Algorithm(type: "ease", parameters: ["factors": .integer(3)])
        }
        #expect(throws: ConfigurationError.wrongType(type: "als", parameter: "factors", expected: "an integer", found: "a string")) {
            try Algorithm(type: "als", parameters: ["factors": .string("many")])
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "bpr", parameter: "factors", value: "257", allowed: "1…256")) {
            try Algorithm(type: "bpr", parameters: ["factors": .integer(257)])
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "item-knn", parameter: "weighting", value: "'bm26'", allowed: "none, tfidf, bm25")) {
            try Algorithm(type: "item-knn", parameters: ["weighting": .string("bm26")])
        }
    }

    @Test func theLegacyEnumLayoutOfOlderRecordsStillDecodes() throws {
        let als = #"{"als":{"_0":{"factors":32,"iterations":5,"regularization":0.1,"alpha":2,"regularizationScaling":"constant","solver":{"cholesky":{}},"computeLoss":false}}}"#
        #expect(try JSONDecoder().decode(Algorithm.self, from: Data(als.utf8))
                == .als(ALSConfiguration(factors: 32, iterations: 5, regularization: 0.1, alpha: 2, solver: .cholesky)))
        let dae = #"{"multVAE":{"_0":{"variant":"dae","layers":[200],"epochs":20,"batchSize":500,"learningRate":0.003,"regularization":0,"dropout":0.5,"annealCap":0.2,"threads":1}}}"#
        #expect(try JSONDecoder().decode(Algorithm.self, from: Data(dae.utf8)) == .multDAE(MultDAEConfiguration(layers: [200], epochs: 20, learningRate: 0.003)))
        #expect(try JSONDecoder().decode(ParameterValue.self, from: Data(#"{"double":{"_0":0.5}}"#.utf8)) == .double(0.5))
        #expect(try JSONDecoder().decode(ParameterValue.self, from: Data("[600,200]".utf8)) == .integers([600, 200]))
    }

    @Test func aCommandLineAssignmentIsCheckedAgainstTheDomain() throws {
        #expect(try Hyperparameter.assignment("layers=600,200", for: MultVAEConfiguration.self) == ("layers", .integers([600, 200])))
        #expect(try Hyperparameter.assignment("regularization=5", for: EASEConfiguration.self) == ("regularization", .double(5)))
        #expect(throws: ConfigurationError.self) { try Hyperparameter.assignment("factors", for: ALSConfiguration.self) }
        #expect(throws: ConfigurationError.self) { try Hyperparameter.assignment("factors=x", for: ALSConfiguration.self) }
    }

    @Test func docsTableEqualsTheGeneratedOne() throws {
        let text = try String(contentsOfFile: DatasetCatalog.repositoryRoot + "/docs/experiments.md", encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- recbench algorithms: begin -->\n"))
        let end = try #require(text.range(of: "<!-- recbench algorithms: end -->"))
        #expect(String(text[begin.upperBound..<end.lowerBound]) == Algorithm.documentationTable(),
                "docs/experiments.md's table differs from `recbench algorithms`: paste its output between the markers")
    }
}

/// A configuration written outside the built-in set: every item scores its index times `slope`.
private struct SlopeConfiguration: RecommenderConfiguration {
    var slope = 1.0
    static let typeName = "slope"
    static let hyperparameters = [Hyperparameter("slope", .real(-10...10), "Score per item index.")]
    init() {}
    init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        if let v = p.real("slope") { slope = v }
    }
    var parameters: [String: ParameterValue] { ["slope": .double(slope)] }
    var label: String { "Slope(\(slope))" }
    func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> ItemScoreModel {
        try validate()
        return ItemScoreModel(itemScores: (0..<train.itemCount).map { Float(Double($0) * slope) })
    }
}

@Suite("A configuration outside the built-in set")
struct OutsideConfigurationTests {
    @Test func theGenericMachineryServesAConfigurationItDoesNotKnow() throws {
        #expect(try SlopeConfiguration(parameters: ["slope": .integer(2)]).slope == 2)
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "slope", parameter: "slope", value: "11", allowed: "-10…10")) {
            try SlopeConfiguration(parameters: ["slope": .integer(11)])
        }
        #expect(Algorithm.documentationTable(for: [SlopeConfiguration.self]).contains("| `slope` | `slope` | real -10…10 | `1` | Score per item index. |"))
        let space = try ParameterSpace.read("slope", .array([.integer(1), .double(-0.5)]), of: SlopeConfiguration.self, file: "f", key: "k")
        #expect(space == .values([.double(1), .double(-0.5)]))
        var slope = SlopeConfiguration()
        slope.slope = 99
        #expect(throws: ConfigurationError.self) { try slope.fit(blockFixture().trainDataset, seed: 1) }
        let outcome = try Benchmark.fitAndEvaluate(SlopeConfiguration(), on: blockFixture(), seed: 1,
                                                   evaluator: Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0)))
        #expect(outcome.report.model == "Slope(1.0)" && outcome.fitSeconds >= 0)
    }
}
