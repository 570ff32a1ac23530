import ArgumentParser
import Foundation
import RecBench

/// The split methods a user can name on the command line.
enum SplitChoice: String, ExpressibleByArgument, CaseIterable {
    case leaveOneOut = "leave-one-out", leaveKOut = "leave-k-out", holdout, random, temporal, temporalUser = "temporal-user"
}

/// The options of ``SplitOptions`` by their command-line name.
enum SplitOption: String, CaseIterable {
    case selection, k, fraction, minimum, seed

    /// The option as typed: `--k`.
    var flag: String { "--" + rawValue }
}

extension SplitChoice {
    /// The options this split uses; any other option given with it is a usage error.
    ///
    /// `--seed` is listed where the split draws random numbers; a command that also seeds
    /// sampled negatives with it accepts it for every split (``SplitOptions/checkSeedApplies(drawsNegatives:)``).
    func options(selection: HoldoutSelection) -> [SplitOption] {
        switch self {
        case .leaveOneOut: return [.selection, .minimum] + (selection == .random ? [.seed] : [])
        case .leaveKOut: return [.selection, .k, .minimum] + (selection == .random ? [.seed] : [])
        case .holdout: return [.fraction, .minimum, .seed]
        case .random: return [.fraction, .seed]
        case .temporal: return [.fraction]
        case .temporalUser: return [.fraction, .minimum]
        }
    }
}

/// Options that choose a split, shared by `split` and `evaluate`.
///
/// Every option is optional, so that one given explicitly, even with its default value, can be
/// told from one left out: an option the chosen split does not use is a usage error, never ignored.
struct SplitOptions: ParsableArguments {
    @Option(name: .customLong("split"),
            help: ArgumentHelp("The split: \(SplitChoice.allCases.map(\.rawValue).joined(separator: ", ")) (default: leave-one-out).", valueName: "split"))
    var chosenSplit: SplitChoice?

    @Option(name: .customLong("selection"),
            help: ArgumentHelp("leave-one-out, leave-k-out: which interactions are held out, latest (needs timestamps) or random (default: random).",
                               valueName: "selection"))
    var givenSelection: HoldoutSelection?

    @Option(name: .customLong("k"), help: ArgumentHelp("leave-k-out: interactions held out per user (default: 1).", valueName: "k"))
    var givenK: Int?

    @Option(name: .customLong("fraction"),
            help: ArgumentHelp("holdout, random, temporal, temporal-user: the test fraction (default: 0.2).", valueName: "fraction"))
    var givenFraction: Double?

    @Option(name: .customLong("minimum"),
            help: ArgumentHelp("leave-one-out, leave-k-out, holdout, temporal-user: users with fewer interactions stay in train and are not evaluated (default: 2).",
                               valueName: "minimum"))
    var givenMinimum: Int?

    @Option(name: .customLong("seed"),
            help: ArgumentHelp("Seed of the split's random choices (random selections, holdout, random) and of sampled negatives (default: 42).",
                               valueName: "seed"))
    var givenSeed: UInt64?

    /// The chosen split (leave-one-out when none is given).
    var split: SplitChoice { chosenSplit ?? .leaveOneOut }
    /// Which interactions leave-one/k-out holds out (random when none is given).
    var selection: HoldoutSelection { givenSelection ?? .random }
    /// k of leave-k-out (1 when none is given).
    var k: Int { givenK ?? 1 }
    /// The test fraction (0.2 when none is given).
    var fraction: Double { givenFraction ?? 0.2 }
    /// The fewest interactions a user needs to be split (2 when none is given).
    var minimum: Int { givenMinimum ?? 2 }
    /// The seed (42 when none is given).
    var seed: UInt64 { givenSeed ?? 42 }

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

    /// The options given on the command line (whatever their value).
    var given: [SplitOption] {
        SplitOption.allCases.filter { option in
            switch option {
            case .selection: return givenSelection != nil
            case .k: return givenK != nil
            case .fraction: return givenFraction != nil
            case .minimum: return givenMinimum != nil
            case .seed: return givenSeed != nil
            }
        }
    }

    /// Every option given on the command line, `--split` included, as typed.
    var givenFlags: [String] { (chosenSplit == nil ? [] : ["--split"]) + given.map(\.flag) }

    /// Throws when an option other than `--seed` was given that the chosen split does not use.
    func checkThatOptionsApply() throws(InapplicableOptions) {
        let applicable = split.options(selection: selection)
        let extra = given.filter { $0 != .seed && !applicable.contains($0) }
        guard extra.isEmpty else {
            throw InapplicableOptions(options: extra.map(\.flag), context: "the split \(split.rawValue)", applicable: applicable.map(\.flag))
        }
    }

    /// Throws when `--seed` was given and nothing draws from it: neither the split nor, when
    /// `drawsNegatives` is false, sampled negatives.
    func checkSeedApplies(drawsNegatives: Bool) throws(InapplicableOptions) {
        let applicable = split.options(selection: selection)
        guard givenSeed == nil || drawsNegatives || applicable.contains(.seed) else {
            let what = split == .leaveOneOut || split == .leaveKOut ? "the split \(split.rawValue) with --selection latest" : "the split \(split.rawValue)"
            throw InapplicableOptions(options: ["--seed"], context: what + " without sampled negatives (the split draws no random numbers)",
                                      applicable: applicable.map(\.flag))
        }
    }

    func validate() throws {
        try refusingInapplicableOptions(checkThatOptionsApply)
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

    func validate() throws {
        try refusingInapplicableOptions { () throws(InapplicableOptions) in
            try splitting.checkSeedApplies(drawsNegatives: sampledNegatives > 0)
        }
    }

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


extension Evaluate {
    /// Throws when an option was given that this evaluation would ignore: with `--run` and
    /// `--qrels`, every option of the split, the algorithm and the in-process evaluation; with
    /// `--split-dir`, the split's options (`--seed` only seeds sampled negatives there); and
    /// `--seed` when neither the split nor sampled negatives draw from it.
    ///
    /// Options that cannot be told from their default (a non-optional property such as
    /// `--bootstrap`, or the dataset options) are not checked here.
    func checkThatOptionsApply() throws(InapplicableOptions) {
        if runFile != nil {
            var extra = splitting.givenFlags + model.givenFlags
            if splitDir != nil { extra.append("--split-dir") }
            if sampledNegatives != 0 { extra.append("--sampled-negatives") }
            if exportRun != nil { extra.append("--export-run") }
            if exportQrels != nil { extra.append("--export-qrels") }
            guard extra.isEmpty else {
                throw InapplicableOptions(options: extra, context: "scoring a run against qrels (--run, --qrels)",
                                          applicable: ["--metrics", "--order", "--complete", "--per-query", "--json"])
            }
            return
        }
        let runOnly = (order == nil ? [] : ["--order"]) + (complete ? ["--complete"] : []) + (perQuery ? ["--per-query"] : [])
        guard runOnly.isEmpty else {
            throw InapplicableOptions(options: runOnly, context: "evaluating a model (they apply to --run and --qrels)", applicable: ["--run", "--qrels"])
        }
        if splitDir != nil {
            let extra = splitting.givenFlags.filter { $0 != "--seed" || sampledNegatives == 0 }
            guard extra.isEmpty else {
                throw InapplicableOptions(options: extra, context: "a split read from --split-dir (it was made by `recbench split`)",
                                          applicable: ["--seed (with --sampled-negatives)"])
            }
        } else {
            try splitting.checkSeedApplies(drawsNegatives: sampledNegatives > 0)
        }
    }
}
