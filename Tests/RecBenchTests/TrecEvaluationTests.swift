import Foundation
import Testing
@testable import RecBench

/// Scoring TREC run files as trec_eval does (docs/metrics.md, "Scoring a run file").
@Suite("TREC run scoring")
struct TrecEvaluationTests {
    /// Scores `run` against `qrels` (file contents) and returns the means.
    private func score(run: String, qrels: String, _ metrics: [Metric], order: TrecEvaluation.Order = .score,
                       complete: Bool = false) throws -> TrecEvaluation.Result {
        let folder = TemporaryFolder()
        return try TrecEvaluation.evaluate(run: TrecRun.read(folder.write("run", run)), qrels: TrecQrels.read(folder.write("qrels", qrels)),
                                           metrics: metrics, order: order, includeMissingQueries: complete, perQuery: true)
    }

    @Test func documentsAreOrderedByScoreNotByTheRankColumn() throws {
        // Rank 1 has the lower score: trec_eval puts b first, so P@1 is 0.
        let result = try score(run: "u Q0 a 1 0.1 t\nu Q0 b 2 0.9 t\n", qrels: "u 0 a 1\n", [.precision(1), .reciprocalRank(2)])
        #expect(result.metrics["P@1"] == 0)
        #expect(result.metrics["MRR@2"] == 0.5)
    }

    @Test func theRankColumnOrdersOnlyWhenAskedAndTheResultSaysSo() throws {
        let result = try score(run: "u Q0 a 1 0.1 t\nu Q0 b 2 0.9 t\n", qrels: "u 0 a 1\n", [.precision(1)], order: .rank)
        #expect(result.metrics["P@1"] == 1)
        #expect(result.order.contains("rank column"))
    }

    @Test func tiedScoresAreBrokenByDocumentIdInDescendingByteOrder() throws {
        // a and b tie: b (the larger id) comes first.
        let result = try score(run: "u Q0 a 1 0.5 t\nu Q0 b 2 0.5 t\n", qrels: "u 0 a 1\n", [.precision(1), .reciprocalRank(2)])
        #expect(result.metrics["P@1"] == 0)
        #expect(result.metrics["MRR@2"] == 0.5)
        // Bytes, not characters: "é" (0xC3 0xA9) sorts after "z".
        let unicode = try score(run: "u Q0 z 1 0.5 t\nu Q0 é 2 0.5 t\n", qrels: "u 0 z 1\n", [.precision(1)])
        #expect(unicode.metrics["P@1"] == 0)
    }

    @Test func aDocumentListedTwiceForAQueryIsAnErrorNamingBothLines() throws {
        let folder = TemporaryFolder()
        let path = folder.write("run", "u Q0 a 1 0.9 t\nu Q0 b 2 0.8 t\nu Q0 a 3 0.7 t\n")
        let error = datasetError { _ = try TrecRun.read(path) }
        guard case .malformedLine(let file, let line, let reason)? = error else { Issue.record("no error"); return }
        #expect(file == path && line == 3 && reason.contains("first on line 1"))
    }

    @Test func aPairJudgedTwiceIsAnErrorNamingBothLines() throws {
        let folder = TemporaryFolder()
        let path = folder.write("qrels", "u 0 a 1\nu 0 a 0\n")
        let error = datasetError { _ = try TrecQrels.read(path) }
        guard case .malformedLine(_, let line, let reason)? = error else { Issue.record("no error"); return }
        #expect(line == 2 && reason.contains("first on line 1"))
    }

    @Test func ndcgUsesGradesAsGainsAndBinaryMetricsCountGradeOneOrMore() throws {
        // a (grade 1) first, b (grade 3) second: DCG = 1 + 3/log2(3), IDCG = 3 + 1/log2(3).
        let result = try score(run: "u Q0 a 1 2 t\nu Q0 b 2 1 t\n", qrels: "u 0 a 1\nu 0 b 3\n", [.ndcg(2), .precision(2), .recall(1)])
        let expected = (1 + 3 / log2(3.0)) / (3 + 1 / log2(3.0))
        #expect(abs(result.metrics["NDCG@2"]! - expected) < 1e-15)
        #expect(abs(expected - 0.7967075809905066) < 1e-12)          // pytrec_eval's ndcg_cut_2
        #expect(result.metrics["P@2"] == 1)
        #expect(result.metrics["R@1"] == 0.5)
    }

    @Test func gradesAreReadAsTrecEvalReadsThem() throws {
        // "2.7" counts as 2 (atol); a negative grade is unjudged: not relevant, no gain, not in R.
        let result = try score(run: "u Q0 a 1 3 t\nu Q0 b 2 2 t\nu Q0 c 3 1 t\n", qrels: "u 0 a 2.7\nu 0 b -1\nu 0 c 1\n",
                               [.ndcg(3), .recall(3), .precision(3)])
        let expected = (2 + 1 / 2.0) / (2 + 1 / log2(3.0))
        #expect(abs(result.metrics["NDCG@3"]! - expected) < 1e-15)
        #expect(result.metrics["R@3"] == 1)
        #expect(abs(result.metrics["P@3"]! - 2.0 / 3) < 1e-15)
        let folder = TemporaryFolder()
        let path = folder.write("qrels", "u 0 a high\n")
        guard case .malformedLine(_, 1, let reason)? = datasetError({ _ = try TrecQrels.read(path) }) else { Issue.record("accepted"); return }
        #expect(reason.contains("not an integer"))
    }

    @Test func qrelsWithOnlyZeroGradesSaySoAndScoreZero() throws {
        let result = try score(run: "u Q0 a 1 1 t\n", qrels: "u 0 a 0\n", [.ndcg(10), .precision(10)])
        #expect(result.noRelevantDocument)
        #expect(result.metrics["NDCG@10"] == 0 && result.metrics["P@10"] == 0)
    }

    @Test func aucIsRefusedOnARun() {
        #expect(throws: TrecEvaluation.Failure.aucNeedsEveryCandidate) {
            _ = try score(run: "u Q0 a 1 1 t\n", qrels: "u 0 a 1\n", [.auc])
        }
    }

    @Test func scoresKeepDoublePrecision() throws {
        // In float32 the two scores tie and b would come first; in double a is higher.
        let result = try score(run: "u Q0 b 1 1.0 t\nu Q0 a 2 1.0000000001 t\n", qrels: "u 0 a 1\n", [.precision(1)])
        #expect(result.metrics["P@1"] == 1)
    }

    @Test func idsAreComparedAsBytes() throws {
        let nfc: [UInt8] = Array("caf\u{E9}".utf8), nfd: [UInt8] = Array("cafe\u{301}".utf8)
        let folder = TemporaryFolder()
        let run = folder.write("run", bytes: Array("u Q0 ".utf8) + nfd + Array(" 1 2 t\nu Q0 ".utf8) + [0xFF] + Array(" 2 1 t\n".utf8))
        let qrels = folder.write("qrels", bytes: Array("u 0 ".utf8) + nfc + Array(" 1\nu 0 ".utf8) + [0xFE] + Array(" 1\n".utf8))
        let result = try TrecEvaluation.evaluate(run: TrecRun.read(run), qrels: TrecQrels.read(qrels), metrics: [.precision(2)])
        #expect(result.metrics["P@2"] == 0)       // neither the NFD spelling nor 0xFF is judged
    }

    @Test func queriesMissingFromTheRunAreLeftOutUnlessComplete() throws {
        let run = "u Q0 a 1 1 t\nx Q0 a 1 1 t\n", qrels = "u 0 a 1\nv 0 b 1\n"
        let left = try score(run: run, qrels: qrels, [.precision(1)])
        #expect(left.queries == 1 && left.metrics["P@1"] == 1 && left.runOnlyQueries == 1 && left.qrelsOnlyQueries == 1)
        let complete = try score(run: run, qrels: qrels, [.precision(1)], complete: true)
        #expect(complete.queries == 2 && complete.metrics["P@1"] == 0.5)
    }

    @Test func commentsBlankLinesAndExtraRunFieldsAreIgnored() throws {
        let result = try score(run: "# a comment\n\nu\tQ0  a 1 1 t extra\n", qrels: "u 0 a 1\n", [.precision(1)])
        #expect(result.metrics["P@1"] == 1)
    }

    @Test func malformedLinesNameTheFileLineAndQuotedContent() {
        let folder = TemporaryFolder()
        let path = folder.write("run", "u Q0 a 1 0.9 t\nu Q0 b 2 \u{1B}[31mred t\n")
        guard case .malformedLine(let file, 2, let reason)? = datasetError({ _ = try TrecRun.read(path) }) else { Issue.record("accepted"); return }
        #expect(file == path && reason.contains("\\u{1B}") && !reason.contains("\u{1B}"))
        let nan = folder.write("nan", "u Q0 a 1 nan t\n")
        #expect(datasetError { _ = try TrecRun.read(nan) } != nil)
    }

    @Test func anExportedRunReproducesTheEvaluatorExactlyWithItsWrittenScores() throws {
        // Popularity ranks many items with equal scores: the written scores must keep the evaluator's order.
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .userHoldout(fraction: 0.2, minimum: 2), seed: 1)
        let metrics: [Metric] = [.precision(10), .recall(10), .averagePrecision(10), .ndcg(10), .hitRate(5), .reciprocalRank(20), .ndcg(100)]
        let report = Evaluator(EvaluationConfiguration(metrics: metrics, bootstrapResamples: 0, keepRanking: 100))
            .evaluate(ItemScoreModel.popularity(split.train), on: split, name: "pop")
        let folder = TemporaryFolder()
        try TrecFiles.writeRun(report, split: split, tag: "pop", to: folder.path + "/run.txt")
        try TrecFiles.writeQrels(split, to: folder.path + "/qrels.txt")
        let scored = try TrecEvaluation.evaluate(run: TrecRun.read(folder.path + "/run.txt"), qrels: TrecQrels.read(folder.path + "/qrels.txt"), metrics: metrics)
        #expect(scored.queries == report.evaluatedUsers)
        for metric in metrics { #expect(abs(scored.metrics[metric.name]! - report.mean(metric)!) < 1e-12, "\(metric)") }
        // Written scores are float32 values that strictly decrease, each at most the model's score
        // and within a few float32 steps of it.
        let run = try TrecRun.read(folder.path + "/run.txt")
        let user = split.users.rawID(at: Int(report.users[0]))
        let written = try TrecEvaluation.ranked(run.queries[TrecID(user)]!, order: .score)
        #expect(written.count == 100)
        for (rank, entry) in written.enumerated() {
            let model = report.rankingScores[rank]
            let value = Float(entry.score)          // the shortest text of a float32 reads back as it
            #expect(value <= model && model - value <= 64 * model.ulp)
            if rank > 0 { #expect(value < Float(written[rank - 1].score)) }
        }
    }
}
