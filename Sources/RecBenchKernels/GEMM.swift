/// Single-precision matrix multiplication C = α·A·B + β·C on row-major matrices.
///
/// The Goto/van de Geijn scheme: B is packed in `kc × nr` panels, A in `mr × kc` panels, and a
/// register tile of `mr × nr` accumulators (8 × 32 with AVX-512, 6 × 16 otherwise) runs over
/// each pair with fused multiply–adds. Edges are zero-padded in the packed copies and
/// written back through a scratch tile. Row blocks are spread over threads; each element of
/// C is summed in the same order whatever the thread count, so results are bit-identical.
///
/// K. Goto and R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008.
public enum GEMM {
    #if RECBENCH_BUILT_AVX512
    /// Rows of the register tile.
    public static let mr = 8
    /// Columns of the register tile.
    public static let nr = 32
    #else
    public static let mr = 6
    public static let nr = 16
    #endif
    /// Depth of a packed panel (A and B panels of this depth stay in L1/L2).
    static let kc = 256
    /// Rows of A packed at once (a multiple of both tile heights).
    static let mc = 96
    /// Columns of B packed at once.
    static let nc = 2048

    /// C = α·A·B + β·C.
    ///
    /// - Parameters:
    ///   - m: rows of A and C.
    ///   - n: columns of B and C.
    ///   - k: columns of A and rows of B.
    ///   - a: A, row-major with leading dimension `lda` ≥ k.
    ///   - b: B, row-major with leading dimension `ldb` ≥ n.
    ///   - c: C, row-major with leading dimension `ldc` ≥ n; with β = 0 its old contents are ignored (NaN included).
    ///   - threads: how many threads share the row blocks (1 = the calling thread only).
    /// - Complexity: 2·m·n·k flops; O(kc·(mc + nc)) extra memory.
    public static func multiply(m: Int, n: Int, k: Int, alpha: Float = 1,
                                a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = 1) {
        guard m > 0, n > 0 else { return }
        scaleRows(m: m, n: n, beta: beta, c: c, ldc: ldc)
        guard k > 0, alpha != 0 else { return }
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: kc * (nc + nr))
        defer { packedB.deallocate() }
        let blocks = (m + mc - 1) / mc
        var jc = 0
        while jc < n {
            let ncur = min(nc, n - jc)
            var pc = 0
            while pc < k {
                let kcur = min(kc, k - pc)
                packB(b + pc * ldb + jc, ldb: ldb, k: kcur, n: ncur, into: packedB)
                let shared = SendablePointer(packedB)
                let cShared = SendableMutablePointer(c)
                let aShared = SendablePointer(UnsafeMutablePointer(mutating: a))
                let (column, depth) = (jc, pc)
                Parallel.forEach(count: blocks, threads: threads) { block in
                    let ic = block * mc
                    let mcur = min(mc, m - ic)
                    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: kc * (mc + mr))
                    defer { packedA.deallocate() }
                    packA(aShared.pointer + ic * lda + depth, lda: lda, m: mcur, k: kcur, into: packedA)
                    macroKernel(m: mcur, n: ncur, k: kcur, alpha: alpha, packedA: packedA, packedB: shared.pointer,
                                c: cShared.pointer + ic * ldc + column, ldc: ldc)
                }
                pc += kcur
            }
            jc += ncur
        }
    }

    /// B packed once into the panel layout of the register tile, for a B that many products
    /// share (the item factors of a model scored block after block).
    public struct PackedB: Sendable {
        /// Rows of B.
        public let k: Int
        /// Columns of B.
        public let n: Int
        let panels: [Float]
        let blockOffsets: [Int]
    }

    /// Packs B (k × n, row-major, leading dimension `ldb`) for ``multiply(m:alpha:a:lda:packed:beta:c:ldc:)``.
    ///
    /// - Complexity: O(k·n) time and memory.
    public static func pack(b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int) -> PackedB {
        let panelCount = (n + nr - 1) / nr
        var offsets: [Int] = []
        var total = 0
        for pc in stride(from: 0, to: k, by: kc) { offsets.append(total); total += min(kc, k - pc) * panelCount * nr }
        var panels = [Float](repeating: 0, count: max(total, 1))
        panels.withUnsafeMutableBufferPointer { out in
            for (index, pc) in stride(from: 0, to: k, by: kc).enumerated() {
                packB(b + pc * ldb, ldb: ldb, k: min(kc, k - pc), n: n, into: out.baseAddress! + offsets[index])
            }
        }
        return PackedB(k: k, n: n, panels: panels, blockOffsets: offsets)
    }

    /// C = α·A·B + β·C with B packed beforehand; one thread (callers parallelise over blocks of A).
    ///
    /// - Complexity: 2·m·n·k flops; O(mc·kc) extra memory.
    ///
    /// - Parameter columns: the columns of B (and of C's rows written) to compute; its start must
    ///   be a multiple of ``nr``. C's row i receives column j at `c[i * ldc + (j − columns.lowerBound)]`.
    public static func multiply(m: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, packed: PackedB,
                                columns: Range<Int>? = nil, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let range = columns ?? 0..<packed.n
        precondition(range.lowerBound % nr == 0 && range.upperBound <= packed.n, "column ranges start at multiples of nr")
        let n = range.count, k = packed.k
        let firstPanel = range.lowerBound / nr
        guard m > 0, n > 0 else { return }
        // With β = 0 and something to add, the first depth block overwrites C instead of adding to zeros.
        let overwrite = beta == 0 && k > 0 && alpha != 0
        if !overwrite { scaleRows(m: m, n: n, beta: beta, c: c, ldc: ldc) }
        guard k > 0, alpha != 0 else { return }
        let packedA = UnsafeMutablePointer<Float>.allocate(capacity: kc * (mc + mr))
        defer { packedA.deallocate() }
        packed.panels.withUnsafeBufferPointer { panels in
            for (index, pc) in stride(from: 0, to: k, by: kc).enumerated() {
                let kcur = min(kc, k - pc)
                var ic = 0
                while ic < m {
                    let mcur = min(mc, m - ic)
                    packA(a + ic * lda + pc, lda: lda, m: mcur, k: kcur, into: packedA)
                    macroKernel(m: mcur, n: n, k: kcur, alpha: alpha, packedA: packedA,
                                packedB: panels.baseAddress! + packed.blockOffsets[index] + firstPanel * nr * kcur,
                                c: c + ic * ldc, ldc: ldc, accumulate: !(overwrite && index == 0))
                    ic += mcur
                }
            }
        }
    }

    /// C ← β·C on m rows of n, where β = 0 clears C (NaN included) and β = 1 leaves it.
    static func scaleRows(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard beta != 1 else { return }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else { Vector.scale(beta, row, count: n) }
        }
    }

    /// Packs `k × n` of B into `nr`-wide panels, zero-padding the last one.
    static func packB(_ b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int, into out: UnsafeMutablePointer<Float>) {
        var dst = out
        var j = 0
        while j < n {
            let w = min(nr, n - j)
            for p in 0..<k {
                let src = b + p * ldb + j
                if w == nr { dst.update(from: src, count: nr) } else {
                    dst.update(from: src, count: w)
                    (dst + w).update(repeating: 0, count: nr - w)
                }
                dst += nr
            }
            j += nr
        }
    }

    /// Packs `m × k` of A into `mr`-tall panels (step-major), zero-padding the last one.
    static func packA(_ a: UnsafePointer<Float>, lda: Int, m: Int, k: Int, into out: UnsafeMutablePointer<Float>) {
        var dst = out
        var i = 0
        while i < m {
            let h = min(mr, m - i)
            for p in 0..<k {
                for r in 0..<h { dst[r] = a[(i + r) * lda + p] }
                for r in h..<mr { dst[r] = 0 }
                dst += mr
            }
            i += mr
        }
    }

    /// Runs the register tile over every (A panel, B panel) pair of one block.
    static func macroKernel(m: Int, n: Int, k: Int, alpha: Float, packedA: UnsafePointer<Float>,
                            packedB: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = true) {
        var scratch = [Float](repeating: 0, count: mr * nr)
        var j = 0
        while j < n {
            let w = min(nr, n - j)
            let bPanel = packedB + (j / nr) * nr * k
            var i = 0
            while i < m {
                let h = min(mr, m - i)
                let aPanel = packedA + (i / mr) * mr * k
                if h == mr && w == nr {
                    tile(kc: k, a: aPanel, aStride: mr, b: bPanel, bStride: nr, c: c + i * ldc + j, ldc: ldc, alpha: alpha,
                         accumulate: accumulate)
                } else {
                    scratch.withUnsafeMutableBufferPointer { s in
                        let t = s.baseAddress!
                        if accumulate { for r in 0..<h { (t + r * nr).update(from: c + (i + r) * ldc + j, count: w) } }
                        tile(kc: k, a: aPanel, aStride: mr, b: bPanel, bStride: nr, c: t, ldc: nr, alpha: alpha, accumulate: accumulate)
                        for r in 0..<h { (c + (i + r) * ldc + j).update(from: t + r * nr, count: w) }
                    }
                }
                i += mr
            }
            j += nr
        }
    }
}
