import Foundation
import Testing
@testable import RecBench

/// `smallExperiment` selecting a lower-is-better metric: the Gini coefficient of the top-10 lists.
let giniExperiment = smallExperiment
    .replacingOccurrences(of: "metrics = [\"P\", \"NDCG\", \"AUC\"]", with: "metrics = [\"P\", \"NDCG\", \"gini\"]")
    .replacingOccurrences(of: "select = \"NDCG@10\"", with: "select = \"gini@10\"")

@Suite("Lower-is-better metrics")
struct MetricDirectionTests {
    static func run(_ folder: String) throws -> [RunRecord] {
        let experiment = try Experiment.parse(giniExperiment, file: "gini.toml")
        #expect(experiment.selection == .gini(10))
        _ = try ExperimentRunner.run(experiment, store: ResultStore(directory: folder), progress: { _ in })
        return try ResultStore.records(in: folder)
    }

    @Test func aSweepSelectsTheLowestValueAndTheLeaderboardRanksAscending() throws {
        let folder = TemporaryFolder()
        let records = try Self.run(folder.path)
        let validation = records.filter { $0.phase == .validation && $0.algorithmName == "ALS" }
        #expect(validation.count == 6)
        let lowest = validation.min { $0.mean("gini@10")! < $1.mean("gini@10")! }!
        let highest = validation.max { $0.mean("gini@10")! < $1.mean("gini@10")! }!
        #expect(lowest.mean("gini@10")! < highest.mean("gini@10")!)
        let test = records.first { $0.phase == .test && $0.algorithmName == "ALS" }!
        #expect(test.algorithm == lowest.algorithm)
        let leaderboard = Leaderboard(records: records)
        #expect(leaderboard.selection == "gini@10" && leaderboard.selectionDirection == .lowerIsBetter)
        #expect(leaderboard.lowerIsBetter == ["gini@10", "gini@5"])
        let values = leaderboard.rows.map { $0.metrics["gini@10"]! }
        #expect(values.count == 2 && values[0] < values[1])
        #expect(leaderboard.rows[1].difference > 0)     // worse than the leader: a higher value
        // The direction survives the JSON a CI baseline is made of.
        let decoded = try JSONDecoder().decode(Leaderboard.self, from: JSONEncoder().encode(leaderboard))
        #expect(decoded == leaderboard && decoded.direction(of: "gini@5") == .lowerIsBetter && decoded.direction(of: "P@5") == .higherIsBetter)
        // The page marks the lowest Gini as the best value, and the highest P@10.
        let page = LeaderboardPage.html(leaderboard, records: records)
        #expect(page.contains(String(format: "<strong>%.4f</strong>", values[0])))
        #expect(!page.contains(String(format: "<strong>%.4f</strong>", values[1])))
        let precision = leaderboard.rows.compactMap { $0.metrics["P@10"] }.max()!
        #expect(page.contains(String(format: "<strong>%.4f</strong>", precision)))
        #expect(page.contains("gini@10 ↓") && page.contains("P@10 ↑"))
    }

    @Test func theGateTakesARiseOfALowerIsBetterMetricAsTheRegression() throws {
        let folder = TemporaryFolder()
        let current = Leaderboard(records: try Self.run(folder.path))
        var baseline = current
        baseline.rows[0].metrics["gini@10"]! -= 0.02      // now higher than its baseline: worse
        baseline.rows[1].metrics["gini@10"]! += 0.02      // now lower than its baseline: better
        baseline.rows[1].metrics["P@10"]! += 0.02         // a higher-is-better metric that fell
        let regressions = RegressionCheck(absolute: 0.001, relative: 0).compare(baseline: baseline, current: current).regressions
        #expect(regressions.map { "\($0.algorithm) \($0.metric)" }.sorted()
                == ["\(current.rows[0].algorithm) gini@10", "\(current.rows[1].algorithm) P@10"].sorted())
        let gini = regressions.first { $0.metric == "gini@10" }!
        #expect(gini.direction == .lowerIsBetter && gini.description.contains(">") && gini.description.contains("rose"))
        #expect(regressions.first { $0.metric == "P@10" }!.description.contains("fell"))
    }

    @Test func aPairedComparisonOfALowerIsBetterMetricCallsTheLowerSystemBetter() {
        let a = [0.1, 0.2, 0.3, 0.15, 0.05], b = [0.3, 0.5, 0.4, 0.2, 0.35]
        let lower = PairedComparison(a, b, direction: .lowerIsBetter)
        let higher = PairedComparison(a, b)
        #expect(lower.aIsBetter && !higher.aIsBetter)
        #expect(lower.probabilityABetter! > 0.95 && higher.probabilityABetter! < 0.05)
        #expect(abs(lower.probabilityABetter! + higher.probabilityABetter! - 1) < 1e-12)
        // The differences and the two-sided tests do not depend on the direction.
        #expect(lower.meanDifference == higher.meanDifference && lower.wilcoxonPValue == higher.wilcoxonPValue)
        #expect(lower.tTestPValue == higher.tTestPValue)
        // Zero variance: the limits, in the metric's direction.
        #expect(PairedComparison([0.1, 0.2], [0.3, 0.4], direction: .lowerIsBetter).probabilityABetter == 1)
        #expect(PairedComparison([0.1, 0.2], [0.1, 0.2], direction: .lowerIsBetter).probabilityABetter == 0.5)
        // A comparison written before directions were recorded reads as higher-is-better.
        var json = String(decoding: try! JSONEncoder().encode(higher), as: UTF8.self)
        json = json.replacingOccurrences(of: ",\"direction\":\"higherIsBetter\"", with: "")
            .replacingOccurrences(of: "\"direction\":\"higherIsBetter\",", with: "")
        #expect(!json.contains("direction"))
        #expect(try! JSONDecoder().decode(PairedComparison.self, from: Data(json.utf8)) == higher)
    }

    @Test func aLeaderboardRanksAMetricDefinedOutsideTheLibraryInItsDirection() throws {
        // Records whose P@5 is read as a lower-is-better figure (as MissRate would be).
        let folder = TemporaryFolder()
        let records = try Self.run(folder.path)
        let miss = MissRate(k: 5)
        let ascending = Leaderboard(records: records, metric: "P@5", direction: { $0 == "P@5" ? miss.direction : .higherIsBetter })
        let descending = Leaderboard(records: records, metric: "P@5")
        #expect(ascending.rows.map(\.algorithm) == descending.rows.map(\.algorithm).reversed())
        let values = ascending.rows.map { $0.metrics["P@5"]! }
        #expect(values[0] <= values[1])
        #expect(ascending.lowerIsBetter == ["P@5"])     // the closure decides every direction
    }
}
