/// The inverse of a large symmetric positive-definite matrix, blocked on the GEMM kernel.
///
/// Three steps, each mostly matrix products: a blocked right-looking Cholesky A = L·Lᵀ
/// (diagonal blocks by ``Cholesky/factor(_:n:lda:)``, panels by forward substitution, the
/// trailing update by ``GEMM``), the triangular inverse W = L⁻¹ by block columns, then
/// A⁻¹ = Wᵀ·W. Every output element is written by one thread with a fixed order of sums, so
/// the result does not depend on the thread count.
public enum SymmetricInverse {
    /// Width of the diagonal blocks.
    static let block = 192

    /// Returns A⁻¹ for A (n × n, row-major, symmetric positive-definite; only its lower triangle is read).
    ///
    /// - Parameters:
    ///   - a: A, overwritten (it ends holding W = L⁻¹ in its lower triangle, zeros above).
    ///   - n: the order.
    ///   - threads: threads of the products.
    /// - Returns: A⁻¹, n × n, row-major, both triangles filled.
    /// - Throws: ``KernelError/notPositiveDefinite(column:pivot:)`` with the failing column of A.
    /// - Complexity: about 4n³/3 multiply–adds (n³/3 factor, n³/3 inverse, n³/2 product, the
    ///   factor's and product's GEMMs doing some wasted upper-triangle work); 3n² floats of memory (A, Wᵀ, A⁻¹).
    public static func invert(_ a: inout [Float], n: Int, threads: Int = 1) throws(KernelError) -> [Float] {
        precondition(a.count == n * n)
        guard n > 0 else { return [] }
        try a.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<Float>) throws(KernelError) in
            try factor(buffer.baseAddress!, n: n, threads: threads)
            invertLower(buffer.baseAddress!, n: n, threads: threads)
        }
        // Wᵀ, row-major (upper triangular).
        var transposed = [Float](repeating: 0, count: n * n)
        for i in 0..<n { for k in i..<n { transposed[i * n + k] = a[k * n + i] } }
        var inverse = [Float](repeating: 0, count: n * n)
        // Row block I of A⁻¹ = Wᵀ[I, k ≥ i0] · W[k ≥ i0, :], W being zero above its diagonal.
        a.withUnsafeBufferPointer { w in
            transposed.withUnsafeBufferPointer { t in
                inverse.withUnsafeMutableBufferPointer { p in
                    for i0 in stride(from: 0, to: n, by: block) {
                        let rows = min(block, n - i0)
                        GEMM.multiply(m: rows, n: n, k: n - i0, a: t.baseAddress! + i0 * n + i0, lda: n,
                                      b: w.baseAddress! + i0 * n, ldb: n, c: p.baseAddress! + i0 * n, ldc: n, threads: threads)
                    }
                }
            }
        }
        return inverse
    }

    /// Blocked right-looking Cholesky: the lower triangle of `a` becomes L.
    static func factor(_ a: UnsafeMutablePointer<Float>, n: Int, threads: Int) throws(KernelError) {
        var panelT = [Float](repeating: 0, count: block * n)
        for k0 in stride(from: 0, to: n, by: block) {
            let kb = min(block, n - k0), k1 = k0 + kb
            do {
                try Cholesky.factor(a + k0 * n + k0, n: kb, lda: n)
            } catch {
                switch error {
                case .notPositiveDefinite(let column, let pivot): throw .notPositiveDefinite(column: k0 + column, pivot: pivot)
                }
            }
            guard k1 < n else { break }
            // Panel: each row r below solves x · L11ᵀ = a[r, k0..<k1].
            let shared = SendableMutablePointer(a)
            Parallel.forEachRange(count: n - k1, pieces: 64, threads: threads) { range in
                let a = shared.pointer
                for r in range {
                    let row = a + (k1 + r) * n + k0
                    for j in 0..<kb {
                        let lj = a + (k0 + j) * n + k0
                        row[j] = (row[j] - Vector.dot(row, lj, count: j)) / lj[j]
                    }
                }
            }
            // Trailing update: A22 −= L21 · L21ᵀ.
            let m = n - k1
            for r in 0..<m { for j in 0..<kb { panelT[j * m + r] = a[(k1 + r) * n + k0 + j] } }
            panelT.withUnsafeBufferPointer { t in
                GEMM.multiply(m: m, n: m, k: kb, alpha: -1, a: a + k1 * n + k0, lda: n, b: t.baseAddress!, ldb: m,
                              beta: 1, c: a + k1 * n + k1, ldc: n, threads: threads)
            }
        }
    }

    /// Replaces L (lower triangle of `a`) with W = L⁻¹ and zeros the strict upper triangle.
    ///
    /// Block column j, rows below: W_ij = −W_ii · Σ_{k=j}^{i−1} L_ik · W_kj. Going down a block
    /// column, the L blocks a row needs are still in place; only diagonal inverses are kept aside.
    static func invertLower(_ a: UnsafeMutablePointer<Float>, n: Int, threads: Int) {
        let starts = Array(stride(from: 0, to: n, by: block))
        // Inverses of the diagonal blocks, each block × block (zero above the diagonal).
        var diagonal = [Float](repeating: 0, count: starts.count * block * block)
        for (index, s) in starts.enumerated() {
            let size = min(block, n - s)
            let out = index * block * block
            for c in 0..<size {
                // Forward substitution of L_ss · w = e_c, rows c..<size.
                for r in c..<size {
                    var sum: Float = r == c ? 1 : 0
                    for k in c..<r { sum -= a[(s + r) * n + s + k] * diagonal[out + k * block + c] }
                    diagonal[out + r * block + c] = sum / a[(s + r) * n + s + r]
                }
            }
        }
        for i in 0..<n { (a + i * n + i + 1).update(repeating: 0, count: n - i - 1) }
        var temp = [Float](repeating: 0, count: block * block)
        for (jIndex, j0) in starts.enumerated() {
            let jb = min(block, n - j0)
            // W_jj.
            for r in 0..<jb { for c in 0...r { a[(j0 + r) * n + j0 + c] = diagonal[jIndex * block * block + r * block + c] } }
            for (iIndex, i0) in starts.enumerated() where iIndex > jIndex {
                let ib = min(block, n - i0)
                temp.withUnsafeMutableBufferPointer { t in
                    GEMM.multiply(m: ib, n: jb, k: i0 - j0, a: a + i0 * n + j0, lda: n, b: a + j0 * n + j0, ldb: n,
                                  c: t.baseAddress!, ldc: jb, threads: threads)
                }
                diagonal.withUnsafeBufferPointer { d in
                    temp.withUnsafeBufferPointer { t in
                        GEMM.multiply(m: ib, n: jb, k: ib, alpha: -1, a: d.baseAddress! + iIndex * block * block, lda: block,
                                      b: t.baseAddress!, ldb: jb, c: a + i0 * n + j0, ldc: n, threads: threads)
                    }
                }
            }
        }
    }
}
