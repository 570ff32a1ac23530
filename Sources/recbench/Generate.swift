import ArgumentParser
import Foundation
import RecBench

extension SyntheticFormat: ExpressibleByArgument {}

/// `recbench generate`: writes a seeded synthetic dataset.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a seeded synthetic play-count dataset (Zipf items, log-normal users) in any supported format.",
        discussion: "The dump-sized test file: recbench generate --users 148000 --items 1630000 --interactions 24300000 --out user_artist_data.txt")

    @Option(help: "Number of users.") var users: Int = 1000
    @Option(help: "Number of items.") var items: Int = 5000
    @Option(help: "Target number of distinct (user, item) interactions.") var interactions: Int = 50_000
    @Option(help: "Zipf exponent of item popularity.") var zipf: Double = 1.0
    @Option(help: "Sigma of the log-normal user activity.") var activitySigma: Double = 1.0
    @Option(help: "First Unix second of the timestamps.") var start: Int64 = 1_104_537_600
    @Option(help: "One past the last Unix second of the timestamps.") var end: Int64 = 1_230_768_000
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Output format: \(SyntheticFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: SyntheticFormat = .audioscrobbler
    @Option(help: "The file to write.") var out: String

    func run() throws {
        try reportingErrors {
            let configuration = SyntheticConfiguration(users: users, items: items, interactions: interactions, zipfExponent: zipf,
                                                       activitySigma: activitySigma, startTime: start, endTime: end, seed: seed)
            let clock = ContinuousClock.now
            let lines = try SyntheticGenerator(configuration).write(to: out, format: format)
            note("wrote \(lines) lines to \(out) in \(String(format: "%.2f", (ContinuousClock.now - clock).seconds)) s")
        }
    }
}
