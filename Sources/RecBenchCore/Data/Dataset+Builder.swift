/// Datasets built in memory, from (user, item, value) triples: for fixtures and for callers
/// whose data is already loaded.
extension Dataset {
    /// One interaction given by raw ids: `value` is a play count, a rating or 1.
    public typealias Triple = (user: String, item: String, value: Float)

    /// Builds a dataset from triples, as a loader would from a file of their lines.
    ///
    /// Users and items are numbered in order of first appearance; ids are their UTF-8 bytes
    /// (no Unicode normalisation). A repeated (user, item) pair is merged by summing its values.
    /// A fixture in one line:
    /// ```swift
    /// let data = try Dataset(interactions: [("ann", "x", 1), ("ann", "y", 1), ("bob", "y", 2)])
    /// ```
    ///
    /// - Parameters:
    ///   - name: the dataset's name in reports.
    ///   - interactions: the triples, in any order (none gives an empty dataset).
    /// - Throws: ``DatasetError/malformedLine(file:line:reason:)`` naming `in-memory <name>` and the
    ///   1-based position of the first triple with an empty id or a value that is not finite, or
    ///   whose merged value leaves the float range.
    /// - Complexity: O(n + users + items) for n triples.
    public init(name: String = "in-memory", interactions: [Triple]) throws(DatasetError) {
        let built = try InMemoryInteractions(name: name, parts: [interactions])
        self.init(name: name, users: built.users, items: built.items, interactions: built.matrices[0])
    }
}

/// Triples interned and assembled into CSR matrices that share one numbering.
package struct InMemoryInteractions {
    package var users: Vocabulary
    package var items: Vocabulary
    /// One matrix per part, every one users × items.
    package var matrices: [InteractionMatrix]

    /// Numbers users and items in order of first appearance across `parts`, in order, and
    /// builds each part's matrix.
    package init(name: String, parts: [[Dataset.Triple]]) throws(DatasetError) {
        let file = "in-memory \(name)"
        var userIDs = StringInterner(), itemIDs = StringInterner()
        var buffers: [InteractionBuffer] = []
        var offset = 0   // positions count across parts, so an error names one place
        for part in parts {
            var buffer = InteractionBuffer(hasTimes: false, reserve: part.count)
            for (position, triple) in part.enumerated() {
                let line = offset + position + 1
                guard triple.value.isFinite else {
                    throw .malformedLine(file: file, line: line, reason: "the value \(triple.value) is not a finite number")
                }
                let user = try Array(triple.user.utf8).withUnsafeBufferPointer { (bytes) throws(DatasetError) in
                    try userIDs.index(forRawID: bytes, line: line, file: file, role: "user")
                }
                let item = try Array(triple.item.utf8).withUnsafeBufferPointer { (bytes) throws(DatasetError) in
                    try itemIDs.index(forRawID: bytes, line: line, file: file, role: "item")
                }
                buffer.append(user: user, item: item, value: triple.value)
            }
            buffers.append(buffer)
            offset += part.count
        }
        var matrices: [InteractionMatrix] = []
        offset = 0
        for (part, buffer) in zip(parts, buffers) {
            let built = buffer.buildChecked(userCount: userIDs.count, itemCount: itemIDs.count)
            if let pair = built.overflow {
                let user = String(decoding: userIDs.ids[Int(pair.user)], as: UTF8.self)
                let item = String(decoding: itemIDs.ids[Int(pair.item)], as: UTF8.self)
                let last = part.lastIndex { $0.user == user && $0.item == item } ?? 0
                throw .malformedLine(file: file, line: offset + last + 1,
                                     reason: "the values of user \(user) and item \(item) sum beyond the float range")
            }
            matrices.append(built.matrix)
            offset += part.count
        }
        self.users = userIDs.vocabulary()
        self.items = itemIDs.vocabulary()
        self.matrices = matrices
    }
}
