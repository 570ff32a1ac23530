/// Interactions collected row by row before they become a CSR matrix.
///
/// Loaders append (user, item, value[, time]) in file order; ``build(userCount:itemCount:)``
/// sorts them by user and item with two stable counting-sort passes and merges duplicate
/// pairs by summing values and keeping the earliest first time and latest last time.
package struct InteractionBuffer {
    package var users: [Int32] = []
    package var items: [Int32] = []
    package var values: [Float] = []
    /// First times, or empty when the source has no timestamps.
    package var firstTimes: [Int64] = []
    /// Last times, or empty when the source has no timestamps.
    package var lastTimes: [Int64] = []
    package let hasTimes: Bool

    package init(hasTimes: Bool, reserve: Int = 0) {
        self.hasTimes = hasTimes
        users.reserveCapacity(reserve)
        items.reserveCapacity(reserve)
        values.reserveCapacity(reserve)
        if hasTimes { firstTimes.reserveCapacity(reserve); lastTimes.reserveCapacity(reserve) }
    }

    package var count: Int { users.count }

    @inline(__always)
    package mutating func append(user: Int32, item: Int32, value: Float) {
        users.append(user); items.append(item); values.append(value)
    }

    @inline(__always)
    package mutating func append(user: Int32, item: Int32, value: Float, time: Int64) {
        users.append(user); items.append(item); values.append(value)
        firstTimes.append(time); lastTimes.append(time)
    }

    /// Sorts, merges duplicates and returns the matrix, its times and the number of merged rows.
    ///
    /// Rows already grouped by user (users numbered in order of first appearance, so a
    /// grouped file gives non-decreasing indices) are sorted in place, row by row. Other
    /// orders take two stable counting-sort passes (by item, then by user). Either way a
    /// duplicate pair's values are summed in file order.
    ///
    /// - Complexity: O(n·log(longest row)) grouped, O(n + users + items) otherwise.
    package consuming func build(userCount: Int, itemCount: Int) -> (InteractionMatrix, InteractionTimes?, merged: Int) {
        let built = buildChecked(userCount: userCount, itemCount: itemCount)
        return (built.matrix, built.times, built.merged)
    }

    /// ``build(userCount:itemCount:)``, also returning the first (user, item) pair whose summed
    /// value left the float range (its stored sum is then infinite or NaN), or `nil`.
    ///
    /// Only sums can leave the range: the loaders refuse any single value beyond it.
    package consuming func buildChecked(userCount: Int, itemCount: Int)
        -> (matrix: InteractionMatrix, times: InteractionTimes?, merged: Int, overflow: (user: Int32, item: Int32)?) {
        let grouped = users.withUnsafeBufferPointer { u in
            u.count < 2 || (1..<u.count).allSatisfy { u[$0 - 1] <= u[$0] }
        }
        if !grouped { regroupByUser(userCount: userCount, itemCount: itemCount) }
        return buildGrouped(userCount: userCount, itemCount: itemCount)
    }

    /// Reorders the entries by user, then item, with two stable counting sorts.
    private mutating func regroupByUser(userCount: Int, itemCount: Int) {
        let n = users.count
        var order = [Int32](repeating: 0, count: n)
        users.withUnsafeBufferPointer { users in
            items.withUnsafeBufferPointer { items in
                var byItem = [Int32](repeating: 0, count: n)
                byItem.withUnsafeMutableBufferPointer { byItem in
                    var start = [Int](repeating: 0, count: itemCount + 1)
                    for item in items { start[Int(item) + 1] += 1 }
                    for i in 0..<itemCount { start[i + 1] += start[i] }
                    for k in 0..<n { let item = Int(items[k]); byItem[start[item]] = Int32(k); start[item] += 1 }
                }
                order.withUnsafeMutableBufferPointer { order in
                    var next = [Int](repeating: 0, count: userCount + 1)
                    for user in users { next[Int(user) + 1] += 1 }
                    for u in 0..<userCount { next[u + 1] += next[u] }
                    for k in byItem { let user = Int(users[Int(k)]); order[next[user]] = k; next[user] += 1 }
                }
            }
        }
        users = order.map { users[Int($0)] }
        items = order.map { items[Int($0)] }
        values = order.map { values[Int($0)] }
        if hasTimes {
            firstTimes = order.map { firstTimes[Int($0)] }
            lastTimes = order.map { lastTimes[Int($0)] }
        }
    }

    /// Builds the matrix from entries grouped by user, sorting and merging each row in place.
    private consuming func buildGrouped(userCount: Int, itemCount: Int)
        -> (matrix: InteractionMatrix, times: InteractionTimes?, merged: Int, overflow: (user: Int32, item: Int32)?) {
        let n = users.count
        var offsets = [Int](repeating: 0, count: userCount + 1)
        for user in users { offsets[Int(user) + 1] += 1 }
        for u in 0..<userCount { offsets[u + 1] += offsets[u] }
        users = []
        var columns = items, merged = values, first = firstTimes, last = lastTimes
        items = []; values = []; firstTimes = []; lastTimes = []
        let hasTimes = self.hasTimes
        let itemBits = max(1, Int.bitWidth - itemCount.leadingZeroBitCount)
        var radixScratch = [UInt64]()
        var keys = [UInt64](), scratchValues = [Float](), scratchFirst = [Int64](), scratchLast = [Int64]()
        var write = 0
        var duplicates = 0
        var overflow: (user: Int32, item: Int32)?
        var newOffsets = [Int](repeating: 0, count: userCount + 1)
        columns.withUnsafeMutableBufferPointer { columns in
            merged.withUnsafeMutableBufferPointer { merged in
                for u in 0..<userCount {
                    let begin = offsets[u], end = offsets[u + 1]
                    var sorted = true
                    if end - begin > 1 {
                        for k in (begin + 1)..<end where columns[k - 1] > columns[k] { sorted = false; break }
                    }
                    if !sorted {
                        keys.removeAll(keepingCapacity: true)
                        for k in begin..<end { keys.append(UInt64(UInt32(bitPattern: columns[k])) << 32 | UInt64(k - begin)) }
                        RowSort.sort(&keys, scratch: &radixScratch, itemBits: itemBits)
                        scratchValues.removeAll(keepingCapacity: true)
                        for key in keys { scratchValues.append(merged[begin + Int(key & 0xFFFF_FFFF)]) }
                        if hasTimes {
                            scratchFirst.removeAll(keepingCapacity: true); scratchLast.removeAll(keepingCapacity: true)
                            for key in keys {
                                scratchFirst.append(first[begin + Int(key & 0xFFFF_FFFF)])
                                scratchLast.append(last[begin + Int(key & 0xFFFF_FFFF)])
                            }
                        }
                        for (j, key) in keys.enumerated() {
                            columns[begin + j] = Int32(bitPattern: UInt32(key >> 32))
                            merged[begin + j] = scratchValues[j]
                            if hasTimes { first[begin + j] = scratchFirst[j]; last[begin + j] = scratchLast[j] }
                        }
                    }
                    // Compact the row into place, merging equal neighbours (write <= k always).
                    let rowStart = write
                    for k in begin..<end {
                        if write > rowStart && columns[write - 1] == columns[k] {
                            duplicates += 1
                            merged[write - 1] += merged[k]
                            if overflow == nil && !merged[write - 1].isFinite { overflow = (Int32(u), columns[k]) }
                            if hasTimes {
                                first[write - 1] = Self.earlier(first[write - 1], first[k])
                                last[write - 1] = max(last[write - 1], last[k])
                            }
                        } else {
                            columns[write] = columns[k]
                            merged[write] = merged[k]
                            if hasTimes { first[write] = first[k]; last[write] = last[k] }
                            write += 1
                        }
                    }
                    newOffsets[u + 1] = write
                }
            }
        }
        if write < n {
            columns.removeLast(n - write)
            merged.removeLast(n - write)
            if hasTimes { first.removeLast(n - write); last.removeLast(n - write) }
        }
        let matrix = InteractionMatrix(rowCount: userCount, columnCount: itemCount,
                                       rowOffsets: newOffsets, columns: columns, values: merged)
        return (matrix, hasTimes ? InteractionTimes(first: first, last: last) : nil, duplicates, overflow)
    }

    /// The earlier of two times, where ``InteractionTimes/missing`` is treated as unknown.
    @inline(__always)
    private static func earlier(_ a: Int64, _ b: Int64) -> Int64 {
        if a == InteractionTimes.missing { return b }
        if b == InteractionTimes.missing { return a }
        return min(a, b)
    }
}

/// Sorts the packed row keys (item << 32 | position) of one row.
///
/// Short rows use the standard library's sort; long rows an LSD radix sort on the item
/// bits, 11 bits a pass, which avoids the branch mispredictions of comparison sorts.
package enum RowSort {
    package static func sort(_ keys: inout [UInt64], scratch: inout [UInt64], itemBits: Int) {
        if keys.count < 192 { keys.sort(); return }
        if scratch.count < keys.count { scratch = [UInt64](repeating: 0, count: keys.count * 2) }
        let n = keys.count
        var counts = [Int](repeating: 0, count: 2048)
        var shift = 32
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var source = a.baseAddress!, target = b.baseAddress!
                var inScratch = false
                while shift < 32 + itemBits {
                    for i in 0..<2048 { counts[i] = 0 }
                    for i in 0..<n { counts[Int((source[i] >> UInt64(shift)) & 2047)] += 1 }
                    var total = 0
                    for i in 0..<2048 { let c = counts[i]; counts[i] = total; total += c }
                    for i in 0..<n {
                        let key = source[i]
                        let digit = Int((key >> UInt64(shift)) & 2047)
                        target[counts[digit]] = key
                        counts[digit] += 1
                    }
                    swap(&source, &target)
                    inScratch.toggle()
                    shift += 11
                }
                if inScratch { a.baseAddress!.update(from: b.baseAddress!, count: n) }
            }
        }
    }
}
