import Foundation
import Testing
import RecBench

/// A small sweep on Last.fm 2K pruned hard (artists with ≥ 60 listeners), fast enough for tests.
private func sweepFile(in scratch: Scratch) -> String {
    scratch.write("sweep.toml", """
    name = "cli-sweep"
    [dataset]
    name = "\(DatasetCatalog.repositoryRoot)/datasets/lastfm-2k"
    min_item_users = 60
    [split]
    method = "leave-one-out"
    seed = 5
    [evaluation]
    metrics = ["R", "NDCG"]
    cutoffs = [5, 10]
    bootstrap = 20
    [[algorithms]]
    name = "Popularity"
    type = "popularity"
    [[algorithms]]
    name = "ALS"
    type = "als"
    factors = [8, 16]
    regularization = [0.1, 1.0]
    alpha = 0.01
    iterations = 3
    [[algorithms]]
    name = "BM25"
    type = "item-knn"
    weighting = "bm25"
    neighbors = [20, 50, 100]
    """)
}

/// The leaderboard JSON's rows as (algorithm, metrics), for comparing folders.
private func rows(_ json: String) throws -> [String: [String: Double]] {
    let board = try JSONDecoder().decode(Leaderboard.self, from: Data(json.utf8))
    return Dictionary(uniqueKeysWithValues: board.rows.map { ($0.algorithm, $0.metrics) })
}

@Suite("recbench run, leaderboard and check", .serialized)
struct ExperimentCLITests {
    @Test func twoShardsAsSeparateProcessesMergeIntoTheUnshardedLeaderboard() throws {
        let scratch = Scratch()
        let file = sweepFile(in: scratch)
        let sharded = scratch.path + "/sharded", whole = scratch.path + "/whole"
        for shard in ["1/2", "2/2"] {
            let output = try CLI.run(["run", file, "--results", sharded, "--shard", shard], environment: ["CI": "true"])
            #expect(output.status == 0, "\(output.stderr)")
        }
        let unsharded = try CLI.run(["run", file, "--results", whole], environment: ["CI": "true"])
        #expect(unsharded.status == 0, "\(unsharded.stderr)")
        let a = try CLI.run(["leaderboard", sharded, "--json"]), b = try CLI.run(["leaderboard", whole, "--json"])
        #expect(a.status == 0 && b.status == 0)
        #expect(try rows(a.stdout) == rows(b.stdout))
        #expect(try rows(a.stdout).count == 3)
        let names = { (folder: String) in try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") && !$0.hasPrefix("leaderboard") }.sorted() }
        #expect(try names(sharded) == names(whole))
        #expect(FileManager.default.fileExists(atPath: sharded + "/leaderboard.html"))
    }

    @Test func plainProgressLinesWithCIAndABarOnATerminal() throws {
        let scratch = Scratch()
        let file = sweepFile(in: scratch)
        let plain = try CLI.run(["run", file, "--results", scratch.path + "/plain"], environment: ["CI": "true"])
        #expect(plain.status == 0)
        #expect(plain.stderr.contains("[1/7] validation ALS"))
        #expect(plain.stderr.contains("ETA"))
        #expect(!plain.stderr.contains("\r"))
        // script(1) gives the command a terminal; the bar redraws in place with elapsed time and ETA.
        let command = "\(CLI.binary.path) run \(file) --results \(scratch.path)/tty"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["CI"] = nil
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\rvalidation [") && text.contains("elapsed") && text.contains("ETA"), "\(text)")
    }

    @Test func aBadExperimentFileExitsTwoNamingTheFileAndKey() throws {
        let scratch = Scratch()
        let file = scratch.write("bad.toml", "[[algorithms]]\ntype = \"als\"\nfactors = \"many\"\n")
        let output = try CLI.run(["run", file, "--results", scratch.path + "/r"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("bad.toml: 'algorithms[0].factors' must be an integer, not a string"), "\(output.stderr)")
    }

    @Test func checkPassesOnItsBaselineAndFailsListingEachRegression() throws {
        let scratch = Scratch()
        let file = sweepFile(in: scratch)
        let folder = scratch.path + "/r"
        #expect(try CLI.run(["run", file, "--results", folder], environment: ["CI": "true"]).status == 0)
        let board = try CLI.run(["leaderboard", folder, "--json"])
        let baseline = scratch.write("baseline.json", board.stdout)
        let ok = try CLI.run(["check", "--baseline", baseline, folder])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("ok: "))
        // Raise two of the baseline's figures beyond tolerance: both are listed, exit 1.
        var raised = try JSONDecoder().decode(Leaderboard.self, from: Data(board.stdout.utf8))
        raised.rows[0].metrics["NDCG@10"]! += 0.05
        raised.rows[1].metrics["R@5"]! += 0.05
        let encoder = JSONEncoder()
        let worse = scratch.write("raised.json", String(decoding: try encoder.encode(raised), as: UTF8.self))
        let failed = try CLI.run(["check", "--baseline", worse, folder, "--absolute", "0.01", "--relative", "0"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("REGRESSION: 2 of"))
        #expect(failed.stdout.contains("\(raised.rows[0].algorithm) NDCG@10") && failed.stdout.contains("\(raised.rows[1].algorithm) R@5"))
    }
}
