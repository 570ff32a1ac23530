import ArgumentParser
import RecBench

/// `recbench metrics`: lists every metric with its direction and what it needs.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "List every metric: its name, whether higher or lower is better, what it needs and how users are combined.",
        discussion: "Names are case-insensitive; k is an integer in 1…\(Metric.maximumCutoff). The definitions are in docs/metrics.md.")

    func run() throws {
        print(Metric.familyTable, terminator: "")
        print("\nDefinitions: docs/metrics.md.")
    }
}
