import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
import RecBenchExperiments

/// The leaderboard files of a results folder: `leaderboard.md`, `leaderboard.json` and
/// `leaderboard.html`, as `recbench run` and `recbench leaderboard` write them.
public enum LeaderboardFiles {
    /// The files' names, in the order they are written.
    public static let names = ["leaderboard.md", "leaderboard.json", "leaderboard.html"]

    /// Writes the Markdown table, the JSON (pretty, sorted keys: the format `recbench check`
    /// reads as a baseline) and the HTML page of `leaderboard` into `folder`, each atomically.
    ///
    /// - Parameters:
    ///   - leaderboard: the leaderboard to write.
    ///   - records: the folder's records of the leaderboard's experiment identity (the page's
    ///     sweep charts read their validation runs).
    ///   - folder: the results folder (created if needed).
    /// - Throws: ``ResultError/writeFailed(path:reason:)`` naming the file that could not be
    ///   written; an encoding failure of the JSON as it is.
    public static func write(_ leaderboard: Leaderboard, records: [RunRecord], to folder: String) throws {
        try AtomicFile.write(leaderboard.markdown, to: folder + "/leaderboard.md")
        try AtomicFile.write(JSONEncoder.records.encode(leaderboard), to: folder + "/leaderboard.json")
        try AtomicFile.write(LeaderboardPage.html(leaderboard, records: records), to: folder + "/leaderboard.html")
    }
}
