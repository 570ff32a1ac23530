import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
/// TREC relevance judgements (qrels): for each query, the judged documents and their grades.
///
/// A line is `query iteration document grade`: exactly four fields separated by white space.
/// Lines whose first non-blank byte is `#` are comments. The grade is read as trec_eval reads
/// it (C's `atol`): an optional sign and the leading digits, so `2.7` counts as 2; a grade
/// that does not start with an integer is refused (trec_eval would read it as 0). A grade of
/// 1 or more is relevant for the binary metrics and is the gain of NDCG; 0 is judged
/// non-relevant; a negative grade is "in the pool, not judged" (neither relevant nor counted).
/// A document judged twice for one query is an error naming both lines.
public struct TrecQrels: Sendable {
    /// The file the judgements were read from (for messages).
    public var path: String
    /// query → document → grade.
    public var judgments: [TrecID: [TrecID: Int]]

    /// Creates judgements.
    public init(path: String, judgments: [TrecID: [TrecID: Int]]) {
        self.path = path
        self.judgments = judgments
    }

    /// Whether no document has a grade of 1 or more.
    public var hasNoRelevantDocument: Bool {
        !judgments.values.contains { $0.values.contains { $0 >= 1 } }
    }

    /// Reads a qrels file.
    ///
    /// - Throws: ``DatasetError`` naming the file and line: not four fields, a grade that is not
    ///   an integer, a NUL byte, a pair judged twice (both lines named), or no judgement at all.
    /// - Complexity: O(lines).
    public static func read(_ path: String) throws(DatasetError) -> TrecQrels {
        var judgments: [TrecID: [TrecID: Int]] = [:]
        var lines: [TrecID: [TrecID: Int]] = [:]
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            guard let fields = try TrecFiles.fields(of: line, file: path, line: number) else { return }
            guard fields.count == 4 else {
                throw .malformedLine(file: path, line: number,
                                     reason: "expected 4 fields (query iteration document grade), found \(fields.count)")
            }
            let query = TrecID(fields[0]), document = TrecID(fields[2])
            guard let grade = TrecFiles.parseLeadingInteger(fields[3]) else {
                throw .malformedLine(file: path, line: number,
                                     reason: "the grade \(TrecFiles.quote(fields[3])) is not an integer")
            }
            if let first = lines[query, default: [:]].updateValue(number, forKey: document) {
                throw .malformedLine(file: path, line: number,
                                     reason: "document \(TrecFiles.quote(document.bytes)) of query \(TrecFiles.quote(query.bytes)) is judged again (first on line \(first)); qrels judge each pair once, as trec_eval requires")
            }
            judgments[query, default: [:]][document] = grade
        }
        guard !judgments.isEmpty else { throw .emptyFile(path: path) }
        return TrecQrels(path: path, judgments: judgments)
    }
}
