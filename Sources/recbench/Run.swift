import ArgumentParser
import Foundation
import RecBench
import Synchronization

/// `recbench run`: runs an experiment file (or the default experiment) and prints its leaderboard.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment: tune each algorithm on validation, retrain the best on train, score it on test, print the leaderboard.",
        discussion: """
        Without a file, runs the default experiment: every algorithm on the embedded Last.fm 2K (artists with >= 5 listeners), \
        leave-one-out, full ranking. One JSON record per run goes to --results (default results/<experiment name>); finished \
        runs are skipped, so an interrupted sweep resumes (a run made by another RecBench version or commit is stale and runs \
        again). Processes sharing a folder claim runs before fitting them, so they split the work. The leaderboard ranks \
        only the records of this experiment's identity (data, preparation, split, validation, metrics); others in the \
        folder are listed as stale. The format of experiment files is in docs/experiments.md.
        """)

    @Argument(help: "An experiment file (TOML). Default: the built-in default experiment.")
    var file: String?

    @Option(help: "The results folder (default: results/<experiment name>).")
    var results: String?

    @Option(help: "Runs at once; each fits on one thread then (the results do not change).")
    var jobs: Int = 1

    @Option(help: "Run the i-th of n slices of the sweep's validation runs, e.g. 2/4 (for batch schedulers).")
    var shard: String?

    @Flag(help: "Remove this experiment's earlier run records first.")
    var fresh = false

    @Flag(help: "Keep finished runs made by another RecBench version or commit instead of running them again (they are listed).")
    var reuseStale = false

    @Flag(help: "Print the default experiment file and exit.")
    var showDefault = false

    @Flag(help: "Read the experiment file, plan its sweep and validate every configuration, then exit: nothing is loaded, fitted or written.")
    var check = false

    func validate() throws {
        guard jobs > 0 else { throw ValidationError("--jobs must be positive.") }
        _ = try parsedShard()
    }

    func parsedShard() throws -> (index: Int, count: Int) {
        guard let shard else { return (1, 1) }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] > 0, (1...parts[1]).contains(parts[0]) else {
            throw ValidationError("--shard takes i/n with 1 <= i <= n, e.g. 1/4.")
        }
        return (parts[0], parts[1])
    }

    func run() throws {
        if showDefault { print(Experiment.defaultText, terminator: ""); return }
        try reportingErrors {
            let experiment = try file.map { try Experiment.read(file: $0) } ?? Experiment.parse(Experiment.defaultText, file: "<default experiment>", defaultName: "default")
            if check {
                var total = 0
                for (algorithm, configurations) in try ExperimentRunner.check(experiment) {
                    print("\(algorithm): \(configurations) configuration(s) × \(experiment.seeds.count) seed(s)")
                    total += configurations * experiment.seeds.count
                }
                print("\(experiment.name): \(total) validation or test run(s) planned; the file is valid")
                return
            }
            let base = try results ?? ResultStore.defaultFolder(for: experiment, file: file ?? "<default experiment>")
            let protocols = experiment.protocolExperiments
            var failed = false
            var sections: [String] = []
            var pages: [(leaderboard: Leaderboard, page: String, notApplicable: [String])] = []
            for (index, sub) in protocols.enumerated() {
                // The main protocol's results go to the folder; each further protocol's to a folder of its split's name in it.
                let folder = index == 0 ? base : (base as NSString).appendingPathComponent(sub.split.name)
                if protocols.count > 1 { note("protocol \(index + 1) of \(protocols.count): \(sub.split.description) → \(folder)") }
                let (leaderboard, notApplicable, failures) = try runProtocol(sub, folder: folder)
                let markdown = leaderboard?.markdown
                if let leaderboard { pages.append((leaderboard, index == 0 ? "leaderboard.html" : sub.split.name + "/leaderboard.html", notApplicable)) }
                for line in notApplicable { note(line) }
                failed = failed || !failures.isEmpty
                sections.append("## \(Leaderboard.escapeMarkdown(sub.split.description))\n\n" + (markdown ?? "No finished test run.\n")
                                + notApplicable.map { "\n- \(Leaderboard.escapeMarkdown($0))" }.joined() + (notApplicable.isEmpty ? "" : "\n"))
            }
            if protocols.count > 1 {
                let page = "# \(Leaderboard.escapeMarkdown(experiment.name)): every protocol\n\n" + sections.joined(separator: "\n")
                try AtomicFile.write(page, to: (base as NSString).appendingPathComponent("protocols.md"))
                try AtomicFile.write(LeaderboardPage.protocols(experiment: experiment.name, sections: pages),
                                     to: (base as NSString).appendingPathComponent("protocols.html"))
                note("every protocol's leaderboard: \((base as NSString).appendingPathComponent("protocols.md")) and protocols.html")
            }
            if failed { throw ExitCode(1) }
        }
    }

    /// Runs one protocol's experiment into `folder`, prints its leaderboard and writes its files;
    /// returns the leaderboard's Markdown, the algorithms it did not apply to, and the failures.
    func runProtocol(_ experiment: Experiment, folder: String) throws -> (leaderboard: Leaderboard?, notApplicable: [String], failures: [String]) {
        let store = try ResultStore(directory: folder)
        let display = ProgressDisplay(interactive: isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] != "true")
        let started = ContinuousClock.now
        let options = RunOptions(jobs: jobs, shard: try parsedShard(), fresh: fresh, reuseStale: reuseStale)
        let outcome = try ExperimentRunner.run(experiment, store: store, options: options,
                                               progress: { display.show($0, selection: experiment.selection.name) })
        display.finish()
        for line in outcome.notes { note(line) }
        if !outcome.waiting.isEmpty {
            note("waiting for validation runs of other shards: \(outcome.waiting.joined(separator: ", ")); run `recbench run` without --shard once all shards are done")
        }
        if !outcome.claimedElsewhere.isEmpty {
            note("left to processes of other hosts: \(outcome.claimedElsewhere.joined(separator: "; ")); run `recbench run` again once they finish")
        }
        // The leaderboard of this run's experiment identity; records of other identities are stale.
        let contents = try ResultFolder.read(folder)
        let records = contents.records.filter { $0.experimentIdentity == outcome.identity }
        FolderReport.report(stale: contents.groups.filter { $0.identity != outcome.identity }, unreadable: contents.unreadable)
        let leaderboard = Leaderboard(records: records)
        var shown: Leaderboard?
        if !leaderboard.rows.isEmpty {
            try LeaderboardFiles.write(leaderboard, records: records, to: folder)
            print(leaderboard.markdown)
            shown = leaderboard
            note("results: \(folder) (\(records.count) run records of experiment identity \(outcome.identity); leaderboard.md, leaderboard.json, leaderboard.html); \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s")
        }
        for failure in outcome.failures { note("failed: \(failure)") }
        return (shown, outcome.notApplicable, outcome.failures)
    }
}

/// A progress bar with elapsed time and ETA on a terminal; plain log lines otherwise (or with CI=true).
final class ProgressDisplay: Sendable {
    let interactive: Bool
    private let state = Mutex<(start: ContinuousClock.Instant, phase: String, drawn: Bool)>((ContinuousClock.now, "", false))

    init(interactive: Bool) { self.interactive = interactive }

    func show(_ event: ExperimentProgress, selection: String) {
        state.withLock { state in
            switch event {
            case let .planned(phase, pending, finished, _):
                state.start = ContinuousClock.now
                state.phase = phase.rawValue
                if pending > 0 || finished > 0 {
                    if state.drawn { FileHandle.standardError.write(Data("\n".utf8)); state.drawn = false }
                    note("\(phase.rawValue): \(pending) run(s) to do, \(finished) already done")
                }
            case let .finished(run, record, done, pending):
                let elapsed = (ContinuousClock.now - state.start).seconds
                let eta = done > 0 ? elapsed / Double(done) * Double(pending - done) : 0
                if interactive {
                    let width = 30, filled = pending > 0 ? width * done / pending : width
                    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    let line = "\r\(state.phase) [\(bar)] \(done)/\(pending)  elapsed \(Self.clock(elapsed))  ETA \(Self.clock(eta))  \(run.spec.name)"
                    FileHandle.standardError.write(Data((line.padding(toLength: 110, withPad: " ", startingAt: 0)).utf8))
                    state.drawn = true
                } else {
                    let value = record.mean(selection).map { String(format: "%.4f", $0) } ?? "-"
                    note("[\(done)/\(pending)] \(run.phase.rawValue) \(run.spec.name) \(run.algorithm.label) seed \(run.seed): \(selection) \(value), "
                         + String(format: "fit %.2f s, evaluate %.2f s", record.timings.fit, record.timings.evaluate)
                         + "; elapsed \(Self.clock(elapsed)), ETA \(Self.clock(eta))")
                }
            case .failed(_, let error):
                if state.drawn { FileHandle.standardError.write(Data("\n".utf8)); state.drawn = false }
                note("failed: \(error)")
            case .notice(let text):
                if state.drawn { FileHandle.standardError.write(Data("\n".utf8)); state.drawn = false }
                note(text)
            }
        }
    }

    func finish() {
        state.withLock { state in
            if state.drawn { FileHandle.standardError.write(Data("\n".utf8)); state.drawn = false }
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%02d:%02d", s / 60, s % 60)
    }
}
