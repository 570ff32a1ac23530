import Synchronization

/// Maps dense indices back to the raw ids (and optional display names) of a source file.
///
/// Raw ids that are integers are kept as integers, which is compact and fast to cache;
/// other ids are kept as strings. Looking a raw id up builds a hash index once, lazily.
public struct Vocabulary: Sendable, Equatable {
    /// How the raw ids are stored.
    public enum RawIDs: Sendable, Equatable {
        /// Ids that were decimal integers in the source.
        case integers([Int64])
        /// Ids of any other form.
        case strings([String])
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

    /// Creates a vocabulary of string ids.
    public init(strings: [String], names: [String?]? = nil) {
        self.rawIDs = .strings(strings)
        self.names = names
        self.index = LookupIndex()
    }

    /// The number of ids.
    public var count: Int {
        switch rawIDs {
        case .integers(let ids): return ids.count
        case .strings(let ids): return ids.count
        }
    }

    /// The raw id at `position`, as text.
    public func rawID(at position: Int) -> String {
        switch rawIDs {
        case .integers(let ids): return String(ids[position])
        case .strings(let ids): return ids[position]
        }
    }

    /// The display name at `position`, or the raw id when there is no name.
    public func displayName(at position: Int) -> String {
        if let names, position < names.count, let name = names[position] { return name }
        return rawID(at: position)
    }

    /// The position of a raw id, or `nil` when it is not in the vocabulary.
    ///
    /// - Complexity: O(n) the first time (to build the index), O(1) after that.
    public func position(of rawID: String) -> Int? {
        index.lookup(rawID, in: self)
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.rawIDs == rhs.rawIDs && lhs.names == rhs.names
    }

    /// A lazily built reverse index shared by copies of one vocabulary.
    private final class LookupIndex: Sendable {
        private let table = Mutex<[String: Int]?>(nil)

        func lookup(_ key: String, in vocabulary: Vocabulary) -> Int? {
            table.withLock { table in
                if table == nil {
                    var built = [String: Int](minimumCapacity: vocabulary.count)
                    for position in 0..<vocabulary.count { built[vocabulary.rawID(at: position)] = position }
                    table = built
                }
                return table![key]
            }
        }
    }
}
