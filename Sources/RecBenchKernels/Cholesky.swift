#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a kernel could not do with its input.
public enum KernelError: Error, Equatable, Sendable {
    /// The matrix is not symmetric positive-definite: the pivot of `column` was `pivot` ≤ 0 (or not finite).
    case notPositiveDefinite(column: Int, pivot: Float)
}

/// Cholesky factorisation A = L·Lᵀ of symmetric positive-definite matrices, and solves with it.
///
/// Sized for the f × f systems of ALS (f up to 256): the row-oriented Cholesky–Crout order
/// makes every inner product a contiguous ``Vector/dot(_:_:count:)``.
public enum Cholesky {
    /// Overwrites the lower triangle of `a` (n × n, row-major, leading dimension `lda`) with L.
    ///
    /// Only the lower triangle of `a` is read; the strict upper triangle is left as it was.
    /// - Throws: ``KernelError/notPositiveDefinite(column:pivot:)`` naming the failing column.
    /// - Complexity: n³/3 multiply–adds.
    public static func factor(_ a: UnsafeMutablePointer<Float>, n: Int, lda: Int) throws(KernelError) {
        for j in 0..<n {
            let rowJ = a + j * lda
            let pivot = rowJ[j] - Vector.dot(rowJ, rowJ, count: j)
            guard pivot > 0, pivot.isFinite else { throw .notPositiveDefinite(column: j, pivot: pivot) }
            let diagonal = pivot.squareRoot()
            rowJ[j] = diagonal
            let inverse = 1 / diagonal
            for i in (j + 1)..<max(j + 1, n) {
                let rowI = a + i * lda
                rowI[j] = (rowI[j] - Vector.dot(rowI, rowJ, count: j)) * inverse
            }
        }
    }

    /// Solves L·Lᵀ·x = b in place (`b` becomes x), with L from ``factor(_:n:lda:)``.
    ///
    /// - Complexity: 2·n² multiply–adds.
    public static func solve(_ l: UnsafePointer<Float>, n: Int, lda: Int, _ b: UnsafeMutablePointer<Float>) {
        // Forward: L·y = b, row by row.
        for i in 0..<n {
            let row = l + i * lda
            b[i] = (b[i] - Vector.dot(row, b, count: i)) / row[i]
        }
        // Backward: Lᵀ·x = y, as column updates along rows of L.
        var i = n - 1
        while i >= 0 {
            let row = l + i * lda
            b[i] /= row[i]
            Vector.axpy(-b[i], row, b, count: i)
            i -= 1
        }
    }
}
