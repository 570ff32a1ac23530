import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// Scores a TREC run against qrels with trec_eval's semantics and RecBench's metric definitions.
///
/// What trec_eval does, and so what this does (docs/metrics.md, "Scoring a run file"):
/// - each query's documents are ordered by score, descending, ties broken by document id in
///   descending byte order; the rank column is ignored (``Order/rank`` is an explicit option);
/// - a grade ≥ 1 is relevant for P, R, HR, MRR, MAP and MAPmin; NDCG uses the grades as gains
///   (DCG = Σ gain_i / log2(i + 1) over ranks i ≤ k with gain > 0; IDCG the same over the
///   query's judged grades sorted descending);
/// - the mean is over the queries that are in both files (a query of the qrels with no run line
///   counts as 0 only with `includeMissingQueries`, trec_eval's `-c`); a query whose grades
///   are all 0 counts, with 0 on every metric.
/// AUC is refused: a run lists only the documents it retrieved, not every candidate, so the
/// fraction of correctly ordered pairs over them is not the AUC of docs/metrics.md.
public enum TrecEvaluation {
    /// How a query's documents are ordered.
    public enum Order: String, Codable, Sendable, CaseIterable {
        /// By score, descending; ties by document id, descending bytes (trec_eval).
        case score
        /// By the rank column, ascending; equal ranks by score, then as `score`.
        case rank

        /// The order in words, for reports.
        public var description: String {
            switch self {
            case .score: return "by score, descending; ties by document id in descending byte order (trec_eval); the rank column is ignored"
            case .rank: return "by the rank column (--order rank); equal ranks by score, then by document id in descending byte order"
            }
        }
    }

    /// What went wrong while scoring a run.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// AUC was asked for a run.
        case aucNeedsEveryCandidate
        /// A metric that needs more than a ranked hit list (every user's lists, ratings) was asked for a run.
        case notAHitMetric(name: String)
        /// No query is in both files.
        case noCommonQuery(run: String, qrels: String)
        /// `Order.rank` met a rank column that is not a positive integer.
        case rankNotAnInteger(file: String, line: Int)

        public var description: String {
            switch self {
            case .aucNeedsEveryCandidate:
                return "AUC is not defined on a run file: a run lists only the documents it retrieved, and AUC (docs/metrics.md) needs every candidate's score; evaluate the model on its split instead"
            case .notAHitMetric(let name):
                return "\(name) is not defined on a run file: a run file gives each query's ranked documents, and \(name) needs more (docs/metrics.md)"
            case .noCommonQuery(let run, let qrels):
                return "\(run): no query of the run is in \(qrels)"
            case .rankNotAnInteger(let file, let line):
                return "\(file):\(line): --order rank needs the rank column to be a positive integer"
            }
        }
    }

    /// One query's values.
    public struct QueryValues: Codable, Sendable, Equatable {
        /// The query id decoded for display (two ids may display alike).
        public var query: String
        /// The query id's bytes in hexadecimal (exact).
        public var queryHex: String
        /// Metric name → value.
        public var metrics: [String: Double]
    }

    /// The figures of one scored run.
    public struct Result: Codable, Sendable, Equatable {
        /// How the documents were ordered, in words.
        public var order: String
        /// The number of queries the means are over.
        public var queries: Int
        /// Metric name → mean over ``queries``.
        public var metrics: [String: Double]
        /// Every query's values, in byte order of the ids; empty unless asked for.
        public var perQuery: [QueryValues]
        /// Queries of the run that the qrels do not judge (left out, as trec_eval does).
        public var runOnlyQueries: Int
        /// Queries of the qrels without a run line (left out, or 0 with `includeMissingQueries`).
        public var qrelsOnlyQueries: Int
        /// Whether no judged document of the qrels has a grade of 1 or more.
        public var noRelevantDocument: Bool
    }

    /// Scores `run` against `qrels`.
    ///
    /// - Parameters:
    ///   - metrics: any metric of ``Metric`` that needs only hits; AUC throws ``Failure/aucNeedsEveryCandidate``,
    ///     the others ``Failure/notAHitMetric(name:)``.
    ///   - order: how each query's documents are ordered.
    ///   - includeMissingQueries: count qrels queries without a run line as 0 (trec_eval `-c`).
    ///   - perQuery: keep every query's values in the result.
    /// - Complexity: O(Σ n_q log n_q) over the run's queries.
    public static func evaluate(run: TrecRun, qrels: TrecQrels, metrics: [Metric], order: Order = .score,
                                includeMissingQueries: Bool = false, perQuery: Bool = false) throws(Failure) -> Result {
        if metrics.contains(.auc) { throw .aucNeedsEveryCandidate }
        if let other = metrics.first(where: { $0.definition.needs != .hits }) { throw .notAHitMetric(name: other.name) }
        var scored = [TrecID]()
        for query in qrels.judgments.keys where run.queries[query] != nil || includeMissingQueries { scored.append(query) }
        scored.sort()
        guard !scored.isEmpty else { throw .noCommonQuery(run: run.path, qrels: qrels.path) }
        var sums = [Double](repeating: 0, count: metrics.count)
        var table: [QueryValues] = []
        for query in scored {
            let judged = qrels.judgments[query]!
            let entries = try ranked(run.queries[query] ?? [], order: order, file: run.path)
            let grades = entries.map { judged[$0.document] ?? 0 }
            let idealGains = judged.values.filter { $0 > 0 }.sorted(by: >)
            var row: [String: Double] = [:]
            for (m, metric) in metrics.enumerated() {
                let value = Self.value(of: metric, grades: grades, idealGains: idealGains)
                sums[m] += value
                if perQuery { row[metric.name] = value }
            }
            if perQuery {
                table.append(QueryValues(query: query.description, queryHex: query.bytes.map { String(format: "%02x", $0) }.joined(), metrics: row))
            }
        }
        var means: [String: Double] = [:]
        for (m, metric) in metrics.enumerated() { means[metric.name] = sums[m] / Double(scored.count) }
        let runOnly = run.queries.keys.filter { qrels.judgments[$0] == nil }.count
        let qrelsOnly = qrels.judgments.keys.filter { run.queries[$0] == nil }.count
        return Result(order: order.description, queries: scored.count, metrics: means, perQuery: table,
                      runOnlyQueries: runOnly, qrelsOnlyQueries: qrelsOnly, noRelevantDocument: qrels.hasNoRelevantDocument)
    }

    /// One query's value of a cutoff metric.
    ///
    /// - Parameters:
    ///   - grades: the grade of the document at each rank (0 for an unjudged document).
    ///   - idealGains: the query's positive grades, sorted descending.
    package static func value(of metric: Metric, grades: [Int], idealGains: [Int]) -> Double {
        if case .ndcg(let k) = metric { return RankingMetrics.gradedNDCG(gains: grades, idealGains: idealGains, cutoff: k) }
        return RankingMetrics.value(of: metric, hits: grades.map { $0 >= 1 }, relevantCount: idealGains.count)
    }

    /// A query's entries in evaluation order.
    package static func ranked(_ entries: [TrecRun.Entry], order: Order, file: String = "") throws(Failure) -> [TrecRun.Entry] {
        if order == .rank, let bad = entries.first(where: { $0.rank == nil }) {
            throw .rankNotAnInteger(file: file, line: bad.line)
        }
        return entries.sorted { a, b in
            if order == .rank, a.rank! != b.rank! { return a.rank! < b.rank! }
            if a.score != b.score { return a.score > b.score }
            return b.document < a.document
        }
    }
}

extension RankingMetrics {
    /// NDCG@k with graded gains, as trec_eval's `ndcg_cut`.
    ///
    /// DCG@k = Σ_{i ≤ k, g_i > 0} g_i / log2(i + 1); IDCG@k the same sum over the ideal gains
    /// (the query's positive grades, largest first); NDCG@k = DCG@k / IDCG@k, and 0 when
    /// IDCG@k = 0. With grades 0/1 this is the binary ``Metric/ndcg(_:)`` of docs/metrics.md.
    ///
    /// - Parameters:
    ///   - gains: the grade at each rank, best first (non-positive grades add nothing).
    ///   - idealGains: the positive grades of the query's judged documents, sorted descending.
    ///   - cutoff: k.
    public static func gradedNDCG(gains: [Int], idealGains: [Int], cutoff k: Int) -> Double {
        var dcg = 0.0
        for (i, gain) in gains.prefix(k).enumerated() where gain > 0 { dcg += Double(gain) / log2(Double(i + 2)) }
        var ideal = 0.0
        for (i, gain) in idealGains.prefix(k).enumerated() { ideal += Double(gain) / log2(Double(i + 2)) }
        return ideal > 0 ? dcg / ideal : 0
    }
}
