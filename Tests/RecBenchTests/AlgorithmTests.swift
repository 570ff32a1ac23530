import Foundation
import Testing
@testable import RecBench

/// Three blocks of ten users and ten items. User j of a block has every item of its block but
/// items j and j+1 (mod 10), which are its test items: the right answer is known — each user's
/// two test items, in its own block, must rank above all twenty items of the other blocks.
func blockFixture() throws -> Split {
    var train: [Dataset.Triple] = [], test: [Dataset.Triple] = []
    for block in 0..<3 {
        for j in 0..<10 {
            for i in 0..<10 {
                let triple = (user: "u\(block)-\(j)", item: "i\(block)-\(i)", value: Float(1 + (i + j) % 3))
                if i == j || i == (j + 1) % 10 { test.append(triple) } else { train.append(triple) }
            }
        }
    }
    return try Split(name: "s", train: train, test: test)
}

/// The personalised algorithms, each of which must solve the block fixture.
let personalised: [Algorithm] = [
    .itemKNN(ItemKNNConfiguration(neighbors: 20)),
    .itemKNN(ItemKNNConfiguration(neighbors: 20, weighting: .tfidf)),
    .itemKNN(ItemKNNConfiguration(neighbors: 20, weighting: .bm25(k1: 1.2, b: 0.75), shrinkage: 1)),
    .als(ALSConfiguration(factors: 8, iterations: 10, regularization: 0.1, alpha: 2)),
    .als(ALSConfiguration(factors: 8, iterations: 10, regularization: 0.1, alpha: 2, solver: .cholesky)),
    .als(ALSConfiguration(factors: 8, iterations: 10, regularization: 0.05, alpha: 2, regularizationScaling: .byInteractions)),
    .bpr(BPRConfiguration(factors: 8, learningRate: 0.05, regularization: 0.001, epochs: 200, blocks: 3)),
    .bpr(BPRConfiguration(factors: 8, learningRate: 0.05, regularization: 0.001, epochs: 200, negatives: .popularity, blocks: 3)),
    .ease(EASEConfiguration(regularization: 1)),
    .multDAE(MultDAEConfiguration(layers: [8], epochs: 300, batchSize: 10, learningRate: 0.01, dropout: 0.2)),
    .multVAE(MultVAEConfiguration(layers: [16, 4], epochs: 300, batchSize: 10, learningRate: 0.01, dropout: 0.2, annealCap: 0.05)),
]

@Suite("Algorithms")
struct AlgorithmTests {
    @Test(arguments: personalised.indices)
    func conformanceEachUsersOwnBlockRanksFirst(index: Int) throws {
        let algorithm = personalised[index]
        let split = try blockFixture()
        let model = try algorithm.fit(split.trainDataset, seed: 1)
        for user in split.evaluatedUsers {
            let top = model.recommend(user: UserIndex(rawValue: user), k: 2, excluding: split.train)
            let block = split.users.rawID(at: Int(user)).dropFirst().prefix(1)
            for item in top {
                #expect(split.items.rawID(at: item.int).dropFirst().prefix(1) == block, "\(algorithm.label): user \(split.users.rawID(at: Int(user)))")
            }
        }
        let report = Evaluator(EvaluationConfiguration(metrics: [.recall(2)], bootstrapResamples: 0)).evaluate(model, on: split)
        #expect(report.mean(.recall(2)) == 1, "\(algorithm.label)")
    }

    @Test(arguments: [Algorithm.als(ALSConfiguration(factors: 16, iterations: 3)), .itemKNN(ItemKNNConfiguration(neighbors: 30)),
                      .random(RandomConfiguration()), .popularity(PopularityConfiguration()),
                      .bpr(BPRConfiguration(factors: 16, epochs: 3)), .bpr(BPRConfiguration(factors: 20, epochs: 2, negatives: .popularity)),
                      .ease(EASEConfiguration(regularization: 100)),
                      .multDAE(MultDAEConfiguration(layers: [24], epochs: 2, batchSize: 200)),
                      .multVAE(MultVAEConfiguration(layers: [40, 8], epochs: 2, batchSize: 200))])
    func fitsAreDeterministicWhateverTheThreadCount(algorithm: Algorithm) throws {
        let dataset = try GeneratedMovieLens().dataset()
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .latest, minimum: 2), seed: 0)
        func scores(threads: Int) throws -> [Float] {
            let model = try algorithm.fit(split.trainDataset, seed: 3, threads: threads)
            return model.scores(for: (0..<5).map(UserIndex.init))
        }
        setenv("RECBENCH_THREADS", "1", 1)
        let single = try scores(threads: 1)
        unsetenv("RECBENCH_THREADS")
        #expect(try scores(threads: 2) == single)
        #expect(try scores(threads: 2) == single)
    }

    @Test func alsTrainingLossDecreases() throws {
        let dataset = try GeneratedMovieLens().dataset()
        for solver in [ALSSolver.cholesky, .conjugateGradient(steps: 3)] {
            let model = try ALSConfiguration(factors: 16, iterations: 6, regularization: 0.1, alpha: 5, solver: solver, computeLoss: true)
                .fit(dataset, seed: 2)
            #expect(model.trainingLoss.count == 6)
            #expect(zip(model.trainingLoss, model.trainingLoss.dropFirst()).allSatisfy { $0 >= $1 * (1 - 1e-4) }, "\(solver)")
        }
    }

    @Test func conjugateGradientApproachesCholesky() throws {
        let dataset = try GeneratedMovieLens().dataset()
        let exact = try ALSConfiguration(factors: 8, iterations: 5, regularization: 0.1, alpha: 2, solver: .cholesky, computeLoss: true).fit(dataset, seed: 4)
        let cg = try ALSConfiguration(factors: 8, iterations: 5, regularization: 0.1, alpha: 2, solver: .conjugateGradient(steps: 8), computeLoss: true).fit(dataset, seed: 4)
        #expect(abs(cg.trainingLoss.last! - exact.trainingLoss.last!) / exact.trainingLoss.last! < 0.01)
    }

    @Test func popularityRanksByUsersOrPlays() throws {
        let folder = TemporaryFolder()
        let file = folder.write("d.tsv", "a\tx\t100\nb\ty\t1\nc\ty\t1\n")
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file)))
        let byUsers = try PopularityConfiguration(measure: .users).fit(dataset, seed: 0)
        let byPlays = try PopularityConfiguration(measure: .plays).fit(dataset, seed: 0)
        let x = dataset.items.position(of: "x")!, y = dataset.items.position(of: "y")!
        #expect(byUsers.itemScores[y] > byUsers.itemScores[x])
        #expect(byPlays.itemScores[x] > byPlays.itemScores[y])
    }

    @Test func randomScoresAreSeededAndSpread() throws {
        let split = try blockFixture()
        let a = try RandomConfiguration().fit(split.trainDataset, seed: 1), b = try RandomConfiguration().fit(split.trainDataset, seed: 2)
        let sa = a.scores(for: [UserIndex(0)]), sb = b.scores(for: [UserIndex(0)])
        #expect(sa != sb)
        #expect(Set(sa).count == 30 && sa.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test func algorithmsRoundTripThroughJSON() throws {
        let all: [Algorithm] = personalised + [.popularity(PopularityConfiguration(measure: .plays)), .random(RandomConfiguration())]
        let decoded = try JSONDecoder().decode([Algorithm].self, from: JSONEncoder().encode(all))
        #expect(decoded == all)
    }
}

/// Quality floors on Last.fm 2K, leave-one-out (random, seed 7), full ranking.
@Suite("Quality floors")
struct QualityFloorTests {
    @Test func alsAndItemKNNBeatPopularityByAWideMargin() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 7)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0))
        func ndcg(_ algorithm: Algorithm) throws -> Double {
            evaluator.evaluate(try algorithm.fit(split.trainDataset, seed: 1), on: split).mean(.ndcg(10))!
        }
        let popularity = try ndcg(.popularity(PopularityConfiguration()))
        let knn = try ndcg(.itemKNN(ItemKNNConfiguration(neighbors: 100, weighting: .bm25(k1: 1.2, b: 0.75))))
        let als = try ndcg(.als(ALSConfiguration(factors: 32, iterations: 10, regularization: 0.1, alpha: 0.01)))
        // Recorded (this seed): popularity 0.0422, BM25 item-kNN 0.1114, ALS 0.1270 (README, "Quality floors").
        #expect(abs(popularity - 0.0422) < 0.001)
        #expect(knn > 2 * popularity, "item-kNN \(knn) vs popularity \(popularity)")
        #expect(als > 2 * popularity, "ALS \(als) vs popularity \(popularity)")
    }
}

/// Floors of the second algorithms on Last.fm 2K leave-one-out (random, seed 7): BPR on the full
/// catalogue; EASE and the autoencoders on the artists with at least five listeners (the main
/// job's catalogue), which keeps their dense item × item and item × hidden work short in tests.
@Suite("Quality floors, second algorithms")
struct SecondAlgorithmFloorTests {
    static func ndcg(_ algorithm: Algorithm, pruned: Bool) throws -> (model: Double, popularity: Double) {
        var dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        if pruned { dataset = try Preparation([.dropNonPositive, .minimumInteractions(user: 1, item: 5)]).apply(to: dataset) }
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 7)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0))
        let popularity = evaluator.evaluate(try PopularityConfiguration().fit(split.trainDataset, seed: 1), on: split).mean(.ndcg(10))!
        return (evaluator.evaluate(try algorithm.fit(split.trainDataset, seed: 1), on: split).mean(.ndcg(10))!, popularity)
    }

    @Test func bprBeatsPopularityOnTheFullCatalogue() throws {
        let (bpr, popularity) = try Self.ndcg(.bpr(BPRConfiguration(factors: 64, learningRate: 0.05, epochs: 60, negatives: .popularity)), pruned: false)
        #expect(bpr > 1.5 * popularity, "BPR \(bpr) vs popularity \(popularity)")
    }

    @Test(arguments: [Algorithm.ease(EASEConfiguration(regularization: 100)),
                      .multDAE(MultDAEConfiguration(layers: [200], epochs: 20, learningRate: 0.003)),
                      .multVAE(MultVAEConfiguration(layers: [300, 100], epochs: 20, learningRate: 0.003))])
    func beatsPopularityOnTheMainJobCatalogue(algorithm: Algorithm) throws {
        let (model, popularity) = try Self.ndcg(algorithm, pruned: true)
        #expect(model > 2 * popularity, "\(algorithm.label) \(model) vs popularity \(popularity)")
    }
}

@Suite("EASE and BPR")
struct EASEAndBPRTests {
    @Test func easeRefusesMoreItemsThanItsLimitWithTheMemoryItNeeds() throws {
        let split = try blockFixture()
        #expect(throws: AlgorithmError.tooManyItems(algorithm: "EASE", items: 30, limit: 20, bytesNeeded: 12 * 30 * 30,
                                                   bytesAvailable: Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.8))) {
            try EASEConfiguration(regularization: 1, maxItems: 20).fit(split.trainDataset, seed: 0)
        }
        let message = AlgorithmError.tooManyItems(algorithm: "EASE", items: 100_000, limit: 30_000, bytesNeeded: EASEConfiguration.peakBytes(items: 100_000),
                                                  bytesAvailable: 20_000_000_000).description
        #expect(message.contains("120.0 GB") && message.contains("100000 items"))
    }

    @Test func easeWeightsHaveAZeroDiagonalAndSolveTheRidgeProblem() throws {
        // For one user holding items 0 and 1 and λ = 1: G = [[2,1,0],[1,2,0],[0,0,1]] (items 0, 1, 2; item 2 only in another row).
        let folder = TemporaryFolder()
        let file = folder.write("d.tsv", "a\tx\t1\na\ty\t1\nb\tx\t1\nb\ty\t1\nc\tz\t1\n")
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file)))
        let model = try EASEConfiguration(regularization: 1).fit(dataset, seed: 0)
        // XᵀX + I = [[3,2,0],[2,3,0],[0,0,2]]; P = inverse; B_01 = −P_01/P_11 = 2/3.
        #expect(model.weights[0] == 0 && model.weights[4] == 0 && model.weights[8] == 0)
        #expect(abs(model.weights[1] - 2.0 / 3) < 1e-5 && abs(model.weights[3] - 2.0 / 3) < 1e-5)
        #expect(abs(model.weights[2]) < 1e-6)
    }

    @Test func bprIsSeededAndItsLossFallsOverEpochs() throws {
        let split = try blockFixture()
        let a = try BPRConfiguration(factors: 4, epochs: 5, blocks: 2).fit(split.trainDataset, seed: 9)
        let b = try BPRConfiguration(factors: 4, epochs: 5, blocks: 2).fit(split.trainDataset, seed: 9)
        let c = try BPRConfiguration(factors: 4, epochs: 5, blocks: 2).fit(split.trainDataset, seed: 10)
        #expect(a.userFactors == b.userFactors && a.itemFactors == b.itemFactors)
        #expect(a.userFactors != c.userFactors)
        // The user side carries a constant 1 that multiplies the item bias.
        #expect(stride(from: 4, to: a.userFactors.count, by: 5).allSatisfy { a.userFactors[$0] == 1 })
    }
}
