import Foundation

/// A compact binary copy of a loaded dataset, so that large files are parsed only once.
///
/// Layout: the magic `RBDSCACH`, a format version, a JSON header (the source it was made
/// from, each source file's size, modification time and checksum, the counts), the arrays
/// in native little-endian form (ids that are not integers as their exact bytes), and a
/// checksum of everything before it. A cache whose version, source description, source
/// fingerprints or checksum do not match is stale or corrupt, and so is one whose structure
/// does not hold together (counts, offsets, column indices, vocabulary sizes, finite values),
/// even when its checksum was recomputed after an edit: it is ignored and rebuilt, never trusted.
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
    public static let formatVersion: UInt32 = 3
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

    package struct Fingerprint: Codable, Equatable {
        package var path: String
        package var size: Int
        package var modified: Double
        package var checksum: UInt64
    }

    package struct Header: Codable {
        package var source: DatasetSource
        package var name: String
        package var fingerprints: [Fingerprint]
        package var userCount: Int
        package var itemCount: Int
        package var nonZeroCount: Int
        package var hasTimes: Bool
        package var userIDs: IDForm
        package var itemIDs: IDForm
        package var hasItemNames: Bool
        package var report: LoadReport

        /// Creates a value from each stored property (the memberwise initialiser, visible to the package).
        package init(source: DatasetSource, name: String, fingerprints: [Fingerprint], userCount: Int, itemCount: Int, nonZeroCount: Int, hasTimes: Bool, userIDs: IDForm, itemIDs: IDForm, hasItemNames: Bool, report: LoadReport) {
            self.source = source
            self.name = name
            self.fingerprints = fingerprints
            self.userCount = userCount
            self.itemCount = itemCount
            self.nonZeroCount = nonZeroCount
            self.hasTimes = hasTimes
            self.userIDs = userIDs
            self.itemIDs = itemIDs
            self.hasItemNames = hasItemNames
            self.report = report
        }
    }

    /// How a vocabulary's ids are stored in the file.
    package enum IDForm: Codable, Equatable {
        case integers
        case bytes(TextEncoding)

        package init(_ vocabulary: Vocabulary) {
            switch vocabulary.rawIDs {
            case .integers: self = .integers
            case .bytes(let ids): self = .bytes(ids.encoding)
            }
        }
    }

    /// Whether `source` should be cached under this policy.
    package func applies(to source: DatasetSource) -> Bool {
        switch policy {
        case .never: return false
        case .always: return true
        case .auto: return source.files.reduce(0) { $0 + ((try? LineReader.checkRegularFile($1)) ?? 0) } >= Self.automaticThreshold
        }
    }

    /// The cache file for `source`.
    package func path(for source: DatasetSource) -> String {
        let key = (try? JSONEncoder.sorted.encode(source)) ?? Data()
        var hash = FastHash()
        key.withUnsafeBytes { hash.update($0) }
        let base = (source.files.first.map { ($0 as NSString).lastPathComponent } ?? "dataset")
        return directory + "/" + base + "-" + String(hash.finalize(), radix: 16) + ".rbcache"
    }

    package static func fingerprints(of source: DatasetSource, checksums: Bool = true) throws(DatasetError) -> [Fingerprint] {
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
                            userIDs: IDForm(dataset.users), itemIDs: IDForm(dataset.items),
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

    package static func encode(_ dataset: Dataset, header: Header) throws -> Data {
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

    package struct CorruptCache: Error {}

    package static func decode(_ data: Data) throws -> (Header, Dataset) {
        guard data.count > 28, Array(data.prefix(8)) == magic else { throw CorruptCache() }
        var checksum = FastHash()
        data.withUnsafeBytes { checksum.update(UnsafeRawBufferPointer(rebasing: $0[0..<(data.count - 8)])) }
        var reader = ByteReader(data: data, offset: 8)
        guard try reader.scalar(UInt32.self) == formatVersion else { throw CorruptCache() }
        let stored = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: data.count - 8, as: UInt64.self) }
        guard stored == checksum.finalize() else { throw CorruptCache() }
        let jsonLength = try reader.count()
        let header = try JSONDecoder().decode(Header.self, from: try reader.bytes(jsonLength))
        // A checksum says only that the bytes are the ones written, and they may have been edited
        // before it was computed: check every count before it sizes an allocation or an index.
        let maximumIndex = Int(Int32.max)
        guard (0...maximumIndex).contains(header.userCount), (0...maximumIndex).contains(header.itemCount),
              header.nonZeroCount >= 0, header.nonZeroCount <= data.count else { throw CorruptCache() }
        let offsets = try reader.array(Int64.self, count: header.userCount + 1).map(Int.init)
        let columns = try reader.array(Int32.self, count: header.nonZeroCount)
        let values = try reader.array(Float.self, count: header.nonZeroCount)
        var times: InteractionTimes?
        if header.hasTimes {
            times = InteractionTimes(first: try reader.array(Int64.self, count: header.nonZeroCount),
                                     last: try reader.array(Int64.self, count: header.nonZeroCount))
        }
        let users = try reader.vocabulary(count: header.userCount, form: header.userIDs)
        var items = try reader.vocabulary(count: header.itemCount, form: header.itemIDs)
        if header.hasItemNames { items.names = try reader.strings(count: header.itemCount) }
        guard reader.offset == data.count - 8 else { throw CorruptCache() }
        try validate(offsets: offsets, columns: columns, values: values, itemCount: header.itemCount)
        let matrix = InteractionMatrix(rowCount: header.userCount, columnCount: header.itemCount,
                                       rowOffsets: offsets, columns: columns, values: values)
        return (header, Dataset(name: header.name, users: users, items: items, interactions: matrix, times: times, report: header.report))
    }

    /// Checks the CSR invariants that every consumer relies on: offsets from 0 to the entry
    /// count, never decreasing; columns in range and increasing within each row; finite values.
    ///
    /// - Complexity: O(users + entries).
    package static func validate(offsets: [Int], columns: [Int32], values: [Float], itemCount: Int) throws {
        guard offsets.first == 0, offsets.last == columns.count, columns.count == values.count else { throw CorruptCache() }
        let items = Int32(truncatingIfNeeded: itemCount)
        try columns.withUnsafeBufferPointer { columns in
            for row in 0..<(offsets.count - 1) {
                let start = offsets[row], end = offsets[row + 1]
                guard start <= end, end <= columns.count else { throw CorruptCache() }
                var previous: Int32 = -1
                for k in start..<end {
                    let column = columns[k]
                    guard column > previous, column < items else { throw CorruptCache() }
                    previous = column
                }
            }
        }
        guard values.allSatisfy({ $0.isFinite }) else { throw CorruptCache() }
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so equal values encode to equal bytes.
    package static var sorted: JSONEncoder {
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
        case .integers(let ids):
            appendArray(ids)
        case .bytes(let ids):
            appendArray(ids.ends.map(Int64.init))
            appendScalar(UInt64(ids.storage.count))
            appendArray(ids.storage)
        }
    }
}

/// Reads typed arrays from cache bytes with bounds checks.
private struct ByteReader {
    let data: Data
    var offset: Int

    mutating func bytes(_ count: Int) throws -> Data {
        guard count >= 0, count <= data.count - offset else { throw DatasetCache.CorruptCache() }
        defer { offset += count }
        return data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + count))
    }

    mutating func scalar<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard MemoryLayout<T>.size <= data.count - offset else { throw DatasetCache.CorruptCache() }
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) })
    }

    /// A stored 64-bit length, checked to fit in what is left of the file.
    mutating func count() throws -> Int {
        guard let count = Int(exactly: try scalar(UInt64.self)), count <= data.count - offset else { throw DatasetCache.CorruptCache() }
        return count
    }

    mutating func array<T>(_ type: T.Type, count: Int) throws -> [T] {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard count >= 0, !overflow, byteCount <= data.count - offset else { throw DatasetCache.CorruptCache() }
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
        let blob = try array(UInt8.self, count: try self.count())
        var result = [String?](); result.reserveCapacity(count)
        var position = 0
        try blob.withUnsafeBufferPointer { bytes in
            for length in lengths {
                if length < 0 { result.append(nil); continue }
                guard Int(length) <= bytes.count - position else { throw DatasetCache.CorruptCache() }
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<(position + Int(length))]), as: UTF8.self))
                position += Int(length)
            }
        }
        guard position == blob.count else { throw DatasetCache.CorruptCache() }
        return result
    }

    mutating func vocabulary(count: Int, form: DatasetCache.IDForm) throws -> Vocabulary {
        switch form {
        case .integers:
            return Vocabulary(integers: try array(Int64.self, count: count))
        case .bytes(let encoding):
            let ends = try array(Int64.self, count: count).map(Int.init)
            let storage = try array(UInt8.self, count: try self.count())
            guard let ids = RawIDBytes(storage: storage, ends: ends, encoding: encoding) else { throw DatasetCache.CorruptCache() }
            return Vocabulary(bytes: ids)
        }
    }
}
