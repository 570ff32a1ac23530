import Foundation
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// Times every kernel at the shapes the algorithms use and reports GFLOP/s or GB/s.
///
/// Each figure is the best of several repetitions, each of which runs the kernel for at least
/// 20 ms. Memory-bound kernels are compared with a STREAM-like copy measured in the same run.
public struct KernelBenchmark: Codable, Sendable {
    /// One measured kernel and shape.
    public struct Row: Codable, Sendable {
        /// The kernel (`gemm`, `gram`, …).
        public var kernel: String
        /// The shape in words (`512x512x512`).
        public var shape: String
        /// Threads used.
        public var threads: Int
        /// Seconds per call (best repetition).
        public var seconds: Double
        /// Billions of floating-point operations per second, for compute-bound kernels.
        public var gflops: Double?
        /// Gigabytes per second moved to or from memory, for memory-bound kernels.
        public var gigabytesPerSecond: Double?

        /// Creates a value from each stored property (the memberwise initialiser, visible to the package).
        package init(kernel: String, shape: String, threads: Int, seconds: Double, gflops: Double? = nil, gigabytesPerSecond: Double? = nil) {
            self.kernel = kernel
            self.shape = shape
            self.threads = threads
            self.seconds = seconds
            self.gflops = gflops
            self.gigabytesPerSecond = gigabytesPerSecond
        }
    }

    /// The vector level the kernels were compiled for.
    public var builtFor: String
    /// The register tile of GEMM.
    public var gemmTile: String
    /// The measurements.
    public var rows: [Row]
    /// Derived ratios (dot and axpy against copy bandwidth, top-k against one read pass).
    public var ratios: [String: Double]

    /// Runs the benchmark.
    ///
    /// - Parameter quick: smaller shapes and fewer repetitions (for smoke tests).
    public static func run(quick: Bool = false, threads: Int = Parallel.defaultThreads) -> KernelBenchmark {
        var rows: [Row] = []
        let repetitions = quick ? 2 : 7
        let minimum = quick ? 0.002 : 0.02
        var rng = SeededGenerator(seed: 1)
        func vector(_ n: Int) -> [Float] { (0..<n).map { _ in Float(rng.nextUnit() * 2 - 1) } }

        /// Best seconds per call of `body`.
        func time(_ body: () -> Void) -> Double {
            body()                                       // warm up
            var best = Double.infinity
            for _ in 0..<repetitions {
                var calls = 0
                let start = ContinuousClock.now
                var elapsed = 0.0
                repeat { body(); calls += 1; elapsed = (ContinuousClock.now - start).seconds } while elapsed < minimum
                best = min(best, elapsed / Double(calls))
            }
            return best
        }
        func record(_ kernel: String, _ shape: String, threads: Int = 1, seconds: Double, flops: Double? = nil, bytes: Double? = nil) {
            rows.append(Row(kernel: kernel, shape: shape, threads: threads, seconds: seconds,
                            gflops: flops.map { $0 / seconds / 1e9 }, gigabytesPerSecond: bytes.map { $0 / seconds / 1e9 }))
        }

        // Memory bandwidth reference: a STREAM-like copy, and the level-1 kernels at 1M floats.
        let big = quick ? 1 << 16 : 1 << 20
        let x = vector(big)
        var y = vector(big), z = [Float](repeating: 0, count: big)
        let copy = time { x.withUnsafeBufferPointer { px in z.withUnsafeMutableBufferPointer { pz in pz.baseAddress!.update(from: px.baseAddress!, count: big) } } }
        record("copy", "\(big)", seconds: copy, bytes: 8 * Double(big))
        var sink: Float = 0
        let dotBig = time { x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in sink += Vector.dot(px.baseAddress!, py.baseAddress!, count: big) } } }
        record("dot", "\(big)", seconds: dotBig, flops: 2 * Double(big), bytes: 8 * Double(big))
        let axpyBig = time { x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in Vector.axpy(1e-7, px.baseAddress!, py.baseAddress!, count: big) } } }
        record("axpy", "\(big)", seconds: axpyBig, flops: 2 * Double(big), bytes: 12 * Double(big))
        let dotSmall = time { x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in for o in stride(from: 0, to: 64 * 256, by: 64) { sink += Vector.dot(px.baseAddress! + o, py.baseAddress! + o, count: 64) } } } }
        record("dot", "64 (x256 calls)", seconds: dotSmall / 256, flops: 128)
        let axpySmall = time { x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in Vector.axpy(1e-7, px.baseAddress!, py.baseAddress!, count: 4096) } } }
        record("axpy", "4096", seconds: axpySmall, flops: 2 * 4096)

        // GEMM.
        for size in quick ? [128] : [256, 512, 1024] {
            let a = vector(size * size), b = vector(size * size)
            var c = [Float](repeating: 0, count: size * size)
            for t in Set([1, threads]).sorted() {
                let seconds = time {
                    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                        GEMM.multiply(m: size, n: size, k: size, a: pa.baseAddress!, lda: size, b: pb.baseAddress!, ldb: size,
                                      c: pc.baseAddress!, ldc: size, threads: t)
                    } } }
                }
                record("gemm", "\(size)x\(size)x\(size)", threads: t, seconds: seconds, flops: 2 * pow(Double(size), 3))
            }
        }

        // Gram YᵀY: flops counted as 2·n·f² (what the full product costs, as numpy's figure).
        let gramRows = quick ? 10_000 : 100_000
        for f in [32, 64, 128] {
            let factors = vector(gramRows * f)
            var g = [Float](repeating: 0, count: f * f)
            for t in Set([1, threads]).sorted() {
                let seconds = time {
                    factors.withUnsafeBufferPointer { py in g.withUnsafeMutableBufferPointer { pg in
                        Gram.compute(n: gramRows, f: f, y: py.baseAddress!, ldy: f, into: pg.baseAddress!, threads: t)
                    } }
                }
                record("gram", "\(gramRows)x\(f)", threads: t, seconds: seconds, flops: 2 * Double(gramRows) * Double(f * f))
            }
        }

        // Batched dot: score 50k items for one user.
        for f in [32, 64, 128] {
            let itemCount = quick ? 5_000 : 50_000
            let m = vector(itemCount * f), v = vector(f)
            var out = [Float](repeating: 0, count: itemCount)
            let seconds = time {
                m.withUnsafeBufferPointer { pm in v.withUnsafeBufferPointer { pv in out.withUnsafeMutableBufferPointer { po in
                    BatchedDot.compute(rows: itemCount, f: f, m: pm.baseAddress!, ldm: f, x: pv.baseAddress!, out: po.baseAddress!)
                } } }
            }
            record("batched-dot", "\(itemCount)x\(f)", seconds: seconds, flops: 2 * Double(itemCount * f), bytes: 4 * Double(itemCount * f))
        }

        // Cholesky factor + solve.
        for f in [32, 64, 128, 256] {
            var a = vector(f * f)
            for i in 0..<f { for j in 0..<i { a[i * f + j] = a[j * f + i] }; a[i * f + i] = Float(f) + 2 }
            let original = a
            var work = a, rhs = vector(f)
            let seconds = time {
                work.withUnsafeMutableBufferPointer { pw in
                    original.withUnsafeBufferPointer { pw.baseAddress!.update(from: $0.baseAddress!, count: f * f) }
                    try? Cholesky.factor(pw.baseAddress!, n: f, lda: f)
                    rhs.withUnsafeMutableBufferPointer { Cholesky.solve(pw.baseAddress!, n: f, lda: f, $0.baseAddress!) }
                }
            }
            record("cholesky", "f=\(f)", seconds: seconds, flops: pow(Double(f), 3) / 3 * 2 + 4 * Double(f * f))
        }

        // Conjugate gradient for one user: 50 items, 3 steps.
        for f in [32, 64, 128] {
            let itemCount = 10_000
            let factors = vector(itemCount * f)
            var gram = [Float](repeating: 0, count: f * f)
            for i in 0..<f { gram[i * f + i] = 1 }
            let items = (0..<50).map { _ in Int32(rng.nextInt(below: itemCount)) }
            let confidences = [Float](repeating: 5, count: 50)
            var solution = vector(f), scratch = [Float](repeating: 0, count: 3 * f)
            let seconds = time {
                gram.withUnsafeBufferPointer { g in factors.withUnsafeBufferPointer { py in items.withUnsafeBufferPointer { pi in
                    confidences.withUnsafeBufferPointer { pc in solution.withUnsafeMutableBufferPointer { px in scratch.withUnsafeMutableBufferPointer { ps in
                        ConjugateGradient.solve(x: px.baseAddress!, f: f, gram: g.baseAddress!, factors: py.baseAddress!, ldy: f,
                                                items: pi, confidences: pc, steps: 3, scratch: ps.baseAddress!)
                    } } } } } }
            }
            record("cg", "f=\(f), 50 items, 3 steps", seconds: seconds, flops: 4 * (2 * Double(f * f) + 4 * 50 * Double(f)))
        }

        // Top-k against one read pass of the same scores.
        let n = 100_000
        let scores = vector(n)
        var heap = TopK.Heap(capacity: 1000)
        let pass = time {
            scores.withUnsafeBufferPointer { p in
                var best = SIMD16<Float>(repeating: -.infinity)
                let raw = UnsafeRawPointer(p.baseAddress!)
                for i in stride(from: 0, to: n, by: 16) {
                    let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                    best.replace(with: v, where: v .> best)
                }
                sink += best[0]
            }
        }
        record("read-pass", "\(n)", seconds: pass, bytes: 4 * Double(n))
        var topTimes: [Int: Double] = [:]
        for k in [10, 100, 1000] {
            let seconds = time { scores.withUnsafeBufferPointer { TopK.select($0, k: k, heap: &heap) } }
            topTimes[k] = seconds
            record("top-k", "k=\(k) of \(n)", seconds: seconds, bytes: 4 * Double(n))
        }

        // Sparse CSR rows times a dense matrix (item-kNN scoring shape).
        do {
            let sparseRows = quick ? 1_000 : 10_000, denseRows = 50_000, f = 64, perRow = 50
            var offsets = [0], columns: [Int32] = [], values: [Float] = []
            for _ in 0..<sparseRows {
                for _ in 0..<perRow { columns.append(Int32(rng.nextInt(below: denseRows))); values.append(Float(rng.nextUnit())) }
                offsets.append(columns.count)
            }
            let dense = vector(denseRows * f)
            var out = [Float](repeating: 0, count: sparseRows * f)
            for t in Set([1, threads]).sorted() {
                let seconds = time {
                    offsets.withUnsafeBufferPointer { po in columns.withUnsafeBufferPointer { pc in values.withUnsafeBufferPointer { pv in
                        dense.withUnsafeBufferPointer { pd in out.withUnsafeMutableBufferPointer { pout in
                            SparseDense.multiply(rows: sparseRows, rowOffsets: po.baseAddress!, columns: pc.baseAddress!, values: pv.baseAddress!,
                                                 f: f, b: pd.baseAddress!, ldb: f, c: pout.baseAddress!, ldc: f, threads: t)
                        } } } } }
                }
                record("sparse-dense", "\(sparseRows)x\(denseRows), \(perRow)/row, f=\(f)", threads: t, seconds: seconds,
                       flops: 2 * Double(sparseRows * perRow * f))
            }
        }
        if sink == .pi { print("") }                     // keeps the measured results alive

        let copyRate = 8 * Double(big) / copy
        var ratios: [String: Double] = [
            "dotBandwidthOverCopy": 8 * Double(big) / dotBig / copyRate,
            "axpyBandwidthOverCopy": 12 * Double(big) / axpyBig / copyRate,
        ]
        if let top10 = topTimes[10] { ratios["top10TimeOverReadPass"] = top10 / pass }
        return KernelBenchmark(builtFor: KernelConfiguration.builtFor,
                               gemmTile: "\(KernelConfiguration.gemmTileRows)x\(KernelConfiguration.gemmTileColumns)",
                               rows: rows, ratios: ratios)
    }
}
