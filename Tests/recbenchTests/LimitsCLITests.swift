import Foundation
import Testing
import RecBench

/// The embedded Last.fm 2K, by path (as the other CLI tests name it).
private let lastFM = DatasetCatalog.repositoryRoot + "/datasets/lastfm-2k"

@Suite("recbench limits", .serialized)
struct LimitsCLITests {
    @Test func factorLimitsAreTheSameForEveryAlgorithmOnTheCommandLine() throws {
        // 256 factors: accepted for BPR (it used to be refused, and the library trapped on AUC).
        let accepted = try CLI.run(["evaluate", lastFM, "--min-item", "60", "--algorithm", "bpr", "--factors", "256", "--epochs", "1",
                                    "--metrics", "NDCG@10", "AUC", "--bootstrap", "0"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("AUC"))
        for algorithm in ["als", "bpr"] {
            let refused = try CLI.run(["evaluate", lastFM, "--min-item", "60", "--algorithm", algorithm, "--factors", "257"])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("factors = 257 is outside its allowed range (1…256)"), "\(refused.stderr)")
        }
    }

    @Test func metricCutoffsBeyondTheLimitAreRefusedWithTheLimit() throws {
        for name in ["NDCG@100000000", "NDCG@9223372036854775807"] {
            let output = try CLI.run(["evaluate", lastFM, "--metrics", name])
            #expect(output.status == 64)   // a usage error, like an unknown metric
            #expect(output.stderr.contains("1…100000"), "\(output.stderr)")
        }
    }

    @Test func aHugeGridStopsBeforeAnythingRuns() throws {
        let scratch = Scratch()
        let file = scratch.write("grid.toml", """
        name = "grid"
        [dataset]
        name = "\(lastFM)"
        [[algorithms]]
        type = "vae"
        epochs = { min = 0, max = 100000, steps = 1000 }
        batch_size = { min = 1, max = 100000, steps = 1000 }
        learning_rate = { min = 0.001, max = 1, steps = 1000 }
        regularization = { min = 0, max = 1, steps = 1000 }
        dropout = { min = 0, max = 0.9, steps = 1000 }
        """)
        let output = try CLI.run(["run", file, "--results", scratch.path + "/results"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("grid.toml: 'algorithms[0]': the sweep has 1000000000000000 configurations"), "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/results"))
    }

    /// Runs `arguments` under an address-space rlimit of `kilobytes` (the shell's `ulimit -v`).
    private func runLimited(kilobytes: Int, _ arguments: [String]) throws -> CLI.Output {
        let quoted = ([CLI.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(kilobytes) && exec " + quoted.joined(separator: " ")]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                          stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func easeUnderAnAddressSpaceLimitRefusesAtOnceAndNamesRealOptions() throws {
        // 6,953 items need 12 · 6953² = 580 MB; under a 600 MB rlimit 480 MB are usable. EASE used
        // to run its inverse for over a minute and then abort on an allocation.
        let output = try runLimited(kilobytes: 600_000, ["evaluate", lastFM, "--min-item", "2", "--algorithm", "ease", "--bootstrap", "0"])
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains("EASE needs 0.6 GB of memory for 6953 items, 0.") && output.stderr.contains("GB usable here"),
                "\(output.stderr)")
        // The options it suggests exist.
        #expect(output.stderr.contains("--min-item N") && !output.stderr.contains("--min-item-users"))
        let help = try CLI.run(["evaluate", "--help"])
        #expect(help.stdout.contains("--min-item <"))
    }

    @Test func aWideDAEIsRefusedWithTheFigureBeforeAllocating() throws {
        let output = try runLimited(kilobytes: 4_000_000, ["evaluate", lastFM, "--min-item", "60", "--algorithm", "dae", "--layers", "1000000",
                                                            "--epochs", "1"])
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains("Mult-DAE(1000000, epochs=1, lr=0.001) on 268 items needs 15.7 GB of memory"), "\(output.stderr)")
        #expect(output.stderr.contains("GB usable here"))
    }
}
