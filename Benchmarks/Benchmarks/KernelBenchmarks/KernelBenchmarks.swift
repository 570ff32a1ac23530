import Benchmark
import RecBenchKernels

/// Deterministic test data in [-1, 1).
func vector(_ n: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<n).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 23) - 1
    }
}

/// The kernels at the shapes the algorithms use: f = 32, 64, 128; n from 10k to 1M.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 200
    )

    for size in [256, 512] {
        let a = vector(size * size, seed: 1), b = vector(size * size, seed: 2)
        Benchmark("gemm \(size)x\(size)x\(size)") { benchmark in
            var c = [Float](repeating: 0, count: size * size)
            for _ in benchmark.scaledIterations {
                a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(m: size, n: size, k: size, a: pa.baseAddress!, lda: size, b: pb.baseAddress!, ldb: size,
                                  c: pc.baseAddress!, ldc: size)
                } } }
            }
            blackHole(c)
        }
    }

    for f in [32, 64, 128] {
        for n in [10_000, 100_000, 1_000_000] {
            let y = vector(n * f, seed: UInt64(f))
            Benchmark("gram n=\(n) f=\(f)") { benchmark in
                var g = [Float](repeating: 0, count: f * f)
                for _ in benchmark.scaledIterations {
                    y.withUnsafeBufferPointer { py in g.withUnsafeMutableBufferPointer { pg in
                        Gram.compute(n: n, f: f, y: py.baseAddress!, ldy: f, into: pg.baseAddress!)
                    } }
                }
                blackHole(g)
            }
            let x = vector(f, seed: 9)
            Benchmark("batched-dot n=\(n) f=\(f)") { benchmark in
                var out = [Float](repeating: 0, count: n)
                for _ in benchmark.scaledIterations {
                    y.withUnsafeBufferPointer { py in x.withUnsafeBufferPointer { px in out.withUnsafeMutableBufferPointer { po in
                        BatchedDot.compute(rows: n, f: f, m: py.baseAddress!, ldm: f, x: px.baseAddress!, out: po.baseAddress!)
                    } } }
                }
                blackHole(out)
            }
        }

        var spd = vector(f * f, seed: 3)
        for i in 0..<f { for j in 0..<i { spd[i * f + j] = spd[j * f + i] }; spd[i * f + i] = Float(f) + 2 }
        let matrix = spd
        Benchmark("cholesky factor+solve f=\(f)") { benchmark in
            var work = matrix, rhs = vector(f, seed: 4)
            for _ in benchmark.scaledIterations {
                work = matrix
                work.withUnsafeMutableBufferPointer { pw in
                    try? Cholesky.factor(pw.baseAddress!, n: f, lda: f)
                    rhs.withUnsafeMutableBufferPointer { Cholesky.solve(pw.baseAddress!, n: f, lda: f, $0.baseAddress!) }
                }
            }
            blackHole(rhs)
        }

        let itemFactors = vector(50_000 * f, seed: 5)
        var identity = [Float](repeating: 0, count: f * f)
        for i in 0..<f { identity[i * f + i] = 1 }
        let gram = identity
        let items = (0..<50).map { Int32($0 * 997 % 50_000) }
        let confidences = [Float](repeating: 5, count: 50)
        Benchmark("cg 3 steps f=\(f) 50 items") { benchmark in
            var x = vector(f, seed: 6), scratch = [Float](repeating: 0, count: 3 * f)
            for _ in benchmark.scaledIterations {
                gram.withUnsafeBufferPointer { g in itemFactors.withUnsafeBufferPointer { py in items.withUnsafeBufferPointer { pi in
                    confidences.withUnsafeBufferPointer { pc in x.withUnsafeMutableBufferPointer { px in scratch.withUnsafeMutableBufferPointer { ps in
                        ConjugateGradient.solve(x: px.baseAddress!, f: f, gram: g.baseAddress!, factors: py.baseAddress!, ldy: f,
                                                items: pi, confidences: pc, steps: 3, scratch: ps.baseAddress!)
                    } } } } } }
            }
            blackHole(x)
        }
    }

    for n in [10_000, 100_000, 1_000_000] {
        let scores = vector(n, seed: 7)
        for k in [10, 100, 1000] where k < n {
            Benchmark("top-k k=\(k) n=\(n)") { benchmark in
                var heap = TopK.Heap(capacity: k)
                for _ in benchmark.scaledIterations {
                    scores.withUnsafeBufferPointer { TopK.select($0, k: k, heap: &heap) }
                }
                blackHole(heap.count)
            }
        }
        let x = vector(n, seed: 8)
        Benchmark("dot n=\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(scores.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { b in Vector.dot(a.baseAddress!, b.baseAddress!, count: n) } })
            }
        }
        Benchmark("axpy n=\(n)") { benchmark in
            var y = x
            for _ in benchmark.scaledIterations {
                scores.withUnsafeBufferPointer { a in y.withUnsafeMutableBufferPointer { b in Vector.axpy(1e-7, a.baseAddress!, b.baseAddress!, count: n) } }
            }
            blackHole(y)
        }
    }

    for f in [32, 64, 128] {
        let rows = 10_000, denseRows = 50_000, perRow = 50
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        for r in 0..<rows {
            for j in 0..<perRow { columns.append(Int32((r * 31 + j * 977) % denseRows)); values.append(1) }
            offsets.append(columns.count)
        }
        let dense = vector(denseRows * f, seed: 10)
        let (o, c, v) = (offsets, columns, values)
        Benchmark("sparse-dense 10k rows x 50 nnz f=\(f)") { benchmark in
            var out = [Float](repeating: 0, count: rows * f)
            for _ in benchmark.scaledIterations {
                o.withUnsafeBufferPointer { po in c.withUnsafeBufferPointer { pc in v.withUnsafeBufferPointer { pv in
                    dense.withUnsafeBufferPointer { pd in out.withUnsafeMutableBufferPointer { pout in
                        SparseDense.multiply(rows: rows, rowOffsets: po.baseAddress!, columns: pc.baseAddress!, values: pv.baseAddress!,
                                             f: f, b: pd.baseAddress!, ldb: f, c: pout.baseAddress!, ldc: f)
                    } } } } }
            }
            blackHole(out)
        }
    }
}
