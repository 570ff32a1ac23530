import Foundation

/// A ranking of algorithms built from the test runs in a results folder.
///
/// Each row is one algorithm (its selected configuration; the most recently run one when the
/// folder holds several), with every metric's mean over the
/// fit seeds and its bootstrap 95% interval (of the first seed's run), and a paired two-sided
/// Wilcoxon signed-rank test of its per-user selection metric (averaged over seeds) against
/// the leader's.
public struct Leaderboard: Codable, Sendable, Equatable {
    /// One algorithm's line.
    public struct Row: Codable, Sendable, Equatable {
        public var rank: Int
        public var algorithm: String
        public var label: String
        public var parameters: [String: ParameterValue]
        public var seeds: [UInt64]
        /// Mean over seeds of each metric.
        public var metrics: [String: Double]
        /// Bootstrap interval of each metric (first seed's run).
        public var intervals: [String: [Double]]
        public var fitSeconds: Double
        public var evaluateSeconds: Double
        /// Difference of the selection metric from the leader (0 for the leader).
        public var difference: Double
        /// Wilcoxon p-value against the leader (nil for the leader or without per-user values).
        public var pValue: Double?
        /// Whether the difference from the leader is significant at 0.05.
        public var significant: Bool?
    }

    public var experiment: String
    public var dataset: String
    public var split: String
    public var selection: String
    /// The metrics in the order of the first record.
    public var metricNames: [String]
    public var users: Int
    public var rows: [Row]

    /// Significance level of the marks.
    public static let level = 0.05

    /// Builds the leaderboard of `records`' test runs (of one experiment; the first one found
    /// when several are mixed), ranked by `metric` (default: the records' selection metric).
    public init(records: [RunRecord], metric: String? = nil) {
        let tests = records.filter { $0.phase == .test }
        let experimentName = tests.first?.experiment ?? ""
        let mine = tests.filter { $0.experiment == experimentName }
        let selection = metric ?? mine.first?.selection ?? "NDCG@10"
        experiment = experimentName
        dataset = mine.first.map { "\($0.dataset.name) (sha256 \($0.dataset.sha256.prefix(12)))" } ?? ""
        split = mine.first.map { "\($0.split.description), seed \($0.splitSeed)" } ?? ""
        self.selection = selection
        metricNames = mine.first?.metrics.map(\.metric) ?? []
        users = mine.first?.evaluatedUsers ?? 0
        var byAlgorithm: [String: [RunRecord]] = [:]
        for record in mine { byAlgorithm[record.algorithmName, default: []].append(record) }
        var unranked: [(row: Row, perUser: [Double]?)] = []
        for (name, group) in byAlgorithm {
            // A folder may keep the test runs of an earlier configuration of the same algorithm
            // (the experiment file changed since): the most recent configuration's runs count.
            let latest = group.max { $0.environment.date < $1.environment.date }!.algorithm
            let runs = group.filter { $0.algorithm == latest }.sorted { $0.seed < $1.seed }
            var means: [String: Double] = [:]
            for metricName in metricNames {
                let values = runs.compactMap { $0.mean(metricName) }
                if !values.isEmpty { means[metricName] = values.reduce(0, +) / Double(values.count) }
            }
            var intervals: [String: [Double]] = [:]
            for summary in runs[0].metrics { intervals[summary.metric] = [summary.lower, summary.upper] }
            var perUser: [Double]?
            if let first = runs[0].perUser, runs[0].selection == selection, runs.allSatisfy({ $0.perUser?.count == first.count }) {
                perUser = (0..<first.count).map { u in runs.reduce(0) { $0 + $1.perUser![u] } / Double(runs.count) }
            }
            let row = Row(rank: 0, algorithm: name, label: runs[0].label, parameters: runs[0].parameters, seeds: runs.map(\.seed),
                          metrics: means, intervals: intervals,
                          fitSeconds: runs.reduce(0) { $0 + $1.timings.fit } / Double(runs.count),
                          evaluateSeconds: runs.reduce(0) { $0 + $1.timings.evaluate } / Double(runs.count),
                          difference: 0, pValue: nil, significant: nil)
            unranked.append((row, perUser))
        }
        unranked.sort { ($0.row.metrics[selection] ?? -.infinity, $1.row.algorithm) > ($1.row.metrics[selection] ?? -.infinity, $0.row.algorithm) }
        var rows: [Row] = []
        let leader = unranked.first
        for (index, entry) in unranked.enumerated() {
            var row = entry.row
            row.rank = index + 1
            row.difference = (row.metrics[selection] ?? 0) - (leader?.row.metrics[selection] ?? 0)
            if index > 0, let mine = entry.perUser, let theirs = leader?.perUser, mine.count == theirs.count {
                let p = PairedComparison(mine, theirs).wilcoxonPValue
                row.pValue = p
                row.significant = p < Self.level
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// The Markdown table, with a heading and a footnote on what ± and "significant" mean.
    public var markdown: String {
        var out = "### \(experiment): \(dataset), \(split); ranked by \(selection)\n\n"
        let shown = metricNames
        out += "| # | algorithm | " + shown.joined(separator: " | ") + " | fit s | Δ \(selection) vs #1 | p (Wilcoxon) | significant |\n"
        out += "|---|---|" + shown.map { _ in "---|" }.joined() + "---|---|---|---|\n"
        for row in rows {
            var cells = ["\(row.rank)", Self.escapeMarkdown(row.algorithm)]
            for name in shown {
                guard let mean = row.metrics[name] else { cells.append(""); continue }
                if let interval = row.intervals[name], interval.count == 2, interval[1] > interval[0] {
                    cells.append(String(format: "%.4f ± %.4f", mean, (interval[1] - interval[0]) / 2))
                } else {
                    cells.append(String(format: "%.4f", mean))
                }
            }
            cells.append(String(format: "%.2f", row.fitSeconds))
            cells.append(row.rank == 1 ? "leader" : String(format: "%+.4f", row.difference))
            cells.append(row.pValue.map { $0 < 0.0001 ? "<0.0001" : String(format: "%.4f", $0) } ?? "")
            cells.append(row.significant.map { $0 ? "yes" : "no" } ?? "")
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n\(users) users; ± is half the 95% bootstrap interval; significant: paired two-sided Wilcoxon signed-rank test on per-user \(selection) against #1, p < \(Self.level). Configurations: "
        out += rows.map { "\(Self.escapeMarkdown($0.algorithm)) = \(Self.escapeMarkdown($0.label))" }.joined(separator: "; ") + ".\n"
        return out
    }

    /// Escapes the characters that would break a Markdown table cell.
    static func escapeMarkdown(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
