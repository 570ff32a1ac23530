/// An open-addressing hash table from `Int64` keys to `Int64` values.
///
/// Made for the hot path of loading: interning raw integer ids and resolving aliases on
/// tens of millions of rows, where `Dictionary` costs several times more per lookup.
package struct IntegerTable {
    /// A slot holds a key and its value; `value < 0` marks an empty slot (values are never negative).
    private struct Slot {
        var key: Int64
        var value: Int64
    }

    private var slots: [Slot]
    private var mask: Int
    /// The number of keys stored.
    package private(set) var count = 0

    /// Creates a table with room for `capacity` keys before it grows.
    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, value: -1), count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func hash(_ key: Int64) -> Int {
        var x = UInt64(bitPattern: key)
        x = (x ^ (x >> 31)) &* 0x7fb5_d329_728e_a185
        x = (x ^ (x >> 27)) &* 0x81da_def4_bc2d_d44d
        return Int(truncatingIfNeeded: x ^ (x >> 33))
    }

    /// The value stored for `key`, or `nil`.
    @inline(__always)
    package func value(for key: Int64) -> Int64? {
        slots.withUnsafeBufferPointer { table in
            var slot = Self.hash(key) & mask
            while true {
                let entry = table[slot]
                if entry.value < 0 { return nil }
                if entry.key == key { return entry.value }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Reads the home slot of each key, so that the cache lines are on their way before the
    /// lookups that need them (independent loads overlap; dependent probes would not).
    @inline(__always)
    package func touch(_ keys: UnsafeBufferPointer<Int64>) {
        var sink: Int64 = 0
        slots.withUnsafeBufferPointer { table in
            for key in keys { sink &+= table[Self.hash(key) & mask].key }
        }
        integerTableSink = sink
    }

    /// The value stored for `key`; when absent, stores `make()` first.
    ///
    /// - Precondition: `make()` returns a value >= 0.
    @inline(__always)
    package mutating func value(for key: Int64, orInsert make: () -> Int64) -> Int64 {
        let mask = self.mask
        let found: Int64 = slots.withUnsafeMutableBufferPointer { table in
            var slot = Self.hash(key) & mask
            while true {
                let entry = table[slot]
                if entry.value < 0 {
                    let value = make()
                    table[slot] = Slot(key: key, value: value)
                    return -1 - value            // tells the caller that a key was inserted
                }
                if entry.key == key { return entry.value }
                slot = (slot + 1) & mask
            }
        }
        if found >= 0 { return found }
        count += 1
        if count * 2 > mask { grow() }
        return -1 - found
    }

    /// Stores `value` (>= 0) for `key`, replacing any earlier value.
    package mutating func set(_ value: Int64, for key: Int64) {
        precondition(value >= 0)
        var slot = Self.hash(key) & mask
        while slots[slot].value >= 0 {
            if slots[slot].key == key { slots[slot].value = value; return }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(key: key, value: value)
        count += 1
        if count * 2 > mask { grow() }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, value: -1), count: (mask + 1) * 2)
        mask = slots.count - 1
        count = 0
        for entry in old where entry.value >= 0 { set(entry.value, for: entry.key) }
    }
}

/// Keeps ``IntegerTable/touch(_:)``'s loads from being optimised away.
nonisolated(unsafe) var integerTableSink: Int64 = 0

/// Assigns dense indices to raw ids in order of first appearance.
package protocol IDInterner {
    /// The dense index of `key`, assigning the next one when the key is new.
    mutating func index(forRawID key: UnsafeBufferPointer<UInt8>, line: Int, file: String, role: String) throws(DatasetError) -> Int32
    /// The vocabulary of every id seen, in index order.
    func vocabulary() -> Vocabulary
    /// The number of distinct ids.
    var count: Int { get }
}

/// Interns integer ids through an ``IntegerTable``.
package struct IntegerInterner: IDInterner {
    private var table = IntegerTable(capacity: 1 << 12)
    package private(set) var ids: [Int64] = []

    package var count: Int { ids.count }

    /// The dense index of an already parsed integer id.
    @inline(__always)
    package mutating func index(for key: Int64) -> Int32 {
        let next = Int64(ids.count)
        let value = table.value(for: key) {
            ids.append(key)
            return next
        }
        return Int32(truncatingIfNeeded: value)
    }

    /// The dense indices of `keys`, in order, appended to `indices`.
    ///
    /// Touches every key's slot first, so a batch costs about one memory latency instead of
    /// one per key: interning a long-tailed catalogue is bound by cache misses.
    package mutating func appendIndices(for keys: [Int64], to indices: inout [Int32]) {
        keys.withUnsafeBufferPointer { table.touch($0) }
        for key in keys { indices.append(index(for: key)) }
    }

    /// The dense index of `key` if it has been seen.
    package func existingIndex(for key: Int64) -> Int32? {
        table.value(for: key).map { Int32(truncatingIfNeeded: $0) }
    }

    package mutating func index(forRawID key: UnsafeBufferPointer<UInt8>, line: Int, file: String, role: String) throws(DatasetError) -> Int32 {
        switch FieldParsing.parseNonNegative(key) {
        case .value(let id):
            // Ids are compared as bytes: `07` and `7` are different ids, so only the plain
            // spelling may stand for an integer.
            guard FieldParsing.isPlainDecimal(key) else {
                throw .malformedLine(file: file, line: line, reason: "the \(role) id \(FieldParsing.quote(key)) is not a plain decimal integer (a leading zero or sign); ids are compared as bytes, so read the file as delimited text to keep such ids")
            }
            guard ids.count < Int(Int32.max) else {
                throw .malformedLine(file: file, line: line, reason: "more than \(Int32.max) distinct \(role) ids")
            }
            return index(for: id)
        case .empty: throw .malformedLine(file: file, line: line, reason: "the \(role) id is empty")
        case .overflow: throw .malformedLine(file: file, line: line, reason: "the \(role) id \(FieldParsing.quote(key)) overflows a 64-bit integer")
        case .negative, .notANumber: throw .malformedLine(file: file, line: line, reason: "the \(role) id \(FieldParsing.quote(key)) is not a non-negative integer")
        }
    }

    package func vocabulary() -> Vocabulary { Vocabulary(integers: ids) }
}

/// Interns ids of any text form as their exact bytes.
///
/// Two ids are one id only when their bytes are equal: no Unicode normalisation, no decoding
/// (the encoding is kept only to show the ids as text). Numbering is by first appearance.
package struct StringInterner: IDInterner {
    /// How the ids are shown as text (identity is always the bytes).
    package var encoding: TextEncoding { ids.encoding }
    private var table = ByteIDTable(capacity: 1 << 12)
    package private(set) var ids: RawIDBytes
    package var count: Int { ids.count }

    /// Creates an empty interner whose ids are shown in `encoding`.
    package init(encoding: TextEncoding = .utf8) { ids = RawIDBytes(encoding: encoding) }

    /// The dense index of `key`, assigning the next one when the key is new.
    @inline(__always)
    package mutating func index(forBytes key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hashed = table.key(key)
        if let found = table.find(key, key: hashed, in: ids) { return found }
        let next = Int32(truncatingIfNeeded: ids.count)
        ids.append(key)
        table.insert(position: next, key: hashed, ids: ids)
        return next
    }

    /// The dense index of the id whose bytes are `key`'s UTF-8 bytes.
    package mutating func index(for key: String) -> Int32 {
        Array(key.utf8).withUnsafeBufferPointer { index(forBytes: $0) }
    }

    package mutating func index(forRawID key: UnsafeBufferPointer<UInt8>, line: Int, file: String, role: String) throws(DatasetError) -> Int32 {
        guard !key.isEmpty else { throw .malformedLine(file: file, line: line, reason: "the \(role) id is empty") }
        guard ids.count < Int(Int32.max) else {
            throw .malformedLine(file: file, line: line, reason: "more than \(Int32.max) distinct \(role) ids")
        }
        return index(forBytes: key)
    }

    package func vocabulary() -> Vocabulary { Vocabulary(bytes: ids) }
}
