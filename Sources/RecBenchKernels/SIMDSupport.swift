/// Vector-width choices and fused multiply–add for the kernels.
///
/// Release builds define `RECBENCH_BUILT_AVX512` or `RECBENCH_BUILT_AVX2` (see Package.swift);
/// with either, `addingProduct` lowers to one `vfmadd` instruction. Without FMA hardware it
/// would be a libm call per lane, so other builds multiply and add separately.
public enum KernelConfiguration {
    /// The vector level this module was compiled for: `avx512`, `avx2` or `baseline`.
    public static var builtFor: String {
        #if RECBENCH_BUILT_AVX512
        return "avx512"
        #elseif RECBENCH_BUILT_AVX2
        return "avx2"
        #else
        return "baseline"
        #endif
    }

    /// Rows of the GEMM register tile.
    public static var gemmTileRows: Int { GEMM.mr }
    /// Columns of the GEMM register tile.
    public static var gemmTileColumns: Int { GEMM.nr }
}

/// c + a·b, fused where the build has FMA.
@inlinable @inline(__always)
func fma16(_ c: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    #if RECBENCH_BUILT_AVX512 || RECBENCH_BUILT_AVX2
    return c.addingProduct(a, b)
    #else
    return c + a * b
    #endif
}

/// c + a·b, fused where the build has FMA.
@inlinable @inline(__always)
func fma8(_ c: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    #if RECBENCH_BUILT_AVX512 || RECBENCH_BUILT_AVX2
    return c.addingProduct(a, b)
    #else
    return c + a * b
    #endif
}

extension UnsafeRawPointer {
    @inlinable @inline(__always)
    func simd16(_ floatOffset: Int) -> SIMD16<Float> { loadUnaligned(fromByteOffset: 4 * floatOffset, as: SIMD16<Float>.self) }
    @inlinable @inline(__always)
    func simd8(_ floatOffset: Int) -> SIMD8<Float> { loadUnaligned(fromByteOffset: 4 * floatOffset, as: SIMD8<Float>.self) }
}

extension UnsafeMutableRawPointer {
    @inlinable @inline(__always)
    func store16(_ value: SIMD16<Float>, _ floatOffset: Int) { storeBytes(of: value, toByteOffset: 4 * floatOffset, as: SIMD16<Float>.self) }
    @inlinable @inline(__always)
    func store8(_ value: SIMD8<Float>, _ floatOffset: Int) { storeBytes(of: value, toByteOffset: 4 * floatOffset, as: SIMD8<Float>.self) }
}
