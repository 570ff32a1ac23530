/// Sparse CSR rows times a dense matrix: C = S·B, as in scoring item-kNN or forming Yᵀ·Cᵤ·p(u).
public enum SparseDense {
    /// Writes C = S·B, where S is `rows` CSR rows over B's rows.
    ///
    /// - Parameters:
    ///   - rowOffsets: `rows + 1` offsets into `columns` and `values`.
    ///   - columns: the row indices of B that each entry multiplies.
    ///   - b: B, row-major with leading dimension `ldb` ≥ f.
    ///   - c: C, `rows` rows of f floats with leading dimension `ldc` ≥ f (overwritten).
    ///   - threads: how many threads share the rows (each row is written by one thread).
    /// - Complexity: 2·nnz·f flops.
    public static func multiply(rows: Int, rowOffsets: UnsafePointer<Int>, columns: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                                f: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = 1) {
        let offsets = SendablePointer(rowOffsets), cols = SendablePointer(columns), vals = SendablePointer(values)
        let dense = SendablePointer(b), out = SendableMutablePointer(c)
        Parallel.forEachRange(count: rows, pieces: 64, threads: threads) { range in
            for r in range {
                let row = out.pointer + r * ldc
                row.update(repeating: 0, count: f)
                for k in offsets.pointer[r]..<offsets.pointer[r + 1] {
                    Vector.axpy(vals.pointer[k], dense.pointer + Int(cols.pointer[k]) * ldb, row, count: f)
                }
            }
        }
    }
}
