import Testing
import RecBenchKernels

@Suite("Top-k selection and sparse × dense")
struct TopKTests {
    @Test(arguments: [(1, 1), (10, 3), (100, 10), (1000, 1000), (5000, 10), (100_003, 100), (20_000, 1000), (17, 40)])
    func topKMatchesAFullSort(n: Int, k: Int) {
        var rng = TestRNG(state: UInt64(n + k))
        // Coarse values so that ties are frequent.
        let scores = (0..<n).map { _ in (rng.next() * 50).rounded() }
        let selected = scores.withUnsafeBufferPointer { TopK.select($0, k: k) }
        #expect(selected.indices == Reference.topK(scores, k: k))
        #expect(selected.scores == selected.indices.map { scores[Int($0)] })
    }

    @Test func tiesGoToTheLowerIndex() {
        let scores: [Float] = [1, 5, 5, 3, 5, 5]
        let selected = scores.withUnsafeBufferPointer { TopK.select($0, k: 3) }
        #expect(selected.indices == [1, 2, 4])
    }

    @Test func excludedAndNaNScoresAreNeverSelected() {
        let scores: [Float] = [-.infinity, .nan, 2, -.infinity, 1]
        let selected = scores.withUnsafeBufferPointer { TopK.select($0, k: 4) }
        #expect(selected.indices == [2, 4])
    }

    @Test func sparseTimesDenseMatchesReference() {
        var rng = TestRNG(state: 8)
        let f = 37, bRows = 50
        let b = rng.vector(bRows * f)
        let rowOffsets = [0, 3, 3, 7, 8]
        let columns: [Int32] = [1, 4, 49, 0, 2, 2, 30, 11]
        let values: [Float] = [1, -2, 0.5, 3, 1, 1, 0.25, 4]
        var c = [Float](repeating: .nan, count: 4 * f)
        rowOffsets.withUnsafeBufferPointer { po in columns.withUnsafeBufferPointer { pc in values.withUnsafeBufferPointer { pv in
            b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { out in
                SparseDense.multiply(rows: 4, rowOffsets: po.baseAddress!, columns: pc.baseAddress!, values: pv.baseAddress!,
                                     f: f, b: pb.baseAddress!, ldb: f, c: out.baseAddress!, ldc: f, threads: 2)
            } } } } }
        let expected = Reference.sparseDense(rowOffsets: rowOffsets, columns: columns, values: values, f: f, b: b)
        #expect(zip(c, expected).allSatisfy { close($0, $1) })
    }
}

@Suite("Top-k fed in chunks")
struct TopKChunkTests {
    @Test(arguments: [1, 7, 16, 100, 1000])
    func feedingChunksEqualsOneSelection(k: Int) {
        var rng = TestRNG(state: UInt64(k))
        let scores = (0..<5000).map { i in i % 13 == 0 ? -Float.infinity : (rng.next() * 20).rounded() }
        let whole = scores.withUnsafeBufferPointer { TopK.select($0, k: k) }
        var heap = TopK.Heap(capacity: k)
        heap.clear(capacity: k)
        var start = 0
        for size in [3, 500, 17, 1024, 2000, 1456] {
            scores.withUnsafeBufferPointer { heap.feed(UnsafeBufferPointer(rebasing: $0[start..<(start + size)]), offset: start, k: k) }
            start += size
        }
        let chunked = heap.sortedDescending()
        #expect(chunked.indices == whole.indices && chunked.scores == whole.scores)
    }
}

@Suite("Counting")
struct CountingTests {
    @Test(arguments: [0, 1, 15, 16, 17, 100, 1003])
    func countsMatchAPlainLoop(n: Int) {
        var rng = TestRNG(state: UInt64(n) + 3)
        let scores = (0..<n).map { i in i % 7 == 0 ? -Float.infinity : (rng.next() * 5).rounded() }
        let thresholds: [Float] = [-.infinity, -2, 0, 1, 3, 5, 0.5]
        var greater = [Int](repeating: 0, count: thresholds.count), equal = greater
        scores.withUnsafeBufferPointer { s in thresholds.withUnsafeBufferPointer { t in greater.withUnsafeMutableBufferPointer { g in
            equal.withUnsafeMutableBufferPointer { e in Counting.accumulateGreaterAndEqual(s, thresholds: t, greater: g.baseAddress!, equal: e.baseAddress!) }
        } } }
        for (index, t) in thresholds.enumerated() {
            #expect(greater[index] == scores.filter { $0 > t }.count)
            #expect(equal[index] == scores.filter { $0 == t }.count)
            let single = scores.withUnsafeBufferPointer { Counting.greaterAndEqual($0, than: t) }
            #expect(single.greater == greater[index] && single.equal == equal[index])
        }
    }
}

@Suite("Top-k offers")
struct TopKOfferTests {
    @Test(arguments: [1, 10, 100, 600])
    func offersInAnyOrderKeepTheSameSet(k: Int) {
        var rng = TestRNG(state: UInt64(k) + 77)
        let scores = (0..<500).map { _ in (rng.next() * 8).rounded() }
        let expected = scores.withUnsafeBufferPointer { TopK.select($0, k: k) }
        var order = Array(0..<500)
        for i in stride(from: 499, to: 0, by: -1) { order.swapAt(i, Int(rng.next() * 1000 + 1000) % (i + 1)) }
        var heap = TopK.Heap(capacity: k)
        for i in order { heap.offer(score: scores[i], index: Int32(i), k: k) }
        let offered = heap.sortedDescending()
        #expect(offered.indices == expected.indices && offered.scores == expected.scores)
    }
}
