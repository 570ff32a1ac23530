/// A loaded implicit-feedback dataset: dense users and items, their raw ids, and the values.
///
/// Every loader produces this one type. Interactions are a CSR ``InteractionMatrix`` with
/// one row per user; ``times`` (where the format has timestamps) is aligned with its entries.
public struct Dataset: Sendable, Equatable {
    /// A short name for reports (`lastfm-2k`, a file's name, …).
    public var name: String
    /// The users' raw ids, in dense index order.
    public var users: Vocabulary
    /// The items' raw ids and names, in dense index order.
    public var items: Vocabulary
    /// The user × item values.
    public var interactions: InteractionMatrix
    /// Timestamps aligned with the matrix entries, where the format has them.
    public var times: InteractionTimes?
    /// What loading and preparation counted on the way (rows read, merged, dropped, …).
    public var report: LoadReport
    /// The items' metadata (tags, genres, …), one row per item, where it was loaded
    /// (``ItemFeatures``); content-based models read it.
    public var itemFeatures: ItemFeatures?

    /// Creates a dataset from its parts.
    public init(name: String, users: Vocabulary, items: Vocabulary, interactions: InteractionMatrix,
                times: InteractionTimes? = nil, report: LoadReport = LoadReport(), itemFeatures: ItemFeatures? = nil) {
        precondition(users.count == interactions.rowCount && items.count == interactions.columnCount)
        precondition(times.map { $0.lastRaw.count == interactions.nonZeroCount } ?? true)
        precondition(itemFeatures.map { $0.itemCount == interactions.columnCount } ?? true, "one feature row per item")
        self.itemFeatures = itemFeatures
        self.name = name
        self.users = users
        self.items = items
        self.interactions = interactions
        self.times = times
        self.report = report
    }

    /// The number of users.
    public var userCount: Int { interactions.rowCount }
    /// The number of items.
    public var itemCount: Int { interactions.columnCount }
    /// The number of (user, item) interactions.
    public var interactionCount: Int { interactions.nonZeroCount }
}

/// Counts gathered while a dataset was read and prepared, for the user to see.
public struct LoadReport: Sendable, Equatable, Codable {
    /// The data rows read from the source files.
    public var rowsRead: Int = 0
    /// Rows folded into an earlier row of the same (user, item) pair.
    public var duplicatesMerged: Int = 0
    /// Raw item ids replaced through an alias list.
    public var aliasesApplied: Int = 0
    /// One line per preparation step, saying what it removed or changed.
    public var notes: [String] = []

    /// Creates an empty report.
    public init() {}
}
