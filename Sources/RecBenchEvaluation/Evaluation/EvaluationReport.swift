import Foundation
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// The result of one evaluation: means with bootstrap confidence intervals, per-user values,
/// beyond-accuracy figures, and the rankings for run files.
public struct EvaluationReport: Codable, Sendable {
    /// One metric's mean over the evaluated users, with its 95% bootstrap interval.
    public struct Summary: Codable, Sendable, Equatable {
        public var metric: String
        public var mean: Double
        public var lower: Double
        public var upper: Double
    }

    /// The model's name.
    public var model: String
    /// The dataset's name.
    public var dataset: String
    /// The split method, in words.
    public var split: String
    /// Which items each ranking covered.
    public var candidateSet: String
    /// How many users were evaluated (means are over them).
    public var evaluatedUsers: Int
    /// The metrics' means, in configuration order.
    public var summaries: [Summary]
    /// Catalogue coverage, mean popularity, novelty and Gini of the top-k lists (k = largest cutoff).
    public var beyondAccuracy: [String: Double]
    /// Seconds spent ranking and measuring.
    public var seconds: Double
    /// Remarks the reader must see (sampled metrics, excluded users, …).
    public var notes: [String]
    /// The evaluated users, in the order of the per-user values.
    public var users: [Int32]
    /// Per-user values: metric name → one value per evaluated user.
    public var perUser: [String: [Double]]
    /// Ranked items per user (`depth` each; −1 where the candidate set ran out).
    public var rankings: [Int32]
    /// Their scores.
    public var rankingScores: [Float]
    /// Ranked items kept per user.
    public var depth: Int
    /// The rating predictions' counts (how many fell back, how many were clipped), when rating
    /// metrics were measured.
    public var ratingPredictions: RatingPredictionCounts?
    /// Under the new-item protocol, for a model with no information on items without training
    /// interactions: what ranked them instead (``ColdStart``), and for how many users; nil when
    /// the model scored every user itself.
    public var fallback: ColdStart.Fallback?
    /// The per-user metrics by activity bucket (users' training interactions, items'
    /// popularity), when the configuration asks for buckets; nil otherwise and in reports
    /// written before buckets existed.
    public var buckets: BucketBreakdown?

    /// The mean of `metric`, or `nil` when it was not measured.
    public func mean(_ metric: Metric) -> Double? { summaries.first { $0.metric == metric.name }?.mean }

    /// The report of per-user `values` (one column of `split.evaluatedUsers.count` values per
    /// per-user metric of `configuration`, in order); list metrics are measured here on `rankings`.
    package init(model: String, split: Split, configuration: EvaluationConfiguration, values: [Double],
         rankings: [Int32], rankingScores: [Float], depth: Int, seconds: Double) {
        let n = split.evaluatedUsers.count
        let metrics = configuration.metrics
        self.model = model
        self.dataset = split.datasetName
        self.split = split.method.description
        if let candidates = split.candidateItems {
            self.candidateSet = "the \(candidates.count) held-out items (new-item protocol)"
        } else if split.foldIn != nil {
            self.candidateSet = "all items except the user's fold-in items (new-user protocol)"
        } else {
            self.candidateSet = configuration.candidates.description
        }
        self.evaluatedUsers = n
        self.users = split.evaluatedUsers
        self.rankings = rankings
        self.rankingScores = rankingScores
        self.depth = depth
        self.seconds = seconds
        // Column of each per-user metric, in configuration order.
        var columns: [Int?] = []
        var perUserCount = 0
        for metric in metrics {
            if metric.definition is any PerUserMetric { columns.append(perUserCount); perUserCount += 1 } else { columns.append(nil) }
        }
        var perUser: [String: [Double]] = [:]
        for (metric, column) in zip(metrics, columns) {
            if let m = column { perUser[metric.name] = Array(values[(m * n)..<((m + 1) * n)]) }
        }
        self.perUser = perUser
        let intervals = Bootstrap.intervals(values: values, metrics: perUserCount, users: n,
                                            resamples: configuration.bootstrapResamples, seed: configuration.bootstrapSeed,
                                            threads: configuration.threads)
        let lists = RecommendationLists(rankings: rankings, depth: depth, popularity: split.train.columnLengths, userCount: split.train.rowCount)
        summaries = zip(metrics, columns).map { metric, column in
            guard let m = column else {
                // One value over every list: no per-user values, so no interval.
                let value = (metric.definition as? any ListMetric)?.value(over: lists) ?? 0
                return Summary(metric: metric.name, mean: value, lower: value, upper: value)
            }
            let values = values[(m * n)..<((m + 1) * n)]
            let mean = n == 0 ? 0 : values.reduce(0, +) / Double(n)
            return Summary(metric: metric.name, mean: mean, lower: intervals[m].0, upper: intervals[m].1)
        }
        var notes: [String] = []
        if case .sampled = configuration.candidates {
            notes.append("sampled metrics are not comparable with full-ranking metrics (Krichene and Rendle, KDD 2020)")
        }
        for (reason, count) in split.report.excluded.sorted(by: { $0.key < $1.key }) { notes.append("\(count) user(s) excluded: \(reason)") }
        self.notes = notes
        let k = metrics.compactMap(\.cutoff).max() ?? depth
        beyondAccuracy = BeyondAccuracy.measure(rankings: rankings, depth: depth, cutoff: min(k, depth), train: split.train)
    }
}

/// Percentile bootstrap over users, resampled with replacement, seeded per resample.
package enum Bootstrap {
    /// The 2.5% and 97.5% quantiles of each metric's mean over `resamples` resamples of users.
    package static func intervals(values: [Double], metrics: Int, users n: Int, resamples: Int, seed: UInt64, threads: Int) -> [(Double, Double)] {
        guard resamples > 0, n > 0, metrics > 0 else {
            return (0..<metrics).map { m in
                let mean = n == 0 ? 0 : values[(m * n)..<((m + 1) * n)].reduce(0, +) / Double(n)
                return (mean, mean)
            }
        }
        var means = [Double](repeating: 0, count: resamples * metrics)
        means.withUnsafeMutableBufferPointer { buffer in
            let out = SendableMutablePointer(buffer.baseAddress!)
            values.withUnsafeBufferPointer { valueBuffer in
                let source = SendablePointer(valueBuffer.baseAddress!)
                Parallel.forEachRange(count: resamples, pieces: 16, threads: threads) { range in
                    var sums = [Double](repeating: 0, count: metrics)
                    for r in range {
                        var rng = SeededGenerator(seed: seed, stream: UInt64(r))
                        for m in 0..<metrics { sums[m] = 0 }
                        for _ in 0..<n {
                            let u = rng.nextInt(below: n)
                            for m in 0..<metrics { sums[m] += source.pointer[m * n + u] }
                        }
                        for m in 0..<metrics { out.pointer[r * metrics + m] = sums[m] / Double(n) }
                    }
                }
            }
        }
        return (0..<metrics).map { m in
            let sorted = (0..<resamples).map { means[$0 * metrics + m] }.sorted()
            func quantile(_ q: Double) -> Double {
                let position = q * Double(resamples - 1)
                let low = Int(position.rounded(.down)), high = min(low + 1, resamples - 1)
                return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
            }
            return (quantile(0.025), quantile(0.975))
        }
    }
}
