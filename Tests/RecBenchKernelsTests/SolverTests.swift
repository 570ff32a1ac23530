import Testing
import RecBenchKernels

/// A symmetric positive-definite n × n matrix: MᵀM + n·I.
func spd(_ n: Int, seed: UInt64) -> [Float] {
    var rng = TestRNG(state: seed)
    let m = rng.vector(n * n)
    var a = Reference.gram(n: n, f: n, y: m)
    for i in 0..<n { a[i * n + i] += Float(n) }
    return a
}

@Suite("Cholesky and conjugate gradient")
struct SolverTests {
    @Test(arguments: [1, 2, 7, 16, 64, 129, 256])
    func choleskySolveMatchesGaussianElimination(n: Int) throws {
        let a = spd(n, seed: UInt64(n))
        var rng = TestRNG(state: 3)
        let b = rng.vector(n)
        let expected = Reference.solve(n: n, a: a, b: b)
        var l = a, x = b
        try l.withUnsafeMutableBufferPointer { pl in try Cholesky.factor(pl.baseAddress!, n: n, lda: n) }
        l.withUnsafeBufferPointer { pl in x.withUnsafeMutableBufferPointer { px in Cholesky.solve(pl.baseAddress!, n: n, lda: n, px.baseAddress!) } }
        #expect(zip(x, expected).allSatisfy { close($0, $1, tolerance: 1e-3) }, "n \(n)")
    }

    @Test func choleskyFactorReproducesTheMatrix() throws {
        let n = 20
        let a = spd(n, seed: 9)
        var l = a
        try l.withUnsafeMutableBufferPointer { try Cholesky.factor($0.baseAddress!, n: n, lda: n) }
        for i in 0..<n {
            for j in 0...i {
                var sum: Float = 0
                for k in 0...j { sum += l[i * n + k] * l[j * n + k] }
                #expect(close(sum, a[i * n + j], tolerance: 1e-4))
            }
        }
    }

    @Test func notPositiveDefiniteNamesTheColumn() {
        var a: [Float] = [4, 2, 2, 1]          // singular: the second pivot is 1 − 1 = 0
        #expect(throws: KernelError.notPositiveDefinite(column: 1, pivot: 0)) {
            try a.withUnsafeMutableBufferPointer { try Cholesky.factor($0.baseAddress!, n: 2, lda: 2) }
        }
    }

    /// The implicit-ALS system for one user, built densely, against CG run to convergence.
    @Test(arguments: [8, 32, 64])
    func conjugateGradientConvergesToTheDirectSolution(f: Int) {
        var rng = TestRNG(state: UInt64(f))
        let itemCount = 200
        let y = rng.vector(itemCount * f)
        let items: [Int32] = [3, 17, 42, 99, 150, 151]
        let confidences: [Float] = [2, 41, 5, 1, 10, 3]
        let lambda: Float = 0.1, extra: Float = 0.6
        var gram = Reference.gram(n: itemCount, f: f, y: y)
        for i in 0..<f { gram[i * f + i] += lambda }
        // Dense A and b.
        var a = gram
        for i in 0..<f { a[i * f + i] += extra }
        var b = [Float](repeating: 0, count: f)
        for (item, c) in zip(items, confidences) {
            let row = Array(y[(Int(item) * f)..<(Int(item) * f + f)])
            for i in 0..<f {
                b[i] += c * row[i]
                for j in 0..<f { a[i * f + j] += (c - 1) * row[i] * row[j] }
            }
        }
        let expected = Reference.solve(n: f, a: a, b: b)
        var x = [Float](repeating: 0, count: f)
        var scratch = [Float](repeating: 0, count: 3 * f)
        gram.withUnsafeBufferPointer { g in y.withUnsafeBufferPointer { py in items.withUnsafeBufferPointer { pi in
            confidences.withUnsafeBufferPointer { pc in x.withUnsafeMutableBufferPointer { px in scratch.withUnsafeMutableBufferPointer { ps in
                ConjugateGradient.solve(x: px.baseAddress!, f: f, gram: g.baseAddress!, extraDiagonal: extra, factors: py.baseAddress!,
                                        ldy: f, items: pi, confidences: pc, steps: 3 * f, scratch: ps.baseAddress!)
            } } } } } }
        #expect(zip(x, expected).allSatisfy { close($0, $1, tolerance: 2e-3) }, "f \(f)")
    }

    @Test func conjugateGradientWarmStartAtTheSolutionStaysThere() {
        let f = 4
        let gram: [Float] = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2]
        let y: [Float] = [1, 0, 0, 0]
        // A = 2I + (c−1)e₀e₀ᵀ with c = 3 → diag(4, 2, 2, 2); b = 3e₀ → x = (0.75, 0, 0, 0).
        var x: [Float] = [0.75, 0, 0, 0]
        var scratch = [Float](repeating: 0, count: 12)
        let items: [Int32] = [0], confidences: [Float] = [3]
        gram.withUnsafeBufferPointer { g in y.withUnsafeBufferPointer { py in items.withUnsafeBufferPointer { pi in
            confidences.withUnsafeBufferPointer { pc in x.withUnsafeMutableBufferPointer { px in scratch.withUnsafeMutableBufferPointer { ps in
                ConjugateGradient.solve(x: px.baseAddress!, f: f, gram: g.baseAddress!, factors: py.baseAddress!, ldy: f,
                                        items: pi, confidences: pc, steps: 3, scratch: ps.baseAddress!)
            } } } } } }
        #expect(x == [0.75, 0, 0, 0])
    }
}
