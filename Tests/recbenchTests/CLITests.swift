import Foundation
import Testing
@testable import RecBench

/// Runs the built `recbench` executable and captures what it prints.
struct CLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `recbench` binary built beside this test bundle.
    static let binary: URL = {
        let directory = Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return directory.appendingPathComponent("recbench")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = binary
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A temporary folder removed when released.
final class Scratch {
    let path = NSTemporaryDirectory() + "recbench-cli-" + UUID().uuidString
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }
}

@Suite("recbench CLI", .serialized)
struct CLITests {
    @Test func statsJSONOnTheEmbeddedDefaultHasTheExpectedCounts() throws {
        let output = try CLI.run(["stats", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        #expect(object["users"] as? Int == 1_892)
        #expect(object["items"] as? Int == 17_632)
        #expect(object["interactions"] as? Int == 92_834)
    }

    @Test func noArgumentsRunsTheDefaultExperimentAndPrintsItsLeaderboard() throws {
        let scratch = Scratch()
        let output = try CLI.run([], environment: ["CI": "true"], in: scratch.path)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("### default: lastfm-2k"))
        for name in ["Popularity", "Random", "ItemKNN-cosine", "ItemKNN-BM25", "ALS", "BPR", "EASE", "Mult-DAE", "Mult-VAE"] {
            #expect(output.stdout.contains("| \(name) |"), "\(name)")
        }
        // It says what the preparation pruned, and keeps one record per run.
        #expect(output.stderr.contains("items 17632 -> 2828"))
        let records = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/results/default").filter { $0.hasPrefix("test-") }
        #expect(records.count == 9)
    }

    @Test func statsPrintsTheDefaultDatasetTable() throws {
        let output = try CLI.run(["stats"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("lastfm-2k"))
        #expect(output.stdout.contains("92,834"))
        #expect(output.stdout.contains("Lady Gaga"))
    }

    @Test func plotsAreWritten() throws {
        let scratch = Scratch()
        let output = try CLI.run(["stats", "audioscrobbler-sample", "--plot", scratch.path])
        #expect(output.status == 0)
        for file in ["item-popularity.svg", "user-activity.svg"] {
            let text = try String(contentsOfFile: scratch.path + "/" + file, encoding: .utf8)
            #expect(text.hasPrefix("<svg"))
        }
    }

    @Test func malformedLineExitsWithTwoAndNamesFileAndLine() throws {
        let scratch = Scratch()
        let file = scratch.write("user_artist_data.txt", "1 2 3\n1 x 3\n")
        let output = try CLI.run(["stats", file])
        #expect(output.status == 2)
        #expect(output.stderr == "error: \(file):2: the artist id 'x' is not a non-negative integer\n")
        #expect(output.stdout.isEmpty)
    }

    @Test func missingFileExitsWithTwo() throws {
        let output = try CLI.run(["stats", "/nonexistent/user_artist_data.txt"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("/nonexistent/user_artist_data.txt: no such file"))
    }

    @Test func directoryAsAFileExitsWithTwo() throws {
        let scratch = Scratch()
        let output = try CLI.run(["stats", scratch.path, "--format", "audioscrobbler"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("expected user_artist_data.txt"))
        let forced = try CLI.run(["stats", scratch.path, "--format", "delimited"])
        #expect(forced.status == 2)
        #expect(forced.stderr.contains("is a directory, not a file"))
    }

    @Test func unknownColumnExitsWithTwo() throws {
        let scratch = Scratch()
        let file = scratch.write("plays.tsv", "user\tsong\tplays\na\tb\t1\n")
        let output = try CLI.run(["stats", file, "--format", "delimited", "--header", "--user-column", "user",
                                  "--item-column", "track", "--value-column", "plays"])
        #expect(output.status == 2)
        #expect(output.stderr.contains(":1: no column named 'track'"))
    }

    @Test func generatedFileRoundTripsThroughStats() throws {
        let scratch = Scratch()
        let file = scratch.path + "/user_artist_data.txt"
        let generated = try CLI.run(["generate", "--users", "200", "--items", "1000", "--interactions", "4000", "--seed", "3", "--out", file])
        #expect(generated.status == 0)
        let output = try CLI.run(["stats", file, "--json", "--cache", "always", "--cache-dir", scratch.path + "/cache"])
        #expect(output.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        #expect(object["users"] as? Int == 200)
        let again = try CLI.run(["stats", file, "--json", "--cache", "always", "--cache-dir", scratch.path + "/cache"])
        #expect(again.stdout == output.stdout)
    }

    @Test func eventLogsAggregate() throws {
        let scratch = Scratch()
        let file = scratch.write("events.tsv", "u\ta\t10\nu\ta\t20\nv\ta\t5\n")
        let output = try CLI.run(["stats", file, "--format", "events", "--time-column", "2", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        #expect(object["interactions"] as? Int == 2)
        #expect(object["timestamped"] as? Int == 2)
    }

    @Test func downloadWithoutNetworkUsesALocalArchiveAndChecksIt() throws {
        let scratch = Scratch()
        let bogus = scratch.write("bogus.zip", "not a zip")
        let output = try CLI.run(["download", "movielens-100k", "--archive", bogus, "--dir", scratch.path + "/d"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("md5 is"))
    }

    @Test func splitWritesFilesThatEvaluateReadsBack() throws {
        let scratch = Scratch()
        let split = try CLI.run(["split", "lastfm-2k", "--split", "holdout", "--fraction", "0.2", "--seed", "3", "--out", scratch.path + "/s"])
        #expect(split.status == 0, "\(split.stderr)")
        #expect(split.stdout.contains("evaluated users: "))
        for file in ["train.tsv", "test.tsv", "split.json"] { #expect(FileManager.default.fileExists(atPath: scratch.path + "/s/" + file)) }
        let direct = try CLI.run(["evaluate", "lastfm-2k", "--split", "holdout", "--fraction", "0.2", "--seed", "3",
                                  "--metrics", "P@10", "NDCG@10", "--bootstrap", "0", "--json"])
        let fromFiles = try CLI.run(["evaluate", "--split-dir", scratch.path + "/s", "--metrics", "P@10", "NDCG@10", "--bootstrap", "0", "--json"])
        #expect(direct.status == 0 && fromFiles.status == 0, "\(direct.stderr) \(fromFiles.stderr)")
        func means(_ text: String) throws -> [String: Double] {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            let summaries = object["summaries"] as! [[String: Any]]
            return Dictionary(uniqueKeysWithValues: summaries.map { ($0["metric"] as! String, $0["mean"] as! Double) })
        }
        let a = try means(direct.stdout), b = try means(fromFiles.stdout)
        #expect(a["P@10"] != nil && abs(a["P@10"]! - b["P@10"]!) < 1e-12 && abs(a["NDCG@10"]! - b["NDCG@10"]!) < 1e-12)
    }

    @Test func exportedRunScoresTheSameThroughTheImport() throws {
        let scratch = Scratch()
        let run = scratch.path + "/run.txt", qrels = scratch.path + "/qrels.txt"
        let evaluated = try CLI.run(["evaluate", "audioscrobbler-sample", "--split", "random", "--fraction", "0.1", "--seed", "54321",
                                     "--metrics", "P@10", "MAP@10", "--bootstrap", "0", "--export-run", run, "--export-qrels", qrels, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let imported = try CLI.run(["evaluate", "--run", run, "--qrels", qrels, "--metrics", "P@10", "MAP@10", "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let summaries = (try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as! [String: Any])["summaries"] as! [[String: Any]]
        let result = try JSONDecoder().decode(TrecEvaluation.Result.self, from: Data(imported.stdout.utf8))
        #expect(result.queries == (try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as! [String: Any])["evaluatedUsers"] as? Int)
        for summary in summaries {
            #expect(abs((summary["mean"] as! Double) - result.metrics[summary["metric"] as! String]!) < 1e-12)
        }
    }

    @Test func unknownMetricIsAUsageError() throws {
        let output = try CLI.run(["evaluate", "--metrics", "XYZ@10"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("unknown metric 'XYZ@10'"))
    }

    @Test func timeSplitWithoutTimestampsExitsWithTwo() throws {
        let output = try CLI.run(["split", "lastfm-2k", "--split", "temporal", "--out", NSTemporaryDirectory() + "never"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("needs a timestamp on every interaction"))
    }

    @Test func badOptionValueIsAUsageError() throws {
        let output = try CLI.run(["stats", "--top=-3"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--top must be 0 or more"))
    }
}

import ArgumentParser
@testable import recbench

@Suite("Options that do not apply are errors", .serialized)
struct InapplicableOptionTests {
    @Test func algorithmOptionTheAlgorithmDoesNotUseExitsWithTwo() throws {
        let output = try CLI.run(["evaluate", "--algorithm", "ease", "--factors", "32"])
        #expect(output.status == 2)
        #expect(output.stderr == "error: --factors does not apply to the algorithm ease (it takes --regularization); remove it\n")
        #expect(output.stdout.isEmpty)
        // Given with its default value, it is still refused; so are the fit's seed for a
        // deterministic fit and CG steps with the Cholesky solver, in every command with these options.
        for arguments in [["evaluate", "--algorithm", "ease", "--factors", "64"], ["evaluate", "--fit-seed", "1"],
                          ["evaluate", "--algorithm", "item-knn", "--k1", "1.2"],
                          ["evaluate", "--algorithm", "als", "--solver", "cholesky", "--cg-steps", "3"],
                          ["bench", "fit", "--split-dir", "/nonexistent", "--algorithm", "bpr", "--layers", "200"]] {
            let refused = try CLI.run(arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.hasPrefix("error: --") && refused.stderr.contains("does not apply to"), "\(arguments): \(refused.stderr)")
        }
    }

    @Test func splitOptionTheSplitDoesNotUseExitsWithTwo() throws {
        let scratch = Scratch()
        let output = try CLI.run(["split", "lastfm-2k", "--k", "3", "--split", "temporal-user", "--out", scratch.path + "/s"])
        #expect(output.status == 2)
        #expect(output.stderr == "error: --k does not apply to the split temporal-user (it takes --fraction, --minimum); remove it\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/s"))
        for arguments in [["evaluate", "--split", "temporal-user", "--k", "1"], ["evaluate", "--split", "holdout", "--selection", "random"],
                          ["split", "--split", "random", "--minimum", "2", "--out", scratch.path + "/t"],
                          ["split", "--split", "temporal", "--seed", "42", "--out", scratch.path + "/t"],
                          ["split", "--selection", "latest", "--seed", "1", "--out", scratch.path + "/t"],
                          ["split", "--fraction", "0.2", "--out", scratch.path + "/t"]] {
            let refused = try CLI.run(arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains("does not apply to the split"), "\(arguments): \(refused.stderr)")
        }
        // --seed also seeds sampled negatives: with them it applies to a split that draws nothing.
        let negatives = try CLI.run(["split", "lastfm-2k", "--split", "temporal", "--seed", "3", "--sampled-negatives", "5",
                                     "--out", scratch.path + "/u"])
        #expect(!negatives.stderr.contains("does not apply"))
        #expect(negatives.stderr.contains("needs a timestamp on every interaction"))
    }

    @Test func labAndGenerateRefuseOptionsTheyWouldIgnore() throws {
        let scratch = Scratch()
        for arguments in [["lab", "--runs-only", "--preset", "first", "--run", scratch.path + "/run.txt"], ["lab", "--runs-only"],
                          ["lab", "--runs-only", "--random", "--run", scratch.path + "/run.txt"],
                          ["generate", "--start", "0", "--out", scratch.path + "/g.txt"],
                          ["generate", "--format", "lastfm", "--end", "2000000000", "--out", scratch.path + "/g.txt"]] {
            let refused = try CLI.run(arguments)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains("not apply to"), "\(arguments): \(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/g.txt"))
        let timed = try CLI.run(["generate", "--format", "tsv", "--users", "5", "--items", "20", "--interactions", "20",
                                 "--start", "0", "--end", "100", "--out", scratch.path + "/g.tsv"])
        #expect(timed.status == 0, "\(timed.stderr)")
    }

    @Test func evaluateRefusesOptionsItsModeIgnores() throws {
        func refused(_ arguments: [String]) throws -> InapplicableOptions? {
            let evaluate = try Evaluate.parse(arguments)
            do { try evaluate.checkThatOptionsApply(); return nil } catch { return error }
        }
        let run = try refused(["--run", "r.txt", "--qrels", "q.txt", "--algorithm", "als", "--seed", "42", "--export-run", "x"])
        #expect(run?.options == ["--seed", "--algorithm", "--export-run"])
        #expect(try refused(["--run", "r.txt", "--qrels", "q.txt", "--metrics", "P@10", "--json"]) == nil)
        #expect(try refused(["--split-dir", "d", "--split", "holdout"])?.options == ["--split"])
        #expect(try refused(["--split-dir", "d", "--seed", "3"])?.options == ["--seed"])
        #expect(try refused(["--split-dir", "d", "--seed", "3", "--sampled-negatives", "10"]) == nil)
        #expect(try refused(["--split", "temporal", "--seed", "3"])?.options == ["--seed"])
        #expect(try refused(["--split", "temporal", "--seed", "3", "--sampled-negatives", "10"]) == nil)
        #expect(try refused(["--split", "holdout", "--seed", "3", "--fraction", "0.2", "--minimum", "2"]) == nil)
    }

    @Test func unsetOptionsKeepTheirDefaults() throws {
        let split = try SplitOptions.parse([])
        #expect(try split.method == .leaveOneOut(selection: .random, minimum: 2) && split.seed == 42 && split.given.isEmpty)
        let kOut = try SplitOptions.parse(["--split", "leave-k-out"])
        #expect(try kOut.method == .leaveKOut(k: 1, selection: .random, minimum: 2))
        let model = try AlgorithmOptions.parse([])
        #expect(try model.configuration() == .popularity(PopularityConfiguration()) && model.fitSeed == 1)
        let als = try AlgorithmOptions.parse(["--algorithm", "als"])
        #expect(try als.configuration() == .als(ALSConfiguration()))
        let help = RecBenchCommand.helpMessage(for: Evaluate.self, columns: 1_000)
        for shown in ["(default: leave-one-out)", "(default: 42)", "(default: popularity)", "(default 1)"] { #expect(help.contains(shown), "\(shown)") }
    }

    @Test func everyAlgorithmOptionSetsAHyperparameterItsAlgorithmDeclares() {
        // The parameters the command line has no alias for, on purpose (`--param` sets them).
        let withoutOption: [String: Set<String>] = ["popularity": ["measure"], "plays": ["measure"],
            "item-knn": ["weighting", "k1", "b"], "tfidf": ["weighting", "k1", "b"], "bm25": ["weighting"], "ease": ["max_items"],
            "als": ["compute_loss"], "bpr": ["blocks"], "vae": ["anneal_steps"],
            "svd": ["biased", "init_mean", "init_std", "lr_bu", "lr_bi", "lr_pu", "lr_qi", "reg_bu", "reg_bi", "reg_pu", "reg_qi"],
            "svdpp": ["init_mean", "init_std", "lr_bu", "lr_bi", "lr_pu", "lr_qi", "lr_yj", "reg_bu", "reg_bi", "reg_pu", "reg_qi", "reg_yj"],
            "nmf": ["biased", "reg_pu", "reg_qi", "reg_bu", "reg_bi", "lr_bu", "lr_bi", "init_low", "init_high"],
            "co-clustering": ["user_clusters", "item_clusters", "truncate_ratings"],
            // Rating k-NN and baselines: SGD's regularization and learning_rate (and pearson_baseline's
            // shrinkage) mean nothing under the defaults, so their aliases are not offered.
            "baseline": ["method", "reg_u", "reg_i", "regularization", "learning_rate"],
            "knn-basic": ["k", "min_k", "user_based", "min_support", "shrinkage", "method", "epochs", "reg_u", "reg_i", "regularization", "learning_rate"],
            "knn-means": ["k", "min_k", "user_based", "min_support", "shrinkage", "method", "epochs", "reg_u", "reg_i", "regularization", "learning_rate"],
            "knn-baseline": ["k", "min_k", "user_based", "min_support", "shrinkage", "method", "reg_u", "reg_i", "regularization", "learning_rate"],
            "content-knn": ["weighting", "k1", "b", "sublinear_tf", "user_weights"],
            "lightfm": ["loss", "schedule", "rho", "epsilon", "item_alpha", "user_alpha", "max_sampled", "item_identity"]]
        // Every built-in type is a choice; the three shorthands preset one of them.
        #expect(Set(AlgorithmChoice.allCases.map(\.rawValue)) == Set(Algorithm.typeNames + ["plays", "tfidf", "bm25"]))
        for choice in AlgorithmChoice.allCases {
            let (type, fixed) = choice.preset
            let declared = Set(type.hyperparameters.map(\.name))
            let set = Set(choice.options.compactMap(\.parameter))
            #expect(set.isSubset(of: declared), "\(choice): \(set.subtracting(declared))")
            #expect(Set(fixed.keys).isSubset(of: declared))
            // A type with no alias flags (one added since) is set with --param only.
            if !set.isEmpty { #expect(declared.subtracting(set) == withoutOption[choice.rawValue, default: []], "\(choice)") }
        }
    }

    @Test func anOptionMeaningfulOnlyUnderAnotherGivenSettingIsAccepted() throws {
        // --shrinkage belongs to pearson_baseline: refused with the default similarity, taken with it.
        let shrunk = try AlgorithmOptions.parse(["--algorithm", "knn-basic", "--similarity", "pearson_baseline", "--shrinkage", "50"])
        try shrunk.checkThatOptionsApply()
        guard case .knnBasic(let c) = try shrunk.configuration() else { Issue.record("not knn-basic"); return }
        #expect(c.neighborhood.similarity == .pearsonBaseline && c.neighborhood.shrinkage == 50)
        // (parse validates: a refused option fails it.)
        #expect(throws: (any Error).self) { try AlgorithmOptions.parse(["--algorithm", "knn-basic", "--shrinkage", "50"]) }
        // SGD's step through its alias once --param method=sgd is given.
        let sgd = try AlgorithmOptions.parse(["--algorithm", "baseline", "--param", "method=sgd", "--learning-rate", "0.01"])
        try sgd.checkThatOptionsApply()
        guard case .baseline(let b) = try sgd.configuration() else { Issue.record("not baseline"); return }
        #expect(b.baseline.method == .sgd && b.baseline.learningRate == 0.01 && b.baseline.epochs == 20)
        #expect(throws: (any Error).self) { try AlgorithmOptions.parse(["--algorithm", "baseline", "--learning-rate", "0.01"]) }
    }

    @Test func helpNamesOnlyOptionsThatExist() throws {
        // Each command with its path below `recbench` ("evaluate", "bench evaluate").
        func commands(_ command: ParsableCommand.Type, path: String) -> [(String, ParsableCommand.Type)] {
            [(path, command)] + command.configuration.subcommands.flatMap {
                commands($0, path: path.isEmpty ? $0._commandName : path + " " + $0._commandName)
            }
        }
        func options(in text: Substring) -> Set<String> {
            Set(text.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
        }
        var defined: [String: Set<String>] = [:], helps: [String: String] = [:]
        for (name, command) in commands(RecBenchCommand.self, path: "") {
            let help = RecBenchCommand.helpMessage(for: command, columns: 1_000)
            helps[name] = help
            // An option's own line starts with its names and value ("-h, --help", "--k <k>"), then its help.
            defined[name] = help.split(separator: "\n").reduce(into: Set<String>()) { found, line in
                let label = line.split(separator: " ").prefix { $0.hasPrefix("-") || $0.hasPrefix("<") }
                found.formUnion(label.flatMap { options(in: $0) })
            }
        }
        #expect(defined["evaluate"]?.contains("--fit-seed") == true && defined["split"]?.contains("--k") == true)
        for (name, help) in helps {
            var mentioned = options(in: help[...])
            // "`evaluate --sampled-negatives`", "`recbench leaderboard DIR --json`" name another command's options.
            for match in help.matches(of: /`(?:recbench )?([a-z]+)([^`]*)`/) where defined[String(match.output.1)] != nil {
                for option in options(in: match.output.2) {
                    #expect(defined[String(match.output.1)]?.contains(option) == true, "\(name): \(match.output.0)")
                    mentioned.remove(option)
                }
            }
            let unknown = mentioned.subtracting(defined[name, default: []])
            #expect(unknown.isEmpty, "recbench \(name) --help names \(unknown.sorted())")
        }
    }
}

@Suite("CPU check")
struct CPUCheckTests {
    @Test func aBinaryBuiltForAVX512RefusesAnAVX2CPUWithAdvice() throws {
        let message = try #require(CPUCheck.problem(builtFor: "avx512", available: "avx2", brand: "Test CPU"))
        #expect(message.contains("built for AVX512"))
        #expect(message.contains("(Test CPU) offers only AVX2"))
        #expect(message.contains("RECBENCH_VECTOR=avx2 swift build -c release"))
    }

    @Test func matchingOrBetterCPUsPass() {
        #expect(CPUCheck.problem(builtFor: "avx2", available: "avx512", brand: "") == nil)
        #expect(CPUCheck.problem(builtFor: "avx512", available: "avx512", brand: "") == nil)
        #expect(CPUCheck.problem(builtFor: "baseline", available: "baseline", brand: "") == nil)
        #expect(CPUCheck.problem(builtFor: "avx2", available: "baseline", brand: "") != nil)
    }

    @Test func thisMachineCanRunWhatItBuilt() {
        #expect(CPUCheck.problem() == nil)
        #expect(["baseline", "avx2", "avx512"].contains(CPUCheck.available))
    }
}

@Suite("Examples")
struct ExampleTests {
    @Test func customAlgorithmRunsThroughTheSameSplitAndEvaluator() throws {
        let process = Process()
        process.executableURL = CLI.binary.deletingLastPathComponent().appendingPathComponent("CustomAlgorithm")
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.split(separator: "\n")
        let custom = try #require(lines.first { $0.hasPrefix("CoOccurrence") })
        let popularity = try #require(lines.first { $0.hasPrefix("Popularity") })
        // The last four columns are P@10, R@10, NDCG@10 and AUC.
        let values = { (line: Substring) in line.split(separator: " ").suffix(4).compactMap { Double($0) } }
        #expect(values(custom).count == 4 && values(popularity).count == 4)
        #expect(values(custom).allSatisfy { (0...1).contains($0) })
        #expect(text.contains("Wilcoxon p ="))
    }
}

@Suite("Hyperparameters on the command line", .serialized)
struct ParamOptionTests {
    @Test func paramSetsAnyDeclaredHyperparameterAndTheFlagsAreItsAliases() throws {
        let byParam = try AlgorithmOptions.parse(["--algorithm", "bpr", "--param", "factors=32", "--param", "blocks=2", "--param", "learning_rate=0.05"])
        #expect(try byParam.configuration() == .bpr(BPRConfiguration(factors: 32, learningRate: 0.05, blocks: 2)))
        let byAlias = try AlgorithmOptions.parse(["--algorithm", "bpr", "--factors", "32", "--learning-rate", "0.05", "--param", "blocks=2"])
        #expect(try byAlias.configuration() == byParam.configuration())
        let bm25 = try AlgorithmOptions.parse(["--algorithm", "bm25", "--param", "k1=2"])
        #expect(try bm25.configuration() == .itemKNN(ItemKNNConfiguration(weighting: .bm25(k1: 2, b: 0.75), similarity: .dotProduct)))
    }

    @Test func aBadParamIsATypedErrorWithExitCodeTwo() throws {
        for (arguments, words) in [(["--param", "factors=8"], "popularity has no parameter 'factors'"),
                                   (["--algorithm", "als", "--param", "factors=257"], "als: factors = 257 is outside its allowed range (1…256)"),
                                   (["--algorithm", "als", "--param", "factors=many"], "als: factors must be an integer"),
                                   (["--algorithm", "als", "--param", "factors"], "name=value"),
                                   (["--algorithm", "tfidf", "--param", "weighting=bm25"], "which sets weighting = tfidf"),
                                   (["--algorithm", "item-knn", "--param", "k1=2"], "k1 would be ignored")] {
            let output = try CLI.run(["evaluate"] + arguments)
            #expect(output.status == 2, "\(arguments)")
            #expect(output.stderr.contains(words), "\(arguments): \(output.stderr)")
        }
    }

    @Test func algorithmsPrintsTheGeneratedTable() throws {
        let output = try CLI.run(["algorithms"])
        #expect(output.status == 0)
        #expect(output.stdout == Algorithm.documentationTable())
    }
}
