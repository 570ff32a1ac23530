import Foundation

/// Loaders built on ``DelimitedReader``: generic delimited text, HetRec Last.fm 2K, MovieLens.
package enum ColumnLoaders {
    package static func delimited(_ options: DelimitedOptions, name: String) throws(DatasetError) -> Dataset {
        let reader = DelimitedReader(path: options.path, delimiter: try DelimitedReader.delimiterByte(options.delimiter, file: options.path),
                                     header: options.header, quotes: options.quotes, user: options.user, item: options.item,
                                     value: options.value, timestamp: options.timestamp)
        let (output, matrix, times, merged) = try reader.readMatrix(users: StringInterner(encoding: options.encoding),
                                                                    items: StringInterner(encoding: options.encoding))
        var report = LoadReport()
        report.rowsRead = output.rowsRead
        report.duplicatesMerged = merged
        if options.value == nil { report.notes.append("aggregated \(output.rowsRead) play events into \(matrix.nonZeroCount) (user, item) counts") }
        return Dataset(name: name, users: output.users.vocabulary(), items: output.items.vocabulary(),
                       interactions: matrix, times: times, report: report)
    }

    package static func hetrec(_ options: HetRecOptions, name: String) throws(DatasetError) -> Dataset {
        var reader = DelimitedReader(path: options.userArtists, delimiter: 0x09, header: true, quotes: false,
                                     user: .name("userID"), item: .name("artistID"), value: .name("weight"))
        reader.valueKind = .count
        let (output, matrix, _, merged) = try reader.readMatrix(users: IntegerInterner(), items: IntegerInterner())
        var report = LoadReport()
        report.rowsRead = output.rowsRead
        report.duplicatesMerged = merged
        var items = output.items.vocabulary()
        if let artists = options.artists {
            let (names, skipped) = try ArtistNames.read(artists, for: output.items.ids)
            items.names = names
            if skipped > 1 { report.notes.append("\(artists): skipped \(skipped - 1) malformed name line(s)") }
        }
        var times: InteractionTimes?
        if let tagged = options.taggedArtists {
            times = try tagDates(tagged, users: output.users, items: output.items, matrix: matrix)
            report.notes.append("tag dates give a timestamp to \(times!.knownCount) of \(matrix.nonZeroCount) interactions")
        }
        return Dataset(name: name, users: output.users.vocabulary(), items: items, interactions: matrix, times: times, report: report)
    }

    /// The earliest and latest tag date (midnight UTC, Unix seconds) of each (user, artist) pair.
    private static func tagDates(_ path: String, users: IntegerInterner, items: IntegerInterner,
                                 matrix: InteractionMatrix) throws(DatasetError) -> InteractionTimes {
        var first = [Int64](repeating: InteractionTimes.missing, count: matrix.nonZeroCount)
        var last = first
        var fields: [Range<Int>] = []
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            if number == 1 { return }
            _ = FieldParsing.split(line, delimiter: 0x09, quotes: false, into: &fields)
            guard fields.count == 6 else {
                throw .malformedLine(file: path, line: number, reason: "expected 6 tab-separated fields (userID artistID tagID day month year), found \(fields.count)")
            }
            var numbers = [Int64]()
            for field in fields {
                guard case .value(let n) = FieldParsing.parseNonNegative(line.slice(field)) else {
                    throw .malformedLine(file: path, line: number, reason: "the field \(FieldParsing.quote(line.slice(field))) is not a non-negative integer")
                }
                numbers.append(n)
            }
            // Ids are bytes: `007` is not the id `7`, so an id in another spelling matches nothing.
            guard FieldParsing.isPlainDecimal(line.slice(fields[0])), FieldParsing.isPlainDecimal(line.slice(fields[1])),
                  let u = users.existingIndex(for: numbers[0]), let i = items.existingIndex(for: numbers[1]) else { return }
            guard (1...31).contains(numbers[3]), (1...12).contains(numbers[4]), (1...9999).contains(numbers[5]) else {
                throw .malformedLine(file: path, line: number, reason: "day \(numbers[3]) / month \(numbers[4]) / year \(numbers[5]) is not a date (years 1 to 9999)")
            }
            let time = Calendar.daysFromCivil(year: numbers[5], month: numbers[4], day: numbers[3]) * 86_400
            let row = matrix.range(ofRow: Int(u))
            // Binary search for the entry of item i in row u.
            var low = row.lowerBound, high = row.upperBound
            while low < high { let mid = (low + high) / 2; if matrix.columns[mid] < i { low = mid + 1 } else { high = mid } }
            guard low < row.upperBound, matrix.columns[low] == i else { return }
            first[low] = first[low] == InteractionTimes.missing ? time : min(first[low], time)
            last[low] = max(last[low], time)
        }
        return InteractionTimes(first: first, last: last)
    }

    package static func movieLens(_ options: MovieLensOptions, name: String) throws(DatasetError) -> Dataset {
        let csv = options.ratings.hasSuffix(".csv")
        var reader = DelimitedReader(path: options.ratings, delimiter: csv ? 0x2C : 0x09, header: csv, quotes: csv,
                                     user: csv ? .name("userId") : .index(0), item: csv ? .name("movieId") : .index(1),
                                     value: csv ? .name("rating") : .index(2), timestamp: csv ? .name("timestamp") : .index(3))
        if options.ratings.hasSuffix(".dat") {
            // The 1M release separates fields by "::": split at ':' and take every other field.
            reader = DelimitedReader(path: options.ratings, delimiter: 0x3A, header: false, quotes: false,
                                     user: .index(0), item: .index(2), value: .index(4), timestamp: .index(6))
            reader.doubledDelimiter = true
        }
        var dropped = 0
        switch options.feedback {
        case .threshold(let threshold): reader.keep = { $0 >= threshold ? 1 : nil }
        case .weights: reader.keep = { Float($0) }
        }
        let (output, matrix, times, merged) = try reader.readMatrix(users: IntegerInterner(), items: IntegerInterner())
        dropped = output.rowsDropped
        if matrix.nonZeroCount == 0, case .threshold(let threshold) = options.feedback {
            throw .noInteractions(file: options.ratings, reason: "every one of the \(output.rowsRead) rating(s) is below the threshold \(threshold) (use --rating-threshold or --rating-weights)")
        }
        var report = LoadReport()
        report.rowsRead = output.rowsRead
        report.duplicatesMerged = merged
        if case .threshold(let threshold) = options.feedback {
            report.notes.append("kept ratings >= \(threshold) as implicit feedback; dropped \(dropped) lower rating(s)")
        }
        var items = output.items.vocabulary()
        if let itemsPath = options.items {
            items.names = try titles(itemsPath, ids: output.items.ids)
        }
        return Dataset(name: name, users: output.users.vocabulary(), items: items, interactions: matrix, times: times, report: report)
    }

    /// Movie titles from `u.item` (ISO-8859-1, `|`), `movies.csv` (UTF-8, quoted) or the 1M
    /// release's `movies.dat` (`id::title::genres`, where a title may hold single colons).
    private static func titles(_ path: String, ids: [Int64]) throws(DatasetError) -> [String?] {
        let csv = path.hasSuffix(".csv")
        let dat = path.hasSuffix(".dat")
        let separator: UInt8 = csv ? 0x2C : 0x7C
        var position = IntegerTable(capacity: ids.count)
        for (index, id) in ids.enumerated() { position.set(Int64(index), for: id) }
        var names = [String?](repeating: nil, count: ids.count)
        var fields: [Range<Int>] = []
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            if csv && number == 1 { return }
            let idRange: Range<Int>, titleRange: Range<Int>
            if dat {
                // Split on "::" only: the id before the first, the title up to the last.
                guard let first = FieldParsing.doubleColon(in: line, from: 0) else {
                    throw .malformedLine(file: path, line: number, reason: "expected id::title::genres, found \(FieldParsing.quote(line))")
                }
                var last = first
                while let next = FieldParsing.doubleColon(in: line, from: last + 2) { last = next }
                idRange = 0..<first
                titleRange = (first + 2)..<(last > first ? last : line.count)
            } else {
                guard FieldParsing.split(line, delimiter: separator, quotes: csv, into: &fields), fields.count >= 2 else {
                    throw .malformedLine(file: path, line: number, reason: "expected an id and a title")
                }
                idRange = fields[0]
                titleRange = fields[1]
            }
            let idBytes = line.slice(idRange)
            guard case .value(let id) = FieldParsing.parseNonNegative(idBytes) else {
                throw .malformedLine(file: path, line: number, reason: "the movie id \(FieldParsing.quote(idBytes)) is not a non-negative integer")
            }
            // Ids are bytes: a title for `007` is not the title of movie `7`.
            if FieldParsing.isPlainDecimal(idBytes), let index = position.value(for: id) {
                names[Int(index)] = FieldParsing.unquote(line.slice(titleRange), encoding: csv ? .utf8 : .latin1)
            }
        }
        return names
    }
}

extension Calendar {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
