/// Level-1 vector kernels on contiguous `Float` buffers, with scalar references.
///
/// They are deliberately not `@inlinable`: inlined into a client module they would be compiled
/// with the client's flags (baseline SSE), not this module's AVX-512 or AVX2 code.
///
/// The fast versions use `SIMD16<Float>` with several independent accumulators so that
/// release builds with AVX-512 (or AVX2 + FMA) keep the vector units busy; each has a plain
/// loop in ``Reference`` that tests compare against with a relative tolerance.
public enum Vector {
    /// The dot product Σ xᵢ·yᵢ.
    ///
    /// - Parameters:
    ///   - x: the first vector.
    ///   - y: the second vector, at least as long as `x`.
    /// - Returns: the sum in `Float`, accumulated in 64 lanes (so it differs from a strictly
    ///   sequential sum by rounding only).
    /// - Complexity: O(n).
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        while i + 64 <= n {
            a0 = fma16(a0, rx.simd16(i), ry.simd16(i))
            a1 = fma16(a1, rx.simd16(i + 16), ry.simd16(i + 16))
            a2 = fma16(a2, rx.simd16(i + 32), ry.simd16(i + 32))
            a3 = fma16(a3, rx.simd16(i + 48), ry.simd16(i + 48))
            i += 64
        }
        while i + 16 <= n {
            a0 = fma16(a0, rx.simd16(i), ry.simd16(i))
            i += 16
        }
        var tail: Float = 0
        while i < n { tail += x[i] * y[i]; i += 1 }
        return horizontalSum((a0 + a1) + (a2 + a3)) + tail
    }

    /// y ← a·x + y.
    ///
    /// - Complexity: O(n).
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        let va = SIMD16<Float>(repeating: a)
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        var i = 0
        while i + 32 <= n {
            // All loads before the stores: x and y may alias.
            let x0 = rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            let x1 = rx.loadUnaligned(fromByteOffset: 4 * (i + 16), as: SIMD16<Float>.self)
            let y0 = ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            let y1 = ry.loadUnaligned(fromByteOffset: 4 * (i + 16), as: SIMD16<Float>.self)
            ry.store16(fma16(y0, va, x0), i)
            ry.store16(fma16(y1, va, x1), i + 16)
            i += 32
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// x ← a·x.
    ///
    /// - Complexity: O(n).
    public static func scale(_ a: Float, _ x: UnsafeMutablePointer<Float>, count n: Int) {
        let va = SIMD16<Float>(repeating: a)
        let rx = UnsafeMutableRawPointer(x)
        var i = 0
        while i + 16 <= n {
            rx.storeBytes(of: va * rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self), toByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { x[i] *= a; i += 1 }
    }

    /// The sum of the lanes of `v`, added as a tree (`SIMD.sum()` adds lane by lane).
    @inlinable @inline(__always)
    public static func horizontalSum(_ v: SIMD16<Float>) -> Float {
        let s8 = v.lowHalf + v.highHalf
        let s4 = s8.lowHalf + s8.highHalf
        let s2 = s4.lowHalf + s4.highHalf
        return s2[0] + s2[1]
    }
}

/// Plain scalar loops that define what each kernel computes; tests compare against them.
public enum Reference {
    /// Σ xᵢ·yᵢ, accumulated in `Double`.
    public static func dot(_ x: [Float], _ y: [Float]) -> Float {
        var sum = 0.0
        for i in x.indices { sum += Double(x[i]) * Double(y[i]) }
        return Float(sum)
    }

    /// y ← a·x + y.
    public static func axpy(_ a: Float, _ x: [Float], _ y: inout [Float]) {
        for i in x.indices { y[i] += a * x[i] }
    }

    /// x ← a·x.
    public static func scale(_ a: Float, _ x: inout [Float]) {
        for i in x.indices { x[i] *= a }
    }
}

extension Reference {
    /// C = α·A·B + β·C with a triple loop, accumulating in `Double`.
    public static func gemm(m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float], beta: Float, c: inout [Float]) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
                c[i * n + j] = Float(Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i * n + j])))
            }
        }
    }

    /// YᵀY for Y of n × f, accumulating in `Double`.
    public static func gram(n: Int, f: Int, y: [Float]) -> [Float] {
        var g = [Float](repeating: 0, count: f * f)
        for i in 0..<f {
            for j in 0..<f {
                var sum = 0.0
                for r in 0..<n { sum += Double(y[r * f + i]) * Double(y[r * f + j]) }
                g[i * f + j] = Float(sum)
            }
        }
        return g
    }

    /// out[r] = Σⱼ M[r][j]·x[j].
    public static func batchedDot(rows: Int, f: Int, m: [Float], x: [Float]) -> [Float] {
        (0..<rows).map { r in dot(Array(m[(r * f)..<((r + 1) * f)]), x) }
    }

    /// Solves A·x = b by Gaussian elimination with partial pivoting, in `Double`.
    public static func solve(n: Int, a: [Float], b: [Float]) -> [Float] {
        var m = a.map(Double.init), v = b.map(Double.init)
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0 * n + col]) < abs(m[$1 * n + col]) }!
            if pivot != col {
                for j in 0..<n { m.swapAt(col * n + j, pivot * n + j) }
                v.swapAt(col, pivot)
            }
            for row in (col + 1)..<max(col + 1, n) {
                let factor = m[row * n + col] / m[col * n + col]
                for j in col..<n { m[row * n + j] -= factor * m[col * n + j] }
                v[row] -= factor * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = v[row]
            for j in (row + 1)..<max(row + 1, n) { sum -= m[row * n + j] * x[j] }
            x[row] = sum / m[row * n + row]
        }
        return x.map(Float.init)
    }

    /// The k best (index, score) pairs by a full sort: higher score first, then lower index;
    /// NaN and −∞ are left out.
    public static func topK(_ scores: [Float], k: Int) -> [Int32] {
        let candidates = scores.indices.filter { scores[$0] > -Float.infinity }
        let sorted = candidates.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return sorted.prefix(k).map { Int32($0) }
    }

    /// C = S·B for CSR S, accumulating in `Double`.
    public static func sparseDense(rowOffsets: [Int], columns: [Int32], values: [Float], f: Int, b: [Float]) -> [Float] {
        let rows = rowOffsets.count - 1
        var c = [Float](repeating: 0, count: rows * f)
        for r in 0..<rows {
            for j in 0..<f {
                var sum = 0.0
                for k in rowOffsets[r]..<rowOffsets[r + 1] { sum += Double(values[k]) * Double(b[Int(columns[k]) * f + j]) }
                c[r * f + j] = Float(sum)
            }
        }
        return c
    }
}

extension Vector {
    /// Σ xᵢ·yᵢ accumulated one term at a time, in order, with the same fused (or unfused)
    /// multiply–add as ``GEMM``'s register tile: for k ≤ 256 it returns exactly the value the
    /// GEMM computes for that element, so a single score can be compared with a block's.
    ///
    /// - Complexity: O(n), sequential (use ``dot(_:_:count:)`` for speed).
    public static func dotInGEMMOrder(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var sum: Float = 0
        for i in 0..<n {
            #if RECBENCH_BUILT_AVX512 || RECBENCH_BUILT_AVX2
            sum = sum.addingProduct(x[i], y[i])
            #else
            sum = sum + x[i] * y[i]
            #endif
        }
        return sum
    }
}
