import ArgumentParser
import Foundation
import RecBench

/// `recbench leaderboard`: the leaderboard of a results folder.
struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Rank the test runs of a results folder: Markdown (printed), JSON and a self-contained HTML page (written into the folder).")

    @Argument(help: "A results folder (records of several shards or machines merge by being in it).")
    var folder: String

    @Option(help: "Rank by this metric (default: the experiment's selection metric).")
    var metric: String?

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    @Flag(help: "Only print; do not write leaderboard.md, .json and .html into the folder.")
    var noWrite = false

    func run() throws {
        try reportingErrors {
            let records = try ResultStore.records(in: folder)
            let leaderboard = Leaderboard(records: records, metric: metric)
            guard !leaderboard.rows.isEmpty else {
                note("error: no test runs in \(folder)")
                throw ExitCode(2)
            }
            if let metric, !leaderboard.metricNames.contains(metric) {
                throw ValidationError("'\(metric)' was not measured; the runs have \(leaderboard.metricNames.joined(separator: ", ")).")
            }
            if !noWrite { try LeaderboardFiles.write(leaderboard, records: records, to: folder) }
            print(json ? String(decoding: try JSONEncoder.pretty.encode(leaderboard), as: UTF8.self) : leaderboard.markdown)
        }
    }
}

/// `recbench check`: the CI regression gate.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a results folder's leaderboard with a baseline leaderboard JSON; exit 1 listing every metric that fell by more than the tolerance.",
        discussion: "A metric regresses when baseline − current > absolute + relative × |baseline| (numpy's isclose). Write a baseline with `recbench leaderboard DIR --json > FILE`.")

    @Option(help: "The baseline: a leaderboard JSON (`recbench leaderboard DIR --json`).")
    var baseline: String

    @Argument(help: "The results folder to check.")
    var folder: String

    @Option(help: "Absolute tolerance.")
    var absolute: Double = 0.005

    @Option(help: "Relative tolerance (a fraction of the baseline value).")
    var relative: Double = 0.02

    func validate() throws {
        guard absolute >= 0, relative >= 0 else { throw ValidationError("tolerances must not be negative.") }
    }

    func run() throws {
        try reportingErrors {
            let old: Leaderboard
            do {
                old = try JSONDecoder().decode(Leaderboard.self, from: Data(contentsOf: URL(fileURLWithPath: baseline)))
            } catch {
                note("error: \(baseline): not a leaderboard JSON (\(error.localizedDescription))")
                throw ExitCode(2)
            }
            let current = Leaderboard(records: try ResultStore.records(in: folder), metric: old.selection)
            let (regressions, compared) = RegressionCheck(absolute: absolute, relative: relative).compare(baseline: old, current: current)
            if regressions.isEmpty {
                print("ok: \(compared) metrics of \(old.rows.count) algorithms within tolerance (absolute \(absolute), relative \(relative)) of \(baseline)")
                return
            }
            print("REGRESSION: \(regressions.count) of \(compared) metrics fell beyond tolerance (absolute \(absolute), relative \(relative)):")
            for regression in regressions { print("  \(regression)") }
            throw ExitCode(1)
        }
    }
}

/// Writes leaderboard.md, leaderboard.json and leaderboard.html into a results folder, atomically.
enum LeaderboardFiles {
    static func write(_ leaderboard: Leaderboard, records: [RunRecord], to folder: String) throws {
        try AtomicFile.write(leaderboard.markdown, to: folder + "/leaderboard.md")
        try AtomicFile.write(JSONEncoder.pretty.encode(leaderboard), to: folder + "/leaderboard.json")
        try AtomicFile.write(LeaderboardPage.html(leaderboard, records: records), to: folder + "/leaderboard.html")
    }
}
