/// The Gram matrix G = YᵀY of a tall row-major matrix Y (n × f), as ALS needs every sweep.
///
/// Y is streamed in chunks of rows that stay in L2; for each chunk, the register tile of
/// ``GEMM`` adds the chunk's contribution to every tile of G that touches the upper triangle
/// (A is the chunk read down its columns, B the same chunk read across its rows, so no
/// packing is needed). The lower triangle is mirrored at the end. Tiles are shared out over
/// threads; each element is summed chunk by chunk in row order whatever the thread count.
public enum Gram {
    /// Rows of Y per chunk.
    static let chunk = 128

    /// Writes YᵀY into `g` (f × f, row-major, leading dimension f).
    ///
    /// - Parameters:
    ///   - y: Y, n rows of f floats with leading dimension `ldy` ≥ f.
    ///   - threads: how many threads share the tiles of G.
    /// - Complexity: about n·f² flops (the upper triangle's tiles); O(chunk · f) extra memory
    ///   when f is not a multiple of the tile size.
    public static func compute(n: Int, f: Int, y: UnsafePointer<Float>, ldy: Int, into g: UnsafeMutablePointer<Float>, threads: Int = 1) {
        guard f > 0 else { return }
        let mr = GEMM.mr, nr = GEMM.nr
        // Padded width: every tile row and column index below it is valid memory.
        let aligned = f % nr == 0 && f % mr == 0
        let fp = aligned ? f : roundUp(max(roundUp(f, nr), roundUp(f, mr)), mr)
        let result = UnsafeMutablePointer<Float>.allocate(capacity: fp * fp)
        result.initialize(repeating: 0, count: fp * fp)
        defer { result.deallocate() }
        var tiles: [(Int, Int)] = []
        for i0 in stride(from: 0, to: fp, by: mr) {
            for j0 in stride(from: 0, to: fp, by: nr) where j0 + nr > i0 && i0 < f && j0 < f { tiles.append((i0, j0)) }
        }
        let tileList = tiles
        let out = SendableMutablePointer(result)
        let source = SendablePointer(y)
        let workers = max(1, min(threads, tileList.count))
        Parallel.forEach(count: workers, threads: workers) { worker in
            let mine = tileList.indices.filter { $0 % workers == worker }.map { tileList[$0] }
            let padded: UnsafeMutablePointer<Float>? = aligned ? nil : .allocate(capacity: chunk * fp)
            defer { padded?.deallocate() }
            var r0 = 0
            while r0 < n {
                let rows = min(chunk, n - r0)
                var base = source.pointer + r0 * ldy
                var stride = ldy
                if let padded {
                    for r in 0..<rows {
                        (padded + r * fp).update(from: base + r * ldy, count: f)
                        (padded + r * fp + f).update(repeating: 0, count: fp - f)
                    }
                    base = UnsafePointer(padded)
                    stride = fp
                }
                for (i0, j0) in mine {
                    GEMM.tile(kc: rows, a: base + i0, aStride: stride, b: base + j0, bStride: stride,
                              c: out.pointer + i0 * fp + j0, ldc: fp, alpha: 1)
                }
                r0 += rows
            }
        }
        for i in 0..<f {
            for j in 0..<f { g[i * f + j] = j >= i ? result[i * fp + j] : result[j * fp + i] }
        }
    }

    static func roundUp(_ value: Int, _ multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }
}
