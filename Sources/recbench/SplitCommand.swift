import ArgumentParser
import Foundation
import RecBench

/// The split parameters that have their own command-line option, by name (the library's
/// ``SplitParameter`` names: `--k` sets `k`).
enum SplitOption: String, CaseIterable {
    case selection, k, fraction, minimum, seed, folds, fold

    /// The option as typed: `--k`.
    var flag: String { "--" + rawValue }
}

/// Options that choose a split, shared by `split` and `evaluate`.
///
/// Every option is optional, so that one given explicitly, even with its default value, can be
/// told from one left out: an option the chosen split does not use is a usage error, never ignored.
/// The split is decoded by the library (``SplitMethod/init(name:parameters:)``) from `--split`
/// and the parameters given.
struct SplitOptions: ParsableArguments {
    /// The splits that take `parameter`, for the help of its option (derived from the rules).
    static func takers(_ parameter: String) -> String { SplitMethod.names(taking: parameter).joined(separator: ", ") }

    @Option(name: .customLong("split"),
            help: ArgumentHelp("The split: \(SplitMethod.names.joined(separator: ", ")) (default: leave-one-out); its parameters may follow as name:parameter=value,…, e.g. new-items:fraction=0.2 or new-users:test_fraction=0.5.", valueName: "split"))
    var chosenSplit: String?

    @Option(name: .customLong("selection"),
            help: ArgumentHelp("\(takers("selection")): which interactions are held out, latest (needs timestamps) or random (default: random).",
                               valueName: "selection"))
    var givenSelection: HoldoutSelection?

    @Option(name: .customLong("k"), help: ArgumentHelp("\(takers("k")): interactions held out per user (default: 1).", valueName: "k"))
    var givenK: Int?

    @Option(name: .customLong("fraction"),
            help: ArgumentHelp("\(takers("fraction")): the test fraction (default: 0.2).", valueName: "fraction"))
    var givenFraction: Double?

    @Option(name: .customLong("minimum"),
            help: ArgumentHelp("\(takers("minimum")): users with fewer interactions stay in train and are not evaluated (default: 2).",
                               valueName: "minimum"))
    var givenMinimum: Int?

    @Option(name: .customLong("seed"),
            help: ArgumentHelp("Seed of the split's random choices (random selections, holdout, random, k-fold) and of sampled negatives (default: 42).",
                               valueName: "seed"))
    var givenSeed: UInt64?

    @Option(name: .customLong("folds"), help: ArgumentHelp("\(takers("folds")): the number of folds, 2...100 (default: 5).", valueName: "folds"))
    var givenFolds: Int?

    @Option(name: .customLong("fold"),
            help: ArgumentHelp("\(takers("fold")): the one fold held out, 1...folds (default for `split`: 1; `evaluate` without it evaluates every fold).",
                               valueName: "fold"))
    var givenFold: Int?

    /// The chosen split's name (leave-one-out when none is given), without the parameters
    /// that `--split name:parameter=value,…` may carry.
    var splitName: String {
        guard let chosenSplit else { return LeaveOneOut.name }
        return (try? SplitMethod.components(of: chosenSplit).name) ?? chosenSplit
    }

    /// The parameters given inside `--split` (`new-items:fraction=0.2`).
    var inlineParameters: [String: String] {
        get throws(SplitError) { try chosenSplit.map { text throws(SplitError) in try SplitMethod.components(of: text).parameters } ?? [:] }
    }
    /// The seed (42 when none is given).
    var seed: UInt64 { givenSeed ?? 42 }

    /// The split parameters given as options, as text.
    var parameters: [String: String] {
        var given: [String: String] = [:]
        given["selection"] = givenSelection?.rawValue
        given["k"] = givenK.map { String($0) }
        given["fraction"] = givenFraction.map { String($0) }
        given["minimum"] = givenMinimum.map { String($0) }
        given["folds"] = givenFolds.map { String($0) }
        given["fold"] = givenFold.map { String($0) }
        return given
    }

    /// The split these options describe, decoded by the library.
    var method: SplitMethod {
        get throws(SplitError) {
            let inline = try inlineParameters
            if let both = inline.keys.sorted().first(where: { parameters[$0] != nil }) {
                throw .malformed(text: chosenSplit ?? "", reason: "'\(both)' is given both in --split and as --\(both)")
            }
            return try SplitMethod(name: splitName, parameters: parameters.merging(inline) { option, _ in option })
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
            case .folds: return givenFolds != nil
            case .fold: return givenFold != nil
            }
        }
    }

    /// The number of folds when every fold of a k-fold split is to be evaluated (`--split k-fold`
    /// without `--fold`), else nil.
    var crossValidationFolds: Int? {
        guard case .kFold(let folds, _)? = try? method, givenFold == nil else { return nil }
        return folds
    }

    /// Every option given on the command line, `--split` included, as typed.
    var givenFlags: [String] { (chosenSplit == nil ? [] : ["--split"]) + given.map(\.flag) }

    /// The options the chosen split reads (its parameters that have an option), and `--seed`
    /// when it draws random numbers with the selection given.
    var applicable: [SplitOption] {
        let names = SplitMethod.ruleType(named: splitName)?.parameters.map(\.name) ?? []
        let draws = (try? method)?.drawsRandomNumbers ?? false
        return SplitOption.allCases.filter { $0 != .seed && names.contains($0.rawValue) } + (draws ? [.seed] : [])
    }

    /// Throws when an option other than `--seed` was given that the chosen split does not use.
    func checkThatOptionsApply() throws(InapplicableOptions) {
        let applicable = applicable
        let extra = given.filter { $0 != .seed && !applicable.contains($0) }
        guard extra.isEmpty else {
            throw InapplicableOptions(options: extra.map(\.flag), context: "the split \(splitName)", applicable: applicable.map(\.flag))
        }
    }

    /// Throws when `--seed` was given and nothing draws from it: neither the split nor, when
    /// `drawsNegatives` is false, sampled negatives.
    func checkSeedApplies(drawsNegatives: Bool) throws(InapplicableOptions) {
        let applicable = applicable
        guard givenSeed == nil || drawsNegatives || applicable.contains(.seed) else {
            let perUser = SplitMethod.ruleType(named: splitName)?.parameters.contains { $0.name == "selection" } ?? false
            let what = perUser ? "the split \(splitName) with --selection latest" : "the split \(splitName)"
            throw InapplicableOptions(options: ["--seed"], context: what + " without sampled negatives (the split draws no random numbers)",
                                      applicable: applicable.map(\.flag))
        }
    }

    /// Refuses an unknown split (before anything else), options the split does not use, and
    /// parameter values the library refuses: usage errors with exit code 2.
    func validate() throws {
        if SplitMethod.ruleType(named: splitName) == nil {
            note("error: \(SplitError.unknownSplit(name: splitName, known: SplitMethod.names))")
            throw ExitCode(2)
        }
        try refusingInapplicableOptions(checkThatOptionsApply)
        do {
            _ = try method
        } catch {
            note("error: \(error)")
            throw ExitCode(2)
        }
    }
}

extension HoldoutSelection: ExpressibleByArgument {}

/// `recbench split`: writes a split's train and test files.
struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Split a dataset and write train.tsv, test.tsv and split.json with raw ids (and foldin.tsv or candidates.tsv for the cold-start protocols).")

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
            let method = try splitting.method
            let split = try data.split(method: method, seed: splitting.seed)
            try SplitFiles.write(split, to: out)
            if sampledNegatives > 0 { try SplitFiles.writeSampledNegatives(split, negatives: sampledNegatives, seed: splitting.seed, to: out) }
            let r = split.report
            print("\(method.description), seed \(splitting.seed)")
            print("train: \(r.train.users) users, \(r.train.items) items, \(r.train.interactions) interactions")
            print("test:  \(r.test.users) users, \(r.test.items) items, \(r.test.interactions) interactions")
            print("evaluated users: \(r.evaluatedUsers)")
            for (reason, count) in r.excluded.sorted(by: { $0.key < $1.key }) { print("excluded: \(count) (\(reason))") }
            print("test interactions with items unseen in train: \(r.testInteractionsWithUnseenItems)")
            var written = ["train.tsv", "test.tsv", "split.json"]
            if let foldIn = split.foldIn {
                print("fold-in: \(foldIn.nonZeroCount) interactions of the held-out users, given at scoring time")
                written.append("foldin.tsv")
            }
            if let candidates = split.candidateItems {
                print("candidates: the \(candidates.count) held-out items")
                written.append("candidates.tsv")
            }
            print("wrote " + written.map { "\(out)/\($0)" }.joined(separator: ", "))
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
            if splitting.crossValidationFolds != nil {
                let extra = (exportRun == nil ? [] : ["--export-run"]) + (exportQrels == nil ? [] : ["--export-qrels"])
                guard extra.isEmpty else {
                    throw InapplicableOptions(options: extra, context: "a cross-validation over every fold (--split k-fold without --fold)",
                                              applicable: ["--fold (to export one fold)"])
                }
            }
        }
    }
}
