/// An open-addressing hash table from `Int64` keys to `Int64` values.
///
/// Made for the hot path of loading: interning raw integer ids and resolving aliases on
/// tens of millions of rows, where `Dictionary` costs several times more per lookup.
struct IntegerTable {
    private var keys: [Int64]
    private var values: [Int64]
    private var occupied: [Bool]
    private var mask: Int
    /// The number of keys stored.
    private(set) var count = 0

    /// Creates a table with room for `capacity` keys before it grows.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [Int64](repeating: 0, count: size)
        values = [Int64](repeating: 0, count: size)
        occupied = [Bool](repeating: false, count: size)
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
    func value(for key: Int64) -> Int64? {
        var slot = Self.hash(key) & mask
        while occupied[slot] {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The value stored for `key`; when absent, stores `make()` first.
    @inline(__always)
    mutating func value(for key: Int64, orInsert make: () -> Int64) -> Int64 {
        var slot = Self.hash(key) & mask
        while occupied[slot] {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        let value = make()
        keys[slot] = key
        values[slot] = value
        occupied[slot] = true
        count += 1
        if count * 2 > mask { grow() }
        return value
    }

    /// Stores `value` for `key`, replacing any earlier value.
    mutating func set(_ value: Int64, for key: Int64) {
        var slot = Self.hash(key) & mask
        while occupied[slot] {
            if keys[slot] == key { values[slot] = value; return }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = value
        occupied[slot] = true
        count += 1
        if count * 2 > mask { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldOccupied = occupied
        let size = (mask + 1) * 2
        keys = [Int64](repeating: 0, count: size)
        values = [Int64](repeating: 0, count: size)
        occupied = [Bool](repeating: false, count: size)
        mask = size - 1
        count = 0
        for slot in oldOccupied.indices where oldOccupied[slot] { set(oldValues[slot], for: oldKeys[slot]) }
    }
}

/// Assigns dense indices to raw ids in order of first appearance.
protocol IDInterner {
    /// The dense index of `key`, assigning the next one when the key is new.
    mutating func index(forRawID key: UnsafeBufferPointer<UInt8>, line: Int, file: String, role: String) throws(DatasetError) -> Int32
    /// The vocabulary of every id seen, in index order.
    func vocabulary() -> Vocabulary
    /// The number of distinct ids.
    var count: Int { get }
}

/// Interns integer ids through an ``IntegerTable``.
struct IntegerInterner: IDInterner {
    private var table = IntegerTable(capacity: 1 << 12)
    private(set) var ids: [Int64] = []

    var count: Int { ids.count }

    /// The dense index of an already parsed integer id.
    @inline(__always)
    mutating func index(for key: Int64) -> Int32 {
        let next = Int64(ids.count)
        let value = table.value(for: key) {
            ids.append(key)
            return next
        }
        return Int32(truncatingIfNeeded: value)
    }

    /// The dense index of `key` if it has been seen.
    func existingIndex(for key: Int64) -> Int32? {
        table.value(for: key).map { Int32(truncatingIfNeeded: $0) }
    }

    mutating func index(forRawID key: UnsafeBufferPointer<UInt8>, line: Int, file: String, role: String) throws(DatasetError) -> Int32 {
        switch FieldParsing.parseNonNegative(key) {
        case .value(let id): return index(for: id)
        case .empty: throw .malformedLine(file: file, line: line, reason: "the \(role) id is empty")
        case .overflow: throw .malformedLine(file: file, line: line, reason: "the \(role) id \(FieldParsing.quote(key)) overflows a 64-bit integer")
        case .negative, .notANumber: throw .malformedLine(file: file, line: line, reason: "the \(role) id \(FieldParsing.quote(key)) is not a non-negative integer")
        }
    }

    func vocabulary() -> Vocabulary { Vocabulary(integers: ids) }
}

/// Interns ids of any text form.
struct StringInterner: IDInterner {
    private var table: [String: Int32] = [:]
    private(set) var ids: [String] = []
    var count: Int { ids.count }

    /// The dense index of `key`, assigning the next one when the key is new.
    mutating func index(for key: String) -> Int32 {
        if let found = table[key] { return found }
        let next = Int32(ids.count)
        table[key] = next
        ids.append(key)
        return next
    }

    mutating func index(forRawID key: UnsafeBufferPointer<UInt8>, line: Int, file: String, role: String) throws(DatasetError) -> Int32 {
        guard !key.isEmpty else { throw .malformedLine(file: file, line: line, reason: "the \(role) id is empty") }
        return index(for: String(decoding: key, as: UTF8.self))
    }

    func vocabulary() -> Vocabulary { Vocabulary(strings: ids) }
}
