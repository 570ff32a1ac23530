import Foundation
import Testing
@testable import RecBench

@Suite("Course lab")
struct CourseLabTests {
    func sample() throws -> Dataset {
        try Preparation().apply(to: DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(directory: SharedData.audioscrobbler, fullAliases: true))))
    }

    @Test func theSampleTellsTheUnknownArtistStory() throws {
        let report = try CourseLab.run(sample(), models: [.mostListened, .als(rank: 10, lambda: 1.0, alpha: 1.0, iterations: 3)],
                                       negativeSeeds: [1, 2])
        // Spark MLlib on this protocol: 2,449 of 5,001 held-out rows unknown, ceiling 0.67, most-listened 0.575.
        #expect(Double(report.unknownHeldOutRows) / Double(report.heldOutRows) > 0.4)
        #expect(abs(report.aucCeiling - 0.67) < 0.03)
        let mostListened = report.rows[0]
        #expect(abs(mostListened.sampledAUC - 0.575) < 0.03)
        #expect(mostListened.sampledAUC <= report.aucCeiling)
        #expect(mostListened.sampledAUCMin <= mostListened.sampledAUC && mostListened.sampledAUC <= mostListened.sampledAUCMax)
        #expect(mostListened.publishedAUC == 0.9524)
    }

    @Test func nanHighRanksUnknownArtistsAboveAndDropLeavesThemOut() throws {
        let dataset = try sample()
        let models: [LabModel] = [.als(rank: 10, lambda: 1.0, alpha: 1.0, iterations: 3)]
        let lowest = try CourseLab.run(dataset, models: models, policy: .lowest, negativeSeeds: [1]).rows[0]
        let high = try CourseLab.run(dataset, models: models, policy: .nanHigh, negativeSeeds: [1]).rows[0]
        let drop = try CourseLab.run(dataset, models: models, policy: .drop, negativeSeeds: [1]).rows[0]
        // About half the positives are unknown: ranked on top they win most pairs.
        #expect(high.sampledAUC > lowest.sampledAUC + 0.1)
        #expect(drop.sampledAUC > lowest.sampledAUC)
    }

    @Test func anotherEnginesRunOfTheSameScoresGivesTheSameRow() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .globalRandom(fraction: 0.1), seed: 54321)
        let model = try PopularityConfiguration(measure: .plays).fit(split.trainDataset, seed: 1)
        // The most-listened scores of every known artist, for each test user, as another engine would write them.
        let known = split.train.columnLengths
        var scores: [String: [String: Double]] = [:]
        for user in split.evaluatedUsers {
            var row: [String: Double] = [:]
            for item in 0..<split.items.count where known[item] > 0 { row[split.items.rawID(at: item)] = Double(model.itemScores[item]) }
            scores[split.users.rawID(at: Int(user))] = row
        }
        let report = try CourseLab.run(dataset, models: [.mostListened], runs: [LabRun(name: "engine", scores: scores)], negativeSeeds: [1, 2])
        let (ours, theirs) = (report.rows[0], report.rows[1])
        #expect(theirs.model == "engine")
        #expect(ours.sampledAUC == theirs.sampledAUC && ours.sampledAUCMin == theirs.sampledAUCMin && ours.fullAUC == theirs.fullAUC)
        #expect(ours.ndcg10 == theirs.ndcg10)
    }

    @Test func compat2019FollowsTheNotebooksBinarySearchByHand() throws {
        // One user: training artists a, b, c (scores 3, 2, 1), held-out d (score 2.5) and e (score 0).
        // Sorted descending [3, 2, 1]; bisect_left assumes ascending:
        // d = 2.5: mid 1 (2 < 2.5) → low 2; mid 2 (1 < 2.5) → low 3 → (3 − 3)/3 = 0.
        // e = 0: mid 1 (2 ≥ 0) → high 1; mid 0 (3 ≥ 0) → high 0 → (3 − 0)/3 = 1. Mean 0.5.
        let folder = TemporaryFolder()
        folder.write("s/train.tsv", "u\ta\t1\nu\tb\t1\nu\tc\t1\n")
        folder.write("s/test.tsv", "u\td\t1\nu\te\t1\n")
        let split = try SplitFiles.read(from: folder.path + "/s")
        let table: [String: Float] = ["a": 3, "b": 2, "c": 1, "d": 2.5, "e": 0]
        let value = LabAUC.compat2019(split: split) { _, items in items.map { table[split.items.rawID(at: Int($0))]! } }
        #expect(value == 0.5)
        // A real AUC of the same scores: d beats b, c; e beats none: 2 of 6 pairs against training artists.
    }

    @Test func fullRankingMetricsUseASeededSampleOfUsersOnLargeData() throws {
        let dataset = try sample()
        let all = try CourseLab.run(dataset, models: [.mostListened], negativeSeeds: [1])
        let sampled = try CourseLab.run(dataset, models: [.mostListened], negativeSeeds: [1], fullMetricUsers: 20)
        #expect(all.fullMetricUsers == all.users && sampled.fullMetricUsers == 20)
        #expect(sampled.rows[0].sampledAUC == all.rows[0].sampledAUC)
        #expect(try CourseLab.run(dataset, models: [.mostListened], negativeSeeds: [1], fullMetricUsers: 20).rows[0].fullAUC == sampled.rows[0].fullAUC)
    }

    @Test func randomScoresSitAtChanceOnKnownArtists() throws {
        let report = try CourseLab.run(sample(), models: [.random], policy: .drop, negativeSeeds: [1, 2], compat2019: true)
        let random = report.rows[0]
        #expect(random.model == "random" && random.publishedAUC == nil)
        #expect(abs(random.sampledAUC - 0.5) < 0.03, "\(random.sampledAUC)")
        #expect(abs(random.fullAUC - 0.5) < 0.03, "\(random.fullAUC)")
        #expect(random.compat2019 != nil)
    }
}
