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

    @Test func leaderboardAndCheckNeverMixTheRecordsOfTwoSplits() throws {
        let scratch = Scratch()
        let file = sweepFile(in: scratch)
        let folder = scratch.path + "/r"
        #expect(try CLI.run(["run", file, "--results", folder], environment: ["CI": "true"]).status == 0)
        let board = try CLI.run(["leaderboard", folder, "--json"])
        let baseline = try JSONDecoder().decode(Leaderboard.self, from: Data(board.stdout.utf8))
        let baselineFile = scratch.write("baseline.json", board.stdout)
        // The experiment file's split seed changes; the sweep runs again into the same folder, without --fresh.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let changed = scratch.write("sweep6.toml", text.replacingOccurrences(of: "seed = 5", with: "seed = 6"))
        let rerun = try CLI.run(["run", changed, "--results", folder], environment: ["CI": "true"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("stale, left out: experiment identity \(baseline.identity ?? "?")"), "\(rerun.stderr)")
        // The leaderboard ranks the new split alone: one seed per row, not the two splits averaged.
        let newest = try CLI.run(["leaderboard", folder, "--json", "--no-write"])
        #expect(newest.status == 0, "\(newest.stderr)")
        let current = try JSONDecoder().decode(Leaderboard.self, from: Data(newest.stdout.utf8))
        #expect(current.identity != baseline.identity && current.rows.allSatisfy { $0.seeds == [1] })
        #expect(newest.stderr.contains("stale, left out: experiment identity \(baseline.identity ?? "?")"))
        // The earlier split is still there, by identity or by its experiment file.
        let byIdentity = try CLI.run(["leaderboard", folder, "--json", "--no-write", "--identity", String(baseline.identity?.prefix(8) ?? "")])
        let byFile = try CLI.run(["leaderboard", folder, "--json", "--no-write", "--experiment", file])
        #expect(try rows(byIdentity.stdout) == rows(board.stdout) && rows(byFile.stdout) == rows(board.stdout))
        // The gate checks the baseline's identity, listing the other one as stale.
        let check = try CLI.run(["check", "--baseline", baselineFile, folder, "--absolute", "0", "--relative", "0"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stderr.contains("stale, left out: experiment identity \(current.identity ?? "?")"))
        let unknown = try CLI.run(["leaderboard", folder, "--identity", "ffffffff"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no records of experiment identity 'ffffffff'"))
    }

    @Test func anExperimentNamedDotDotIsRefusedBeforeWritingAnything() throws {
        let scratch = Scratch()
        let text = try String(contentsOfFile: sweepFile(in: scratch), encoding: .utf8)
        let file = scratch.write("dots.toml", text.replacingOccurrences(of: "name = \"cli-sweep\"", with: "name = \"..\""))
        let inside = scratch.path + "/work"
        try FileManager.default.createDirectory(atPath: inside, withIntermediateDirectories: true)
        let output = try CLI.run(["run", file], environment: ["CI": "true"], in: inside)
        #expect(output.status == 2)
        #expect(output.stderr.contains("dots.toml: 'name': the experiment name starts with '.'"), "\(output.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inside).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/leaderboard.md"))
    }
}
