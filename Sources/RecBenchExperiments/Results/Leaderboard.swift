import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// A ranking of algorithms built from the test runs in a results folder.
///
/// It ranks the runs of one experiment identity (``RunRecord/experimentIdentity``: the same
/// data, preparation, split, validation and metrics), never a mix. Each row is one algorithm
/// (its selected configuration; the most recently run one when the folder holds several, and
/// for each seed its most recent run), with every metric's mean over the
/// fit seeds and its bootstrap 95% interval (of the first seed's run), and a paired two-sided
/// Wilcoxon signed-rank test of its per-user selection metric (averaged over seeds) against
/// the leader's. Rows are ordered by the selection metric's direction: descending for a
/// higher-is-better metric, ascending for a lower-is-better one.
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
        /// Under the new-item protocol, what ranked the candidates in this model's place (it has
        /// no information on items without training interactions); nil when the model did.
        public var fallback: String?
        /// The selection metric by activity bucket (first seed's run); nil without buckets.
        public var buckets: BucketBreakdown?

        /// Creates a value from each stored property (the memberwise initialiser, visible to the package).
        package init(rank: Int, algorithm: String, label: String, parameters: [String: ParameterValue], seeds: [UInt64], metrics: [String: Double], intervals: [String: [Double]], fitSeconds: Double, evaluateSeconds: Double, difference: Double, pValue: Double? = nil, significant: Bool? = nil,
                     buckets: BucketBreakdown? = nil) {
            self.buckets = buckets
            self.rank = rank
            self.algorithm = algorithm
            self.label = label
            self.parameters = parameters
            self.seeds = seeds
            self.metrics = metrics
            self.intervals = intervals
            self.fitSeconds = fitSeconds
            self.evaluateSeconds = evaluateSeconds
            self.difference = difference
            self.pValue = pValue
            self.significant = significant
        }
    }

    public var experiment: String
    /// The experiment identity of the runs ranked (nil in leaderboards written before it existed).
    public var identity: String?
    public var dataset: String
    public var split: String
    public var selection: String
    /// The metrics in the order of the first record.
    public var metricNames: [String]
    public var users: Int
    public var rows: [Row]
    /// The metrics among ``metricNames`` (and the selection) for which lower is better; `nil`
    /// when there is none (and in leaderboards written before directions were recorded: then
    /// ``direction(of:)`` asks ``Metric``).
    public var lowerIsBetter: [String]?

    /// The direction of the metric named `name` in this leaderboard.
    public func direction(of name: String) -> MetricDirection {
        guard let lowerIsBetter else { return Metric.direction(ofName: name) }
        return lowerIsBetter.contains(name) ? .lowerIsBetter : .higherIsBetter
    }

    /// The selection metric's direction.
    public var selectionDirection: MetricDirection { direction(of: selection) }

    /// Significance level of the marks.
    public static let level = 0.05

    /// Builds the leaderboard of `records`' test runs of one experiment identity (the newest
    /// one when several are mixed: ``ResultFolder/select(identity:)`` chooses another and lists
    /// the rest), ranked by `metric` (default: the records' selection metric) in its direction.
    ///
    /// - Parameter direction: each metric's direction by name; by default ``Metric``'s
    ///   (a name that is no built-in metric counts as higher-is-better).
    public init(records: [RunRecord], metric: String? = nil,
                direction: (String) -> MetricDirection = { Metric.direction(ofName: $0) }) {
        let chosen = (try? ResultFolder.select(ResultFolder.groups(of: records), identity: nil, folder: ""))?.chosen
        let mine = (chosen?.records ?? []).filter { $0.phase == .test }.sorted { $0.id < $1.id }
        let selection = metric ?? mine.first?.selection ?? "NDCG@10"
        // The title: the experiment name of the most recent run.
        experiment = mine.max { $0.environment.instant < $1.environment.instant }?.experiment ?? ""
        identity = chosen?.identity
        dataset = mine.first.map { "\($0.dataset.name) (sha256 \($0.dataset.sha256.prefix(12)))" } ?? ""
        split = mine.first.map { "\($0.split.description), seed \($0.splitSeed)" } ?? ""
        self.selection = selection
        metricNames = mine.first?.metrics.map(\.metric) ?? []
        users = mine.first?.evaluatedUsers ?? 0
        let lower = (metricNames + [selection]).filter { direction($0) == .lowerIsBetter }
        lowerIsBetter = lower.isEmpty ? nil : Array(Set(lower)).sorted()
        let order = direction(selection)
        var byAlgorithm: [String: [RunRecord]] = [:]
        for record in mine { byAlgorithm[record.algorithmName, default: []].append(record) }
        var unranked: [(row: Row, perUser: [Double]?)] = []
        for (name, group) in byAlgorithm {
            // A folder may keep the test runs of an earlier configuration of the same algorithm
            // (the experiment file changed since): the most recent configuration's runs count.
            let latest = group.max { $0.environment.instant < $1.environment.instant }!.algorithm
            // One run per seed: the most recent (a record copied in from another machine may repeat one).
            var bySeed: [UInt64: RunRecord] = [:]
            for run in group where run.algorithm == latest {
                if let kept = bySeed[run.seed], kept.environment.instant >= run.environment.instant { continue }
                bySeed[run.seed] = run
            }
            let runs = bySeed.values.sorted { $0.seed < $1.seed }
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
                          difference: 0, pValue: nil, significant: nil, buckets: runs[0].buckets?.restricted(to: [selection]))
            var withFallback = row
            withFallback.fallback = runs[0].fallback.map { "\($0.fallback), \($0.users) users" }
            unranked.append((withFallback, perUser))
        }
        // Best first in the metric's direction (a missing value last), then by name.
        unranked.sort {
            (order.oriented($0.row.metrics[selection] ?? order.worst), $1.row.algorithm)
                > (order.oriented($1.row.metrics[selection] ?? order.worst), $0.row.algorithm)
        }
        var rows: [Row] = []
        let leader = unranked.first
        for (index, entry) in unranked.enumerated() {
            var row = entry.row
            row.rank = index + 1
            row.difference = (row.metrics[selection] ?? 0) - (leader?.row.metrics[selection] ?? 0)
            if index > 0, let mine = entry.perUser, let theirs = leader?.perUser, mine.count == theirs.count {
                let p = PairedComparison(mine, theirs, direction: order).wilcoxonPValue
                row.pValue = p
                row.significant = p < Self.level
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// The Markdown table, with a heading and a footnote on what ± and "significant" mean.
    public var markdown: String {
        let e = Self.escapeMarkdown
        // Names from files and configurations are escaped; the split's description and the
        // p-values are RecBench's own text and stay readable on a terminal.
        var out = "### \(e(experiment)): \(e(dataset)), \(split); ranked by \(e(selection))\n\n"
        let shown = metricNames
        out += "| # | algorithm | " + shown.map(e).joined(separator: " | ") + " | fit s | Δ \(e(selection)) vs #1 | p (Wilcoxon) | significant |\n"
        out += "|---|---|" + shown.map { _ in "---|" }.joined() + "---|---|---|---|\n"
        for row in rows {
            var cells = ["\(row.rank)", Self.escapeMarkdown(row.algorithm) + (row.fallback == nil ? "" : " (fallback ‡)")]
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
            cells.append(row.pValue.map { Self.formatPValue($0) } ?? "")
            cells.append(row.significant.map { $0 ? "yes" : "no" } ?? "")
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        if Metric(name: selection)?.definition is any RatingMetric {
            // Pooled over every held-out rating: no per-user values, so no interval and no paired test.
            out += "\n\(e(selection)) is pooled over all held-out ratings (docs/metrics.md): no per-user values, so no interval and no paired test"
        } else {
            out += "\n\(users) users; ± is half the 95% bootstrap interval; significant: paired two-sided Wilcoxon signed-rank test on per-user \(e(selection)) against #1, p < \(Self.level)"
        }
        if let identity { out += "; experiment identity \(e(identity))" }
        let fallbacks = rows.filter { $0.fallback != nil }
        if !fallbacks.isEmpty {
            out += ". ‡ No information on items without training interactions: "
                + fallbacks.map { "\(e($0.algorithm)) ranked by \(e($0.fallback!))" }.joined(separator: "; ")
        }
        out += ". Configurations: "
        out += rows.map { "\(Self.escapeMarkdown($0.algorithm)) = \(Self.escapeMarkdown($0.label))" }.joined(separator: "; ") + ".\n"
        return out
    }

    /// A p-value as both the Markdown and the HTML tables show it: four decimals, or `<0.0001`.
    public static func formatPValue(_ p: Double) -> String {
        p.isNaN ? "undefined" : p < 0.0001 ? "<0.0001" : String(format: "%.4f", p)
    }

    /// Text from data or configuration as literal Markdown (GitHub-flavoured) inside a table cell
    /// or heading: `&`, `<`, `>` become entities (no raw HTML); the characters that format, link
    /// or end a cell (`\\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~`, `#`, `$`, `!`) get a backslash;
    /// line breaks and other control characters become spaces.
    public static func escapeMarkdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "$", "!":
                out += "\\"
                out.unicodeScalars.append(scalar)
            default:
                if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
