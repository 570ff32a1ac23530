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
    @Option(name: .customLong("start"),
            help: ArgumentHelp("movielens, tsv, events: first Unix second of the timestamps (default: 1104537600).", valueName: "start"))
    var givenStart: Int64?
    @Option(name: .customLong("end"),
            help: ArgumentHelp("movielens, tsv, events: one past the last Unix second of the timestamps (default: 1230768000).", valueName: "end"))
    var givenEnd: Int64?
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Output format: \(SyntheticFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: SyntheticFormat = .audioscrobbler
    @Option(help: "The file to write.") var out: String

    /// The formats that write timestamps.
    static let timedFormats: [SyntheticFormat] = [.movielens, .tsv, .events]

    func validate() throws {
        try refusingInapplicableOptions { () throws(InapplicableOptions) in
            let extra = (givenStart == nil ? [] : ["--start"]) + (givenEnd == nil ? [] : ["--end"])
            guard extra.isEmpty || Self.timedFormats.contains(format) else {
                throw InapplicableOptions(options: extra, context: "the format \(format.rawValue) (it writes no timestamps)",
                                          applicable: ["--users", "--items", "--interactions", "--zipf", "--activity-sigma", "--seed"])
            }
        }
    }

    func run() throws {
        try reportingErrors {
            let configuration = SyntheticConfiguration(users: users, items: items, interactions: interactions, zipfExponent: zipf,
                                                       activitySigma: activitySigma, startTime: givenStart ?? SyntheticConfiguration().startTime,
                                                       endTime: givenEnd ?? SyntheticConfiguration().endTime, seed: seed)
            let clock = ContinuousClock.now
            let lines = try SyntheticGenerator(configuration).write(to: out, format: format)
            note("wrote \(lines) lines to \(out) in \(String(format: "%.2f", (ContinuousClock.now - clock).seconds)) s")
        }
    }
}
