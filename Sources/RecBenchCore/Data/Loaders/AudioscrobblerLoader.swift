/// Reads the Audioscrobbler dump: play counts, the alias list and artist names.
///
/// Aliases are resolved before ids are interned: each bad id is replaced by the end of its
/// alias chain, and a chain that loops is an error naming the ids of the loop. Pairs that
/// coincide after aliasing are merged by summing their counts.
package enum AudioscrobblerLoader {
    /// The largest play count accepted (counts are stored as exact 32-bit floats in sums).
    package static let maximumCount: Int64 = Int64(Int32.max)
    /// 10⁰ … 10¹⁷: a number of `d` digits below 10^(d-1) has a leading zero.
    private static let powersOfTen: [Int64] = (0..<18).map { (0..<$0).reduce(1) { value, _ in value * 10 } }

    package static func load(_ options: AudioscrobblerOptions, name: String) throws(DatasetError) -> Dataset {
        let aliases = try options.artistAlias.map { path throws(DatasetError) in try ArtistAliases.read(path) }
        let file = options.userArtistData
        var users = IntegerInterner()
        var items = IntegerInterner()
        let size = (try? LineReader.checkRegularFile(file)) ?? 0
        var buffer = InteractionBuffer(hasTimes: false, reserve: size / 12)   // lines are ~17 bytes; untouched capacity costs nothing
        var report = LoadReport()
        var lastUserKey: Int64 = -1
        var lastUser: Int32 = 0
        var aliased = 0
        let powersOfTen = Self.powersOfTen
        // Rows wait in a small batch so that item ids are interned with overlapping cache misses.
        let batchSize = 128
        var pendingUsers = [Int32](), pendingArtists = [Int64](), pendingCounts = [Float]()
        pendingUsers.reserveCapacity(batchSize); pendingArtists.reserveCapacity(batchSize); pendingCounts.reserveCapacity(batchSize)
        func flush() {
            let start = buffer.items.count
            items.appendIndices(for: pendingArtists, to: &buffer.items)
            buffer.users.append(contentsOf: pendingUsers)
            buffer.values.append(contentsOf: pendingCounts)
            assert(buffer.items.count - start == pendingUsers.count)
            pendingUsers.removeAll(keepingCapacity: true)
            pendingArtists.removeAll(keepingCapacity: true)
            pendingCounts.removeAll(keepingCapacity: true)
        }

        try LineReader(path: file).forEachLine { (line, number) throws(DatasetError) in
            // Fast path: three non-negative integers separated by single spaces.
            var fields = (Int64(0), Int64(0), Int64(0))
            var field = 0
            var value: Int64 = 0
            var digits = 0
            var ok = true
            for byte in line {
                let digit = byte &- 0x30
                if digit < 10 && digits < 18 {
                    value = value &* 10 &+ Int64(digit)
                    digits += 1
                } else if byte == 0x20 && digits > 0 && field < 2 {
                    // An id is its bytes: `07` would be a different id from `7`, so ids must be plain.
                    if digits > 1 && value < powersOfTen[digits - 1] { ok = false; break }
                    if field == 0 { fields.0 = value } else { fields.1 = value }
                    field += 1; value = 0; digits = 0
                } else { ok = false; break }
            }
            guard ok && field == 2 && digits > 0 else {
                throw diagnose(line, number: number, file: file)
            }
            fields.2 = value
            guard fields.2 <= maximumCount else {
                throw .malformedLine(file: file, line: number,
                                     reason: "play count \(fields.2) overflows the largest supported count \(maximumCount)")
            }
            var artist = fields.1
            if let aliases, let good = aliases.table.value(for: artist) { artist = good; aliased += 1 }
            if fields.0 != lastUserKey { lastUserKey = fields.0; lastUser = users.index(for: fields.0) }
            pendingUsers.append(lastUser)
            pendingArtists.append(artist)
            pendingCounts.append(Float(fields.2))
            if pendingUsers.count == batchSize { flush() }
        }
        flush()
        guard buffer.count > 0 else { throw .emptyFile(path: file) }
        guard users.count < Int(Int32.max), items.count < Int(Int32.max) else {
            throw .malformedLine(file: file, line: report.rowsRead, reason: "more than \(Int32.max) distinct users or artists")
        }
        report.rowsRead = buffer.count
        report.aliasesApplied = aliased
        let (matrix, _, merged) = buffer.build(userCount: users.count, itemCount: items.count)
        report.duplicatesMerged = merged
        var itemVocabulary = items.vocabulary()
        if let namesPath = options.artistData {
            let (names, skipped) = try ArtistNames.read(namesPath, for: items.ids)
            itemVocabulary.names = names
            if skipped > 0 { report.notes.append("\(namesPath): skipped \(skipped) malformed name line(s)") }
        }
        return Dataset(name: name, users: users.vocabulary(), items: itemVocabulary, interactions: matrix, report: report)
    }

    /// The exact reason a line failed the fast path.
    package static func diagnose(_ line: UnsafeBufferPointer<UInt8>, number: Int, file: String) -> DatasetError {
        if FieldParsing.isBlank(line) {
            return .malformedLine(file: file, line: number, reason: "the line is blank")
        }
        var fields: [Range<Int>] = []
        _ = FieldParsing.split(line, delimiter: 0x20, quotes: false, into: &fields)
        guard fields.count == 3 else {
            let hint = line.contains(0x09) ? " (the file has tabs; this format uses single spaces)" : ""
            return .malformedLine(file: file, line: number,
                                  reason: "expected 3 fields separated by single spaces (user artist playcount), found \(fields.count)\(hint)")
        }
        for (position, role) in ["user id", "artist id", "play count"].enumerated() {
            let bytes = line.slice(fields[position])
            switch FieldParsing.parseNonNegative(bytes) {
            case .value where position == 2 || FieldParsing.isPlainDecimal(bytes): continue
            case .value: return .malformedLine(file: file, line: number, reason: "the \(role) \(FieldParsing.quote(bytes)) is not a plain decimal integer (a leading zero or sign); ids are compared as bytes")
            case .empty: return .malformedLine(file: file, line: number, reason: "the \(role) is empty")
            case .negative: return .malformedLine(file: file, line: number, reason: "the \(role) \(FieldParsing.quote(bytes)) is negative")
            case .notANumber: return .malformedLine(file: file, line: number, reason: "the \(role) \(FieldParsing.quote(bytes)) is not a non-negative integer")
            case .overflow: return .malformedLine(file: file, line: number, reason: "the \(role) \(FieldParsing.quote(bytes)) overflows a 64-bit integer")
            }
        }
        return .malformedLine(file: file, line: number, reason: "a number is too long (more than 18 digits)")
    }
}

/// The alias list of the Audioscrobbler dump, with chains resolved to their final id.
package struct ArtistAliases {
    /// Bad id → canonical id.
    package let table: IntegerTable
    /// The number of alias lines used.
    package let count: Int

    package static func read(_ path: String) throws(DatasetError) -> ArtistAliases {
        var slot = IntegerTable(capacity: 1 << 16)      // bad id → its index in `order`
        var order: [Int64] = []                         // bad ids, in order of first line
        var target: [Int64] = []                        // the good id of each bad id
        var lineOf: [Int] = []                          // the first line of each bad id
        var fields: [Range<Int>] = []
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            if FieldParsing.isBlank(line) {
                throw .malformedLine(file: path, line: number, reason: "the line is blank")
            }
            _ = FieldParsing.split(line, delimiter: 0x09, quotes: false, into: &fields)
            guard fields.count == 2 else {
                throw .malformedLine(file: path, line: number, reason: "expected 2 tab-separated fields (bad id, good id), found \(fields.count)")
            }
            if fields[0].isEmpty { return }     // the dump has lines with no bad id: skip them
            var ids: [Int64] = []
            for (position, role) in ["bad artist id", "good artist id"].enumerated() {
                let bytes = line.slice(fields[position])
                guard case .value(let id) = FieldParsing.parseNonNegative(bytes) else {
                    throw .malformedLine(file: path, line: number, reason: "the \(role) \(FieldParsing.quote(bytes)) is not a non-negative integer")
                }
                guard FieldParsing.isPlainDecimal(bytes) else {
                    throw .malformedLine(file: path, line: number, reason: "the \(role) \(FieldParsing.quote(bytes)) is not a plain decimal integer (a leading zero or sign); ids are compared as bytes")
                }
                ids.append(id)
            }
            if ids[0] == ids[1] { return }      // an id aliased to itself changes nothing
            if let known = slot.value(for: ids[0]) {
                target[Int(known)] = ids[1]     // a later line for the same bad id wins
            } else {
                slot.set(Int64(order.count), for: ids[0])
                order.append(ids[0])
                target.append(ids[1])
                lineOf.append(number)
            }
        }
        // Follow each chain to its end, remembering every id's end, so that each alias is
        // walked once: linear in the number of aliases. A chain that comes back to an id on
        // the walk in progress is a cycle.
        let unvisited: Int8 = 0, onWalk: Int8 = 1, done: Int8 = 2
        var state = [Int8](repeating: unvisited, count: order.count)
        var end = [Int64](repeating: 0, count: order.count)
        var walk: [Int] = []
        for start in 0..<order.count where state[start] == unvisited {
            walk.removeAll(keepingCapacity: true)
            var current = start
            var final: Int64
            while true {
                state[current] = onWalk
                walk.append(current)
                let next = target[current]
                guard let nextSlot = slot.value(for: next).map({ Int($0) }) else { final = next; break }
                if state[nextSlot] == done { final = end[nextSlot]; break }
                if state[nextSlot] == onWalk {
                    let loop = Array(walk[(walk.firstIndex(of: nextSlot) ?? 0)...])
                    let line = loop.map { lineOf[$0] }.min() ?? 0
                    throw .aliasCycle(file: path, line: line, ids: loop.map { String(order[$0]) })
                }
                current = nextSlot
            }
            for member in walk { state[member] = done; end[member] = final }
        }
        var resolved = IntegerTable(capacity: order.count)
        for (index, id) in order.enumerated() { resolved.set(end[index], for: id) }
        return ArtistAliases(table: resolved, count: order.count)
    }
}
