/// The users a model scores at once: a view of dense user indices.
///
/// Internally a slice of `Int32` positions (the evaluator's arrays), so making one costs
/// nothing; each element is a ``UserIndex``.
public struct UserBatch: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral {
    /// The users' positions.
    public let rawValues: ArraySlice<Int32>

    /// A batch of `users`.
    public init(_ users: some Sequence<UserIndex>) { self.rawValues = ArraySlice(users.map(\.rawValue)) }

    /// A batch of the users at the positions of `rawValues`, without copying.
    public init(rawValues: ArraySlice<Int32>) { self.rawValues = rawValues }

    /// A batch of one user.
    public init(_ user: UserIndex) { self.rawValues = [user.rawValue] }

    public init(arrayLiteral elements: UserIndex...) { self.init(elements) }

    public var startIndex: Int { rawValues.startIndex }
    public var endIndex: Int { rawValues.endIndex }

    @inlinable
    public subscript(position: Int) -> UserIndex { UserIndex(rawValue: rawValues[position]) }
}
