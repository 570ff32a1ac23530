import Foundation

/// The shared engine of the column-based loaders (generic delimited, HetRec, MovieLens).
///
/// It resolves columns by index or header name, checks that every row has the same number
/// of fields, parses ids, values and timestamps with exact error reasons, and collects the
/// rows into an ``InteractionBuffer``.
package struct DelimitedReader {
    /// How the value column is read.
    package enum ValueKind {
        /// Non-negative integers up to `Int32.max` (play counts, weights).
        case count
        /// Any finite decimal number (ratings, scores).
        case real
    }

    package var path: String
    package var delimiter: UInt8
    package var header: Bool
    package var quotes: Bool
    package var user: ColumnReference
    package var item: ColumnReference
    package var value: ColumnReference?
    package var timestamp: ColumnReference?
    package var valueKind: ValueKind = .real
    /// Maps a parsed value to the stored one, or `nil` to drop the row (for rating thresholds).
    package var keep: (Double) -> Float? = { Float($0) }
    /// Checks a parsed value before ``keep``: the reason it is invalid (the line is then an
    /// error naming file and line), or `nil` when it is valid. `nil` checks nothing.
    package var check: ((Double) -> String?)? = nil
    /// Whether fields are separated by the delimiter written twice (MovieLens 1M's `::`):
    /// the byte between two delimiters must then be nothing, and column indices count the
    /// single-byte fields (0, 2, 4, …).
    package var doubledDelimiter = false
    /// A (user, item) pair whose summed value left the float range in a first read: a second
    /// read sums that pair row by row and stops at the line where the sum overflows.
    package var watch: (user: Int32, item: Int32)?

    /// The largest column index accepted (no format has anywhere near this many columns).
    package static let maximumColumn = 65_535

    /// What a read produced.
    package struct Output<U: IDInterner, I: IDInterner> {
        package var buffer: InteractionBuffer
        package var users: U
        package var items: I
        package var rowsRead: Int
        package var rowsDropped: Int
    }

    package func read<U: IDInterner, I: IDInterner>(users: U, items: I) throws(DatasetError) -> Output<U, I> {
        var output = Output(buffer: InteractionBuffer(hasTimes: timestamp != nil), users: users, items: items,
                            rowsRead: 0, rowsDropped: 0)
        var fields: [Range<Int>] = []
        var expectedFields = -1
        var columns: (user: Int, item: Int, value: Int?, time: Int?) = (0, 0, nil, nil)
        let iso = ISO8601DateFormatter()
        let delimiterName = Self.name(of: delimiter)
        var scratch: [UInt8] = []
        var watchedSum: Float = 0

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
            if doubledDelimiter {
                guard fields.count % 2 == 1, stride(from: 1, to: fields.count, by: 2).allSatisfy({ fields[$0].isEmpty }) else {
                    throw .malformedLine(file: path, line: number,
                                         reason: "fields must be separated by exactly \([delimiter, delimiter].withUnsafeBufferPointer { FieldParsing.quote($0) }), found \(FieldParsing.quote(line))")
                }
            }
            if header && number == 1 {
                let names = fields.map { FieldParsing.unquote(line.slice($0)).trimmingCharacters(in: .whitespaces) }
                columns = try resolve(names: names, line: number)
                expectedFields = fields.count
                // Columns given by index must exist in the header, which every row then matches.
                for (role, column) in Self.roles(of: columns) where column >= fields.count {
                    throw .malformedLine(file: path, line: number,
                                         reason: "the header has \(fields.count) \(delimiterName)-separated field(s); the \(role) column \(column) is not among them")
                }
                return
            }
            if expectedFields < 0 {
                for (role, column) in Self.roles(of: columns) where column >= fields.count {
                    throw .malformedLine(file: path, line: number,
                                         reason: "expected at least \(column + 1) \(delimiterName)-separated fields for the \(role) column \(column), found \(fields.count)")
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
                if let check, let reason = check(parsed) { throw .malformedLine(file: path, line: number, reason: reason) }
                guard let kept = keep(parsed) else { output.rowsDropped += 1; return }
                stored = kept
            }
            let u = try intern(&output.users, line, fields[columns.user], scratch: &scratch, line: number, role: "user")
            let i = try intern(&output.items, line, fields[columns.item], scratch: &scratch, line: number, role: "item")
            if let watch, watch.user == u, watch.item == i {
                watchedSum += stored
                if !watchedSum.isFinite {
                    let value = columns.value.map { FieldParsing.quote(line.slice(fields[$0])) } ?? "1"
                    throw .malformedLine(file: path, line: number,
                                         reason: "the values of user \(FieldParsing.quote(line.slice(fields[columns.user]))) and item \(FieldParsing.quote(line.slice(fields[columns.item]))) add up beyond the 32-bit float range: rows of one pair are summed, and this row's value \(value) makes the sum \(watchedSum)")
                }
            }
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

    /// Reads the file and builds its matrix; `users` and `items` are the empty interners to start from.
    ///
    /// A pair whose summed value leaves the 32-bit float range is an error naming the line
    /// where the sum overflows (found by a second read, only then).
    package func readMatrix<U: IDInterner, I: IDInterner>(users: U, items: I) throws(DatasetError)
        -> (output: Output<U, I>, matrix: InteractionMatrix, times: InteractionTimes?, merged: Int) {
        var output = try read(users: users, items: items)
        let buffer = output.buffer
        output.buffer = InteractionBuffer(hasTimes: false)
        let built = buffer.buildChecked(userCount: output.users.count, itemCount: output.items.count)
        if let pair = built.overflow {
            var again = self
            again.watch = pair
            _ = try again.read(users: users, items: items)      // throws at the overflowing line
            throw .malformedLine(file: path, line: 0, reason: "the summed values of a (user, item) pair leave the 32-bit float range")
        }
        return (output, built.matrix, built.times, built.merged)
    }

    /// The column of each role, for range checks.
    private static func roles(of columns: (user: Int, item: Int, value: Int?, time: Int?)) -> [(String, Int)] {
        [("user", columns.user), ("item", columns.item)] + [columns.value.map { ("value", $0) }, columns.time.map { ("timestamp", $0) }].compactMap { $0 }
    }

    /// Interns the id in `range` of `line`: its exact bytes, except that inside a quoted field
    /// a doubled quote stands for one.
    @inline(__always)
    private func intern<T: IDInterner>(_ interner: inout T, _ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                       scratch: inout [UInt8], line number: Int, role: String) throws(DatasetError) -> Int32 {
        let bytes = line.slice(range)
        guard quotes, range.lowerBound > 0, line[range.lowerBound - 1] == 0x22, bytes.contains(0x22) else {
            return try interner.index(forRawID: bytes, line: number, file: path, role: role)
        }
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        while index < bytes.count {
            scratch.append(bytes[index])
            index += bytes[index] == 0x22 ? 2 : 1
        }
        let collapsed = scratch
        return try collapsed.withUnsafeBufferPointer { (buffer) throws(DatasetError) -> Int32 in
            try interner.index(forRawID: buffer, line: number, file: path, role: role)
        }
    }

    private func resolve(names: [String]?, line: Int) throws(DatasetError) -> (user: Int, item: Int, value: Int?, time: Int?) {
        func index(_ reference: ColumnReference, _ role: String) throws(DatasetError) -> Int {
            switch reference {
            case .index(let position):
                guard (0...Self.maximumColumn).contains(position) else {
                    throw .invalidOption(file: path, reason: "the \(role) column index \(position) is out of range: a column index is 0 to \(Self.maximumColumn)")
                }
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
        return (try index(user, "user"), try index(item, "item"), try value.map { r throws(DatasetError) in try index(r, "value") },
                try timestamp.map { r throws(DatasetError) in try index(r, "timestamp") })
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
        if let date = iso.date(from: text), let seconds = Int64(exactly: date.timeIntervalSince1970.rounded(.down)) { return seconds }
        throw .malformedLine(file: path, line: line,
                             reason: "the timestamp \(FieldParsing.quote(bytes)) is neither integer Unix seconds nor an ISO 8601 date-time")
    }

    package static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case 0x09: return "tab"
        case 0x20: return "space"
        case 0x2C: return "comma"
        case 0x3B: return "semicolon"
        case 0x7C: return "'|'"
        default: return [delimiter].withUnsafeBufferPointer { FieldParsing.quote($0) }
        }
    }

    /// The delimiter byte of an option string (`\t`, `tab`, `,`, …).
    package static func delimiterByte(_ text: String, file: String) throws(DatasetError) -> UInt8 {
        switch text {
        case "\\t", "tab", "\t": return 0x09
        case "space", " ": return 0x20
        case "comma": return 0x2C
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1 else { throw .invalidOption(file: file, reason: "the delimiter must be one character (or tab, space, comma), got \(FieldParsing.quote(text))") }
            guard bytes[0] != 0x0A && bytes[0] != 0x0D else { throw .invalidOption(file: file, reason: "the delimiter cannot be a line end") }
            return bytes[0]
        }
    }

    /// Creates a value from each stored property (the memberwise initialiser, visible to the package).
    package init(path: String, delimiter: UInt8, header: Bool, quotes: Bool, user: ColumnReference, item: ColumnReference, value: ColumnReference? = nil, timestamp: ColumnReference? = nil, valueKind: ValueKind = .real, keep: @escaping (Double) -> Float? = { Float($0) }, doubledDelimiter: Bool = false, watch: (user: Int32, item: Int32)? = nil) {
        self.path = path
        self.delimiter = delimiter
        self.header = header
        self.quotes = quotes
        self.user = user
        self.item = item
        self.value = value
        self.timestamp = timestamp
        self.valueKind = valueKind
        self.keep = keep
        self.doubledDelimiter = doubledDelimiter
        self.watch = watch
    }
}
