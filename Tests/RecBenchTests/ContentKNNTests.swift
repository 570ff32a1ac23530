import Foundation
import Testing
@testable import RecBench
import RecBenchTestSupport

/// The hand-computed fixture: five items, three tags, two users.
///
/// Features (weights): A = {rock 2, pop 1}, B = {rock 1, pop 1}, C = {rock 1, jazz 1},
/// D = {jazz 3}, E = none. N = 4 items with features; df(rock) = 3, df(pop) = 2, df(jazz) = 2,
/// so with r = ln(4/3) = 0.2876821 and L = ln 2 = 0.6931472 the TF-IDF vectors (rock, pop, jazz) are
///   A = (2r, L, 0), B = (r, L, 0), C = (r, 0, L), D = (0, 0, 3L).
/// Norms: |A|² = 4r² + L² = 0.8114972, |B|² = |C|² = r² + L² = 0.5632142, |D| = 3L.
/// Cosines: AB = (2r² + L²)/(|A||B|) = 0.9555107, AC = 2r²/(|A||C|) = 0.2448361,
///   BC = r²/(|B||C|) = 0.1469441, CD = 3L²/(|C|·3L) = L/|C| = 0.9236103, AD = BD = 0.
/// Neighbours (K ≥ 3, most similar first): A: B, C; B: A, C; C: D, A, B; D: C; E: none.
/// Users: u0 has A (value 3); u1 has C (value 1) and D (value 2). Score of i = Σ over the user's
/// items j among i's neighbours of sim(i, j):
///   u0: A 0 (an item is not its own neighbour), B 0.9555107, C 0.2448361, D 0, E 0.
///   u1: A 0.2448361, B 0.1469441, C 0.9236103 (D), D 0.9236103 (C), E 0.
///   u1 with user_weights = values: A 0.2448361, B 0.1469441, C 2·0.9236103, D 0.9236103, E 0.
/// With K = 1: A: B; B: A; C: D; D: C, so u0: B 0.9555107 only; u1: C and D 0.9236103 only.
private enum Tiny {
    static let features: [(item: Int, feature: String, weight: Float)] = [
        (0, "rock", 2), (0, "pop", 1), (1, "rock", 1), (1, "pop", 1), (2, "rock", 1), (2, "jazz", 1), (3, "jazz", 3),
    ]
    static let ab: Float = 0.9555107, ac: Float = 0.2448361, bc: Float = 0.1469441, cd: Float = 0.9236103

    /// Users × 5 items from rows of (item, value).
    static func matrix(_ rows: [[(Int32, Float)]], items: Int = 5) -> InteractionMatrix {
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        for row in rows {
            for (item, value) in row { columns.append(item); values.append(value) }
            offsets.append(columns.count)
        }
        return InteractionMatrix(rowCount: rows.count, columnCount: items, rowOffsets: offsets, columns: columns, values: values)
    }

    static func dataset(rows: [[(Int32, Float)]] = [[(0, 3)], [(2, 1), (3, 2)]], features: ItemFeatures? = nil) -> Dataset {
        let interactions = matrix(rows)
        return Dataset(name: "tiny", users: Vocabulary(strings: (0..<rows.count).map { "u\($0)" }),
                       items: Vocabulary(strings: ["A", "B", "C", "D", "E"]), interactions: interactions,
                       itemFeatures: features ?? ItemFeatures(itemCount: 5, entries: Tiny.features, source: "tiny"))
    }
}

private func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}

@Suite("ContentKNN")
struct ContentKNNTests {
    @Test func tfidfWeightsAreTheItemsTagCountsTimesLnNOverDf() {
        let features = ItemFeatures(itemCount: 5, entries: Tiny.features, source: "tiny")
        let r = Float(log(4.0 / 3.0)), l = Float(log(2.0))
        // Columns by first appearance: rock 0, pop 1, jazz 2; CSR order A(rock, pop), B(rock, pop), C(rock, jazz), D(jazz).
        #expect(close(ContentKNNConfiguration().weightedValues(features), [2 * r, l, r, l, r, l, 3 * l]))
        #expect(ContentKNNConfiguration(weighting: .none).weightedValues(features) == [2, 1, 1, 1, 1, 1, 3])
        // Sublinear: ln(1 + 2)·r = 0.3160511 for A's rock; ln 2·L for a weight of 1; ln 4·L for D's jazz.
        let sublinear = ContentKNNConfiguration(sublinearTF: true).weightedValues(features)
        #expect(close(sublinear, [0.3160511, l * l, l * r, l * l, l * r, l * l, Float(log(4.0)) * l]))
        // BM25 (K1 1.2, B 0.75): lengths A 3, B 2, C 2, D 3, mean 2.5; A's rock:
        // 2·2.2/(1.2·(0.25 + 0.75·3/2.5) + 2)·r = 4.4/3.38·r = 0.3744974.
        let bm25 = ContentKNNConfiguration(weighting: .bm25).weightedValues(features)
        #expect(abs(bm25[0] - 0.3744974) < 1e-6)
    }

    @Test func neighboursAreTheCosinesOfTheWeightedVectorsMostSimilarFirst() throws {
        let model = try ContentKNNConfiguration().fit(Tiny.dataset(), seed: 1)
        #expect(model.neighbors == 4)   // K = 50 is capped at the other items
        let rows = (0..<5).map { i in Array(model.neighborItems[i * 4 ..< i * 4 + 4]) }
        #expect(rows == [[1, 2, -1, -1], [0, 2, -1, -1], [3, 0, 1, -1], [2, -1, -1, -1], [-1, -1, -1, -1]])
        let weights = (0..<5).map { i in Array(model.neighborWeights[i * 4 ..< i * 4 + 4]) }
        #expect(close(weights[0], [Tiny.ab, Tiny.ac, 0, 0]) && close(weights[1], [Tiny.ab, Tiny.bc, 0, 0]))
        #expect(close(weights[2], [Tiny.cd, Tiny.ac, Tiny.bc, 0]) && close(weights[3], [Tiny.cd, 0, 0, 0]))
    }

    @Test func aUsersScoreSumsTheSimilaritiesOfItsItemsAmongTheCandidatesNeighbours() throws {
        let model = try ContentKNNConfiguration().fit(Tiny.dataset(), seed: 1)
        let scores = model.scores(for: [UserIndex(0), UserIndex(1)])
        #expect(close(Array(scores[0..<5]), [0, Tiny.ab, Tiny.ac, 0, 0]))
        #expect(close(Array(scores[5..<10]), [Tiny.ac, Tiny.bc, Tiny.cd, Tiny.cd, 0]))
        let valued = try ContentKNNConfiguration(userWeights: .values).fit(Tiny.dataset(), seed: 1).scores(for: [UserIndex(1)])
        #expect(close(valued, [Tiny.ac, Tiny.bc, 2 * Tiny.cd, Tiny.cd, 0]))
    }

    @Test func kTruncatesEachItemsNeighbourhood() throws {
        let model = try ContentKNNConfiguration(neighbors: 1).fit(Tiny.dataset(), seed: 1)
        #expect(model.neighborItems == [1, 0, 3, 2, -1])
        let scores = model.scores(for: [UserIndex(0), UserIndex(1)])
        #expect(close(scores, [0, Tiny.ab, 0, 0, 0, 0, 0, Tiny.cd, Tiny.cd, 0]))
    }

    @Test func anItemWithoutInteractionsButWithFeaturesIsScoredAndRanksFirst() throws {
        // Nobody has B; u0 has A, which is B's nearest item.
        let model = try ContentKNNConfiguration().fit(Tiny.dataset(), seed: 1)
        #expect(model.scoresNewItems)
        #expect(model.recommend(user: UserIndex(0), k: 2, excluding: Tiny.dataset().interactions) == [ItemIndex(1), ItemIndex(2)])
    }

    @Test func itemsWithoutFeaturesScoreZeroForEveryone() throws {
        // E has no features but is played by u2: it is nobody's neighbour and has none.
        let data = Tiny.dataset(rows: [[(0, 3)], [(2, 1), (3, 2)], [(4, 1), (0, 1)]])
        let scores = try ContentKNNConfiguration().fit(data, seed: 1).scores(for: (0..<3).map(UserIndex.init))
        #expect(scores[4] == 0 && scores[9] == 0 && scores[14] == 0)
        #expect(close(Array(scores[10..<15]), [0, Tiny.ab, Tiny.ac, 0, 0]))   // E adds nothing to u2's A
    }

    @Test func foldingInAHistoryEqualsScoringTheSameTrainingRow() throws {
        let model = try ContentKNNConfiguration(userWeights: .values).fit(Tiny.dataset(), seed: 1)
        let histories = Tiny.matrix([[(2, 1), (3, 2)], [], [(0, 3)]])
        var folded = [Float](repeating: .nan, count: 15)
        folded.withUnsafeMutableBufferPointer { buffer in
            var rows = ScoreRows(buffer, rows: 3, itemCount: 5)
            model.foldInScores(for: UserBatch([UserIndex(0), UserIndex(1), UserIndex(2)]), histories: histories, into: &rows)
        }
        let trained = model.scores(for: [UserIndex(1), UserIndex(0)])
        #expect(folded[0..<5].map(\.bitPattern) == trained[0..<5].map(\.bitPattern))
        #expect(folded[5..<10].allSatisfy { $0 == 0 })
        #expect(folded[10..<15].map(\.bitPattern) == trained[5..<10].map(\.bitPattern))
        #expect(FoldedInModel(model, histories: histories).scores(for: [UserIndex(2)]).map(\.bitPattern) == trained[5..<10].map(\.bitPattern))
    }

    @Test func fitsAreIdenticalBitForBitAtAnyThreadCount() throws {
        // 400 items with 1–6 of 30 seeded tags, 50 users with 1–10 items.
        var generator = SeededGenerator(seed: 7)
        var entries: [(item: Int, feature: String, weight: Float)] = []
        for item in 0..<400 where generator.nextUnit() < 0.9 {
            for _ in 0..<(1 + Int(generator.nextUnit() * 6)) {
                entries.append((item, "t\(Int(generator.nextUnit() * 30))", Float(1 + Int(generator.nextUnit() * 50))))
            }
        }
        var rows: [[(Int32, Float)]] = []
        for _ in 0..<50 {
            let items = Set((0..<(1 + Int(generator.nextUnit() * 10))).map { _ in Int32(generator.nextUnit() * 400) })
            rows.append(items.sorted().map { ($0, 1) })
        }
        let interactions = Tiny.matrix(rows, items: 400)
        let data = Dataset(name: "random", users: Vocabulary(strings: (0..<50).map { "u\($0)" }),
                           items: Vocabulary(strings: (0..<400).map { "i\($0)" }), interactions: interactions,
                           itemFeatures: ItemFeatures(itemCount: 400, entries: entries, source: "seeded"))
        for configuration in [ContentKNNConfiguration(neighbors: 7), ContentKNNConfiguration(weighting: .bm25, sublinearTF: true)] {
            let one = try configuration.fit(data, seed: 1, threads: 1), two = try configuration.fit(data, seed: 2, threads: 2)
            #expect(one.neighborItems == two.neighborItems)
            #expect(one.neighborWeights.map(\.bitPattern) == two.neighborWeights.map(\.bitPattern))
            let users = (0..<50).map(UserIndex.init)
            #expect(one.scores(for: users).map(\.bitPattern) == two.scores(for: users).map(\.bitPattern))
            // Neighbour lists are sorted by similarity, ties by lower index, and hold positive similarities only.
            for i in 0..<400 {
                let k = one.neighbors
                let list = (0..<k).map { (one.neighborItems[i * k + $0], one.neighborWeights[i * k + $0]) }.filter { $0.0 >= 0 }
                #expect(list.allSatisfy { $0.1 > 0 && $0.0 != Int32(i) })
                #expect(zip(list, list.dropFirst()).allSatisfy { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) })
            }
        }
    }

    @Test func fittingWithoutItemFeaturesThrowsTheTypedError() throws {
        let data = try Dataset(name: "plain", interactions: [("u", "a", 1), ("u", "b", 1), ("v", "b", 1)])
        #expect(throws: AlgorithmError.missingItemFeatures(algorithm: "content-knn")) { try ContentKNNConfiguration().fit(data, seed: 1) }
        let empty = Tiny.dataset(features: ItemFeatures(itemCount: 5, entries: [], source: "none"))
        #expect(throws: AlgorithmError.missingItemFeatures(algorithm: "content-knn")) { try ContentKNNConfiguration().fit(empty, seed: 1) }
        #expect(AlgorithmError.missingItemFeatures(algorithm: "content-knn").description.contains("no item features"))
    }

    @Test func hyperparametersAreValidatedAndRoundTrip() throws {
        #expect(throws: ConfigurationError.self) { try ContentKNNConfiguration(parameters: ["neighbors": .integer(0)]) }
        #expect(throws: ConfigurationError.self) { try ContentKNNConfiguration(parameters: ["weighting": .string("idf")]) }
        #expect(throws: ConfigurationError.self) { try ContentKNNConfiguration(parameters: ["b": .double(1.5)]) }
        #expect(throws: ConfigurationError.self) { try ContentKNNConfiguration(parameters: ["user_weights": .string("ratings")]) }
        #expect(throws: ConfigurationError.self) { try ContentKNNConfiguration(neighbors: -1).fit(Tiny.dataset(), seed: 1) }
        let bm25 = try ContentKNNConfiguration(parameters: ["weighting": .string("bm25"), "k1": .double(2), "b": .double(0.5),
                                                            "neighbors": .integer(5), "user_weights": .string("values")])
        #expect(bm25 == ContentKNNConfiguration(neighbors: 5, weighting: .bm25(k1: 2, b: 0.5), userWeights: .values))
        #expect(try ContentKNNConfiguration(parameters: bm25.parameters) == bm25)
        #expect(bm25.label == "ContentKNN(bm25(K1=2.0, B=0.5), K=5, values)")
        #expect(ContentKNNConfiguration().label == "ContentKNN(tfidf, K=50)")
        #expect(try Algorithm(type: "content-knn", parameters: ["sublinear_tf": .boolean(true)]) == .contentKNN(ContentKNNConfiguration(sublinearTF: true)))
        #expect(ContentKNNConfiguration.ignoredParameters(given: [:]) == ["k1", "b"])
        #expect(ContentKNNConfiguration.ignoredParameters(given: ["weighting": .string("bm25")]) == ["sublinear_tf"])
    }

    @Test(arguments: ConformanceCheck.allCases)
    func passesTheConformanceSuiteOnTheBlockFixtureWithBlockTags(check: ConformanceCheck) throws {
        try ConformanceSuite(ContentKNNConfiguration(userWeights: .values)).run(check)
    }

    @Test func underTheNewItemProtocolItRanksHeldOutItemsWithoutFallback() throws {
        // Block fixture's items, users and tags; a third of the items held out entirely.
        let blocks = try Fixtures.blocks()
        let dataset = blocks.trainDataset
        let split = try Splitter.split(dataset, method: .newItems(fraction: 0.34), seed: 3)
        #expect(split.candidateItems?.isEmpty == false)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0))
        let content = try Benchmark.fitAndEvaluate(ContentKNNConfiguration(), on: split, seed: 1, evaluator: evaluator)
        let popularity = try Benchmark.fitAndEvaluate(PopularityConfiguration(), on: split, seed: 1, evaluator: evaluator)
        #expect(content.report.fallback == nil)
        #expect(popularity.report.fallback != nil)
        // Each user's held-out items of its own block share its tag: content k-NN ranks them above the others.
        #expect(try #require(content.report.mean(.ndcg(10))) > (try #require(popularity.report.mean(.ndcg(10)))))
    }
}
