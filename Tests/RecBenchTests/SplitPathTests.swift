import Foundation
import Testing
@testable import RecBench

/// One split, one set of numbers: a split evaluated in process and read back from its files.
@Suite("Split files reproduce the split")
struct SplitPathTests {
    /// Last.fm 2K (committed) pruned to artists with ≥ 20 listeners, 80/20 per-user holdout.
    private func split() throws -> Split {
        let dataset = try Preparation([.dropNonPositive, .minimumInteractions(user: 1, item: 20)])
            .apply(to: DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM))))
        return try Splitter.split(dataset, method: .userHoldout(fraction: 0.2, minimum: 2), seed: 1)
    }

    static let algorithms: [Algorithm] = [
        .popularity(PopularityConfiguration()), .random(RandomConfiguration()),
        .itemKNN(ItemKNNConfiguration(neighbors: 20)), .itemKNN(ItemKNNConfiguration(neighbors: 20, weighting: .bm25(k1: 1.2, b: 0.75))),
        .als(ALSConfiguration(factors: 8, iterations: 3)), .als(ALSConfiguration(factors: 8, iterations: 3, solver: .cholesky)),
        .bpr(BPRConfiguration(factors: 8, epochs: 3)), .ease(EASEConfiguration(regularization: 100)),
        .multDAE(MultDAEConfiguration(layers: [16], epochs: 2)),
        .multVAE(MultVAEConfiguration(layers: [16, 8], epochs: 2)),
    ]

    @Test func theFilesCarryTheNumberingOfUsersAndItems() throws {
        let inProcess = try split()
        let folder = TemporaryFolder()
        try SplitFiles.write(inProcess, to: folder.path + "/s")
        let read = try SplitFiles.read(from: folder.path + "/s")
        #expect(read.users.count == inProcess.users.count && read.items.count == inProcess.items.count)
        for i in 0..<inProcess.items.count { #expect(read.items.rawID(at: i) == inProcess.items.rawID(at: i)) }
        #expect(read.train == inProcess.train && read.test == inProcess.test && read.evaluatedUsers == inProcess.evaluatedUsers)
    }

    @Test(arguments: algorithms.indices)
    func everyAlgorithmScoresIdenticallyInProcessAndFromTheFiles(index: Int) throws {
        let algorithm = Self.algorithms[index]
        let inProcess = try split()
        let folder = TemporaryFolder()
        try SplitFiles.write(inProcess, to: folder.path + "/s")
        let read = try SplitFiles.read(from: folder.path + "/s")
        for candidates in [CandidateSet.allExceptTraining, .sampled(negatives: 50, seed: 3)] {
            let configuration = EvaluationConfiguration(metrics: [.ndcg(10), .recall(20), .auc], candidates: candidates, bootstrapResamples: 0)
            let a = Evaluator(configuration).evaluate(try algorithm.fit(inProcess.trainDataset, seed: 1), on: inProcess)
            let b = Evaluator(configuration).evaluate(try algorithm.fit(read.trainDataset, seed: 1), on: read)
            #expect(a.perUser == b.perUser, "\(algorithm.label), \(candidates)")
            #expect(a.summaries == b.summaries, "\(algorithm.label), \(candidates)")
        }
    }

    @Test func sampledNegativesAreTheSameFromBothPaths() throws {
        let inProcess = try split()
        let folder = TemporaryFolder()
        try SplitFiles.write(inProcess, to: folder.path + "/a")
        try SplitFiles.writeSampledNegatives(inProcess, negatives: 20, seed: 9, to: folder.path + "/a")
        let read = try SplitFiles.read(from: folder.path + "/a")
        try FileManager.default.createDirectory(atPath: folder.path + "/b", withIntermediateDirectories: true)
        try SplitFiles.writeSampledNegatives(read, negatives: 20, seed: 9, to: folder.path + "/b")
        #expect(FileManager.default.contents(atPath: folder.path + "/a/negatives.tsv") == FileManager.default.contents(atPath: folder.path + "/b/negatives.tsv"))
    }

    @Test func aNumberingThatMissesAnIdIsAnError() throws {
        let folder = TemporaryFolder()
        folder.write("s/train.tsv", "u1\ta\t1\nu2\tb\t1\n")
        folder.write("s/test.tsv", "u1\tb\t1\n")
        folder.write("s/users.tsv", "u1\nu2\n")
        folder.write("s/items.tsv", "a\n")
        #expect(throws: DatasetError.self) { _ = try SplitFiles.read(from: folder.path + "/s") }
        folder.write("s/items.tsv", "b\na\nb\n")
        #expect(datasetError { _ = try SplitFiles.read(from: folder.path + "/s") } == .malformedLine(file: folder.path + "/s/items.tsv", line: 3, reason: "the item id is listed twice; a numbering lists each id once"))
        folder.write("s/items.tsv", "b\na\n")
        let split = try SplitFiles.read(from: folder.path + "/s")
        #expect(split.items.rawID(at: 0) == "b" && split.items.rawID(at: 1) == "a")
    }
}
