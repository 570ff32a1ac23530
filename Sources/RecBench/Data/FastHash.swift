#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast 64-bit non-cryptographic checksum of bytes, for detecting changed or corrupt files.
///
/// Four independent multiply–rotate lanes over 32-byte blocks, folded at the end; several
/// GB/s in release builds. Not for security: use SHA-256 for downloads.
struct FastHash {
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63)
    private var tail: [UInt8] = []
    private var length: UInt64 = 0
    private static let prime: UInt64 = 0x9FB2_1C65_1E98_DF25

    init() {}

    @inline(__always)
    private static func mix(_ lane: UInt64, _ word: UInt64) -> UInt64 {
        let x = (lane ^ word) &* prime
        return (x << 29) | (x >> 35)
    }

    /// Adds bytes to the checksum.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !tail.isEmpty {
            let take = min(32 - tail.count, bytes.count)
            tail.append(contentsOf: bytes[0..<take])
            offset = take
            if tail.count == 32 {
                tail.withUnsafeBytes { block($0, 0) }
                tail.removeAll(keepingCapacity: true)
            }
        }
        while offset + 32 <= bytes.count {
            block(bytes, offset)
            offset += 32
        }
        if offset < bytes.count { tail.append(contentsOf: bytes[offset...]) }
    }

    @inline(__always)
    private mutating func block(_ bytes: UnsafeRawBufferPointer, _ offset: Int) {
        lanes.0 = Self.mix(lanes.0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        lanes.1 = Self.mix(lanes.1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        lanes.2 = Self.mix(lanes.2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
        lanes.3 = Self.mix(lanes.3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
    }

    /// The checksum of everything added so far.
    func finalize() -> UInt64 {
        var h = length &* Self.prime
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] { h = Self.mix(h, lane) &+ 0x27D4_EB2F_1656_67C5 }
        for (index, byte) in tail.enumerated() { h = Self.mix(h, UInt64(byte) << (8 * UInt64(index % 8))) }
        h ^= h >> 33; h &*= 0xFF51_AFD7_ED55_8CCD; h ^= h >> 33
        return h
    }

    /// The checksum of a whole file, read through a memory map (no copy of the bytes).
    static func ofFile(_ path: String) throws(DatasetError) -> UInt64 {
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
