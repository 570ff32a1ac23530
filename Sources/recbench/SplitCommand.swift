import ArgumentParser
import Foundation
import RecBench

/// The split methods a user can name on the command line.
enum SplitChoice: String, ExpressibleByArgument, CaseIterable {
    case leaveOneOut = "leave-one-out", leaveKOut = "leave-k-out", holdout, random, temporal, temporalUser = "temporal-user"
}

/// Options that choose a split, shared by `split` and `evaluate`.
struct SplitOptions: ParsableArguments {
    @Option(help: "The split: \(SplitChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var split: SplitChoice = .leaveOneOut

    @Option(help: "Which interactions leave-one/k-out holds out: latest (needs timestamps) or random.")
    var selection: HoldoutSelection = .random

    @Option(help: "k for leave-k-out and for temporal-user with --last.")
    var k: Int = 1

    @Option(help: "Test fraction for holdout, random and temporal splits.")
    var fraction: Double = 0.2

    @Option(help: "Users with fewer interactions stay in train and are not evaluated.")
    var minimum: Int = 2

    @Option(help: "Seed of the split's random choices.")
    var seed: UInt64 = 42

    var method: SplitMethod {
        switch split {
        case .leaveOneOut: return .leaveOneOut(selection: selection, minimum: max(minimum, 2))
        case .leaveKOut: return .leaveKOut(k: k, selection: selection, minimum: max(minimum, k + 1))
        case .holdout: return .userHoldout(fraction: fraction, minimum: minimum)
        case .random: return .globalRandom(fraction: fraction)
        case .temporal: return .temporalGlobal(.testFraction(fraction))
        case .temporalUser: return .temporalPerUser(.fraction(fraction), minimum: minimum)
        }
    }
}

extension HoldoutSelection: ExpressibleByArgument {}

/// `recbench split`: writes a split's train and test files.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split a dataset and write train.tsv, test.tsv and split.json with raw ids.")

    @OptionGroup var data: DatasetOptions
    @OptionGroup var splitting: SplitOptions

    @Option(help: "The folder to write.")
    var out: String

    @Option(help: "Also write negatives.tsv: this many sampled negatives per evaluated user (seeded by --seed), as `evaluate --sampled-negatives` draws them.")
    var sampledNegatives: Int = 0

    func run() throws {
        try reportingErrors {
            var trace = DatasetLoader.Trace()
            let dataset = try data.load(trace: &trace)
            let split = try Splitter.split(dataset, method: splitting.method, seed: splitting.seed)
            try SplitFiles.write(split, to: out)
            if sampledNegatives > 0 { try SplitFiles.writeSampledNegatives(split, negatives: sampledNegatives, seed: splitting.seed, to: out) }
            let r = split.report
            print("\(splitting.method.description), seed \(splitting.seed)")
            print("train: \(r.train.users) users, \(r.train.items) items, \(r.train.interactions) interactions")
            print("test:  \(r.test.users) users, \(r.test.items) items, \(r.test.interactions) interactions")
            print("evaluated users: \(r.evaluatedUsers)")
            for (reason, count) in r.excluded.sorted(by: { $0.key < $1.key }) { print("excluded: \(count) (\(reason))") }
            print("test interactions with items unseen in train: \(r.testInteractionsWithUnseenItems)")
            print("wrote \(out)/train.tsv, \(out)/test.tsv, \(out)/split.json")
        }
    }
}

