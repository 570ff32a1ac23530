import Foundation
import Testing
@testable import RecBench

@Suite("Activity buckets")
struct BucketTests {
    /// 3 users × 10 items. Training: uA has i9 (1 item), uB i7 i8 i9 (3), uC i3…i9 (7).
    /// Test: uA i0 i3, uB i1, uC i0 i2. Item training popularity: i0 i1 i2 → 0; i3 i4 i5 i6 → 1
    /// (uC only); i7 i8 → 2; i9 → 3.
    static func split() throws -> (Split, TemporaryFolder) {
        let folder = TemporaryFolder()
        var train = "uA\ti9\t1\n"
        for i in 7...9 { train += "uB\ti\(i)\t1\n" }
        for i in 3...9 { train += "uC\ti\(i)\t1\n" }
        // Every item appears in the files, so the vocabulary holds i0…i9.
        let test = "uA\ti0\t1\nuA\ti3\t1\nuB\ti1\t1\nuC\ti0\t1\nuC\ti2\t1\n"
        folder.write("s/train.tsv", train)
        folder.write("s/test.tsv", test)
        return (try SplitFiles.read(from: folder.path + "/s"), folder)
    }

    /// Every user gets the same scores: item iN scores 10 − N, so the ranking (training items
    /// excluded) starts i0, i1, i2 for all three users.
    static func model(_ split: Split) -> ItemScoreModel {
        var scores = [Float](repeating: 0, count: split.items.count)
        for i in 0..<split.items.count { scores[i] = Float(10 - Int(split.items.rawID(at: i).dropFirst())!) }
        return ItemScoreModel(itemScores: scores)
    }

    static func report(_ split: Split, edges: BucketEdges? = .standard, threads: Int = 1, bootstrap: Int = 0) -> EvaluationReport {
        Evaluator(EvaluationConfiguration(metrics: [.recall(3), .ndcg(3), .auc], bootstrapResamples: bootstrap, threads: threads, buckets: edges))
            .evaluate(model(split), on: split)
    }

    // Top 3 of every user: i0, i1, i2. 1/log2(3) = 0.6309298, IDCG for two relevant = 1.6309298.
    // uA: hits 1,0,0 of |T| = 2 → NDCG@3 = 1/1.6309298 = 0.6131472, R@3 = 1/2.
    // uB: hits 0,1,0 of |T| = 1 → NDCG@3 = 0.6309298, R@3 = 1.
    // uC: hits 1,0,1 of |T| = 2 → NDCG@3 = (1 + 1/2)/1.6309298 = 0.9197208, R@3 = 1.
    static let ndcgA = 1 / (1 + 1 / log2(3.0)), ndcgB = 1 / log2(3.0), ndcgC = 1.5 / (1 + 1 / log2(3.0))

    @Test func userBucketMeansAreTheMeansOverTheBucketsUsersByHand() throws {
        let (split, _folder) = try Self.split()
        _ = _folder
        let buckets = try #require(Self.report(split).buckets)
        #expect(buckets.users.map(\.label) == ["≤5", "6–20", "21–100", ">100"])
        // uA (1) and uB (3) in ≤5, uC (7) in 6–20.
        #expect(buckets.users.map(\.users) == [2, 1, 0, 0])
        #expect(abs(buckets.users[0].mean("NDCG@3")! - (Self.ndcgA + Self.ndcgB) / 2) < 1e-12)
        #expect(abs(buckets.users[0].mean("NDCG@3")! - 0.6220385) < 1e-6)
        #expect(buckets.users[0].mean("R@3") == 0.75)
        #expect(abs(buckets.users[1].mean("NDCG@3")! - 0.9197208) < 1e-6)
        #expect(buckets.users[1].mean("R@3") == 1)
        // AUC is per user, so user buckets carry it.
        #expect(buckets.users[0].mean("AUC") != nil)
        #expect(buckets.users[2].summaries.allSatisfy { $0.mean == 0 })
    }

    @Test func itemBucketsCountOnlyTheBucketsItemsRelevantWithTheRankingUnchanged() throws {
        let (split, _folder) = try Self.split()
        _ = _folder
        let buckets = try #require(Self.report(split, edges: try BucketEdges(users: [], items: [0, 1])).buckets)
        #expect(buckets.users.isEmpty)
        #expect(buckets.items.map(\.label) == ["0", "1", ">1"])
        #expect(buckets.items.map(\.items) == [3, 4, 3])   // i0–i2 cold; i3–i6 once; i7–i9 more
        // Bucket 0 (i0, i1, i2): uA keeps i0 only (hit at 1, |T| = 1) → NDCG 1, R 1; uB as before
        // (0.6309298, 1); uC keeps both (0.9197208, 1). Mean NDCG = 2.5506505/3 = 0.8502168.
        #expect(buckets.items[0].users == 3)
        #expect(abs(buckets.items[0].mean("NDCG@3")! - (1 + Self.ndcgB + Self.ndcgC) / 3) < 1e-12)
        #expect(abs(buckets.items[0].mean("NDCG@3")! - 0.8502168) < 1e-6)
        #expect(buckets.items[0].mean("R@3") == 1)
        // Bucket 1 (i3–i6): only uA has one (i3, ranked 4th, beyond the top 3) → 0.
        #expect(buckets.items[1].users == 1 && buckets.items[1].mean("NDCG@3") == 0 && buckets.items[1].mean("R@3") == 0)
        // Bucket >1: no relevant item at all.
        #expect(buckets.items[2].users == 0)
        // AUC reads scores: left out of item buckets, and said so.
        #expect(buckets.itemBucketsLeaveOut == ["AUC"])
        #expect(buckets.items.allSatisfy { $0.mean("AUC") == nil })
        #expect(buckets.text.contains("AUC left out"))
    }

    @Test func bucketsDoNotDependOnTheThreadCountAndAreSeeded() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 5)
        let model = ItemScoreModel.popularity(split.train)
        func run(_ threads: Int) -> BucketBreakdown? {
            Evaluator(EvaluationConfiguration(bootstrapResamples: 50, bootstrapSeed: 9, threads: threads)).evaluate(model, on: split).buckets
        }
        let one = try #require(run(1)), two = try #require(run(2))
        #expect(one == two)
        #expect(one == run(1))
        // Every evaluated user is in exactly one user bucket; the intervals hold the means.
        #expect(one.users.map(\.users).reduce(0, +) == split.evaluatedUsers.count)
        #expect(one.users.allSatisfy { b in b.summaries.allSatisfy { $0.lower <= $0.mean + 1e-12 && $0.mean <= $0.upper + 1e-12 } })
        #expect(one.items.count == 4 && one.items.map(\.items!).reduce(0, +) == split.items.count)
    }

    @Test func edgesMustIncreaseAndStayInRange() throws {
        #expect(throws: BucketError.notIncreasing(kind: "user", previous: 5, edge: 5)) { try BucketEdges(users: [5, 5], items: []) }
        #expect(throws: BucketError.notIncreasing(kind: "item", previous: 10, edge: 3)) { try BucketEdges(users: [1], items: [10, 3]) }
        #expect(throws: BucketError.edgeOutOfRange(kind: "user", edge: -1)) { try BucketEdges(users: [-1, 5], items: []) }
        #expect(throws: BucketError.edgeOutOfRange(kind: "item", edge: Int.max)) { try BucketEdges(users: [], items: [Int.max]) }
        #expect(throws: BucketError.unreadable(kind: "user", text: "5,x")) { try BucketEdges.parse("5,x", kind: "user") }
        #expect(throws: BucketError.self) { try BucketEdges.parse(Array(1...40).map(String.init).joined(separator: ","), kind: "user") }
        #expect(try BucketEdges.parse(" 5, 20 ,100", kind: "user") == [5, 20, 100])
        #expect(try BucketEdges.parse("none", kind: "item") == [])
        #expect(BucketEdges.bounds([0, 10, 100]).map(\.label) == ["0", "1–10", "11–100", ">100"])
        #expect(BucketEdges.bounds([1, 2]).map(\.label) == ["≤1", "2", ">2"])
        // Decoding checks as the initialiser does.
        #expect(throws: BucketError.self) { try JSONDecoder().decode(BucketEdges.self, from: Data(#"{"users":[3,2],"items":[]}"#.utf8)) }
    }

    @Test func experimentFilesSetAndCheckTheEdges() throws {
        let base = smallExperiment.replacingOccurrences(of: "bootstrap = 50", with: "bootstrap = 50\nuser_buckets = [2, 8]\nitem_buckets = []")
        let experiment = try Experiment.parse(base, file: "b.toml")
        #expect(experiment.buckets == (try BucketEdges(users: [2, 8], items: [])))
        #expect(try Experiment.parse(smallExperiment, file: "s.toml").buckets == .standard)
        let bad = smallExperiment.replacingOccurrences(of: "bootstrap = 50", with: "bootstrap = 50\nitem_buckets = [10, 0]")
        #expect {
            try Experiment.parse(bad, file: "bad.toml")
        } throws: { error in
            "\(error)".contains("evaluation.item_buckets") && "\(error)".contains("must increase")
        }
    }

    @Test func breakdownRoundTripsThroughJSONAndOldReportsDecodeWithout() throws {
        let (split, _folder) = try Self.split()
        _ = _folder
        let report = Self.report(split, bootstrap: 20)
        let data = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: data)
        #expect(decoded.buckets == report.buckets && decoded.buckets != nil)
        // A report, a configuration and a run record written before buckets existed decode with none.
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "buckets")
        let old = try JSONDecoder().decode(EvaluationReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.buckets == nil && old.summaries == report.summaries)
        var configuration = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(EvaluationConfiguration())) as? [String: Any])
        #expect(configuration["buckets"] != nil)
        configuration.removeValue(forKey: "buckets")
        #expect(try JSONDecoder().decode(EvaluationConfiguration.self, from: JSONSerialization.data(withJSONObject: configuration)).buckets == nil)
        let recordFile = DatasetCatalog.repositoryRoot + "/results/sweep-lastfm/test-4a3c0b406f204bae.json"
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: URL(fileURLWithPath: recordFile)))
        #expect(record.buckets == nil)
    }

    @Test func switchedOffEvaluationsHaveNoBuckets() throws {
        let (split, _folder) = try Self.split()
        _ = _folder
        #expect(Self.report(split, edges: nil).buckets == nil)
    }

    @Test func foldInInteractionsCountTowardsAUsersBucket() throws {
        let (split, _folder) = try Self.split()
        _ = _folder
        let report = Self.report(split)
        // uA gets 5 fold-in rows: 1 + 5 = 6 interactions, so it joins uC (7) in 6–20.
        let a = try #require(split.users.position(of: "uA"))
        var offsets = [0], columns: [Int32] = []
        for user in 0..<split.train.rowCount {
            if user == a { columns += [0, 1, 2, 4, 5] }
            offsets.append(columns.count)
        }
        var withFoldIn = split
        withFoldIn.foldIn = InteractionMatrix(rowCount: split.train.rowCount, columnCount: split.train.columnCount, rowOffsets: offsets,
                                              columns: columns, values: [Float](repeating: 1, count: columns.count))
        let buckets = BucketBreakdown(report: report, split: withFoldIn, edges: .standard,
                                      configuration: EvaluationConfiguration(metrics: [.recall(3), .ndcg(3), .auc], bootstrapResamples: 0, threads: 1))
        #expect(buckets.users.map(\.users) == [1, 2, 0, 0])
        #expect(buckets.userCount == "training plus fold-in interactions")
        // 6–20 now holds uA and uC: NDCG@3 (0.6131472 + 0.9197208) / 2.
        #expect(abs(buckets.users[1].mean("NDCG@3")! - (Self.ndcgA + Self.ndcgC) / 2) < 1e-12)
    }

    @Test func testRunsKeepTheBreakdownAndThePageShowsTableAndChart() throws {
        let folder = TemporaryFolder()
        _ = try SweepTests.run(folder.path)
        let records = try ResultStore.records(in: folder.path)
        #expect(records.filter { $0.phase == .validation }.allSatisfy { $0.buckets == nil })
        let test = try #require(records.first { $0.phase == .test })
        let buckets = try #require(test.buckets)
        #expect(buckets.users.map(\.users).reduce(0, +) == test.evaluatedUsers)
        let leaderboard = Leaderboard(records: records)
        #expect(leaderboard.rows.allSatisfy { $0.buckets?.users.first?.summaries.map(\.metric) == ["NDCG@10"] })
        let page = LeaderboardPage.html(leaderboard, records: records)
        #expect(page.contains("NDCG@10 by activity bucket (test)"))
        #expect(page.contains(" users\">0.") && page.contains("<th>≤5 <small>(") && page.contains("<th>&gt;100 <small>("))
        #expect(page.contains("<svg") && page.contains("NDCG@10 by users by training interactions")
                && page.contains("NDCG@10 by items by training popularity"))
    }
}
