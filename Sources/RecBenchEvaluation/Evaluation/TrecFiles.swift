import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// TREC run and qrels files, so that rankings made anywhere are scored by the same code.
///
/// A run line is `user Q0 item rank score tag`; a qrels line is `user 0 item grade`. Ids are the
/// dataset's raw ids, written and read as bytes (white space is not allowed in them). Reading
/// is ``TrecRun/read(_:)`` and ``TrecQrels/read(_:)``; scoring is ``TrecEvaluation``.
public enum TrecFiles {
    /// Writes the rankings of `report` as a run file whose trec_eval order is RecBench's order.
    ///
    /// Items that tie in score are ranked by the evaluator in catalogue order, but trec_eval
    /// orders ties by id, descending. So the written scores strictly decrease down each list:
    /// each is the model's float32 score, or one float32 step (`nextDown`) below the previous
    /// written score when that is lower (within a run of ties, and after it where the next
    /// scores lie closer than that). Each is written in its shortest form that reads back as the
    /// same float32. Then trec_eval 9 (float32 scores, as pytrec_eval bundles it), trec_eval 10
    /// (double) and ``TrecEvaluation`` all order the file as the evaluator did and reproduce its
    /// figures exactly (docs/metrics.md, "Exported runs").
    public static func writeRun(_ report: EvaluationReport, split: Split, tag: String, to path: String) throws {
        var out = [UInt8]()
        let tagBytes = Array(tag.utf8)
        for (index, user) in report.users.enumerated() {
            let raw = split.users.rawIDBytes(at: Int(user))
            var previous: Float? = nil
            for rank in 0..<report.depth {
                let item = report.rankings[index * report.depth + rank]
                if item < 0 { break }
                let score = report.rankingScores[index * report.depth + rank]
                let written = previous.map { min(score, $0.nextDown) } ?? score
                previous = written
                out += raw; out += Array(" Q0 ".utf8); out += split.items.rawIDBytes(at: Int(item))
                out += Array(" \(rank + 1) \(written) ".utf8); out += tagBytes; out.append(0x0A)
            }
        }
        try Data(out).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes the test set of the evaluated users as qrels (grade 1).
    public static func writeQrels(_ split: Split, to path: String) throws {
        var out = [UInt8]()
        for user in split.evaluatedUsers {
            let raw = split.users.rawIDBytes(at: Int(user))
            for item in split.testItems(of: Int(user)) {
                out += raw; out += Array(" 0 ".utf8); out += split.items.rawIDBytes(at: Int(item)); out += Array(" 1\n".utf8)
            }
        }
        try Data(out).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The white-space separated fields of a line, or `nil` for a blank or comment line.
    ///
    /// White space is C's `isspace` (space, tab, LF, VT, FF, CR), as trec_eval splits.
    package static func fields(of line: UnsafeBufferPointer<UInt8>, file: String, line number: Int) throws(DatasetError) -> [[UInt8]]? {
        var fields: [[UInt8]] = []
        var start = -1
        for (i, byte) in line.enumerated() {
            if byte == 0 {
                throw .malformedLine(file: file, line: number, reason: "the line holds a NUL byte (column \(i + 1))")
            }
            let space = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if space {
                if start >= 0 { fields.append(Array(line[start..<i])); start = -1 }
            } else if start < 0 {
                if fields.isEmpty && byte == 0x23 { return nil }    // '#': a comment line
                start = i
            }
        }
        if start >= 0 { fields.append(Array(line[start...])) }
        return fields.isEmpty ? nil : fields
    }

    /// A score: a decimal or hexadecimal floating-point number, or ±inf; NaN is refused.
    package static func parseScore(_ field: [UInt8]) -> Double? {
        guard let value = Double(String(decoding: field, as: UTF8.self)), !value.isNaN else { return nil }
        return value
    }

    /// A whole field read as a decimal integer, or `nil`.
    package static func parseInteger(_ field: [UInt8]) -> Int64? {
        Int64(String(decoding: field, as: UTF8.self))
    }

    /// The leading integer of a field, as C's `atol` reads it (`2.7` → 2, `+3x` → 3), or `nil`
    /// when the field does not start with an optionally signed digit or the value overflows.
    package static func parseLeadingInteger(_ field: [UInt8]) -> Int? {
        var index = 0
        var negative = false
        if index < field.count, field[index] == 0x2B || field[index] == 0x2D { negative = field[index] == 0x2D; index += 1 }
        var value = 0
        var digits = 0
        while index < field.count, field[index] >= 0x30, field[index] <= 0x39 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(field[index] - 0x30))
            if o1 || o2 { return nil }
            value = sum; digits += 1; index += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// File content shown in a message (``FieldParsing/quote(_:limit:)``: escaped, truncated).
    package static func quote(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { FieldParsing.quote($0) }
    }
}
