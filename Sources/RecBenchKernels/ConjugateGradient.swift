/// Conjugate-gradient solves of the implicit-ALS normal equations, one user (or item) at a time.
///
/// The system is (G + d·I + Σᵢ (cᵢ − 1)·yᵢyᵢᵀ)·x = Σᵢ cᵢ·yᵢ, where G = YᵀY + λI is shared by
/// every row and precomputed once a sweep, d is a per-row extra diagonal (0, or λ·nᵤ for
/// ALS-WR), and i runs over the row's items with confidences cᵢ. Each step costs
/// O(f² + nᵤ·f) instead of forming the f × f matrix; starting from the previous sweep's x,
/// a few steps suffice.
///
/// G. Takács, I. Pilászy, D. Tikk, "Applications of the conjugate gradient method for
/// implicit feedback collaborative filtering", RecSys 2011.
public enum ConjugateGradient {
    /// Improves `x` (f floats) by `steps` conjugate-gradient steps.
    ///
    /// - Parameters:
    ///   - gram: G = YᵀY + λI, f × f row-major.
    ///   - extraDiagonal: d, added to G's diagonal for this row only.
    ///   - factors: Y, the other side's factor rows, leading dimension `ldy`.
    ///   - items: the row's item indices into Y.
    ///   - confidences: cᵢ for each item (the preference is 1 for every listed item).
    ///   - scratch: 3·f floats of working memory.
    /// - Complexity: (steps + 1)·(2f² + 4·nᵤ·f) flops.
    public static func solve(x: UnsafeMutablePointer<Float>, f: Int, gram: UnsafePointer<Float>, extraDiagonal: Float = 0,
                             factors: UnsafePointer<Float>, ldy: Int, items: UnsafeBufferPointer<Int32>,
                             confidences: UnsafeBufferPointer<Float>, steps: Int, scratch: UnsafeMutablePointer<Float>) {
        let r = scratch, p = scratch + f, ap = scratch + 2 * f
        // r = b − A·x
        BatchedDot.compute(rows: f, f: f, m: gram, ldm: f, x: x, out: r)
        for j in 0..<f { r[j] = -r[j] - extraDiagonal * x[j] }
        for (index, item) in items.enumerated() {
            let y = factors + Int(item) * ldy
            let c = confidences[index]
            let weight = c - (c - 1) * Vector.dot(y, x, count: f)
            Vector.axpy(weight, y, r, count: f)
        }
        p.update(from: r, count: f)
        var rsOld = Vector.dot(r, r, count: f)
        for _ in 0..<steps {
            if rsOld < 1e-20 { break }
            // ap = A·p
            BatchedDot.compute(rows: f, f: f, m: gram, ldm: f, x: p, out: ap)
            if extraDiagonal != 0 { Vector.axpy(extraDiagonal, p, ap, count: f) }
            for (index, item) in items.enumerated() {
                let y = factors + Int(item) * ldy
                let weight = (confidences[index] - 1) * Vector.dot(y, p, count: f)
                Vector.axpy(weight, y, ap, count: f)
            }
            let alpha = rsOld / Vector.dot(p, ap, count: f)
            Vector.axpy(alpha, p, x, count: f)
            Vector.axpy(-alpha, ap, r, count: f)
            let rsNew = Vector.dot(r, r, count: f)
            let beta = rsNew / rsOld
            for j in 0..<f { p[j] = r[j] + beta * p[j] }
            rsOld = rsNew
        }
    }
}
