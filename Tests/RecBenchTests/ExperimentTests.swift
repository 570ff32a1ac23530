import Foundation
import Testing
import Synchronization
@testable import RecBench

/// A small experiment on the block fixture's kind of data: MovieLens 100K would be slower, so
/// these tests use the embedded Last.fm 2K pruned hard (artists with ≥ 60 listeners).
let smallExperiment = """
name = "small"
[dataset]
name = "\(SharedData.lastFM)"
min_item_users = 60
[split]
method = "leave-one-out"
seed = 3
[evaluation]
metrics = ["P", "NDCG", "AUC"]
cutoffs = [5, 10]
select = "NDCG@10"
bootstrap = 50
[search]
seeds = [1]
[[algorithms]]
name = "Popularity"
type = "popularity"
[[algorithms]]
name = "ALS"
type = "als"
factors = [8, 16]
regularization = { min = 0.1, max = 10, scale = "log", steps = 3 }
alpha = 0.01
iterations = 3
"""

@Suite("Experiment files")
struct ExperimentFileTests {
    @Test func parsesEveryPartOfTheFormat() throws {
        let experiment = try Experiment.parse(smallExperiment, file: "small.toml")
        #expect(experiment.name == "small")
        #expect(experiment.minimumItemUsers == 60)
        #expect(experiment.split == .leaveOneOut(selection: .random, minimum: 2) && experiment.splitSeed == 3)
        #expect(experiment.validationSeed == 4)
        #expect(experiment.metrics.map(\.name) == ["P@5", "P@10", "NDCG@5", "NDCG@10", "AUC"])
        #expect(experiment.selection == .ndcg(10))
        let als = experiment.algorithms[1]
        #expect(als.type == "als" && als.sweptParameters == ["factors", "regularization"])
        let grid = SearchStrategy.grid.configurations(als.spaces)
        #expect(grid.count == 6)
        #expect(Set(grid.compactMap { $0["regularization"] }) == [.double(0.1), .double(1), .double(10)])
    }

    @Test func theDefaultExperimentParsesAndMatchesItsFile() throws {
        let experiment = try Experiment.parse(Experiment.defaultText, file: "default")
        #expect(experiment.algorithms.count == 9)
        // The default job ranks implicit feedback: every built-in type but the rating predictors, and but the
        // hybrid and the models of item metadata, which experiments/hybrid-lastfm.toml compares under cold start.
        #expect(Set(experiment.algorithms.map(\.type))
                == Set(Algorithm.typeNames).subtracting(Algorithm.ratingTypeNames).subtracting(["hybrid", "content-knn", "lightfm"]))
        let file = try String(contentsOfFile: DatasetCatalog.repositoryRoot + "/experiments/default.toml", encoding: .utf8)
        #expect(file == Experiment.defaultText)
    }

    @Test func shippedExperimentFilesParse() throws {
        let folder = DatasetCatalog.repositoryRoot + "/experiments"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".toml") }
        #expect(files.count >= 3)
        for file in files { _ = try Experiment.read(file: folder + "/" + file) }
    }

    @Test(arguments: [
        ("[[algorithms]]\ntype = \"als\"\nfactor = 3\n", "algorithms[0].factor", "unknown key"),
        ("[[algorithms]]\ntype = \"als\"\nfactors = \"many\"\n", "algorithms[0].factors", "must be an integer"),
        ("[[algorithms]]\ntype = \"als\"\nfactors = 0\n", "algorithms[0].factors", "outside"),
        ("[[algorithms]]\ntype = \"bpr\"\nnegatives = \"some\"\n", "algorithms[0].negatives", "not one of"),
        ("[[algorithms]]\ntype = \"ease\"\nregularization = { min = 1, max = 10 }\n", "algorithms[0].regularization", "needs 'steps'"),
        ("[[algorithms]]\ntype = \"knn\"\n", "algorithms[0].type", "not one of"),
        ("[[algorithms]]\nname = \"x\"\n", "algorithms[0].type", "missing"),
        ("[split]\nmethod = \"leave-one-out\"\nseeds = 3\n[[algorithms]]\ntype = \"random\"\n", "split.seeds", "unknown key"),
        ("[evaluation]\nselect = \"NDCG\"\n[[algorithms]]\ntype = \"random\"\n", "evaluation.select", "not a metric"),
        ("[evaluation]\ncutoffs = [0]\n[[algorithms]]\ntype = \"random\"\n", "evaluation.cutoffs[0]", "1…1000"),
        ("[search]\nstrategy = \"random\"\n[[algorithms]]\ntype = \"random\"\n", "search.samples", "missing"),
        ("colour = 1\n[[algorithms]]\ntype = \"random\"\n", "colour", "unknown key"),
        ("[dataset]\nmin_item_users = -1\n[[algorithms]]\ntype = \"random\"\n", "dataset.min_item_users", "outside"),
    ])
    func badValuesNameTheFileAndKey(text: String, key: String, reason: String) {
        do {
            _ = try Experiment.parse(text, file: "bad.toml")
            Issue.record("no error for \(key)")
        } catch {
            #expect(error.description.hasPrefix("bad.toml: "), "\(error)")
            #expect(error.description.contains("'\(key)'"), "\(error)")
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test func syntaxErrorsGiveTheLine() {
        #expect(throws: ExperimentError.self) { try Experiment.parse("name = \"x\"\n[split\n", file: "broken.toml") }
        do { _ = try Experiment.parse("name = \"x\"\n\n[split\n", file: "broken.toml") } catch {
            guard case .syntax(let file, let line, _, _) = error else { Issue.record("\(error)"); return }
            #expect(file == "broken.toml" && line == 3)
        }
    }

    @Test func randomSearchIsSeededAndStaysInItsRanges() {
        let spaces: [String: ParameterSpace] = ["lr": .range(min: 0.001, max: 0.1, scale: .log, steps: nil, integer: false),
                                                "factors": .range(min: 8, max: 64, scale: .linear, steps: nil, integer: true),
                                                "negatives": .values([.string("uniform"), .string("popularity")])]
        let a = SearchStrategy.random(samples: 30, seed: 5).configurations(spaces)
        #expect(a == SearchStrategy.random(samples: 30, seed: 5).configurations(spaces))
        #expect(a != SearchStrategy.random(samples: 30, seed: 6).configurations(spaces))
        for configuration in a {
            guard case .double(let lr)? = configuration["lr"], case .integer(let f)? = configuration["factors"] else { Issue.record("types"); continue }
            #expect(lr >= 0.001 && lr <= 0.1 && f >= 8 && f <= 64)
        }
    }
}

@Suite("Sweeps, results and leaderboards")
struct SweepTests {
    static func run(_ folder: String, jobs: Int = 1, shard: (Int, Int) = (1, 1)) throws -> ExperimentOutcome {
        let experiment = try Experiment.parse(smallExperiment, file: "small.toml")
        return try ExperimentRunner.run(experiment, store: ResultStore(directory: folder), options: RunOptions(jobs: jobs, shard: shard), progress: { _ in })
    }

    @Test func sweepTunesOnValidationThenReportsTheBestOnTest() throws {
        let folder = TemporaryFolder()
        let outcome = try Self.run(folder.path)
        #expect(outcome.failures.isEmpty && outcome.waiting.isEmpty)
        let records = try ResultStore.records(in: folder.path)
        #expect(records.filter { $0.phase == .validation }.count == 6)
        #expect(records.filter { $0.phase == .test }.count == 2)
        let validation = records.filter { $0.phase == .validation }
        let best = validation.max { $0.mean("NDCG@10")! < $1.mean("NDCG@10")! }!
        let test = records.first { $0.phase == .test && $0.algorithmName == "ALS" }!
        #expect(test.algorithm == best.algorithm)
        // The record carries what the issue lists.
        #expect(test.dataset.sha256.count == 64 && test.environment.cores > 0 && !test.environment.date.isEmpty)
        #expect(test.timings.fit >= 0 && test.perUser?.count == test.evaluatedUsers)
        #expect(test.metrics.allSatisfy { $0.lower <= $0.mean && $0.mean <= $0.upper })
    }

    @Test func anInterruptedSweepResumesWithoutRedoingFinishedRuns() throws {
        let folder = TemporaryFolder()
        _ = try Self.run(folder.path)
        let records = try ResultStore.records(in: folder.path)
        // Lose two runs, as if killed before writing them; mark the others to see they are kept.
        try FileManager.default.removeItem(atPath: folder.path + "/" + records[0].id + ".json")
        try FileManager.default.removeItem(atPath: folder.path + "/" + records[3].id + ".json")
        let finished = Mutex<[String]>([])
        let experiment = try Experiment.parse(smallExperiment, file: "small.toml")
        _ = try ExperimentRunner.run(experiment, store: ResultStore(directory: folder.path)) { event in
            if case .finished(let run, _, _, _) = event { finished.withLock { $0.append(run.id) } }
        }
        #expect(Set(finished.withLock { $0 }) == [records[0].id, records[3].id])
        #expect(try ResultStore.records(in: folder.path).map(\.metrics) == records.map(\.metrics))
    }

    @Test func parallelJobsGiveTheSameRecords() throws {
        let one = TemporaryFolder(), two = TemporaryFolder()
        _ = try Self.run(one.path, jobs: 1)
        _ = try Self.run(two.path, jobs: 2)
        let a = try ResultStore.records(in: one.path), b = try ResultStore.records(in: two.path)
        #expect(a.map(\.id) == b.map(\.id))
        #expect(a.map(\.metrics) == b.map(\.metrics))
        #expect(a.map(\.perUser) == b.map(\.perUser))
    }

    @Test func leaderboardRanksMarksSignificanceAndEscapesNames() throws {
        let folder = TemporaryFolder()
        _ = try Self.run(folder.path)
        var records = try ResultStore.records(in: folder.path)
        let leaderboard = Leaderboard(records: records)
        #expect(leaderboard.rows.map(\.rank) == [1, 2])
        #expect(leaderboard.rows[0].metrics["NDCG@10"]! >= leaderboard.rows[1].metrics["NDCG@10"]!)
        #expect(leaderboard.rows[1].pValue != nil && leaderboard.rows[1].significant != nil)
        #expect(leaderboard.markdown.contains("| 1 | "))
        // A hostile name in data or configuration is escaped in the page.
        for index in records.indices where records[index].algorithmName == "ALS" { records[index].algorithmName = "<script>alert('x')</script>" }
        let page = LeaderboardPage.html(Leaderboard(records: records), records: records)
        #expect(!page.contains("<script>") && page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(page.contains("<svg") && page.contains("NDCG@k") && page.contains("fit seconds"))
        #expect(page.contains("ALS: regularization") || page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;: regularization"))
    }

    @Test func leaderboardCountsOnlyTheLatestConfigurationOfAnAlgorithm() throws {
        let folder = TemporaryFolder()
        _ = try Self.run(folder.path)
        var records = try ResultStore.records(in: folder.path).filter { $0.phase == .test }
        let current = Leaderboard(records: records)
        // An older run of a different ALS configuration, left in the folder by an earlier file.
        var stale = records.first { $0.algorithmName == "ALS" }!
        stale.algorithm = .als(ALSConfiguration(factors: 2, iterations: 1))
        stale.metrics = stale.metrics.map { var m = $0; m.mean = 0.999; return m }
        stale.environment.date = "2000-01-01T00:00:00Z"
        records.append(stale)
        #expect(Leaderboard(records: records) == current)
    }

    @Test func regressionCheckListsEveryMetricThatFellBeyondTolerance() throws {
        let folder = TemporaryFolder()
        _ = try Self.run(folder.path)
        let current = Leaderboard(records: try ResultStore.records(in: folder.path))
        var baseline = current
        #expect(RegressionCheck(absolute: 0, relative: 0).compare(baseline: baseline, current: current).regressions.isEmpty)
        baseline.rows[0].metrics["NDCG@10"]! += 0.02
        baseline.rows[1].metrics["AUC"]! += 0.002
        let strict = RegressionCheck(absolute: 0.001, relative: 0).compare(baseline: baseline, current: current).regressions
        #expect(strict.map(\.metric).sorted() == ["AUC", "NDCG@10"])
        let loose = RegressionCheck(absolute: 0.005, relative: 0).compare(baseline: baseline, current: current).regressions
        #expect(loose.map(\.metric) == ["NDCG@10"])
        baseline.rows.append(Leaderboard.Row(rank: 3, algorithm: "Gone", label: "", parameters: [:], seeds: [1], metrics: ["AUC": 0.5],
                                             intervals: [:], fitSeconds: 0, evaluateSeconds: 0, difference: 0))
        #expect(RegressionCheck(absolute: 1, relative: 1).compare(baseline: baseline, current: current).regressions.map(\.algorithm) == ["Gone"])
    }
}
