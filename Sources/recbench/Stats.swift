import ArgumentParser
import Foundation
import RecBench

/// `recbench stats`: describes a dataset.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a dataset: size, density, activity, values, long tail and top items.")

    @OptionGroup var data: DatasetOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Write SVG plots (item popularity, user activity) into this folder.")
    var plot: String?

    @Option(help: "How many of the most popular items to list.")
    var top: Int = 10

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more, got \(top).") }
    }

    func run() throws {
        try reportingErrors {
            var trace = DatasetLoader.Trace()
            let dataset = try data.load(trace: &trace)
            let statistics = DatasetStatistics(dataset, top: top)
            if let plot {
                try FileManager.default.createDirectory(atPath: plot, withIntermediateDirectories: true)
                try StatisticsPlots.popularityCurve(dataset).write(toFile: plot + "/item-popularity.svg", atomically: true, encoding: .utf8)
                try StatisticsPlots.activityHistogram(dataset).write(toFile: plot + "/user-activity.svg", atomically: true, encoding: .utf8)
                note("wrote \(plot)/item-popularity.svg and \(plot)/user-activity.svg")
            }
            if json {
                print(try Self.json(statistics))
            } else {
                print(Self.table(statistics, report: dataset.report, trace: trace, featureNotes: dataset.itemFeatures?.notes ?? []))
            }
        }
    }

    /// The statistics as JSON. Encoding never fails: the loaders refuse non-finite values,
    /// and should one reach here anyway it is written as the string "inf", "-inf" or "nan".
    static func json(_ statistics: DatasetStatistics) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(statistics), as: UTF8.self)
    }

    static func table(_ s: DatasetStatistics, report: LoadReport, trace: DatasetLoader.Trace, featureNotes: [String] = []) -> String {
        func n(_ value: Int) -> String { value.formatted(.number.grouping(.automatic)) }
        func d(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? n(Int(value)) : String(format: "%.2f", value) }
        func summary(_ x: DatasetStatistics.Summary) -> String {
            "min \(d(x.min))  q1 \(d(x.q1))  median \(d(x.median))  q3 \(d(x.q3))  max \(d(x.max))  mean \(String(format: "%.2f", x.mean))"
        }
        var lines = [
            "dataset            \(s.name)",
            "users              \(n(s.users))",
            "items              \(n(s.items))",
            "interactions       \(n(s.interactions))",
            "density            \(String(format: "%.6f", s.density))",
            "per user           \(summary(s.interactionsPerUser))",
            "per item           \(summary(s.interactionsPerItem))",
            "values             \(summary(s.values))",
            "top 1% of items    \(String(format: "%.1f%%", 100 * s.top1PercentShare)) of interactions",
            "top 10% of items   \(String(format: "%.1f%%", 100 * s.top10PercentShare)) of interactions",
            "popularity Gini    \(String(format: "%.4f", s.itemPopularityGini))",
            "timestamped        \(n(s.timestamped))",
            "rows read          \(n(report.rowsRead)) (\(n(report.duplicatesMerged)) duplicate pairs merged, \(n(report.aliasesApplied)) aliases applied)",
        ]
        if let f = s.itemFeatures {
            lines.append("item features      \(f.source): \(n(f.features)) features")
            lines.append("items with feature \(n(f.coveredItems)) of \(n(f.items)) (\(String(format: "%.1f%%", 100 * f.coveredShare)))")
            lines.append("features per item  mean \(String(format: "%.2f", f.featuresPerItem.mean))  median \(d(f.featuresPerItem.median))  max \(n(f.featuresPerItem.max)) (over items with features)")
        }
        for line in report.notes + featureNotes { lines.append("note               \(line)") }
        if trace.cache == .hit { lines.append("cache              read in \(String(format: "%.3f", trace.cacheReadSeconds)) s") }
        if !s.topItems.isEmpty {
            lines.append("")
            lines.append("rank  users  total plays  item")
            for (rank, item) in s.topItems.enumerated() {
                lines.append(String(format: "%4d  %5d  %11@  ", rank + 1, item.users, d(item.totalValue)) + "\(item.name) (\(item.id))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
