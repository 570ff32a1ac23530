/// Interactions collected row by row before they become a CSR matrix.
///
/// Loaders append (user, item, value[, time]) in file order; ``build(userCount:itemCount:)``
/// sorts them by user and item with two stable counting-sort passes and merges duplicate
/// pairs by summing values and keeping the earliest first time and latest last time.
struct InteractionBuffer {
    var users: [Int32] = []
    var items: [Int32] = []
    var values: [Float] = []
    /// First times, or empty when the source has no timestamps.
    var firstTimes: [Int64] = []
    /// Last times, or empty when the source has no timestamps.
    var lastTimes: [Int64] = []
    let hasTimes: Bool

    init(hasTimes: Bool, reserve: Int = 0) {
        self.hasTimes = hasTimes
        users.reserveCapacity(reserve)
        items.reserveCapacity(reserve)
        values.reserveCapacity(reserve)
        if hasTimes { firstTimes.reserveCapacity(reserve); lastTimes.reserveCapacity(reserve) }
    }

    var count: Int { users.count }

    @inline(__always)
    mutating func append(user: Int32, item: Int32, value: Float) {
        users.append(user); items.append(item); values.append(value)
    }

    @inline(__always)
    mutating func append(user: Int32, item: Int32, value: Float, time: Int64) {
        users.append(user); items.append(item); values.append(value)
        firstTimes.append(time); lastTimes.append(time)
    }

    /// Sorts, merges duplicates and returns the matrix, its times and the number of merged rows.
    ///
    /// - Complexity: O(n + users + items) time; about 3× the buffer's memory at the peak.
    consuming func build(userCount: Int, itemCount: Int) -> (InteractionMatrix, InteractionTimes?, merged: Int) {
        let n = users.count
        // Pass 1: stable counting sort by item.
        var byItem = [Int32](repeating: 0, count: n)
        do {
            var start = [Int](repeating: 0, count: itemCount + 1)
            for item in items { start[Int(item) + 1] += 1 }
            for i in 0..<itemCount { start[i + 1] += start[i] }
            for k in 0..<n { let item = Int(items[k]); byItem[start[item]] = Int32(k); start[item] += 1 }
        }
        // Pass 2: stable counting sort by user, which keeps items ordered within a row.
        var order = [Int32](repeating: 0, count: n)
        var rowStart = [Int](repeating: 0, count: userCount + 1)
        for user in users { rowStart[Int(user) + 1] += 1 }
        for u in 0..<userCount { rowStart[u + 1] += rowStart[u] }
        do {
            var next = rowStart
            for k in byItem { let user = Int(users[Int(k)]); order[next[user]] = k; next[user] += 1 }
        }
        byItem = []

        // Gather, merging adjacent duplicates within each row.
        var offsets = [Int](repeating: 0, count: userCount + 1)
        var columns = [Int32](); columns.reserveCapacity(n)
        var merged = [Float](); merged.reserveCapacity(n)
        var first = [Int64](), last = [Int64]()
        if hasTimes { first.reserveCapacity(n); last.reserveCapacity(n) }
        var duplicates = 0
        for u in 0..<userCount {
            let rowBegin = columns.count
            for position in rowStart[u]..<rowStart[u + 1] {
                let k = Int(order[position])
                let item = items[k]
                if columns.count > rowBegin && columns[columns.count - 1] == item {
                    duplicates += 1
                    merged[merged.count - 1] += values[k]
                    if hasTimes {
                        first[first.count - 1] = Self.earlier(first[first.count - 1], firstTimes[k])
                        last[last.count - 1] = max(last[last.count - 1], lastTimes[k])
                    }
                } else {
                    columns.append(item)
                    merged.append(values[k])
                    if hasTimes { first.append(firstTimes[k]); last.append(lastTimes[k]) }
                }
            }
            offsets[u + 1] = columns.count
        }
        let matrix = InteractionMatrix(rowCount: userCount, columnCount: itemCount,
                                       rowOffsets: offsets, columns: columns, values: merged)
        return (matrix, hasTimes ? InteractionTimes(first: first, last: last) : nil, duplicates)
    }

    /// The earlier of two times, where ``InteractionTimes/missing`` is treated as unknown.
    @inline(__always)
    private static func earlier(_ a: Int64, _ b: Int64) -> Int64 {
        if a == InteractionTimes.missing { return b }
        if b == InteractionTimes.missing { return a }
        return min(a, b)
    }
}
