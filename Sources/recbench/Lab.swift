import ArgumentParser
import Foundation
import RecBench

extension UnknownItemPolicy: ExpressibleByArgument {}

/// `recbench lab`: the course-lab validation of *Advanced Analytics with Spark*, chapter 3.
struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reproduce the course lab's protocol (90/10 random split, sampled AUC, most-listened and ALS) on Audioscrobbler data.",
        discussion: "Without --data, runs on the embedded top-50-user sample with the full alias file.")

    /// Which grid of models to run.
    enum Preset: String, ExpressibleByArgument, CaseIterable { case first, second }

    @Option(help: "A folder with user_artist_data.txt (artist_alias.txt and artist_data.txt optional) or the sample's _small names.")
    var data: String?

    @Option(help: "Held-out artists absent from training: lowest, drop or nan-high.")
    var policy: UnknownItemPolicy = .lowest

    @Option(name: .customLong("preset"),
            help: ArgumentHelp("The model grid: first (1st edition: first model + rank {10,50} x lambda {1, 1e-4} x alpha {1, 40}, 10 iterations) or second (2nd edition, 20 iterations) (default: first).",
                               valueName: "preset"))
    var givenPreset: Preset?

    /// The model grid (the first edition's when none is given).
    var preset: Preset { givenPreset ?? .first }

    @Option(help: "Seed of the 90/10 split.")
    var splitSeed: UInt64 = 54321

    @Option(help: "How many negative-sampling seeds to average the sampled AUC over.")
    var negativeSeeds: Int = 5

    @Flag(help: "Print the table as JSON.")
    var json = false

    @Option(help: "Also compute the 2019 notebook's figure (only 2019 is known): NOT a valid AUC, for graders comparing with that notebook (docs/course-lab.md).")
    var compat: Int?

    @Option(name: .customLong("run"), help: "Another engine's predictions on the lab's split, as a TREC run (user Q0 artist rank score tag; raw ids); repeatable. Scored with the same negatives and policy.")
    var runs: [String] = []

    @Flag(help: "Score only the --run files (no most-listened or ALS rows).")
    var runsOnly = false

    @Flag(help: "Add a row of seeded random scores (the floor; under --compat 2019 it shows what that figure gives chance).")
    var random = false

    @Option(help: "Override the iterations of every ALS model of the grid.")
    var iterations: Int?

    @Option(help: "Full AUC and NDCG@10 rank every artist per user; above this many users they use a seeded sample of this many.")
    var fullMetricUsers: Int = 5000

    func validate() throws {
        if let compat, compat != 2019 { throw ValidationError("--compat takes 2019 (the only notebook version reproduced).") }
        guard negativeSeeds > 0, fullMetricUsers > 0, (iterations ?? 1) >= 0 else { throw ValidationError("--negative-seeds and --full-metric-users must be positive.") }
        try refusingInapplicableOptions(checkThatOptionsApply)
    }

    /// Throws when an option was given that this run would ignore: with `--runs-only` the
    /// options of the built-in rows, and `--runs-only` without a `--run` to score.
    func checkThatOptionsApply() throws(InapplicableOptions) {
        guard runsOnly else { return }
        let extra = (givenPreset == nil ? [] : ["--preset"]) + (iterations == nil ? [] : ["--iterations"]) + (random ? ["--random"] : [])
        guard extra.isEmpty else {
            throw InapplicableOptions(options: extra, context: "--runs-only (no built-in rows are run)", applicable: ["--run"])
        }
        guard !runs.isEmpty else {
            throw InapplicableOptions(options: ["--runs-only"], context: "a lab without --run files (there would be nothing to score)",
                                      applicable: ["--run"])
        }
    }

    func run() throws {
        try reportingErrors {
            let directory = data ?? DatasetCatalog.searchPaths(for: "audioscrobbler-sample").first(where: DatasetCatalog.isDirectory) ?? "datasets/audioscrobbler-sample"
            let source = DatasetSource.audioscrobbler(try AudioscrobblerOptions(directory: directory, fullAliases: true))
            let dataset = try Preparation().apply(to: DatasetLoader.load(source, name: (directory as NSString).lastPathComponent))
            let external = try runs.map { path in
                LabRun(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension, trec: try TrecRun.read(path))
            }
            let grid = (preset == .first ? LabModel.firstEdition : LabModel.secondEdition).map { model -> LabModel in
                guard let iterations, case .als(let rank, let lambda, let alpha, _) = model else { return model }
                return .als(rank: rank, lambda: lambda, alpha: alpha, iterations: iterations)
            }
            let models = runsOnly ? [] : (random ? [LabModel.random] : []) + grid
            let report = try CourseLab.run(dataset, models: models, runs: external, policy: policy, splitSeed: splitSeed,
                                           negativeSeeds: (1...negativeSeeds).map(UInt64.init), compat2019: compat == 2019,
                                           fullMetricUsers: fullMetricUsers)
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(report), as: UTF8.self))
                return
            }
            print("\(report.dataset): \(report.users) users; 90/10 random split, seed \(report.splitSeed); unknown artists: \(report.policy.rawValue)")
            print("held-out rows \(report.heldOutRows), of which \(report.unknownHeldOutRows) are artists absent from training; AUC ceiling \(String(format: "%.3f", report.aucCeiling))")
            if report.fullMetricUsers < report.users {
                print("full AUC and NDCG@10 over a seeded sample of \(report.fullMetricUsers) of \(report.users) users; the sampled AUC over all of them")
            }
            let compatHeader = compat == 2019 ? "  2019 compat (NOT a valid AUC)" : ""
            print("model                          published  sampled AUC (min-max over \(report.negativeSeeds.count) seeds)  full AUC  NDCG@10" + compatHeader)
            for row in report.rows {
                let published = row.publishedAUC.map { String(format: "%.4f", $0) } ?? "   -  "
                print(row.model.padding(toLength: 30, withPad: " ", startingAt: 0) + " " + published
                      + String(format: "     %.4f (%.4f-%.4f)                 %.4f    %.4f", row.sampledAUC, row.sampledAUCMin, row.sampledAUCMax, row.fullAUC, row.ndcg10)
                      + (row.compat2019.map { String(format: "    %.4f", $0) } ?? ""))
            }
            if compat == 2019 {
                print("2019 compat: negatives are the user's own training artists and the binary search assumes ascending scores; it is NOT an AUC (docs/course-lab.md).")
            }
        }
    }
}
