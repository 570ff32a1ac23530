import Foundation
import Testing
@testable import RecBench
import RecBenchTestSupport

/// Four users and four items (numbered x, y, z, w in order of appearance) with play counts:
///
///        x  y  z  w
///     a  1  1  ·  ·
///     b  1  ·  3  ·
///     c  ·  1  ·  6
///     d  1  1  1  ·
///
/// Popularity by users: x 3, y 3, z 2, w 1. Popularity by plays: x 3, y 3, z 4, w 6.
private func plays() throws -> Dataset {
    try Dataset(name: "plays", interactions: [
        ("a", "x", 1), ("a", "y", 1), ("b", "x", 1), ("b", "z", 3), ("c", "y", 1), ("c", "w", 6),
        ("d", "x", 1), ("d", "y", 1), ("d", "z", 1),
    ])
}

private let byUsers = Algorithm.popularity(PopularityConfiguration(measure: .users))
private let byPlays = Algorithm.popularity(PopularityConfiguration(measure: .plays))

private func scores(_ model: some TrainedModel, users: [Int]) -> [Float] {
    model.scores(for: users.map { UserIndex($0) })
}

/// A model with fixed scores per item, the same for every user, that says whether it scores
/// items without training interactions.
private struct FixedModel: FoldInModel {
    var itemScores: [Float]
    var scoresNewItems: Bool
    var itemCount: Int { itemScores.count }
    func scores(for users: UserBatch, into scores: inout ScoreRows) {
        for row in 0..<users.count { for (i, s) in itemScores.enumerated() { scores[row: row][i] = s } }
    }
    func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        self.scores(for: users, into: &scores)
    }
}

@Suite("Hybrid")
struct HybridTests {
    @Test func weightOneOrZeroGivesItsPartsExactly() throws {
        let data = try plays()
        let hybrid = { (w: Double) in HybridConfiguration(parts: [.als(ALSConfiguration(factors: 4, iterations: 3)), byPlays], weight: w) }
        let als = try Algorithm.als(ALSConfiguration(factors: 4, iterations: 3)).fit(data, seed: 5, threads: 1)
        let popularity = try byPlays.fit(data, seed: 5, threads: 1)
        #expect(scores(try hybrid(1).fit(data, seed: 5, threads: 1), users: [0, 1, 2, 3]) == scores(AnyTrainedModel(als), users: [0, 1, 2, 3]))
        #expect(scores(try hybrid(0).fit(data, seed: 5, threads: 1), users: [0, 1, 2, 3]) == scores(AnyTrainedModel(popularity), users: [0, 1, 2, 3]))
        // Only the weighted part is fitted.
        #expect(try hybrid(1).fit(data, seed: 5, threads: 1).parts.count == 1)
    }

    @Test func weightOneOrZeroGivesItsPartsMetricsExactly() throws {
        let split = try Fixtures.blocks()
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .recall(20), .auc], bootstrapResamples: 0, threads: 1))
        let parts: [Algorithm] = [.itemKNN(ItemKNNConfiguration()), byUsers]
        for (weight, part) in [(1.0, parts[0]), (0.0, parts[1])] {
            let alone = try Benchmark.fitAndEvaluate(part, on: split, seed: 2, threads: 1, evaluator: evaluator)
            let mixed = try Benchmark.fitAndEvaluate(.hybrid(HybridConfiguration(parts: parts, weight: weight)), on: split, seed: 2,
                                                     threads: 1, evaluator: evaluator)
            #expect(mixed.report.summaries.map(\.mean) == alone.report.summaries.map(\.mean))
            #expect(mixed.report.perUser == alone.report.perUser)
        }
    }

    /// User a knows x and y; over z and w, popularity by users gives z 2, w 1 (normalised z 1,
    /// w 0) and by plays z 4, w 6 (z 0, w 1): weight 0.7 gives z 0.7, w 0.3; weight 0.2 gives
    /// z 0.2, w 0.8. User c knows y and w; over x and z, by users x 3, z 2 (x 1, z 0), by plays
    /// x 3, z 4 (x 0, z 1): weight 0.7 gives x 0.7, z 0.3. Known items score 0.
    @Test func combinesMinMaxNormalisedScoresByWeight() throws {
        let data = try plays()
        let model = try HybridConfiguration(parts: [byUsers, byPlays], weight: 0.7).fit(data, seed: 0, threads: 1)
        let rows = scores(model, users: [0, 2])
        #expect(rows[0..<4] == [0, 0, 0.7, 0.3])
        #expect(rows[4..<8] == [0.7, 0, 0.3, 0])
        let other = scores(try HybridConfiguration(parts: [byUsers, byPlays], weight: 0.2).fit(data, seed: 0, threads: 1), users: [0])
        #expect(other[2] == Float(0.2) && abs(other[3] - 0.8) < 1e-7)
    }

    /// Items: 0 and 1 have training interactions, 2 has none. The collaborative part (scores
    /// 5, 1, 9) adds nothing for item 2 and its min–max runs over items 0 and 1 only (1, 0, 0);
    /// the content part (2, 4, 3) normalises over all three (0, 1, 0.5). Weight 0.5:
    /// 0.5, 0.5, 0.25 for a user who knows nothing.
    @Test func aCollaborativePartAddsNothingForItemsWithoutInteractions() throws {
        let train = InteractionMatrix(rowCount: 2, columnCount: 3, rowOffsets: [0, 1, 2], columns: [0, 1], values: [1, 1])
        let model = HybridModel(parts: [FixedModel(itemScores: [5, 1, 9], scoresNewItems: false), FixedModel(itemScores: [2, 4, 3], scoresNewItems: true)],
                                weights: [0.5, 0.5], switchModel: nil, switchItems: 0, switchUsers: 0, train: train)
        #expect(model.scoresNewItems)
        let empty = InteractionMatrix(rowCount: 1, columnCount: 3, rowOffsets: [0, 0], columns: [], values: [])
        let bound = FoldedInModel(model, histories: empty)
        #expect(scores(bound, users: [0]) == [0.5, 0.5, 0.25])
    }

    /// Switching on items with fewer than 1 training interaction: item 2 takes the content
    /// part's normalised score (0.5) instead of the sum; users with fewer than 5 known items
    /// take the content part everywhere (0, 1, 0.5).
    @Test func switchingUsesTheContentPartForColdItemsAndUsers() throws {
        let train = InteractionMatrix(rowCount: 2, columnCount: 3, rowOffsets: [0, 1, 2], columns: [0, 1], values: [1, 1])
        let collaborative = FixedModel(itemScores: [5, 1, 9], scoresNewItems: false)
        let content = FixedModel(itemScores: [2, 4, 3], scoresNewItems: true)
        let empty = InteractionMatrix(rowCount: 1, columnCount: 3, rowOffsets: [0, 0], columns: [], values: [])
        let items = HybridModel(parts: [collaborative], weights: [1], switchModel: content, switchItems: 1, switchUsers: 0, train: train)
        #expect(scores(FoldedInModel(items, histories: empty), users: [0]) == [1, 0, 0.5])
        let users = HybridModel(parts: [collaborative], weights: [1], switchModel: content, switchItems: 0, switchUsers: 5, train: train)
        #expect(scores(FoldedInModel(users, histories: empty), users: [0]) == [0, 1, 0.5])
        // A weighted switching part is scored once and its normalised scores reused: the same figures.
        let both = { (switchPart: Int?) in
            HybridModel(parts: [collaborative, content], weights: [0.6, 0.4], switchModel: content, switchItems: 1, switchUsers: 0,
                        train: train, switchPart: switchPart)
        }
        #expect(scores(FoldedInModel(both(1), histories: empty), users: [0]) == scores(FoldedInModel(both(nil), histories: empty), users: [0]))
    }

    @Test func switchingWithoutAPartThatScoresNewItemsIsRefused() throws {
        let configuration = HybridConfiguration(parts: [byUsers, byPlays], weight: 0.5, switchItems: 3)
        #expect(throws: ConfigurationError.self) { try configuration.fit(try plays(), seed: 0, threads: 1) }
    }

    @Test func partsAreWrittenAsTextAndReadBack() throws {
        let configuration = try HybridConfiguration(parameters: [
            "part1": .string("als(factors=16, regularization=0.5)"), "part2": .string("item-knn(weighting=bm25,neighbors=50)"),
            "part3": .string("popularity"), "weight": .double(0.25), "weight3": .double(0.1),
        ])
        #expect(configuration.parts.count == 3)
        #expect(configuration.parts[0] == .als(try ALSConfiguration(parameters: ["factors": .integer(16), "regularization": .double(0.5)])))
        #expect(configuration.parameters["part1"] == .string("als(factors=16,regularization=0.5)"))
        #expect(try HybridConfiguration(parameters: configuration.parameters) == configuration)
        #expect(configuration.weights == [0.25, 0.75, 0.1])
        #expect(try Algorithm(text: "vae(layers=300,100)").text == "vae(layers=300,100)")
        #expect(HybridConfiguration().label.hasPrefix("Hybrid(0.5·"))
    }

    @Test func badPartsAndWeightsAreRefusedWithTypedErrors() throws {
        for parameters: [String: ParameterValue] in [
            ["part1": .string("hybrid")],
            ["part1": .string("nonesuch")],
            ["part1": .string("als(factors=0)")],
            ["part1": .string("als(factors=16")],
            ["part2": .string("")],
            ["weight": .double(1.5)],
            ["weight3": .double(0.5)],
            ["part4": .string("popularity")],
        ] {
            #expect(throws: ConfigurationError.self, "\(parameters)") { try HybridConfiguration(parameters: parameters) }
        }
    }
}

@Suite("Hybrid under cold start")
struct HybridColdStartTests {
    /// A new user's hybrid scores are the combination of its parts' fold-in scores: ALS and
    /// item-kNN folded in separately, then normalised and weighted by hand here.
    @Test func foldInCombinesThePartsFoldIns() throws {
        let data = try plays()
        let als = Algorithm.als(ALSConfiguration(factors: 3, iterations: 4)), knn = Algorithm.itemKNN(ItemKNNConfiguration())
        let model = try HybridConfiguration(parts: [als, knn], weight: 0.3).fit(data, seed: 2, threads: 1)
        #expect(model.canFoldIn && HybridConfiguration(parts: [als, knn]).foldsInUsers)
        #expect(!HybridConfiguration(parts: [als, .bpr(BPRConfiguration())]).foldsInUsers)
        // A new user who played x and z.
        let history = InteractionMatrix(rowCount: 1, columnCount: 4, rowOffsets: [0, 2], columns: [0, 2], values: [2, 1])
        let mixed = scores(FoldedInModel(model, histories: history), users: [0])
        var expected = [Float](repeating: 0, count: 4)
        for (part, weight) in [(als, 0.3), (knn, 0.7)] {
            let fitted = try part.fit(data, seed: 2, threads: 1) as! any FoldInModel
            let row = scores(FoldedInModel(fitted, histories: history), users: [0])
            let candidates = [1, 3]   // y and w: the items the user has not played
            let low = candidates.map { Double(row[$0]) }.min()!, high = candidates.map { Double(row[$0]) }.max()!
            for item in candidates where high > low { expected[item] += Float(weight) * Float((Double(row[item]) - low) / (high - low)) }
        }
        #expect(mixed == expected)
    }

    @Test func aHybridWithAContentPartRanksNewItemsByItAndAnotherIsNotApplicableForNewUsers() throws {
        // Two blocks of items with block tags; the new-item split holds out some of them.
        let split = try Fixtures.blocks()
        var dataset = split.trainDataset
        let entries = (0..<dataset.itemCount).map { (item: $0, feature: "block=\(Fixtures.block(of: dataset.items.rawID(at: $0)) ?? -1)", weight: Float(1)) }
        dataset.itemFeatures = ItemFeatures(itemCount: dataset.itemCount, entries: entries, source: "test")
        let newItems = try Splitter.split(dataset, method: .newItems(fraction: 0.25), seed: 3)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0, threads: 1))
        let hybrid = Algorithm.hybrid(HybridConfiguration(parts: [.als(ALSConfiguration(factors: 4, iterations: 3)), .contentKNN(ContentKNNConfiguration())],
                                                          weight: 0.5))
        let mixed = try Benchmark.fitAndEvaluate(hybrid, on: newItems, seed: 1, threads: 1, evaluator: evaluator)
        let content = try Benchmark.fitAndEvaluate(.contentKNN(ContentKNNConfiguration()), on: newItems, seed: 1, threads: 1, evaluator: evaluator)
        #expect(mixed.report.fallback == nil)
        // ALS adds nothing for items without training interactions: the ranking is the content part's.
        #expect(mixed.report.perUser == content.report.perUser)
        let newUsers = try Splitter.split(dataset, method: .newUsers(fraction: 0.3, testFraction: 0.3, minimum: 2), seed: 3)
        let withBPR = Algorithm.hybrid(HybridConfiguration(parts: [.bpr(BPRConfiguration()), .contentKNN(ContentKNNConfiguration())]))
        #expect(throws: ColdStartError.self) { try Benchmark.fitAndEvaluate(withBPR, on: newUsers, seed: 1, threads: 1, evaluator: evaluator) }
        #expect(try Benchmark.fitAndEvaluate(hybrid, on: newUsers, seed: 1, threads: 1, evaluator: evaluator).report.evaluatedUsers > 0)
    }
}
