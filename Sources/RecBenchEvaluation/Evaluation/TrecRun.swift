import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
/// A TREC run file: for each query (user), the documents (items) it retrieved with their scores.
///
/// A line is `query Q0 document rank score tag`, fields separated by white space (C's
/// `isspace`), fields after the sixth ignored, as trec_eval reads it. Lines whose first
/// non-blank byte is `#` are comments; blank lines are skipped. Ids are bytes
/// (``TrecID``). The score is read in double precision. The rank column is kept but, as in
/// trec_eval, it does not order the run unless ``TrecEvaluation/Order/rank`` asks for it.
///
/// A document listed twice for one query is an error naming both lines (trec_eval refuses
/// such a run too).
public struct TrecRun: Sendable {
    /// One retrieved document.
    public struct Entry: Sendable, Equatable {
        /// The document's id.
        public var document: TrecID
        /// Its score (higher is better).
        public var score: Double
        /// The rank column, when it is a positive integer.
        public var rank: Int?
        /// The 1-based line of the file it came from.
        public var line: Int

        /// Creates an entry.
        public init(document: TrecID, score: Double, rank: Int?, line: Int) {
            self.document = document
            self.score = score
            self.rank = rank
            self.line = line
        }
    }

    /// The file the run was read from (for messages).
    public var path: String
    /// Each query's entries, in file order.
    public var queries: [TrecID: [Entry]]

    /// Creates a run from entries (query → entries in any order).
    public init(path: String, queries: [TrecID: [Entry]]) {
        self.path = path
        self.queries = queries
    }

    /// Reads a run file.
    ///
    /// - Throws: ``DatasetError`` naming the file and line: a line with fewer than six fields, a
    ///   score that is not a finite-or-infinite number (NaN is refused), a NUL byte, a document
    ///   listed twice for one query (both lines named), or a file with no run line.
    /// - Complexity: O(lines).
    public static func read(_ path: String) throws(DatasetError) -> TrecRun {
        var queries: [TrecID: [Entry]] = [:]
        var seen: [TrecID: [TrecID: Int]] = [:]
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            guard let fields = try TrecFiles.fields(of: line, file: path, line: number) else { return }
            guard fields.count >= 6 else {
                throw .malformedLine(file: path, line: number,
                                     reason: "expected 6 fields (query Q0 document rank score tag), found \(fields.count)")
            }
            let query = TrecID(fields[0]), document = TrecID(fields[2])
            guard let score = TrecFiles.parseScore(fields[4]) else {
                throw .malformedLine(file: path, line: number,
                                     reason: "the score \(TrecFiles.quote(fields[4])) is not a number")
            }
            if let first = seen[query, default: [:]].updateValue(number, forKey: document) {
                throw .malformedLine(file: path, line: number,
                                     reason: "document \(TrecFiles.quote(document.bytes)) of query \(TrecFiles.quote(query.bytes)) is listed again (first on line \(first)); a run lists each document once per query, as trec_eval requires")
            }
            let rank = TrecFiles.parseInteger(fields[3]).flatMap { $0 >= 1 && $0 <= Int64(Int.max) ? Int($0) : nil }
            queries[query, default: []].append(Entry(document: document, score: score, rank: rank, line: number))
        }
        guard !queries.isEmpty else { throw .emptyFile(path: path) }
        return TrecRun(path: path, queries: queries)
    }

    /// The run's rankings with string ids, for callers that key by text (the course lab).
    ///
    /// Ids are decoded from UTF-8 for this view; byte-exact callers use ``queries``.
    public var textRankings: [String: [(item: String, score: Double)]] {
        var out: [String: [(item: String, score: Double)]] = [:]
        for (query, entries) in queries {
            out[query.description] = ((try? TrecEvaluation.ranked(entries, order: .score)) ?? entries).map { ($0.document.description, $0.score) }
        }
        return out
    }
}
