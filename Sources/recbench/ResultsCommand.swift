import ArgumentParser
import RecBench

/// `recbench results`: maintenance of results folders.
struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Maintain results folders.",
        subcommands: [Migrate.self])

    /// `recbench results migrate DIR`: rewrites older records in the current format.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite a folder's format-1 and format-2 run records in the current format, under their new ids (values unchanged).",
            discussion: "Each record is replaced atomically; nothing is written if a record does not decode. Run `recbench leaderboard DIR` afterwards to regenerate the leaderboard files.")

        @Argument(help: "The results folder.")
        var folder: String

        func run() throws {
            try reportingErrors {
                let migration = try ResultStore.migrate(folder)
                for (from, to) in migration.rewritten { print("\(from) → \(to)") }
                print("\(migration.rewritten.count) record(s) migrated, \(migration.unchanged) already in format \(RunRecord.currentFormat)")
            }
        }
    }
}
