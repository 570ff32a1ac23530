import RecBenchCore
/// Splits built in memory, from train and test triples: fixtures for tests and for outside
/// authors' models.
extension Split {
    /// Builds a split from its two parts, given as (user, item, value) triples with raw ids.
    ///
    /// Users and items are numbered in order of first appearance in `train`, then `test` (as
    /// ``SplitFiles/read(from:)`` numbers a split written by another tool), so both parts share
    /// one vocabulary. The users evaluated are those with test and training interactions; a
    /// repeated pair within a part is merged by summing its values. A fixture in three lines:
    /// ```swift
    /// let split = try Split(train: [("ann", "x", 1), ("bob", "x", 1), ("bob", "y", 1)],
    ///                       test: [("ann", "y", 1)])
    /// ```
    ///
    /// - Parameters:
    ///   - name: the dataset's name in reports.
    ///   - train: the training interactions.
    ///   - test: the held-out interactions.
    ///   - method: the method recorded as having made the split (only reported).
    ///   - seed: the seed recorded with it.
    /// - Throws: ``DatasetError/malformedLine(file:line:reason:)`` naming `in-memory <name>` and the
    ///   1-based position of the first bad triple, counted through `train`, then `test`.
    /// - Complexity: O(n + users + items) for n triples.
    public init(name: String = "in-memory", train: [Dataset.Triple], test: [Dataset.Triple],
                method: SplitMethod = .globalRandom(fraction: 0.5), seed: UInt64 = 0) throws(DatasetError) {
        let built = try InMemoryInteractions(name: name, parts: [train, test])
        self = Splitter.assemble(name: name, users: built.users, items: built.items,
                                 train: built.matrices[0], test: built.matrices[1], trainTimes: nil, testTimes: nil,
                                 minimumExcluded: 0, method: method, seed: seed)
    }
}
