import Foundation
import Testing
@testable import RecBench

/// A lower-is-better metric that lives outside the library: 1 − HR@k.
struct MissRate: PerUserMetric {
    var k: Int
    var name: String { "miss@\(k)" }
    var cutoff: Int? { k }
    var direction: MetricDirection { .lowerIsBetter }
    var needs: MetricInput { .hits }
    func value(for user: UserRanking) -> Double { user.hits.prefix(k).contains(true) ? 0 : 1 }
}

@Suite("Metric definitions")
struct MetricDefinitionTests {
    @Test func everyFamilyParsesBackToADefinitionOfTheSameName() {
        for family in Metric.families {
            for k in family.takesCutoff ? [1, 10, Metric.maximumCutoff] : [0] {
                let metric = family.metric(cutoff: k)
                #expect(metric.definition.name == metric.name)
                #expect(Metric(name: metric.name) == metric, "\(metric.name)")
                #expect(Metric(name: metric.name.lowercased()) == metric)
                #expect(metric.cutoff == (family.takesCutoff ? k : nil))
            }
        }
    }

    @Test func directionsAndInputsAreDeclared() {
        #expect(Metric.gini(10).direction == .lowerIsBetter && !Metric.gini(10).higherIsBetter)
        #expect(Metric.meanPopularity(5).direction == .lowerIsBetter)
        #expect(Metric.coverage(10).direction == .higherIsBetter && Metric.novelty(10).direction == .higherIsBetter)
        #expect(Metric.standard.allSatisfy { $0.direction == .higherIsBetter })
        #expect(Metric.auc.definition.needs == .scores && Metric.ndcg(10).definition.needs == .hits)
        #expect(Metric.gini(10).definition is any ListMetric && Metric.auc.definition is any PerUserMetric)
        #expect(Metric.direction(ofName: "GINI@10") == .lowerIsBetter && Metric.direction(ofName: "no such") == .higherIsBetter)
        #expect(MetricDirection.lowerIsBetter.isBetter(0.1, than: 0.2) && !MetricDirection.higherIsBetter.isBetter(0.1, than: 0.2))
    }

    @Test func anUnknownNameListsEveryFamily() {
        let message = MetricError.unknown(name: "F1@10").description
        for family in Metric.families { #expect(message.contains(family.pattern)) }
        #expect(Metric(name: "AUC@10") == nil && Metric(name: "gini") == nil && Metric(name: "gini@0") == nil)
    }

    @Test func docsListExactlyTheLibrarysMetrics() throws {
        let text = try String(contentsOfFile: DatasetCatalog.repositoryRoot + "/docs/metrics.md", encoding: .utf8)
        // The first cell of every row of the two definition tables: "| `NDCG@k` | …".
        var documented: [String] = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| name | definition |") { inTable = true; continue }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { inTable = false; continue }
            let cell = line.split(separator: "|")[0].trimmingCharacters(in: .whitespaces)
            if cell.hasPrefix("`") { documented.append(cell.trimmingCharacters(in: CharacterSet(charactersIn: "`"))) }
        }
        #expect(documented == Metric.families.map(\.pattern))
    }

    @Test func theFamilyTableGivesEveryDirection() {
        let table = Metric.familyTable
        #expect(table.contains("| `gini@k` | lower is better | all users' top-k lists | one value over all users' lists |"))
        #expect(table.contains("| `AUC` | higher is better | all candidate scores | mean over users |"))
    }

    @Test func pairCountsGiveTheStandardAndTheLabAUC() {
        // Positives 0.9, 0.5; negatives 0.8, 0.5, 0.1: 4 pairs correct, 1 tie, 6 pairs.
        let counts = PairCounts(positives: [0.9, 0.5], negatives: [0.8, 0.5, 0.1])!
        #expect(counts == PairCounts(positives: 2, negatives: 3, greater: 4, ties: 1))
        #expect(counts.auc == 4.5 / 6)
        #expect(AUC().value(for: UserRanking(hits: [], relevantCount: 2, pairs: counts)) == 4.5 / 6)
        #expect(AUC().value(for: UserRanking(hits: [], relevantCount: 2, pairs: nil)) == 0)
        // The same counts from the candidates above and equal to each sorted positive (positives included).
        let fromRanks = PairCounts(sortedPositives: [0.5, 0.9], candidatesAbove: [2, 0], candidatesEqual: [2, 1], finiteCandidates: 5)
        #expect(fromRanks == counts)
    }

    @Test func pairCountsGiveBitForBitTheAUCOfTheFormerPerNegativeSums() {
        // The former code summed Double(above) + 0.5 · Double(equal) per negative; the sums are
        // exact (half-integers far below 2^52), so integer counts give the same bits.
        var rng = SeededGenerator(seed: 11)
        for size in [1, 2, 7, 50, 400] {
            let positives = (0..<size).map { _ in Float(rng.nextInt(below: 20)) }
            let negatives = (0..<(3 * size)).map { _ in Float(rng.nextInt(below: 20)) }
            let sorted = positives.sorted()
            var correct = 0.0
            for x in negatives {
                let above = sorted.filter { $0 > x }.count, equal = sorted.filter { $0 == x }.count
                correct += Double(above) + 0.5 * Double(equal)
            }
            let former = correct / (Double(sorted.count) * Double(negatives.count))
            #expect(PairCounts(positives: positives, negatives: negatives)!.auc.bitPattern == former.bitPattern, "\(size)")
        }
    }

    @Test func aMetricDefinedOutsideTheLibraryUsesTheSameProtocol() {
        let miss = MissRate(k: 2)
        #expect(miss.value(for: UserRanking(hits: [false, false, true], relevantCount: 1)) == 1)
        #expect(miss.value(for: UserRanking(hits: [false, true], relevantCount: 1)) == 0)
        #expect(miss.direction == .lowerIsBetter)
    }
}

@Suite("Beyond-accuracy metrics")
struct ListMetricTests {
    @Test func selectedListMetricsEqualTheReportsFiguresAndLeaveOtherMetricsBitIdentical() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 5)
        let model = ItemScoreModel.popularity(split.train)
        let plain = Evaluator(EvaluationConfiguration(metrics: Metric.standard, bootstrapResamples: 50)).evaluate(model, on: split)
        let lists: [Metric] = [.gini(10), .coverage(10), .meanPopularity(10), .novelty(10), .gini(5)]
        // A list metric first: the per-user metrics' columns must not shift.
        let mixed = Evaluator(EvaluationConfiguration(metrics: [lists[0]] + Metric.standard + lists.dropFirst(),
                                                      bootstrapResamples: 50)).evaluate(model, on: split)
        for metric in Metric.standard {
            let a = plain.summaries.first { $0.metric == metric.name }!, b = mixed.summaries.first { $0.metric == metric.name }!
            #expect(a == b, "\(metric.name)")
            #expect(plain.perUser[metric.name] == mixed.perUser[metric.name])
        }
        for metric in lists where metric.cutoff == 10 {
            let summary = mixed.summaries.first { $0.metric == metric.name }!
            #expect(summary.mean == mixed.beyondAccuracy[metric.name]!, "\(metric.name)")
            #expect(summary.lower == summary.mean && summary.upper == summary.mean)
            #expect(mixed.perUser[metric.name] == nil)
        }
        #expect(mixed.mean(.gini(5))! > 0.9)       // popularity recommends the same few items
        #expect(mixed.mean(.coverage(10))! < 0.01)
    }

    @Test func runFilesRefuseListMetrics() {
        let folder = TemporaryFolder()
        let run = try? TrecRun.read(folder.write("run.txt", "1 Q0 5 1 0.9 x\n"))
        let qrels = try? TrecQrels.read(folder.write("qrels.txt", "1 0 5 1\n"))
        #expect(throws: TrecEvaluation.Failure.notAHitMetric(name: "gini@10")) {
            _ = try TrecEvaluation.evaluate(run: run!, qrels: qrels!, metrics: [.precision(1), .gini(10)])
        }
    }
}
