/// A dense user index in `0..<dataset.userCount`.
///
/// Wraps the position of a user in a ``Vocabulary`` so that user and item positions can
/// never be mixed up. Raw ids from files are mapped back through the vocabulary.
public struct UserIndex: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The position of the user, starting at zero.
    public var rawValue: Int32

    /// Creates an index from its position.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Creates an index from an `Int` position.
    public init(_ value: Int) { self.rawValue = Int32(value) }

    /// The position as an `Int`, for subscripting arrays.
    @inlinable public var int: Int { Int(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "u\(rawValue)" }
}

/// A dense item index in `0..<dataset.itemCount`.
public struct ItemIndex: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The position of the item, starting at zero.
    public var rawValue: Int32

    /// Creates an index from its position.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Creates an index from an `Int` position.
    public init(_ value: Int) { self.rawValue = Int32(value) }

    /// The position as an `Int`, for subscripting arrays.
    @inlinable public var int: Int { Int(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "i\(rawValue)" }
}
