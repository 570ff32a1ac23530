import Foundation
import Testing
@testable import RecBench

/// Hand-computed values. Ranked list of 5 with hits at ranks 1, 3 and 4, |T| = 4.
@Suite("Metrics")
struct MetricTests {
    let hits = [true, false, true, true, false]

    func value(_ metric: Metric, _ hits: [Bool]? = nil, relevant: Int = 4) -> Double {
        RankingMetrics.value(of: metric, hits: hits ?? self.hits, relevantCount: relevant)
    }

    @Test func precisionDividesByK() {
        #expect(value(.precision(1)) == 1)
        #expect(value(.precision(2)) == 0.5)
        #expect(value(.precision(5)) == 3.0 / 5.0)
        // k larger than the ranked list (candidate set of 5): still hits / k.
        #expect(value(.precision(10)) == 3.0 / 10.0)
    }

    @Test func recallDividesBySizeOfTestSet() {
        #expect(value(.recall(3)) == 2.0 / 4.0)
        #expect(value(.recall(5)) == 3.0 / 4.0)
        // |T| > k: recall@2 can be at most 2/4.
        #expect(value(.recall(2)) == 1.0 / 4.0)
    }

    @Test func hitRateAndReciprocalRank() {
        #expect(value(.hitRate(1)) == 1)
        #expect(value(.hitRate(2), [false, false, true]) == 0)
        #expect(value(.reciprocalRank(5), [false, false, true]) == 1.0 / 3.0)
        #expect(value(.reciprocalRank(2), [false, false, true]) == 0)
    }

    @Test func averagePrecisionFollowsTrecEval() {
        // Σ P@i·rel_i = 1/1 + 2/3 + 3/4 = 29/12; AP@5 = (29/12) / |T| = 29/48.
        #expect(abs(value(.averagePrecision(5)) - 29.0 / 48.0) < 1e-15)
        // The capped variant divides by min(k, |T|) = 4 here too…
        #expect(abs(value(.averagePrecisionCapped(5)) - 29.0 / 48.0) < 1e-15)
        // …but differs when |T| > k: AP@3 = (1 + 2/3) / 4, APmin@3 = (1 + 2/3) / 3.
        #expect(abs(value(.averagePrecision(3)) - (5.0 / 3.0) / 4.0) < 1e-15)
        #expect(abs(value(.averagePrecisionCapped(3)) - (5.0 / 3.0) / 3.0) < 1e-15)
    }

    @Test func ndcgUsesTheIdealOfMinKAndT() {
        // DCG@5 = 1/log2(2) + 1/log2(4) + 1/log2(5); IDCG@5 = Σ_{i=1..4} 1/log2(i+1).
        let dcg = 1.0 + 1.0 / 2.0 + 1.0 / log2(5.0)
        let ideal = 1.0 + 1.0 / log2(3.0) + 1.0 / 2.0 + 1.0 / log2(5.0)
        #expect(abs(value(.ndcg(5)) - dcg / ideal) < 1e-15)
        // |T| = 1 with a hit at rank 2: 1/log2(3).
        #expect(abs(value(.ndcg(10), [false, true], relevant: 1) - 1.0 / log2(3.0)) < 1e-15)
        // Perfect ranking.
        #expect(value(.ndcg(3), [true, true, true], relevant: 3) == 1)
    }

    @Test func emptyTestSetScoresZero() {
        for metric: Metric in [.precision(5), .recall(5), .hitRate(5), .reciprocalRank(5), .averagePrecision(5), .ndcg(5)] {
            #expect(value(metric, [], relevant: 0) == 0)
        }
    }

    @Test func aucCountsTiesAsHalf() {
        // Positives 0.9 and 0.5; negatives 0.8, 0.5, 0.1.
        // 0.9 beats all 3; 0.5 beats 0.1, ties 0.5, loses to 0.8 → (3 + 1 + 0.5) / 6.
        #expect(RankingMetrics.auc(positives: [0.9, 0.5], negatives: [0.8, 0.5, 0.1]) == 4.5 / 6)
        #expect(RankingMetrics.auc(positives: [1], negatives: [1, 1]) == 0.5)
        #expect(RankingMetrics.auc(positives: [], negatives: [1]) == nil)
        #expect(RankingMetrics.auc(positives: [1], negatives: []) == nil)
    }

    @Test func fullAUCFromCountsMatchesPairCounting() {
        var rng = SeededGenerator(seed: 4)
        for positiveCount in [1, 3, 16, 17, 40] {
            let scores = (0..<500).map { _ in Float(rng.nextInt(below: 30)) }
            let positiveItems = Array(0..<positiveCount).map { $0 * 7 }
            var positives = positiveItems.map { scores[$0] }
            let negatives = scores.indices.filter { !positiveItems.contains($0) }.map { scores[$0] }
            let expected = RankingMetrics.auc(positives: positives, negatives: negatives)!
            let fast = scores.withUnsafeBufferPointer { PairCounts(positives: &positives, amongScores: $0) }!.auc
            #expect(abs(fast - expected) < 1e-12, "P = \(positiveCount)")
        }
    }

    @Test func namesParseBack() {
        for metric: Metric in [.precision(10), .recall(5), .hitRate(1), .reciprocalRank(20), .averagePrecision(10),
                               .averagePrecisionCapped(10), .ndcg(100), .auc] {
            #expect(Metric(name: metric.name) == metric)
        }
        #expect(Metric(name: "ndcg@10") == .ndcg(10))
        #expect(Metric(name: "NDCG@0") == nil)
        #expect(Metric(name: "XYZ@10") == nil)
    }
}

@Suite("Course lab sampled AUC")
struct LabAUCTests {
    @Test func tiesAreWrongAndUsersWeighEqually() throws {
        let folder = TemporaryFolder()
        // Two users; items i0…i3. u0 holds out i1; u1 holds out i2 and i3.
        folder.write("s/train.tsv", "u0\ti0\t1\nu1\ti0\t1\n")
        folder.write("s/test.tsv", "u0\ti1\t1\nu1\ti2\t1\nu1\ti3\t1\n")
        let split = try SplitFiles.read(from: folder.path + "/s")
        // Every item scores 1 except i3 (2): u0's positive ties any negative → 0 (ties are wrong);
        // u1: i3 beats every negative (i0/i1 score 1), i2 beats none → 0.5.
        let values = LabAUC.perUser(split: split, seeds: [9]) { _, items in
            items.map { split.items.rawID(at: Int($0)) == "i3" ? 2 : 1 }
        }[0]
        let u0 = split.evaluatedUsers.firstIndex(of: Int32(split.users.position(of: "u0")!))!
        let u1 = split.evaluatedUsers.firstIndex(of: Int32(split.users.position(of: "u1")!))!
        #expect(values[u0] == 0)
        #expect(values[u1] == 0.5)
    }

    @Test func negativesAreSeeded() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .globalRandom(fraction: 0.1), seed: 1)
        let popularity = ItemScoreModel.popularity(split.train).itemScores
        let score = { (_: Int32, items: [Int32]) in items.map { popularity[Int($0)] } }
        let a = LabAUC.perUser(split: split, seeds: [5], scores: score)[0], b = LabAUC.perUser(split: split, seeds: [5], scores: score)[0]
        let c = LabAUC.perUser(split: split, seeds: [6], scores: score)[0]
        #expect(a == b && a != c)
        let mean = a.reduce(0, +) / Double(a.count)
        #expect(mean > 0.7 && mean < 1)      // popularity is a strong baseline under this AUC
    }
}
