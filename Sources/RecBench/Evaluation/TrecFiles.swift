import Foundation

/// TREC run and qrels files, so that rankings made anywhere are scored by the same code.
///
/// A run line is `user Q0 item rank score tag`; a qrels line is `user 0 item 1`. Ids are the
/// dataset's raw ids (spaces are not allowed in them).
public enum TrecFiles {
    /// Writes the rankings of `report` as a run file.
    public static func writeRun(_ report: EvaluationReport, split: Split, tag: String, to path: String) throws {
        var out = ""
        for (index, user) in report.users.enumerated() {
            let raw = split.users.rawID(at: Int(user))
            for rank in 0..<report.depth {
                let item = report.rankings[index * report.depth + rank]
                if item < 0 { break }
                out += "\(raw) Q0 \(split.items.rawID(at: Int(item))) \(rank + 1) \(report.rankingScores[index * report.depth + rank]) \(tag)\n"
            }
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Writes the test set of the evaluated users as qrels.
    public static func writeQrels(_ split: Split, to path: String) throws {
        var out = ""
        for user in split.evaluatedUsers {
            let raw = split.users.rawID(at: Int(user))
            for item in split.testItems(of: Int(user)) { out += "\(raw) 0 \(split.items.rawID(at: Int(item))) 1\n" }
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A run read from a file: per user, items in rank order with their scores.
    public struct Run: Sendable {
        /// user raw id → (item raw id, score) best first.
        public var rankings: [String: [(item: String, score: Double)]]
    }

    /// Reads a run file; lines are ordered by the rank column within each user.
    public static func readRun(_ path: String) throws(DatasetError) -> Run {
        var entries: [String: [(rank: Int, item: String, score: Double)]] = [:]
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            if FieldParsing.isBlank(line) { return }
            let fields = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 6 else {
                throw .malformedLine(file: path, line: number, reason: "expected 6 fields (user Q0 item rank score tag), found \(fields.count)")
            }
            guard let rank = Int(fields[3]), rank >= 1 else {
                throw .malformedLine(file: path, line: number, reason: "the rank '\(fields[3])' is not a positive integer")
            }
            guard let score = Double(fields[4]) else {
                throw .malformedLine(file: path, line: number, reason: "the score '\(fields[4])' is not a number")
            }
            entries[String(fields[0]), default: []].append((rank, String(fields[2]), score))
        }
        guard !entries.isEmpty else { throw .emptyFile(path: path) }
        return Run(rankings: entries.mapValues { list in list.sorted { $0.rank < $1.rank }.map { ($0.item, $0.score) } })
    }

    /// Reads qrels: user raw id → relevant item raw ids (relevance > 0).
    public static func readQrels(_ path: String) throws(DatasetError) -> [String: Set<String>] {
        var relevant: [String: Set<String>] = [:]
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            if FieldParsing.isBlank(line) { return }
            let fields = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 4, let grade = Double(fields[3]) else {
                throw .malformedLine(file: path, line: number, reason: "expected 4 fields (user 0 item relevance)")
            }
            if grade > 0 { relevant[String(fields[0]), default: []].insert(String(fields[2])) }
        }
        guard !relevant.isEmpty else { throw .emptyFile(path: path) }
        return relevant
    }

    /// Scores an external run against qrels with the same metric code as the evaluator.
    ///
    /// Users in the qrels without a ranking score 0. AUC is taken over the items the run lists
    /// for that user (a run that lists every candidate gives the full AUC).
    public static func evaluate(run: Run, qrels: [String: Set<String>], metrics: [Metric]) -> [String: Double] {
        var sums = [Double](repeating: 0, count: metrics.count)
        var aucUsers = 0
        for (user, relevant) in qrels {
            let ranking = run.rankings[user] ?? []
            let hits = ranking.map { relevant.contains($0.item) }
            for (m, metric) in metrics.enumerated() {
                if metric == .auc {
                    let positives = ranking.filter { relevant.contains($0.item) }.map { Float($0.score) }
                    let negatives = ranking.filter { !relevant.contains($0.item) }.map { Float($0.score) }
                    if let auc = RankingMetrics.auc(positives: positives, negatives: negatives) { sums[m] += auc; aucUsers += 1 }
                } else {
                    sums[m] += RankingMetrics.value(of: metric, hits: hits, relevantCount: relevant.count)
                }
            }
        }
        var result: [String: Double] = [:]
        for (m, metric) in metrics.enumerated() { result[metric.name] = sums[m] / Double(qrels.count) }
        result["users"] = Double(qrels.count)
        return result
    }
}
