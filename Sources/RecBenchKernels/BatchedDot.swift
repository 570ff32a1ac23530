/// One vector against many rows: out[r] = Σⱼ M[r][j]·x[j], as scoring every item for a user.
public enum BatchedDot {
    /// Computes `out[r] = dot(M[r], x)` for the `rows` rows of M.
    ///
    /// - Parameters:
    ///   - m: M, row-major with leading dimension `ldm` ≥ f.
    ///   - x: the vector of f floats.
    ///   - out: `rows` results.
    /// - Complexity: 2·rows·f flops; four rows at a time share each load of x.
    public static func compute(rows: Int, f: Int, m: UnsafePointer<Float>, ldm: Int, x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let rx = UnsafeRawPointer(x)
        let full = f / 16 * 16
        var r = 0
        while r + 4 <= rows {
            let p0 = UnsafeRawPointer(m + r * ldm), p1 = UnsafeRawPointer(m + (r + 1) * ldm)
            let p2 = UnsafeRawPointer(m + (r + 2) * ldm), p3 = UnsafeRawPointer(m + (r + 3) * ldm)
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var j = 0
            while j < full {
                let v = rx.simd16(j)
                a0 = fma16(a0, p0.simd16(j), v); a1 = fma16(a1, p1.simd16(j), v)
                a2 = fma16(a2, p2.simd16(j), v); a3 = fma16(a3, p3.simd16(j), v)
                j += 16
            }
            var s0 = Vector.horizontalSum(a0), s1 = Vector.horizontalSum(a1)
            var s2 = Vector.horizontalSum(a2), s3 = Vector.horizontalSum(a3)
            while j < f {
                let v = x[j]
                s0 += m[r * ldm + j] * v; s1 += m[(r + 1) * ldm + j] * v
                s2 += m[(r + 2) * ldm + j] * v; s3 += m[(r + 3) * ldm + j] * v
                j += 1
            }
            out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3
            r += 4
        }
        while r < rows {
            out[r] = Vector.dot(m + r * ldm, x, count: f)
            r += 1
        }
    }
}
