import Foundation
import Testing
import RecBench

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
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
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
        let values = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as! [String: Double]
        for summary in summaries {
            #expect(abs((summary["mean"] as! Double) - values[summary["metric"] as! String]!) < 1e-12)
        }
    }

    @Test func unknownMetricIsAUsageError() throws {
        let output = try CLI.run(["evaluate", "--metrics", "F1@10"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("unknown metric 'F1@10'"))
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

@testable import recbench

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
