import Foundation

/// The shared engine of the column-based loaders (generic delimited, HetRec, MovieLens).
///
/// It resolves columns by index or header name, checks that every row has the same number
/// of fields, parses ids, values and timestamps with exact error reasons, and collects the
/// rows into an ``InteractionBuffer``.
struct DelimitedReader {
    /// How the value column is read.
    enum ValueKind {
        /// Non-negative integers up to `Int32.max` (play counts, weights).
        case count
        /// Any finite decimal number (ratings, scores).
        case real
    }

    var path: String
    var delimiter: UInt8
    var header: Bool
    var quotes: Bool
    var user: ColumnReference
    var item: ColumnReference
    var value: ColumnReference?
    var timestamp: ColumnReference?
    var valueKind: ValueKind = .real
    /// Maps a parsed value to the stored one, or `nil` to drop the row (for rating thresholds).
    var keep: (Double) -> Float? = { Float($0) }

    /// What a read produced.
    struct Output<U: IDInterner, I: IDInterner> {
        var buffer: InteractionBuffer
        var users: U
        var items: I
        var rowsRead: Int
        var rowsDropped: Int
    }

    func read<U: IDInterner, I: IDInterner>(users: U, items: I) throws(DatasetError) -> Output<U, I> {
        var output = Output(buffer: InteractionBuffer(hasTimes: timestamp != nil), users: users, items: items,
                            rowsRead: 0, rowsDropped: 0)
        var fields: [Range<Int>] = []
        var expectedFields = -1
        var columns: (user: Int, item: Int, value: Int?, time: Int?) = (0, 0, nil, nil)
        let iso = ISO8601DateFormatter()
        let delimiterName = Self.name(of: delimiter)

        if !header {
            columns = try resolve(names: nil, line: 1)
        }
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            if FieldParsing.isBlank(line) {
                throw .malformedLine(file: path, line: number, reason: "the line is blank")
            }
            guard FieldParsing.split(line, delimiter: delimiter, quotes: quotes, into: &fields) else {
                throw .malformedLine(file: path, line: number, reason: "a quoted field is not closed")
            }
            if header && number == 1 {
                let names = fields.map { FieldParsing.unquote(line.slice($0)).trimmingCharacters(in: .whitespaces) }
                columns = try resolve(names: names, line: number)
                expectedFields = fields.count
                return
            }
            if expectedFields < 0 {
                let needed = [columns.user, columns.item, columns.value ?? 0, columns.time ?? 0].max()! + 1
                guard fields.count >= needed else {
                    throw .malformedLine(file: path, line: number,
                                         reason: "expected at least \(needed) \(delimiterName)-separated fields, found \(fields.count)")
                }
                expectedFields = fields.count
            }
            guard fields.count == expectedFields else {
                throw .malformedLine(file: path, line: number,
                                     reason: "expected \(expectedFields) \(delimiterName)-separated fields like the \(header ? "header" : "first line"), found \(fields.count)")
            }
            output.rowsRead += 1
            var stored: Float = 1
            if let column = columns.value {
                let bytes = line.slice(fields[column])
                let parsed = try parseValue(bytes, line: number)
                guard let kept = keep(parsed) else { output.rowsDropped += 1; return }
                stored = kept
            }
            let u = try output.users.index(forRawID: line.slice(fields[columns.user]), line: number, file: path, role: "user")
            let i = try output.items.index(forRawID: line.slice(fields[columns.item]), line: number, file: path, role: "item")
            if let column = columns.time {
                let time = try parseTime(line.slice(fields[column]), line: number, iso: iso)
                output.buffer.append(user: u, item: i, value: stored, time: time)
            } else {
                output.buffer.append(user: u, item: i, value: stored)
            }
        }
        guard output.rowsRead > 0 else { throw .emptyFile(path: path) }
        return output
    }

    private func resolve(names: [String]?, line: Int) throws(DatasetError) -> (user: Int, item: Int, value: Int?, time: Int?) {
        func index(_ reference: ColumnReference) throws(DatasetError) -> Int {
            switch reference {
            case .index(let position):
                return position
            case .name(let name):
                guard let names else {
                    throw .unknownColumn(file: path, line: line, name: name, available: [])
                }
                guard let position = names.firstIndex(of: name) else {
                    throw .unknownColumn(file: path, line: line, name: name, available: names)
                }
                return position
            }
        }
        return (try index(user), try index(item), try value.map { r throws(DatasetError) in try index(r) },
                try timestamp.map { r throws(DatasetError) in try index(r) })
    }

    private func parseValue(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(DatasetError) -> Double {
        switch valueKind {
        case .count:
            switch FieldParsing.parseNonNegative(bytes) {
            case .value(let count):
                guard count <= AudioscrobblerLoader.maximumCount else {
                    throw .malformedLine(file: path, line: line, reason: "the count \(count) overflows the largest supported count \(AudioscrobblerLoader.maximumCount)")
                }
                return Double(count)
            case .empty: throw .malformedLine(file: path, line: line, reason: "the count is empty")
            case .negative: throw .malformedLine(file: path, line: line, reason: "the count \(FieldParsing.quote(bytes)) is negative")
            case .notANumber: throw .malformedLine(file: path, line: line, reason: "the count \(FieldParsing.quote(bytes)) is not a non-negative integer")
            case .overflow: throw .malformedLine(file: path, line: line, reason: "the count \(FieldParsing.quote(bytes)) overflows a 64-bit integer")
            }
        case .real:
            guard let number = FieldParsing.parseDouble(bytes), number.isFinite else {
                throw .malformedLine(file: path, line: line, reason: "the value \(FieldParsing.quote(bytes)) is not a finite number")
            }
            guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
                throw .malformedLine(file: path, line: line, reason: "the value \(FieldParsing.quote(bytes)) overflows a 32-bit float")
            }
            return number
        }
    }

    private func parseTime(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, iso: ISO8601DateFormatter) throws(DatasetError) -> Int64 {
        if let first = bytes.first, first == 0x2D || (first &- 0x30) < 10, !bytes.contains(0x54) /* 'T' */, !bytes.dropFirst().contains(0x2D) {
            if first == 0x2D, case .value(let magnitude) = FieldParsing.parseNonNegative(bytes.slice(1..<bytes.count)) { return -magnitude }
            if case .value(let seconds) = FieldParsing.parseNonNegative(bytes) { return seconds }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let date = iso.date(from: text) { return Int64(date.timeIntervalSince1970.rounded(.down)) }
        throw .malformedLine(file: path, line: line,
                             reason: "the timestamp \(FieldParsing.quote(bytes)) is neither integer Unix seconds nor an ISO 8601 date-time")
    }

    static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case 0x09: return "tab"
        case 0x20: return "space"
        case 0x2C: return "comma"
        case 0x3B: return "semicolon"
        case 0x7C: return "'|'"
        default: return "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// The delimiter byte of an option string (`\t`, `tab`, `,`, …).
    static func delimiterByte(_ text: String) throws(DatasetError) -> UInt8 {
        switch text {
        case "\\t", "tab", "\t": return 0x09
        case "space", " ": return 0x20
        case "comma": return 0x2C
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1 else { throw .invalidPreparation(reason: "the delimiter must be one character, got '\(text)'") }
            return bytes[0]
        }
    }
}
