import Foundation
import Testing
import RecBenchKernels
@testable import RecBench

@Suite("Evaluator")
struct EvaluatorTests {
    /// 4 users × 6 items; train and test are given by hand.
    func split() throws -> Split {
        let folder = TemporaryFolder()
        // u0: train i0 i1, test i2 | u1: train i3, test i0 i5 | u2: train i0..i4, test i5 | u3: train only.
        let train = "u0\ti0\t1\nu0\ti1\t1\nu1\ti3\t1\nu2\ti0\t1\nu2\ti1\t1\nu2\ti2\t1\nu2\ti3\t1\nu2\ti4\t1\nu3\ti5\t1\n"
        let test = "u0\ti2\t1\nu1\ti0\t1\nu1\ti5\t1\nu2\ti5\t1\n"
        folder.write("s/train.tsv", train)
        folder.write("s/test.tsv", test)
        return try SplitFiles.read(from: folder.path + "/s")
    }

    /// Item scores 6, 5, 4, 3, 2, 1 for items i0…i5, the same for every user.
    func model(_ split: Split) -> ItemScoreModel {
        var scores = [Float](repeating: 0, count: split.items.count)
        for i in 0..<split.items.count { scores[i] = Float(6 - Int(split.items.rawID(at: i).dropFirst())!) }
        return ItemScoreModel(itemScores: scores)
    }

    @Test func fullRankingExcludesTrainingItemsAndMeasuresByHand() throws {
        let split = try split()
        #expect(split.evaluatedUsers.count == 3)
        let report = Evaluator(EvaluationConfiguration(metrics: [.precision(2), .recall(2), .ndcg(2), .averagePrecision(2), .auc],
                                                       bootstrapResamples: 0, threads: 2, keepRanking: 3))
            .evaluate(model(split), on: split)
        func user(_ raw: String) -> Int { split.evaluatedUsers.firstIndex(of: Int32(split.users.position(of: raw)!))! }
        let p = report.perUser["P@2"]!, r = report.perUser["R@2"]!, auc = report.perUser["AUC"]!
        // u0 ranks i2, i3 (i0, i1 excluded): hit at 1. P@2 = 1/2, R@2 = 1, AUC = 3/3.
        #expect(p[user("u0")] == 0.5 && r[user("u0")] == 1 && auc[user("u0")] == 1)
        // u1 ranks i0, i1, i2, i4, i5 (i3 excluded): hit at 1; i5 last. P@2 = 1/2, R@2 = 1/2.
        // AUC: i0 beats 3 negatives, i5 beats 0 → 3/6.
        #expect(p[user("u1")] == 0.5 && r[user("u1")] == 0.5 && auc[user("u1")] == 0.5)
        // u2 has only i5 as candidate: ranked list of 1 → P@2 = 1/2 (k larger than the candidates).
        #expect(p[user("u2")] == 0.5 && r[user("u2")] == 1)
        #expect(report.perUser["AUC"]![user("u2")] == 0)      // no negative: AUC undefined, recorded as 0
        #expect(report.mean(.precision(2)) == 0.5)
        // Rankings skip training items and keep −1 past the candidates.
        let u2 = user("u2")
        #expect(Array(report.rankings[(u2 * 3)..<(u2 * 3 + 3)]) == [Int32(split.items.position(of: "i5")!), -1, -1])
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 5)
        let model = ItemScoreModel.popularity(split.train)
        let one = Evaluator(EvaluationConfiguration(bootstrapResamples: 50, threads: 1)).evaluate(model, on: split)
        let two = Evaluator(EvaluationConfiguration(bootstrapResamples: 50, threads: 2)).evaluate(model, on: split)
        #expect(one.perUser == two.perUser)
        #expect(one.summaries == two.summaries)
        #expect(one.rankings == two.rankings)
    }

    @Test func factorModelScoresAreDotProducts() {
        let model = FactorModel(factors: 2, userFactors: [1, 0, 0, 2], itemFactors: [3, 4, 5, 6, 7, 8])
        #expect(model.scores(for: [UserIndex(0), UserIndex(1)]) == [3, 5, 7, 8, 12, 16])
        #expect(model.recommend(user: UserIndex(1), k: 2, excluding: InteractionMatrix(rowCount: 2, columnCount: 3, rowOffsets: [0, 0, 1],
                                                                            columns: [2], values: [1])) == [ItemIndex(1), ItemIndex(0)])
    }

    @Test func sampledCandidatesAreSeededAndReported() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 5)
        let configuration = EvaluationConfiguration(metrics: [.hitRate(10), .auc], candidates: .sampled(negatives: 100, seed: 3), bootstrapResamples: 0)
        let model = ItemScoreModel.popularity(split.train)
        let a = Evaluator(configuration).evaluate(model, on: split)
        let b = Evaluator(configuration).evaluate(model, on: split)
        #expect(a.perUser == b.perUser)
        #expect(a.notes.contains { $0.contains("Krichene and Rendle") })
        let full = Evaluator(EvaluationConfiguration(metrics: [.hitRate(10)], bootstrapResamples: 0)).evaluate(model, on: split)
        #expect(a.mean(.hitRate(10))! > full.mean(.hitRate(10))!)     // sampled metrics flatter the model
        var items: [Int32] = []
        NegativeSampling.candidates(user: Int(split.evaluatedUsers[0]), negatives: 100, seed: 3, split: split, into: &items)
        #expect(items.count == 101 && items == items.sorted())
    }

    @Test func bootstrapIntervalContainsTheMean() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 5)
        let report = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 200)).evaluate(ItemScoreModel.popularity(split.train), on: split)
        let summary = report.summaries[0]
        #expect(summary.lower < summary.mean && summary.mean < summary.upper)
        #expect(summary.upper - summary.lower < 0.05)
        #expect(report.beyondAccuracy["coverage@10"]! < 0.01)     // popularity recommends the same few items
    }
}

@Suite("Evaluator in chunks")
struct ChunkedEvaluatorTests {
    @Test func chunkedAndWholeRowEvaluationsAgreeExactly() throws {
        // MovieLens 100K's shape: up to 1,682 items in chunks of 256, the last one partial.
        let dataset = try GeneratedMovieLens().dataset(.weights)
        let split = try Splitter.split(dataset, method: .userHoldout(fraction: 0.2, minimum: 2), seed: 3)
        #expect(split.items.count > 1_024 && split.items.count % 256 != 0)
        var rng = SeededGenerator(seed: 11)
        let f = 24
        // Coarse factors so that many scores tie exactly.
        let user = (0..<(split.users.count * f)).map { _ in Float(rng.nextInt(below: 3)) }
        let item = (0..<(split.items.count * f)).map { _ in Float(rng.nextInt(below: 3)) }
        let model = FactorModel(factors: f, userFactors: user, itemFactors: item)
        var evaluator = Evaluator(EvaluationConfiguration(metrics: [.precision(10), .ndcg(20), .averagePrecision(20), .auc],
                                                          bootstrapResamples: 0, threads: 2, keepRanking: 20))
        evaluator.chunkItems = 256
        let chunked = evaluator.evaluate(model, on: split)
        let rows = evaluator.evaluateRows(model, on: split, name: "model")
        #expect(chunked.perUser == rows.perUser)
        #expect(chunked.rankings == rows.rankings)
    }

    @Test func singleScoresEqualBlockedScores() {
        var rng = SeededGenerator(seed: 2)
        let f = 64, users = 5, items = 300
        let model = FactorModel(factors: f, userFactors: (0..<(users * f)).map { _ in Float(rng.nextUnit() - 0.5) },
                                itemFactors: (0..<(items * f)).map { _ in Float(rng.nextUnit() - 0.5) })
        var scores = [Float](repeating: 0, count: users * items)
        scores.withUnsafeMutableBufferPointer { model.scores(for: [0, 1, 2, 3, 4][...], into: $0.baseAddress!) }
        for u in 0..<users { for i in 0..<items { #expect(model.score(user: Int32(u), item: Int32(i)) == scores[u * items + i]) } }
    }
}
