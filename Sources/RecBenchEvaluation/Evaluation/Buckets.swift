import Foundation
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// An invalid list of bucket edges.
public enum BucketError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An edge is negative or larger than ``BucketEdges/largestEdge``.
    case edgeOutOfRange(kind: String, edge: Int)
    /// Edges must increase strictly (`previous` then `edge`).
    case notIncreasing(kind: String, previous: Int, edge: Int)
    /// More than ``BucketEdges/maximumCount`` edges.
    case tooManyEdges(kind: String, count: Int)
    /// An edge list that is not a comma-separated list of integers (command line).
    case unreadable(kind: String, text: String)

    public var description: String {
        switch self {
        case .edgeOutOfRange(let kind, let edge):
            return "\(kind) bucket edge \(edge) is out of range: edges are integers in 0…\(BucketEdges.largestEdge)"
        case .notIncreasing(let kind, let previous, let edge):
            return "\(kind) bucket edges must increase: \(edge) follows \(previous)"
        case .tooManyEdges(let kind, let count):
            return "\(count) \(kind) bucket edges: at most \(BucketEdges.maximumCount)"
        case .unreadable(let kind, let text):
            return "\(kind) bucket edges '\(text.prefix(60))' are not integers separated by commas (such as 5,20,100), or 'none'"
        }
    }
}

/// The edges of the activity buckets an evaluation reports its metrics in.
///
/// Edges are inclusive upper bounds of training-interaction counts: edges e₁ < e₂ < … < eₙ make
/// the n + 1 buckets [0, e₁], [e₁ + 1, e₂], …, [eₙ₋₁ + 1, eₙ] and [eₙ + 1, ∞). An empty list
/// reports no buckets of that kind. Definitions: docs/metrics.md, "Buckets".
public struct BucketEdges: Codable, Hashable, Sendable {
    /// Edges of the user buckets (each evaluated user's training interactions, plus fold-in ones under new-users).
    public private(set) var users: [Int]
    /// Edges of the item-popularity buckets (each item's training interactions).
    public private(set) var items: [Int]

    /// The largest edge accepted (a count larger than any dataset's).
    public static let largestEdge = 1_000_000_000
    /// The most edges of one kind.
    public static let maximumCount = 32

    /// Users 1–5, 6–20, 21–100 and more than 100 training interactions (the first bucket, ≤5,
    /// also holds a user with none); items never seen in training (0, cold), 1–10, 11–100 and
    /// more than 100.
    public static let standard = BucketEdges(checkedUsers: [5, 20, 100], items: [0, 10, 100])

    private init(checkedUsers users: [Int], items: [Int]) {
        self.users = users
        self.items = items
    }

    /// Creates edges after checking them.
    ///
    /// - Parameters:
    ///   - users: user-bucket edges, strictly increasing, each in 0…``largestEdge``.
    ///   - items: item-bucket edges, the same way.
    /// - Throws: ``BucketError`` naming the kind and the edge.
    public init(users: [Int], items: [Int]) throws(BucketError) {
        try Self.check(users, kind: "user")
        try Self.check(items, kind: "item")
        self.users = users
        self.items = items
    }

    /// Decodes edges and checks them as ``init(users:items:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(users: container.decode([Int].self, forKey: .users), items: container.decode([Int].self, forKey: .items))
    }

    /// Checks one list of edges.
    ///
    /// - Throws: ``BucketError`` for a negative, too large or non-increasing edge, or too many.
    public static func check(_ edges: [Int], kind: String) throws(BucketError) {
        guard edges.count <= maximumCount else { throw .tooManyEdges(kind: kind, count: edges.count) }
        for (index, edge) in edges.enumerated() {
            guard (0...largestEdge).contains(edge) else { throw .edgeOutOfRange(kind: kind, edge: edge) }
            if index > 0, edge <= edges[index - 1] { throw .notIncreasing(kind: kind, previous: edges[index - 1], edge: edge) }
        }
    }

    /// Reads a command-line edge list: integers separated by commas (`5,20,100`), or `none` (no buckets).
    ///
    /// - Throws: ``BucketError``.
    public static func parse(_ text: String, kind: String) throws(BucketError) -> [Int] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "none" || trimmed.isEmpty { return [] }
        var edges: [Int] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard let edge = Int(part.trimmingCharacters(in: .whitespaces)) else { throw .unreadable(kind: kind, text: text) }
            edges.append(edge)
        }
        try check(edges, kind: kind)
        return edges
    }

    /// The bucket of a count: the index of the first edge it does not exceed, or the edge count.
    ///
    /// - Complexity: O(log edges).
    @inline(__always)
    package static func bucket(of count: Int, edges: [Int]) -> Int {
        var low = 0, high = edges.count
        while low < high { let mid = (low + high) / 2; if edges[mid] < count { low = mid + 1 } else { high = mid } }
        return low
    }

    /// Each bucket's bounds and label (`≤5`, `6–20`, `>100`; `0` for a first edge of 0).
    package static func bounds(_ edges: [Int]) -> [(lower: Int, upper: Int?, label: String)] {
        guard !edges.isEmpty else { return [] }
        var out: [(lower: Int, upper: Int?, label: String)] = []
        for (index, edge) in edges.enumerated() {
            let lower = index == 0 ? 0 : edges[index - 1] + 1
            let label = index == 0 ? (edge == 0 ? "0" : "≤\(edge)") : (lower == edge ? "\(edge)" : "\(lower)–\(edge)")
            out.append((lower, edge, label))
        }
        out.append((edges[edges.count - 1] + 1, nil, ">\(edges[edges.count - 1])"))
        return out
    }
}

/// An evaluation's per-user metrics broken down by activity bucket: by each evaluated user's
/// training-interaction count, and by the training popularity of the items counted relevant.
///
/// - A user bucket's value of a per-user metric is its mean over the evaluated users in the
///   bucket, with the bucket's user count and a percentile bootstrap interval (the report's
///   resamples and seed).
/// - An item bucket's value of a hit metric is the metric computed for each user with only the
///   user's relevant items in that bucket counted relevant (the hits and |T| restricted; the
///   ranking unchanged), averaged over the users with at least one relevant item in the bucket.
///   Metrics that read scores (AUC) are left out of item buckets.
///
/// Definitions: docs/metrics.md, "Buckets".
public struct BucketBreakdown: Codable, Sendable, Equatable {
    /// One bucket's figures.
    public struct Bucket: Codable, Sendable, Equatable {
        /// `≤5`, `6–20`, `>100`, `0`.
        public var label: String
        /// The smallest count in the bucket.
        public var lower: Int
        /// The largest count in the bucket (nil: unbounded).
        public var upper: Int?
        /// The users averaged over (user buckets: the evaluated users in the bucket; item
        /// buckets: those with at least one relevant item in it).
        public var users: Int
        /// Item buckets: the catalogue's items in the bucket (nil for user buckets).
        public var items: Int?
        /// Each metric's mean over ``users`` with its 95% bootstrap interval, in configuration order.
        public var summaries: [EvaluationReport.Summary]

        /// The mean of the metric named `metric`, or nil when it was not measured here.
        public func mean(_ metric: String) -> Double? { summaries.first { $0.metric == metric }?.mean }
    }

    /// The edges the buckets were cut at.
    public var edges: BucketEdges
    /// What a user's count is, in words.
    public var userCount: String
    /// Buckets of users by training interactions.
    public var users: [Bucket]
    /// Buckets of relevant items by training popularity.
    public var items: [Bucket]
    /// The per-user metrics not measured in item buckets (they read scores, not hits).
    public var itemBucketsLeaveOut: [String]

    /// Keeps only the metrics named in `names`.
    public func restricted(to names: [String]) -> BucketBreakdown {
        var copy = self
        func keep(_ bucket: Bucket) -> Bucket {
            var bucket = bucket
            bucket.summaries = bucket.summaries.filter { names.contains($0.metric) }
            return bucket
        }
        copy.users = users.map(keep)
        copy.items = items.map(keep)
        copy.itemBucketsLeaveOut = itemBucketsLeaveOut.filter { names.contains($0) }
        return copy
    }

    /// The breakdown of `report`, the evaluation of `split` under `configuration`.
    ///
    /// - Parameters:
    ///   - report: the report, with its per-user values and rankings (``EvaluationReport/depth``
    ///     ranked items per user, which covers the largest cutoff).
    ///   - split: the split it was ranked on (for a rating task, the one with only the relevant
    ///     held-out entries).
    ///   - edges: the bucket edges.
    ///   - configuration: the metrics, bootstrap resamples, seed and threads.
    /// - Complexity: O(users × depth × (log |T| + item buckets) + items), plus the bootstrap:
    ///   resamples × users × metrics per kind of bucket.
    public init(report: EvaluationReport, split: Split, edges: BucketEdges, configuration: EvaluationConfiguration) {
        self.edges = edges
        userCount = split.foldIn == nil ? "training interactions" : "training plus fold-in interactions"
        let metrics = configuration.metrics.compactMap { $0.definition as? any PerUserMetric }.filter { report.perUser[$0.name] != nil }
        let n = report.users.count
        // User buckets: the report's per-user values, grouped.
        var userBuckets: [Bucket] = []
        let userBounds = BucketEdges.bounds(edges.users)
        if !userBounds.isEmpty {
            var members = [[Int]](repeating: [], count: userBounds.count)
            for (index, user) in report.users.enumerated() {
                let u = Int(user)
                var count = u < split.train.rowCount ? split.train.range(ofRow: u).count : 0
                if let foldIn = split.foldIn, u < foldIn.rowCount { count += foldIn.range(ofRow: u).count }
                members[BucketEdges.bucket(of: count, edges: edges.users)].append(index)
            }
            let columns = metrics.map { report.perUser[$0.name]! }
            for (b, bound) in userBounds.enumerated() {
                let values = columns.flatMap { column in members[b].map { column[$0] } }
                userBuckets.append(Self.bucket(bound, metrics: metrics.map(\.name), values: values, users: members[b].count, items: nil,
                                               configuration: configuration))
            }
        }
        users = userBuckets
        // Item buckets: every hit metric again, with relevance restricted to the bucket's items.
        let hitMetrics = metrics.filter { $0.needs == .hits }
        itemBucketsLeaveOut = metrics.filter { $0.needs != .hits }.map(\.name)
        var itemBuckets: [Bucket] = []
        let itemBounds = BucketEdges.bounds(edges.items)
        let depth = report.depth
        if !itemBounds.isEmpty, depth > 0, report.rankings.count == n * depth {
            let popularity = split.train.columnLengths
            let itemBucket = popularity.map { UInt8(BucketEdges.bucket(of: $0, edges: edges.items)) }
            var catalogue = [Int](repeating: 0, count: itemBounds.count)
            for b in itemBucket { catalogue[Int(b)] += 1 }
            // Per bucket: the values of its users (metric-major after the loop) and their count.
            var values = [[[Double]]](repeating: [[Double]](repeating: [], count: hitMetrics.count), count: itemBounds.count)
            var relevantIn = [Int](repeating: 0, count: itemBounds.count)
            var rankBucket = [Int](repeating: -1, count: depth)        // bucket of the hit at each rank, −1 for a miss
            var hits = [Bool](repeating: false, count: depth)
            for (index, user) in report.users.enumerated() {
                let relevant = split.testItems(of: Int(user))
                for b in relevantIn.indices { relevantIn[b] = 0 }
                for item in relevant where Int(item) < itemBucket.count { relevantIn[Int(itemBucket[Int(item)])] += 1 }
                for r in 0..<depth {
                    let item = report.rankings[index * depth + r]
                    rankBucket[r] = item >= 0 && Int(item) < itemBucket.count && Evaluator.contains(relevant, item) ? Int(itemBucket[Int(item)]) : -1
                }
                for b in itemBounds.indices where relevantIn[b] > 0 {
                    for r in 0..<depth { hits[r] = rankBucket[r] == b }
                    let ranking = UserRanking(hits: hits, relevantCount: relevantIn[b])
                    for (m, metric) in hitMetrics.enumerated() { values[b][m].append(metric.value(for: ranking)) }
                }
            }
            for (b, bound) in itemBounds.enumerated() {
                let count = values[b].first?.count ?? 0
                itemBuckets.append(Self.bucket(bound, metrics: hitMetrics.map(\.name), values: values[b].flatMap { $0 }, users: count,
                                               items: catalogue[b], configuration: configuration))
            }
        }
        items = itemBuckets
    }

    /// One bucket from its users' values, metric-major (`metrics.count × users`).
    private static func bucket(_ bound: (lower: Int, upper: Int?, label: String), metrics: [String], values: [Double], users: Int, items: Int?,
                               configuration: EvaluationConfiguration) -> Bucket {
        let intervals = Bootstrap.intervals(values: values, metrics: metrics.count, users: users, resamples: configuration.bootstrapResamples,
                                            seed: configuration.bootstrapSeed, threads: configuration.threads)
        let summaries = metrics.enumerated().map { m, name in
            let mean = users == 0 ? 0 : values[(m * users)..<((m + 1) * users)].reduce(0, +) / Double(users)
            return EvaluationReport.Summary(metric: name, mean: mean, lower: intervals[m].0, upper: intervals[m].1)
        }
        return Bucket(label: bound.label, lower: bound.lower, upper: bound.upper, users: users, items: items, summaries: summaries)
    }
}

extension BucketBreakdown {
    /// The breakdown as text tables, one per kind: a row per bucket with its users (and
    /// items), then each metric's mean (`–` for a bucket without users).
    ///
    /// - Complexity: O(buckets × metrics).
    public var text: String {
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0) }
        func table(_ title: String, _ buckets: [Bucket], items: Bool) -> String {
            guard let first = buckets.first else { return "" }
            let names = first.summaries.map(\.metric)
            var out = title + "\n" + cell("bucket", 10) + cell("users", 8) + (items ? cell("items", 8) : "") + names.map { cell($0, 12) }.joined() + "\n"
            for bucket in buckets {
                out += cell(bucket.label, 10) + cell(String(bucket.users), 8) + (items ? cell(String(bucket.items ?? 0), 8) : "")
                out += bucket.summaries.map { cell(bucket.users == 0 ? "–" : String(format: "%.6f", $0.mean), 12) }.joined() + "\n"
            }
            return out
        }
        var out = table("by user activity (\(userCount); mean over the bucket's users):", users, items: false)
        let leftOut = itemBucketsLeaveOut.isEmpty ? "" : "; \(itemBucketsLeaveOut.joined(separator: ", ")) left out: they read scores, not hits"
        out += table("by item popularity (training interactions; only the bucket's items relevant, mean over users with one\(leftOut)):", items, items: true)
        return out
    }
}
