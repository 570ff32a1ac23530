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
                            ids.withBytes(at: position) { built.insert(position: Int32(position), hash: ByteIDTable.hash($0)) }
                        }
                        table = .bytes(built)
                    }
                }
                switch (table!, vocabulary.rawIDs) {
                case (.integers(let built), .integers):
                    guard FieldParsing.isPlainDecimal(key), case .value(let id) = FieldParsing.parseNonNegative(key) else { return nil }
                    return built.value(for: id).map { Int($0) }
                case (.bytes(let built), .bytes(let ids)):
                    return built.find(key, hash: ByteIDTable.hash(key), in: ids).map { Int($0) }
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
    init?(storage: [UInt8], ends: [Int], encoding: TextEncoding) {
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
    func withBytes<R>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = range(at: position)
        return try storage.withUnsafeBufferPointer { try body($0.slice(range)) }
    }

    /// The id at `position` decoded for display.
    func text(at position: Int) -> String {
        withBytes(at: position) { encoding.decode($0) }
    }

    /// The ids at `positions`, in that order.
    func subset(_ positions: [Int]) -> RawIDBytes {
        var result = RawIDBytes(encoding: encoding)
        result.ends.reserveCapacity(positions.count)
        for position in positions { result.append(self[position]) }
        return result
    }
}

/// An open-addressing hash set of byte ids, stored as positions into a ``RawIDBytes``.
///
/// Each slot packs 32 bits of the id's hash (the tag, which also chooses the home slot) with
/// its position + 1 (0 marks an empty slot), so most mismatches are rejected without touching
/// the bytes and growing never re-reads an id. Hashes come from the
/// standard library's seeded `Hasher`, so a crafted file cannot force collisions.
struct ByteIDTable {
    private var slots: [UInt64]
    private var mask: Int
    private(set) var count = 0

    /// Creates a table with room for `capacity` ids before it grows.
    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// The hash of `bytes`.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash >> 32 }

    /// The position of the id equal to `key`, or `nil`.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, in ids: RawIDBytes) -> Int32? {
        let tag = Self.tag(hash)
        return slots.withUnsafeBufferPointer { table in
            ids.storage.withUnsafeBufferPointer { storage in
                var slot = Self.home(tag, mask)
                while true {
                    let entry = table[slot]
                    if entry == 0 { return nil }
                    if entry >> 32 == tag {
                        let position = Int(entry & 0xFFFF_FFFF) - 1
                        if Self.equal(storage.slice(ids.range(at: position)), key) { return Int32(position) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Stores `position` for an id known not to be in the table yet.
    mutating func insert(position: Int32, hash: UInt64) {
        let tag = Self.tag(hash)
        var slot = Self.home(tag, mask)
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = tag << 32 | UInt64(UInt32(position) + 1)
        count += 1
        if count * 2 > mask { grow() }
    }

    /// Doubles the table; an entry's home slot depends only on its tag, so no id is re-read.
    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: (mask + 1) * 2)
        mask = slots.count - 1
        for entry in old where entry != 0 {
            var slot = Self.home(entry >> 32, mask)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// The first slot probed for an id with `tag`.
    @inline(__always)
    private static func home(_ tag: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: tag) & mask }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, a.count) == 0
    }
}
