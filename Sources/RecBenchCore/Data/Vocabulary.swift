import Foundation
import Synchronization

/// Maps dense indices back to the raw ids (and optional display names) of a source file.
///
/// Two ids are the same id only when their bytes are the same: ids are kept, hashed and
/// compared as the exact bytes read from the file, never as Swift `String`s (which would
/// merge the NFC and NFD spellings of "café" and turn every invalid UTF-8 byte into U+FFFD).
/// Text is made from the bytes only for people to read (``rawID(at:)``).
///
/// Raw ids that are integers are kept as integers, which is compact and fast to cache; their
/// bytes are their plain decimal text (the integer loaders accept no other spelling). Looking
/// a raw id up builds a hash index once, lazily.
public struct Vocabulary: Sendable, Equatable {
    /// How the raw ids are stored.
    public enum RawIDs: Sendable, Equatable {
        /// Ids that were plain decimal integers in the source.
        case integers([Int64])
        /// Ids of any other form, as their exact bytes.
        case bytes(RawIDBytes)
    }

    /// The raw ids, in index order.
    public let rawIDs: RawIDs
    /// Display names in index order, where the format has them (`nil` for an id without a name).
    public var names: [String?]?
    private let index: LookupIndex

    /// Creates a vocabulary of integer ids.
    public init(integers: [Int64], names: [String?]? = nil) {
        self.rawIDs = .integers(integers)
        self.names = names
        self.index = LookupIndex()
    }

    /// Creates a vocabulary of byte ids.
    public init(bytes: RawIDBytes, names: [String?]? = nil) {
        self.rawIDs = .bytes(bytes)
        self.names = names
        self.index = LookupIndex()
    }

    /// Creates a vocabulary whose ids are the UTF-8 bytes of `strings`.
    public init(strings: [String], names: [String?]? = nil) {
        var bytes = RawIDBytes()
        for string in strings { bytes.append(string.utf8) }
        self.init(bytes: bytes, names: names)
    }

    /// The number of ids.
    public var count: Int {
        switch rawIDs {
        case .integers(let ids): return ids.count
        case .bytes(let ids): return ids.count
        }
    }

    /// The exact bytes of the id at `position`, as read from the file (an integer id as its
    /// decimal text).
    public func rawIDBytes(at position: Int) -> [UInt8] {
        switch rawIDs {
        case .integers(let ids): return Array(String(ids[position]).utf8)
        case .bytes(let ids): return Array(ids[position])
        }
    }

    /// The raw id at `position`, decoded as text for display.
    ///
    /// Decoding may lose information (invalid UTF-8 becomes U+FFFD), so two different ids can
    /// look alike here: use ``rawIDBytes(at:)`` wherever identity matters.
    public func rawID(at position: Int) -> String {
        switch rawIDs {
        case .integers(let ids): return String(ids[position])
        case .bytes(let ids): return ids.text(at: position)
        }
    }

    /// The display name at `position`, or the raw id when there is no name.
    public func displayName(at position: Int) -> String {
        if let names, position < names.count, let name = names[position] { return name }
        return rawID(at: position)
    }

    /// The position of the id whose bytes are exactly `bytes`, or `nil` when it is not in
    /// the vocabulary.
    ///
    /// - Complexity: O(n) the first time (to build the index), O(`bytes.count`) after that.
    public func position(ofBytes bytes: some Collection<UInt8>) -> Int? {
        if let found = bytes.withContiguousStorageIfAvailable({ index.lookup($0, in: self) }) { return found }
        return Array(bytes).withUnsafeBufferPointer { index.lookup($0, in: self) }
    }

    /// The position of a raw id given as text, or `nil` when it is not in the vocabulary.
    ///
    /// Looks up the string's UTF-8 bytes; in a vocabulary read as ISO-8859-1, text that
    /// Latin-1 can spell is looked up by its Latin-1 bytes, so `position(of: rawID(at: p)) == p`.
    /// - Complexity: O(n) the first time (to build the index), O(1) after that.
    public func position(of rawID: String) -> Int? {
        if case .bytes(let ids) = rawIDs, ids.encoding == .latin1,
           let latin1 = TextEncoding.latin1.encode(rawID) {
            return position(ofBytes: latin1)
        }
        return position(ofBytes: Array(rawID.utf8))
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.rawIDs == rhs.rawIDs && lhs.names == rhs.names
    }

    /// A lazily built reverse index shared by copies of one vocabulary.
    private final class LookupIndex: Sendable {
        private enum Table {
            case integers(IntegerTable)
            case bytes(ByteIDTable)
        }
        private let table = Mutex<Table?>(nil)

        func lookup(_ key: UnsafeBufferPointer<UInt8>, in vocabulary: Vocabulary) -> Int? {
            table.withLock { table in
                if table == nil {
                    switch vocabulary.rawIDs {
                    case .integers(let ids):
                        var built = IntegerTable(capacity: ids.count)
                        for (position, id) in ids.enumerated() { built.set(Int64(position), for: id) }
                        table = .integers(built)
                    case .bytes(let ids):
                        var built = ByteIDTable(capacity: ids.count)
                        for position in 0..<ids.count {
                            let key = ids.withBytes(at: position) { built.key($0) }
                            built.insert(position: Int32(position), key: key, ids: ids)
                        }
                        table = .bytes(built)
                    }
                }
                switch (table!, vocabulary.rawIDs) {
                case (.integers(let built), .integers):
                    guard FieldParsing.isPlainDecimal(key), case .value(let id) = FieldParsing.parseNonNegative(key) else { return nil }
                    return built.value(for: id).map { Int($0) }
                case (.bytes(let built), .bytes(let ids)):
                    return built.find(key, key: built.key(key), in: ids).map { Int($0) }
                default:
                    return nil
                }
            }
        }
    }
}

/// The ids of a vocabulary as their exact bytes, packed one after another.
///
/// Identity is the bytes; ``encoding`` says only how to show them as text.
public struct RawIDBytes: Sendable, Equatable {
    /// Every id's bytes, one after another.
    public private(set) var storage: [UInt8] = []
    /// The end offset in ``storage`` of each id (an id starts where the previous one ends).
    public private(set) var ends: [Int] = []
    /// How the bytes are decoded for display (identity never depends on it).
    public var encoding: TextEncoding

    /// Creates an empty list whose ids are shown in `encoding`.
    public init(encoding: TextEncoding = .utf8) { self.encoding = encoding }

    /// Creates a list from packed storage; `nil` when `ends` does not describe `storage`
    /// (not non-decreasing, or not ending at `storage.count`).
    package init?(storage: [UInt8], ends: [Int], encoding: TextEncoding) {
        var previous = 0
        for end in ends {
            guard end >= previous else { return nil }
            previous = end
        }
        guard previous == storage.count else { return nil }
        self.storage = storage
        self.ends = ends
        self.encoding = encoding
    }

    /// The number of ids.
    public var count: Int { ends.count }

    /// The byte range of the id at `position` in ``storage``.
    @inline(__always)
    public func range(at position: Int) -> Range<Int> {
        (position == 0 ? 0 : ends[position - 1])..<ends[position]
    }

    /// The bytes of the id at `position`.
    public subscript(position: Int) -> ArraySlice<UInt8> { storage[range(at: position)] }

    /// Appends an id.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
    }

    /// Calls `body` with the bytes of the id at `position`.
    @inline(__always)
    package func withBytes<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = range(at: position)
        return try storage.withUnsafeBufferPointer { try body($0.slice(range)) }
    }

    /// The id at `position` decoded for display.
    package func text(at position: Int) -> String {
        withBytes(at: position) { encoding.decode($0) }
    }

    /// The ids at `positions`, in that order.
    package func subset(_ positions: [Int]) -> RawIDBytes {
        var result = RawIDBytes(encoding: encoding)
        result.ends.reserveCapacity(positions.count)
        for position in positions { result.append(self[position]) }
        return result
    }
}

/// An open-addressing hash set of byte ids, stored as positions into a ``RawIDBytes``.
///
/// Each slot keeps the id's first eight bytes and, beside its position + 1 (0 marks an empty
/// slot), 24 bits of its hash and its length: an id of up to eight bytes (most ids) is found
/// or rejected without reading the id storage, a longer one after one comparison. The hash is
/// a multiply–fold hash keyed by secrets drawn at random for each table, so a crafted file
/// cannot aim at collisions.
package struct ByteIDTable {
    private struct Slot {
        var word: UInt64
        var meta: UInt64        // tag (24 bits) | length, capped at 255 (8 bits) | position + 1 (32 bits)
    }

    /// What a lookup computes once from the bytes of an id.
    package struct Key {
        package var hash: UInt64
        package var word: UInt64
        package var length: Int
    }

    private var slots: [Slot]
    private var mask: Int
    package private(set) var count = 0
    private let secret0: UInt64
    private let secret1: UInt64

    /// Creates a table with room for `capacity` ids before it grows.
    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(word: 0, meta: 0), count: size)
        mask = size - 1
        var random = SystemRandomNumberGenerator()
        secret0 = random.next() | 1
        secret1 = random.next() | 1
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func load(_ base: UnsafePointer<UInt8>, _ offset: Int, _ count: Int) -> UInt64 {
        if count >= 8 { return UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) }
        var word: UInt64 = 0
        for k in 0..<count { word |= UInt64(base[offset + k]) << UInt64(8 * k) }
        return word
    }

    /// The hash, first word and length of `bytes`.
    @inline(__always)
    package func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else { return Key(hash: Self.fold(secret0, secret1), word: 0, length: 0) }
        var h = secret0 ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        while i + 16 <= n {
            h = Self.fold(Self.load(base, i, 8) ^ secret1, Self.load(base, i + 8, 8) ^ h)
            i += 16
        }
        let rest = n - i
        let a = Self.load(base, i, min(rest, 8))
        let b = rest > 8 ? Self.load(base, i + 8, rest - 8) : 0
        h = Self.fold(a ^ secret1, b ^ h ^ secret0)
        return Key(hash: Self.fold(h ^ secret0, UInt64(n) ^ secret1), word: Self.load(base, 0, min(n, 8)), length: n)
    }

    @inline(__always)
    private static func tagAndLength(_ key: Key) -> UInt64 {
        (key.hash >> 40) << 40 | UInt64(min(key.length, 255)) << 32
    }

    /// The position of the id equal to `bytes` (whose key is `key`), or `nil`.
    @inline(__always)
    package func find(_ bytes: UnsafeBufferPointer<UInt8>, key: Key, in ids: RawIDBytes) -> Int32? {
        let expected = Self.tagAndLength(key)
        return slots.withUnsafeBufferPointer { table in
            var slot = Int(truncatingIfNeeded: key.hash) & mask
            while true {
                let entry = table[slot]
                if entry.meta == 0 { return nil }
                if entry.meta & 0xFFFF_FFFF_0000_0000 == expected && entry.word == key.word {
                    let position = Int(entry.meta & 0xFFFF_FFFF) - 1
                    if key.length <= 8 { return Int32(position) }     // the word and length are the id
                    let equal = ids.withBytes(at: position) { stored in
                        stored.count == bytes.count && memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0
                    }
                    if equal { return Int32(position) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Stores `position` for an id known not to be in the table yet; `ids` holds every id
    /// stored so far (it is re-read only when the table grows).
    package mutating func insert(position: Int32, key: Key, ids: RawIDBytes) {
        place(Slot(word: key.word, meta: Self.tagAndLength(key) | UInt64(UInt32(position) + 1)), hash: key.hash)
        count += 1
        if count * 2 > mask { grow(ids: ids) }
    }

    @inline(__always)
    private mutating func place(_ entry: Slot, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].meta != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Doubles the table, placing every stored entry again by its id's hash.
    private mutating func grow(ids: RawIDBytes) {
        let old = slots
        slots = [Slot](repeating: Slot(word: 0, meta: 0), count: (mask + 1) * 2)
        mask = slots.count - 1
        for entry in old where entry.meta != 0 {
            let position = Int(entry.meta & 0xFFFF_FFFF) - 1
            place(entry, hash: ids.withBytes(at: position) { key($0).hash })
        }
    }
}
