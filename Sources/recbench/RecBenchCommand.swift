import ArgumentParser
import Foundation
import RecBench

/// The `recbench` command: evaluates and benchmarks recommender algorithms.
struct RecBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recbench",
        abstract: "Evaluate and benchmark recommender algorithms on implicit feedback (play counts).",
        discussion: "With no subcommand, runs the default experiment (`run`): every algorithm on the embedded \(DatasetCatalog.defaultName), leaderboard printed.",
        version: RecBenchVersion.string,
        subcommands: [Run.self, LeaderboardCommand.self, AlgorithmsCommand.self, ResultsCommand.self, Check.self, Stats.self, SplitCommand.self, Evaluate.self, MetricsCommand.self, Lab.self, Generate.self, Download.self, Datasets.self, Bench.self],
        defaultSubcommand: Run.self
    )
}

/// Runs `body`, turning errors into a message on standard error and exit code 2.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CocoaError {
        FileHandle.standardError.write(Data(("error: " + (error.localizedDescription) + "\n").utf8))
        throw ExitCode(2)
    } catch {
        // RecBench's errors (DatasetError, SplitError, ExperimentError, AlgorithmError, …) describe
        // themselves with the file, line or key at fault.
        FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
        throw ExitCode(2)
    }
}

/// Prints `text` to standard error.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
