import RecBenchCore
/// Typed access to a split's and a dataset's users and items: the index type picks the
/// vocabulary, so a user position can never be looked up among the items.
extension Split {
    /// The users to evaluate, as a batch to score (no copy).
    public var evaluatedUserBatch: UserBatch { UserBatch(rawValues: evaluatedUsers[...]) }

    /// The test items of `user`, in increasing order.
    public func testItems(of user: UserIndex) -> [ItemIndex] { testItems(of: user.int).map(ItemIndex.init(rawValue:)) }

    /// The training items of `user`, in increasing order.
    public func trainItems(of user: UserIndex) -> [ItemIndex] { trainItems(of: user.int).map(ItemIndex.init(rawValue:)) }

    /// The user's raw id.
    public func rawID(of user: UserIndex) -> String { users.rawID(at: user.int) }

    /// The item's raw id.
    public func rawID(of item: ItemIndex) -> String { items.rawID(at: item.int) }

    /// The index of the user with raw id `rawID`, or nil.
    public func user(_ rawID: String) -> UserIndex? { users.position(of: rawID).map(UserIndex.init) }

    /// The index of the item with raw id `rawID`, or nil.
    public func item(_ rawID: String) -> ItemIndex? { items.position(of: rawID).map(ItemIndex.init) }
}

extension Dataset {
    /// The user's raw id.
    public func rawID(of user: UserIndex) -> String { users.rawID(at: user.int) }

    /// The item's raw id.
    public func rawID(of item: ItemIndex) -> String { items.rawID(at: item.int) }

    /// The index of the user with raw id `rawID`, or nil.
    public func user(_ rawID: String) -> UserIndex? { users.position(of: rawID).map(UserIndex.init) }

    /// The index of the item with raw id `rawID`, or nil.
    public func item(_ rawID: String) -> ItemIndex? { items.position(of: rawID).map(ItemIndex.init) }
}
