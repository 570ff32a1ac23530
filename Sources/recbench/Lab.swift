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

    @Option(help: "The model grid: first (1st edition: first model + rank {10,50} x lambda {1, 1e-4} x alpha {1, 40}, 10 iterations) or second (2nd edition, 20 iterations).")
    var preset: Preset = .first

    @Option(help: "Seed of the 90/10 split.")
    var splitSeed: UInt64 = 54321

    @Option(help: "How many negative-sampling seeds to average the sampled AUC over.")
    var negativeSeeds: Int = 5

    @Flag(help: "Print the table as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let directory = data ?? DatasetCatalog.searchPaths(for: "audioscrobbler-sample").first(where: DatasetCatalog.isDirectory) ?? "datasets/audioscrobbler-sample"
            let source = DatasetSource.audioscrobbler(try AudioscrobblerOptions(directory: directory, fullAliases: true))
            let dataset = try Preparation().apply(to: DatasetLoader.load(source, name: (directory as NSString).lastPathComponent))
            guard negativeSeeds > 0 else { throw ValidationError("--negative-seeds must be positive.") }
            let report = try CourseLab.run(dataset, models: preset == .first ? LabModel.firstEdition : LabModel.secondEdition,
                                           policy: policy, splitSeed: splitSeed, negativeSeeds: (1...negativeSeeds).map(UInt64.init))
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(report), as: UTF8.self))
                return
            }
            print("\(report.dataset): \(report.users) users; 90/10 random split, seed \(report.splitSeed); unknown artists: \(report.policy.rawValue)")
            print("held-out rows \(report.heldOutRows), of which \(report.unknownHeldOutRows) are artists absent from training; AUC ceiling \(String(format: "%.3f", report.aucCeiling))")
            print("model                          published  sampled AUC (min-max over \(report.negativeSeeds.count) seeds)  full AUC  NDCG@10")
            for row in report.rows {
                let published = row.publishedAUC.map { String(format: "%.4f", $0) } ?? "   -  "
                print(row.model.padding(toLength: 30, withPad: " ", startingAt: 0) + " " + published
                      + String(format: "     %.4f (%.4f-%.4f)                 %.4f    %.4f", row.sampledAUC, row.sampledAUCMin, row.sampledAUCMax, row.fullAUC, row.ndcg10))
            }
        }
    }
}
