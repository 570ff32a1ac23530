import ArgumentParser
import Foundation
import RecBench

/// `recbench leaderboard`: the leaderboard of a results folder.
struct LeaderboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Rank the test runs of a results folder: Markdown (printed), JSON and a self-contained HTML page (written into the folder).",
        discussion: """
        Only the records of one experiment identity are ranked (the same data, preparation, split, validation and metrics): \
        the newest, or the one --identity or --experiment names. Records of other identities are listed as stale and left out; \
        a file named like a record that does not decode is listed by name.
        """)

    @Argument(help: "A results folder (records of several shards or machines merge by being in it).")
    var folder: String

    @OptionGroup var selection: IdentitySelection

    @Option(help: "Rank by this metric (default: the experiment's selection metric).")
    var metric: String?

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    @Flag(help: "Only print; do not write leaderboard.md, .json and .html into the folder.")
    var noWrite = false

    func run() throws {
        try reportingErrors {
            let contents = try ResultFolder.read(folder)
            let (chosen, stale) = try contents.select(identity: try selection.requested())
            FolderReport.report(stale: stale, unreadable: contents.unreadable)
            let records = chosen?.records ?? []
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
        abstract: "Compare a results folder's leaderboard with a baseline leaderboard JSON; exit 1 listing every metric that worsened by more than the tolerance.",
        discussion: """
        A metric regresses when it moved the wrong way (fell, or rose for a lower-is-better metric such as gini@k) by more \
        than absolute + relative × |baseline| (numpy's isclose). Write a baseline with \
        `recbench leaderboard DIR --json > FILE`. The folder's leaderboard uses the records of one experiment identity: the one \
        --identity or --experiment names, else the baseline's when the folder has it, else the newest; others are listed as stale.
        """)

    @Option(help: "The baseline: a leaderboard JSON (`recbench leaderboard DIR --json`).")
    var baseline: String

    @Argument(help: "The results folder to check.")
    var folder: String

    @Option(help: "Absolute tolerance.")
    var absolute: Double = 0.005

    @Option(help: "Relative tolerance (a fraction of the baseline value).")
    var relative: Double = 0.02

    @OptionGroup var selection: IdentitySelection

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
            let contents = try ResultFolder.read(folder)
            var wanted = try selection.requested()
            if wanted == nil, let identity = old.identity, contents.groups.contains(where: { $0.identity == identity }) { wanted = identity }
            let (chosen, stale) = try contents.select(identity: wanted)
            FolderReport.report(stale: stale, unreadable: contents.unreadable)
            if let identity = old.identity, let chosen, chosen.identity != identity {
                note("warning: the baseline was made from experiment identity \(identity); checking \(chosen.identity)")
            }
            let current = Leaderboard(records: chosen?.records ?? [], metric: old.selection)
            let (regressions, compared) = RegressionCheck(absolute: absolute, relative: relative).compare(baseline: old, current: current)
            if regressions.isEmpty {
                print("ok: \(compared) metrics of \(old.rows.count) algorithms within tolerance (absolute \(absolute), relative \(relative)) of \(baseline)")
                return
            }
            print("REGRESSION: \(regressions.count) of \(compared) metrics worsened beyond tolerance (absolute \(absolute), relative \(relative)):")
            for regression in regressions { print("  \(regression)") }
            throw ExitCode(1)
        }
    }
}

/// Which experiment identity of a results folder to report: `--identity` or `--experiment`.
struct IdentitySelection: ParsableArguments {
    @Option(help: "Use the records of this experiment identity (or the first characters of one, at least 4).")
    var identity: String?

    @Option(help: "Use the records of this experiment file's identity (its data as it is now, preparation, split, validation, metrics).")
    var experiment: String?

    func validate() throws {
        if identity != nil && experiment != nil { throw ValidationError("give --identity or --experiment, not both.") }
    }

    /// The identity asked for, if any.
    func requested() throws -> String? {
        if let experiment { return try ExperimentRunner.identity(of: Experiment.read(file: experiment)) }
        return identity
    }
}

/// Tells the user what a results folder holds besides the reported records.
enum FolderReport {
    static func report(stale: [ResultFolder.Group], unreadable: [ResultFolder.Unreadable]) {
        for group in stale.prefix(10) { note("stale, left out: experiment identity \(group.summary)") }
        if stale.count > 10 { note("stale, left out: \(stale.count - 10) more experiment identities") }
        for file in unreadable.prefix(20) { note("unreadable record, left out: \(file.path): \(file.reason)") }
        if unreadable.count > 20 { note("unreadable records, left out: \(unreadable.count - 20) more") }
    }
}
