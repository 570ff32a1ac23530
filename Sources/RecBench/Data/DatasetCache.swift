import Foundation

/// A compact binary copy of a loaded dataset, so that large files are parsed only once.
///
/// Layout: the magic `RBDSCACH`, a format version, a JSON header (the source it was made
/// from, each source file's size, modification time and checksum, the counts), the arrays
/// in native little-endian form, and a checksum of everything before it. A cache whose
/// version, source description, source fingerprints or checksum do not match is stale or
/// corrupt: it is ignored and rebuilt, never trusted.
public struct DatasetCache: Sendable {
    /// When the cache is used.
    public enum Policy: String, Codable, Sendable, CaseIterable {
        /// Cache sources of at least ``DatasetCache/automaticThreshold`` bytes.
        case auto
        /// Cache every source.
        case always
        /// Neither read nor write a cache.
        case never
    }

    /// The format version; bump it whenever the layout or a loader's semantics change.
    public static let formatVersion: UInt32 = 2
    /// Sources at least this large are cached under ``Policy/auto``.
    public static let automaticThreshold = 16 << 20
    private static let magic = Array("RBDSCACH".utf8)

    /// The folder that holds the cache files.
    public var directory: String
    /// When the cache is used.
    public var policy: Policy

    /// Creates a cache in `directory` (by default `$RECBENCH_CACHE`, else `$XDG_CACHE_HOME/recbench`,
    /// else `~/.cache/recbench`).
    public init(directory: String? = nil, policy: Policy = .auto) {
        let environment = ProcessInfo.processInfo.environment
        self.directory = directory ?? environment["RECBENCH_CACHE"]
            ?? ((environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/recbench")
        self.policy = policy
    }

    /// What happened on a lookup.
    public enum Outcome: String, Sendable, Codable {
        case hit, missing, stale, corrupt, disabled
    }

    struct Fingerprint: Codable, Equatable {
        var path: String
        var size: Int
        var modified: Double
        var checksum: UInt64
    }

    struct Header: Codable {
        var source: DatasetSource
        var name: String
        var fingerprints: [Fingerprint]
        var userCount: Int
        var itemCount: Int
        var nonZeroCount: Int
        var hasTimes: Bool
        var userIDsAreIntegers: Bool
        var itemIDsAreIntegers: Bool
        var hasItemNames: Bool
        var report: LoadReport
    }

    /// Whether `source` should be cached under this policy.
    func applies(to source: DatasetSource) -> Bool {
        switch policy {
        case .never: return false
        case .always: return true
        case .auto: return source.files.reduce(0) { $0 + ((try? LineReader.checkRegularFile($1)) ?? 0) } >= Self.automaticThreshold
        }
    }

    /// The cache file for `source`.
    func path(for source: DatasetSource) -> String {
        let key = (try? JSONEncoder.sorted.encode(source)) ?? Data()
        var hash = FastHash()
        key.withUnsafeBytes { hash.update($0) }
        let base = (source.files.first.map { ($0 as NSString).lastPathComponent } ?? "dataset")
        return directory + "/" + base + "-" + String(hash.finalize(), radix: 16) + ".rbcache"
    }

    static func fingerprints(of source: DatasetSource, checksums: Bool = true) throws(DatasetError) -> [Fingerprint] {
        var result: [Fingerprint] = []
        for file in source.files {
            let size = try LineReader.checkRegularFile(file)
            let modified = ((try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate]) as? Date)?.timeIntervalSince1970 ?? 0
            result.append(Fingerprint(path: file, size: size, modified: modified, checksum: checksums ? try FastHash.ofFile(file) : 0))
        }
        return result
    }

    /// Reads the cached dataset for `source` if a valid cache exists.
    public func read(_ source: DatasetSource) -> (Dataset?, Outcome) {
        guard policy != .never else { return (nil, .disabled) }
        let file = path(for: source)
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) else { return (nil, .missing) }
        do {
            let (header, dataset) = try Self.decode(data)
            guard header.source == source,
                  header.fingerprints == (try? Self.fingerprints(of: source)) else { return (nil, .stale) }
            return (dataset, .hit)
        } catch {
            return (nil, .corrupt)
        }
    }

    /// Writes `dataset` as the cache of `source`, atomically (temporary file, then rename).
    public func write(_ dataset: Dataset, for source: DatasetSource) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let header = Header(source: source, name: dataset.name, fingerprints: try Self.fingerprints(of: source),
                            userCount: dataset.userCount, itemCount: dataset.itemCount,
                            nonZeroCount: dataset.interactionCount, hasTimes: dataset.times != nil,
                            userIDsAreIntegers: dataset.users.isIntegers, itemIDsAreIntegers: dataset.items.isIntegers,
                            hasItemNames: dataset.items.names != nil, report: dataset.report)
        let data = try Self.encode(dataset, header: header)
        let target = path(for: source)
        let temporary = target + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try data.write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, target) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw DatasetError.unreadable(path: target, reason: "could not move the cache into place")
        }
    }

    // MARK: Encoding

    static func encode(_ dataset: Dataset, header: Header) throws -> Data {
        var out = Data()
        out.append(contentsOf: magic)
        out.appendScalar(formatVersion)
        let json = try JSONEncoder.sorted.encode(header)
        out.appendScalar(UInt64(json.count))
        out.append(json)
        out.appendArray(dataset.interactions.rowOffsets.map(Int64.init))
        out.appendArray(dataset.interactions.columns)
        out.appendArray(dataset.interactions.values)
        if let times = dataset.times { out.appendArray(times.firstRaw); out.appendArray(times.lastRaw) }
        out.appendVocabulary(dataset.users)
        out.appendVocabulary(dataset.items)
        if let names = dataset.items.names { out.appendStrings(names) }
        var hash = FastHash()
        out.withUnsafeBytes { hash.update($0) }
        out.appendScalar(hash.finalize())
        return out
    }

    struct CorruptCache: Error {}

    static func decode(_ data: Data) throws -> (Header, Dataset) {
        guard data.count > 28, Array(data.prefix(8)) == magic else { throw CorruptCache() }
        var checksum = FastHash()
        data.withUnsafeBytes { checksum.update(UnsafeRawBufferPointer(rebasing: $0[0..<(data.count - 8)])) }
        var reader = ByteReader(data: data, offset: 8)
        guard try reader.scalar(UInt32.self) == formatVersion else { throw CorruptCache() }
        let stored = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: data.count - 8, as: UInt64.self) }
        guard stored == checksum.finalize() else { throw CorruptCache() }
        let jsonLength = Int(try reader.scalar(UInt64.self))
        let header = try JSONDecoder().decode(Header.self, from: try reader.bytes(jsonLength))
        let offsets = try reader.array(Int64.self, count: header.userCount + 1).map(Int.init)
        let columns = try reader.array(Int32.self, count: header.nonZeroCount)
        let values = try reader.array(Float.self, count: header.nonZeroCount)
        var times: InteractionTimes?
        if header.hasTimes {
            times = InteractionTimes(first: try reader.array(Int64.self, count: header.nonZeroCount),
                                     last: try reader.array(Int64.self, count: header.nonZeroCount))
        }
        let users = try reader.vocabulary(count: header.userCount, integers: header.userIDsAreIntegers)
        var items = try reader.vocabulary(count: header.itemCount, integers: header.itemIDsAreIntegers)
        if header.hasItemNames { items.names = try reader.strings(count: header.itemCount) }
        guard offsets.first == 0, offsets.last == header.nonZeroCount else { throw CorruptCache() }
        let matrix = InteractionMatrix(rowCount: header.userCount, columnCount: header.itemCount,
                                       rowOffsets: offsets, columns: columns, values: values)
        return (header, Dataset(name: header.name, users: users, items: items, interactions: matrix, times: times, report: header.report))
    }
}

extension Vocabulary {
    var isIntegers: Bool { if case .integers = rawIDs { return true } else { return false } }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so equal values encode to equal bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

private extension Data {
    mutating func appendScalar<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendArray<T>(_ array: [T]) {
        array.withUnsafeBytes { append(contentsOf: $0) }
    }

    mutating func appendStrings(_ strings: [String?]) {
        var lengths = [Int32](); lengths.reserveCapacity(strings.count)
        var blob = [UInt8]()
        for string in strings {
            if let string { lengths.append(Int32(string.utf8.count)); blob.append(contentsOf: string.utf8) } else { lengths.append(-1) }
        }
        appendArray(lengths)
        appendScalar(UInt64(blob.count))
        appendArray(blob)
    }

    mutating func appendVocabulary(_ vocabulary: Vocabulary) {
        switch vocabulary.rawIDs {
        case .integers(let ids): appendArray(ids)
        case .strings(let ids): appendStrings(ids)
        }
    }
}

/// Reads typed arrays from cache bytes with bounds checks.
private struct ByteReader {
    let data: Data
    var offset: Int

    mutating func bytes(_ count: Int) throws -> Data {
        guard count >= 0, offset + count <= data.count else { throw DatasetCache.CorruptCache() }
        defer { offset += count }
        return data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + count))
    }

    mutating func scalar<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard offset + MemoryLayout<T>.size <= data.count else { throw DatasetCache.CorruptCache() }
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }

    mutating func array<T>(_ type: T.Type, count: Int) throws -> [T] {
        let byteCount = count * MemoryLayout<T>.stride
        guard count >= 0, offset + byteCount <= data.count else { throw DatasetCache.CorruptCache() }
        defer { offset += byteCount }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + byteCount)]))
            }
            initialized = count
        }
    }

    mutating func strings(count: Int) throws -> [String?] {
        let lengths = try array(Int32.self, count: count)
        let blobLength = Int(try scalar(UInt64.self))
        let blob = try array(UInt8.self, count: blobLength)
        var result = [String?](); result.reserveCapacity(count)
        var position = 0
        try blob.withUnsafeBufferPointer { bytes in
            for length in lengths {
                if length < 0 { result.append(nil); continue }
                guard position + Int(length) <= bytes.count else { throw DatasetCache.CorruptCache() }
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + Int(length))]), as: UTF8.self))
                position += Int(length)
            }
        }
        return result
    }

    mutating func vocabulary(count: Int, integers: Bool) throws -> Vocabulary {
        if integers { return Vocabulary(integers: try array(Int64.self, count: count)) }
        return Vocabulary(strings: try strings(count: count).map { $0 ?? "" })
    }
}
