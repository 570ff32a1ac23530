/// Level-1 vector kernels on contiguous `Float` buffers, with scalar references.
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
    @inlinable
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        while i + 64 <= n {
            a0 += rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            a1 += rx.loadUnaligned(fromByteOffset: 4 * (i + 16), as: SIMD16<Float>.self) * ry.loadUnaligned(fromByteOffset: 4 * (i + 16), as: SIMD16<Float>.self)
            a2 += rx.loadUnaligned(fromByteOffset: 4 * (i + 32), as: SIMD16<Float>.self) * ry.loadUnaligned(fromByteOffset: 4 * (i + 32), as: SIMD16<Float>.self)
            a3 += rx.loadUnaligned(fromByteOffset: 4 * (i + 48), as: SIMD16<Float>.self) * ry.loadUnaligned(fromByteOffset: 4 * (i + 48), as: SIMD16<Float>.self)
            i += 64
        }
        while i + 16 <= n {
            a0 += rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self) * ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
            i += 16
        }
        var tail: Float = 0
        while i < n { tail += x[i] * y[i]; i += 1 }
        return horizontalSum((a0 + a1) + (a2 + a3)) + tail
    }

    /// y ← a·x + y.
    ///
    /// - Complexity: O(n).
    @inlinable
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
            ry.storeBytes(of: y0 + va * x0, toByteOffset: 4 * i, as: SIMD16<Float>.self)
            ry.storeBytes(of: y1 + va * x1, toByteOffset: 4 * (i + 16), as: SIMD16<Float>.self)
            i += 32
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// x ← a·x.
    ///
    /// - Complexity: O(n).
    @inlinable
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
