import Foundation
import Testing
@testable import RecBench

@Suite("recbench metrics and list metrics on the command line")
struct MetricsCLITests {
    @Test func metricsListsEveryFamilyWithItsDirection() throws {
        let output = try CLI.run(["metrics"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix(Metric.familyTable))
        #expect(output.stdout.contains("| `gini@k` | lower is better |") && output.stdout.contains("| `NDCG@k` | higher is better |"))
        #expect(output.stdout.contains("docs/metrics.md"))
    }

    @Test func evaluateReportsASelectedListMetricAndARunFileRefusesIt() throws {
        let scratch = Scratch()
        let evaluated = try CLI.run(["evaluate", "lastfm-2k", "--split", "holdout", "--fraction", "0.2", "--seed", "3",
                                     "--metrics", "NDCG@10", "gini@10", "--bootstrap", "0", "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as! [String: Any]
        let summaries = object["summaries"] as! [[String: Any]]
        #expect(summaries.map { $0["metric"] as! String } == ["NDCG@10", "gini@10"])
        let beyond = object["beyondAccuracy"] as! [String: Double]
        #expect(summaries[1]["mean"] as? Double == beyond["gini@10"])
        let run = scratch.write("run.txt", "1 Q0 5 1 0.9 x\n"), qrels = scratch.write("qrels.txt", "1 0 5 1\n")
        let refused = try CLI.run(["evaluate", "--run", run, "--qrels", qrels, "--metrics", "P@1", "coverage@10"])
        #expect(refused.status == 64 && refused.stderr.contains("coverage@10 is not defined on a run file"), "\(refused.stderr)")
    }
}
