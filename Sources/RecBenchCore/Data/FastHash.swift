#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast 64-bit non-cryptographic checksum of bytes, for detecting changed or corrupt files.
///
/// Sixteen independent multiply–rotate lanes (two `SIMD8<UInt64>`) over 128-byte blocks,
/// folded at the end: with AVX-512 the lanes map to `vpmullq`, and the hash runs at memory
/// speed. Not for security: downloads use SHA-256.
package struct FastHash {
    private var a = SIMD8<UInt64>(0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63,
                                  0x27D4_EB2F_1656_67C5, 0x9FB2_1C65_1E98_DF25, 0xFF51_AFD7_ED55_8CCD, 0xC4CE_B9FE_1A85_EC53)
    private var b = SIMD8<UInt64>(0x2545_F491_4F6C_DD1D, 0x9E6C_63D0_676A_9A99, 0xD6E8_FEB8_6659_FD93, 0x94D0_49BB_1331_11EB,
                                  0xBF58_476D_1CE4_E5B9, 0x7FB5_D329_728E_A185, 0x81DA_DEF4_BC2D_D44D, 0x6A09_E667_F3BC_C909)
    private var tail: [UInt8] = []
    private var length: UInt64 = 0
    private static let prime: UInt64 = 0x9FB2_1C65_1E98_DF25

    package init() {}

    @inline(__always)
    private static func mix(_ lane: SIMD8<UInt64>, _ word: SIMD8<UInt64>) -> SIMD8<UInt64> {
        let x = (lane ^ word) &* SIMD8(repeating: prime)
        return (x &<< 29) | (x &>> 35)
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let x = (h ^ word) &* prime
        return (x << 29) | (x >> 35)
    }

    /// Adds bytes to the checksum.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !tail.isEmpty {
            let take = min(128 - tail.count, bytes.count)
            tail.append(contentsOf: bytes[0..<take])
            offset = take
            if tail.count == 128 {
                tail.withUnsafeBytes { block($0, 0) }
                tail.removeAll(keepingCapacity: true)
            }
        }
        while offset + 128 <= bytes.count {
            block(bytes, offset)
            offset += 128
        }
        if offset < bytes.count { tail.append(contentsOf: bytes[offset...]) }
    }

    @inline(__always)
    private mutating func block(_ bytes: UnsafeRawBufferPointer, _ offset: Int) {
        a = Self.mix(a, bytes.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt64>.self))
        b = Self.mix(b, bytes.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<UInt64>.self))
    }

    /// The checksum of everything added so far.
    package func finalize() -> UInt64 {
        var h = length &* Self.prime
        for i in 0..<8 { h = Self.mix(h, a[i]) &+ 0x27D4_EB2F_1656_67C5 }
        for i in 0..<8 { h = Self.mix(h, b[i]) &+ 0x27D4_EB2F_1656_67C5 }
        for (index, byte) in tail.enumerated() { h = Self.mix(h, UInt64(byte) << (8 * UInt64(index % 8))) }
        h ^= h >> 33; h &*= 0xFF51_AFD7_ED55_8CCD; h ^= h >> 33
        return h
    }

    /// The checksum of a whole file, read through a memory map (no copy of the bytes).
    package static func ofFile(_ path: String) throws(DatasetError) -> UInt64 {
        let size = try LineReader.checkRegularFile(path)
        var hash = FastHash()
        guard size > 0 else { return hash.finalize() }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { munmap(map, size) }
        #if os(Linux)
        _ = madvise(map, size, MADV_SEQUENTIAL)
        #endif
        hash.update(UnsafeRawBufferPointer(start: map, count: size))
        return hash.finalize()
    }
}
