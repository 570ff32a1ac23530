import Testing
import RecBenchKernels

@Suite("GEMM and Gram")
struct GEMMTests {
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (7, 5, 3), (8, 32, 16), (9, 33, 17), (31, 47, 300), (100, 70, 513), (128, 128, 128), (6, 16, 5)]

    @Test(arguments: shapes.indices)
    func gemmMatchesReference(shape: Int) {
        let (m, n, k) = Self.shapes[shape]
        var rng = TestRNG(state: UInt64(shape) + 100)
        let a = rng.vector(m * k), b = rng.vector(k * n)
        var c = rng.vector(m * n), expected = c
        Reference.gemm(m: m, n: n, k: k, alpha: 1.5, a: a, b: b, beta: 0.5, c: &expected)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            GEMM.multiply(m: m, n: n, k: k, alpha: 1.5, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                          beta: 0.5, c: pc.baseAddress!, ldc: n)
        } } }
        #expect(zip(c, expected).allSatisfy { close($0, $1, tolerance: 2e-4) }, "m \(m) n \(n) k \(k)")
    }

    @Test func betaZeroIgnoresNaNInC() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: .nan, count: 4)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            GEMM.multiply(m: 2, n: 2, k: 2, a: pa.baseAddress!, lda: 2, b: pb.baseAddress!, ldb: 2, beta: 0, c: pc.baseAddress!, ldc: 2)
        } } }
        #expect(c == [19, 22, 43, 50])
    }

    @Test func gemmGivesTheSameBitsOnOneAndTwoThreads() {
        let (m, n, k) = (301, 67, 290)
        var rng = TestRNG(state: 5)
        let a = rng.vector(m * k), b = rng.vector(k * n)
        func run(_ threads: Int) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n, threads: threads)
            } } }
            return c
        }
        #expect(run(1) == run(2))
    }

    @Test(arguments: [(1, 1), (50, 3), (300, 32), (257, 64), (1000, 37), (100, 128), (20, 200)])
    func gramMatchesReference(n: Int, f: Int) {
        var rng = TestRNG(state: UInt64(n * 1000 + f))
        let y = rng.vector(n * f)
        let expected = Reference.gram(n: n, f: f, y: y)
        var g = [Float](repeating: .nan, count: f * f)
        y.withUnsafeBufferPointer { py in g.withUnsafeMutableBufferPointer { pg in
            Gram.compute(n: n, f: f, y: py.baseAddress!, ldy: f, into: pg.baseAddress!, threads: 2)
        } }
        #expect(zip(g, expected).allSatisfy { close($0, $1, tolerance: 2e-4) }, "n \(n) f \(f)")
        // Symmetric to the bit.
        #expect((0..<f).allSatisfy { i in (0..<f).allSatisfy { j in g[i * f + j] == g[j * f + i] } })
    }

    @Test func gramGivesTheSameBitsOnOneAndTwoThreads() {
        var rng = TestRNG(state: 77)
        let (n, f) = (2000, 64)
        let y = rng.vector(n * f)
        func run(_ threads: Int) -> [Float] {
            var g = [Float](repeating: 0, count: f * f)
            y.withUnsafeBufferPointer { py in g.withUnsafeMutableBufferPointer { pg in
                Gram.compute(n: n, f: f, y: py.baseAddress!, ldy: f, into: pg.baseAddress!, threads: threads)
            } }
            return g
        }
        #expect(run(1) == run(2))
    }

    @Test(arguments: [(1, 1), (5, 17), (33, 64), (10, 100)])
    func batchedDotMatchesReference(rows: Int, f: Int) {
        var rng = TestRNG(state: UInt64(rows + f))
        let m = rng.vector(rows * f), x = rng.vector(f)
        var out = [Float](repeating: 0, count: rows)
        m.withUnsafeBufferPointer { pm in x.withUnsafeBufferPointer { px in out.withUnsafeMutableBufferPointer { po in
            BatchedDot.compute(rows: rows, f: f, m: pm.baseAddress!, ldm: f, x: px.baseAddress!, out: po.baseAddress!)
        } } }
        #expect(zip(out, Reference.batchedDot(rows: rows, f: f, m: m, x: x)).allSatisfy { close($0, $1) })
    }
}

@Suite("GEMM with packed B")
struct PackedGEMMTests {
    @Test(arguments: [(5, 100, 3), (17, 70, 300), (64, 129, 64)])
    func packedMultiplyOverAColumnRangeMatchesReference(m: Int, n: Int, k: Int) {
        var rng = TestRNG(state: UInt64(m * n + k))
        let a = rng.vector(m * k), b = rng.vector(k * n)
        var expected = [Float](repeating: 0, count: m * n)
        Reference.gemm(m: m, n: n, k: k, alpha: 1, a: a, b: b, beta: 0, c: &expected)
        let packed = b.withUnsafeBufferPointer { GEMM.pack(b: $0.baseAddress!, ldb: n, k: k, n: n) }
        let start = GEMM.nr, width = n - GEMM.nr
        var c = [Float](repeating: .nan, count: m * width)
        a.withUnsafeBufferPointer { pa in c.withUnsafeMutableBufferPointer { pc in
            GEMM.multiply(m: m, a: pa.baseAddress!, lda: k, packed: packed, columns: start..<n, c: pc.baseAddress!, ldc: width)
        } }
        for i in 0..<m { for j in 0..<width { #expect(close(c[i * width + j], expected[i * n + start + j], tolerance: 2e-4)) } }
    }
}
