/// Register-tiled micro-kernels of ``GEMM`` and ``Gram`` (generated shape, written out so that
/// every accumulator is its own variable and stays in a register).
extension GEMM {
#if RECBENCH_BUILT_AVX512
    /// The 8×32 register tile: C[0..<8, 0..<32] = alpha · A·B (+ C when `accumulate`) over `kc` steps.
    ///
    /// A holds 8 values per step (`aStride` floats apart from step to step), B holds 32
    /// values per step (`bStride` apart). Every value of the tile is written.
    @inline(__always)
    static func tile(kc: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, bStride: Int,
                       c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool = true) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
        var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
        var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
        var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var c60 = SIMD16<Float>(), c61 = SIMD16<Float>()
        var c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
        let rb = UnsafeRawPointer(b)
        var ap = a
        var bo = 0
        for _ in 0..<kc {
            let b0 = rb.simd16(bo), b1 = rb.simd16(bo + 16)
            let a0 = SIMD16<Float>(repeating: ap[0])
            c00 = fma16(c00, a0, b0); c01 = fma16(c01, a0, b1)
            let a1 = SIMD16<Float>(repeating: ap[1])
            c10 = fma16(c10, a1, b0); c11 = fma16(c11, a1, b1)
            let a2 = SIMD16<Float>(repeating: ap[2])
            c20 = fma16(c20, a2, b0); c21 = fma16(c21, a2, b1)
            let a3 = SIMD16<Float>(repeating: ap[3])
            c30 = fma16(c30, a3, b0); c31 = fma16(c31, a3, b1)
            let a4 = SIMD16<Float>(repeating: ap[4])
            c40 = fma16(c40, a4, b0); c41 = fma16(c41, a4, b1)
            let a5 = SIMD16<Float>(repeating: ap[5])
            c50 = fma16(c50, a5, b0); c51 = fma16(c51, a5, b1)
            let a6 = SIMD16<Float>(repeating: ap[6])
            c60 = fma16(c60, a6, b0); c61 = fma16(c61, a6, b1)
            let a7 = SIMD16<Float>(repeating: ap[7])
            c70 = fma16(c70, a7, b0); c71 = fma16(c71, a7, b1)
            ap += aStride
            bo += bStride
        }
        let va = SIMD16<Float>(repeating: alpha)
        let rc = UnsafeMutableRawPointer(c)
        if accumulate {
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(0 * ldc), va, c00), 0 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(0 * ldc + 16), va, c01), 0 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(1 * ldc), va, c10), 1 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(1 * ldc + 16), va, c11), 1 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(2 * ldc), va, c20), 2 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(2 * ldc + 16), va, c21), 2 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(3 * ldc), va, c30), 3 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(3 * ldc + 16), va, c31), 3 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(4 * ldc), va, c40), 4 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(4 * ldc + 16), va, c41), 4 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(5 * ldc), va, c50), 5 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(5 * ldc + 16), va, c51), 5 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(6 * ldc), va, c60), 6 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(6 * ldc + 16), va, c61), 6 * ldc + 16)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(7 * ldc), va, c70), 7 * ldc)
            rc.store16(fma16(UnsafeRawPointer(rc).simd16(7 * ldc + 16), va, c71), 7 * ldc + 16)
        } else {
            rc.store16(va * c00, 0 * ldc)
            rc.store16(va * c01, 0 * ldc + 16)
            rc.store16(va * c10, 1 * ldc)
            rc.store16(va * c11, 1 * ldc + 16)
            rc.store16(va * c20, 2 * ldc)
            rc.store16(va * c21, 2 * ldc + 16)
            rc.store16(va * c30, 3 * ldc)
            rc.store16(va * c31, 3 * ldc + 16)
            rc.store16(va * c40, 4 * ldc)
            rc.store16(va * c41, 4 * ldc + 16)
            rc.store16(va * c50, 5 * ldc)
            rc.store16(va * c51, 5 * ldc + 16)
            rc.store16(va * c60, 6 * ldc)
            rc.store16(va * c61, 6 * ldc + 16)
            rc.store16(va * c70, 7 * ldc)
            rc.store16(va * c71, 7 * ldc + 16)
        }
    }
#else
    /// The 6×16 register tile: C[0..<6, 0..<16] = alpha · A·B (+ C when `accumulate`) over `kc` steps.
    ///
    /// A holds 6 values per step (`aStride` floats apart from step to step), B holds 16
    /// values per step (`bStride` apart). Every value of the tile is written.
    @inline(__always)
    static func tile(kc: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, bStride: Int,
                       c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool = true) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let rb = UnsafeRawPointer(b)
        var ap = a
        var bo = 0
        for _ in 0..<kc {
            let b0 = rb.simd8(bo), b1 = rb.simd8(bo + 8)
            let a0 = SIMD8<Float>(repeating: ap[0])
            c00 = fma8(c00, a0, b0); c01 = fma8(c01, a0, b1)
            let a1 = SIMD8<Float>(repeating: ap[1])
            c10 = fma8(c10, a1, b0); c11 = fma8(c11, a1, b1)
            let a2 = SIMD8<Float>(repeating: ap[2])
            c20 = fma8(c20, a2, b0); c21 = fma8(c21, a2, b1)
            let a3 = SIMD8<Float>(repeating: ap[3])
            c30 = fma8(c30, a3, b0); c31 = fma8(c31, a3, b1)
            let a4 = SIMD8<Float>(repeating: ap[4])
            c40 = fma8(c40, a4, b0); c41 = fma8(c41, a4, b1)
            let a5 = SIMD8<Float>(repeating: ap[5])
            c50 = fma8(c50, a5, b0); c51 = fma8(c51, a5, b1)
            ap += aStride
            bo += bStride
        }
        let va = SIMD8<Float>(repeating: alpha)
        let rc = UnsafeMutableRawPointer(c)
        if accumulate {
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(0 * ldc), va, c00), 0 * ldc)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(0 * ldc + 8), va, c01), 0 * ldc + 8)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(1 * ldc), va, c10), 1 * ldc)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(1 * ldc + 8), va, c11), 1 * ldc + 8)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(2 * ldc), va, c20), 2 * ldc)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(2 * ldc + 8), va, c21), 2 * ldc + 8)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(3 * ldc), va, c30), 3 * ldc)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(3 * ldc + 8), va, c31), 3 * ldc + 8)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(4 * ldc), va, c40), 4 * ldc)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(4 * ldc + 8), va, c41), 4 * ldc + 8)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(5 * ldc), va, c50), 5 * ldc)
            rc.store8(fma8(UnsafeRawPointer(rc).simd8(5 * ldc + 8), va, c51), 5 * ldc + 8)
        } else {
            rc.store8(va * c00, 0 * ldc)
            rc.store8(va * c01, 0 * ldc + 8)
            rc.store8(va * c10, 1 * ldc)
            rc.store8(va * c11, 1 * ldc + 8)
            rc.store8(va * c20, 2 * ldc)
            rc.store8(va * c21, 2 * ldc + 8)
            rc.store8(va * c30, 3 * ldc)
            rc.store8(va * c31, 3 * ldc + 8)
            rc.store8(va * c40, 4 * ldc)
            rc.store8(va * c41, 4 * ldc + 8)
            rc.store8(va * c50, 5 * ldc)
            rc.store8(va * c51, 5 * ldc + 8)
        }
    }
#endif
}
