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
