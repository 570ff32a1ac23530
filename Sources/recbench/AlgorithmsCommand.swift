import ArgumentParser
import RecBench

/// `recbench algorithms`: the built-in algorithm types and their hyperparameters.
struct AlgorithmsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "algorithms",
        abstract: "List the algorithm types with each hyperparameter's domain, default and meaning (Markdown).",
        discussion: "The names are those of experiment files (type = \"als\", factors = 64) and of `evaluate --param name=value`.")

    func run() throws {
        print(Algorithm.documentationTable(), terminator: "")
    }
}
