import Foundation
import Testing
@testable import RecBench

@Suite("Binary cache")
struct CacheTests {
    let folder = TemporaryFolder()

    func source() -> DatasetSource {
        let file = folder.write("data/events.tsv", "u1\tx\t3\t100\nu1\ty\t1\t200\nu2\tx\t2\t300\n")
        return .delimited(DelimitedOptions(path: file, timestamp: .index(3)))
    }

    @Test func roundTripGivesTheSameDataset() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = source()
        var first = DatasetLoader.Trace()
        let parsed = try DatasetLoader.load(source, cache: cache, trace: &first)
        #expect(first.cache == .missing)
        var second = DatasetLoader.Trace()
        let cached = try DatasetLoader.load(source, cache: cache, trace: &second)
        #expect(second.cache == .hit)
        #expect(cached == parsed)
    }

    @Test func namesAndIntegerIdsSurviveTheCache() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = DatasetSource.hetrecLastFM(try HetRecOptions(directory: SharedData.lastFM))
        var trace = DatasetLoader.Trace()
        let parsed = try DatasetLoader.load(source, cache: cache, trace: &trace)
        let cached = try #require(cache.read(source).0)
        #expect(cached == parsed)
        #expect(cached.items.names?[0] == parsed.items.names?[0])
    }

    @Test func changedSourceMakesTheCacheStale() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = source()
        var trace = DatasetLoader.Trace()
        _ = try DatasetLoader.load(source, cache: cache, trace: &trace)
        folder.write("data/events.tsv", "u1\tx\t9\t100\nu1\ty\t1\t200\nu2\tx\t2\t300\n")   // same size, new content
        #expect(cache.read(source).1 == .stale)
        var again = DatasetLoader.Trace()
        let reloaded = try DatasetLoader.load(source, cache: cache, trace: &again)
        #expect(again.cache == .stale)
        #expect(reloaded.value(user: "u1", item: "x") == 9)
    }

    @Test func corruptCacheIsDetectedAndRebuilt() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = source()
        var trace = DatasetLoader.Trace()
        let parsed = try DatasetLoader.load(source, cache: cache, trace: &trace)
        let path = cache.path(for: source)
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[bytes.count / 2] ^= 0xFF
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(cache.read(source).1 == .corrupt)
        var again = DatasetLoader.Trace()
        #expect(try DatasetLoader.load(source, cache: cache, trace: &again) == parsed)
        #expect(again.cache == .corrupt)
        #expect(cache.read(source).1 == .hit)
    }

    @Test func truncatedCacheIsCorrupt() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = source()
        var trace = DatasetLoader.Trace()
        _ = try DatasetLoader.load(source, cache: cache, trace: &trace)
        let path = cache.path(for: source)
        let bytes = FileManager.default.contents(atPath: path)!
        _ = FileManager.default.createFile(atPath: path, contents: bytes.prefix(bytes.count - 20))
        #expect(cache.read(source).1 == .corrupt)
    }

    @Test func neverPolicyWritesNothing() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .never)
        var trace = DatasetLoader.Trace()
        _ = try DatasetLoader.load(source(), cache: cache, trace: &trace)
        #expect(trace.cache == .disabled)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/cache"))
    }

    // MARK: Ids as bytes, and caches that are edited

    @Test func byteIdsSurviveTheCacheExactly() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let nfc: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9], nfd: [UInt8] = Array("cafe".utf8) + [0xCC, 0x81], invalid: [UInt8] = [0x78, 0xFF]
        var bytes: [UInt8] = []
        for item in [nfc, nfd, invalid] { bytes += Array("u\t".utf8) + item + Array("\t1\n".utf8) }
        let file = folder.write("data/ids.tsv", bytes: bytes)
        for encoding in TextEncoding.allCases {
            let source = DatasetSource.delimited(DelimitedOptions(path: file, encoding: encoding))
            var trace = DatasetLoader.Trace()
            let parsed = try DatasetLoader.load(source, cache: cache, trace: &trace)
            let (cached, outcome) = cache.read(source)
            #expect(outcome == .hit)
            #expect(cached == parsed)
            #expect(cached?.itemCount == 3)
            #expect((0..<3).map { cached?.items.rawIDBytes(at: $0) } == [nfc, nfd, invalid])
            #expect(cached?.items.rawID(at: 0) == parsed.items.rawID(at: 0))
        }
    }

    /// Writes `dataset` as the cache of `source` with `header` changed by `edit`, with a valid checksum.
    func writeEdited(_ dataset: Dataset, for source: DatasetSource, cache: DatasetCache,
                     edit: (inout DatasetCache.Header) -> Void = { _ in }) throws {
        var header = DatasetCache.Header(source: source, name: dataset.name, fingerprints: try DatasetCache.fingerprints(of: source),
                                         userCount: dataset.userCount, itemCount: dataset.itemCount, nonZeroCount: dataset.interactionCount,
                                         hasTimes: dataset.times != nil, userIDs: .init(dataset.users), itemIDs: .init(dataset.items),
                                         hasItemNames: dataset.items.names != nil, report: dataset.report)
        edit(&header)
        try DatasetCache.encode(dataset, header: header).write(to: URL(fileURLWithPath: cache.path(for: source)))
    }

    @Test func editedCachesWithAValidChecksumAreRefusedAndRebuilt() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = source()
        var trace = DatasetLoader.Trace()
        let parsed = try DatasetLoader.load(source, cache: cache, trace: &trace)
        let m = parsed.interactions
        func with(columns: [Int32]? = nil, offsets: [Int]? = nil, values: [Float]? = nil) -> Dataset {
            let matrix = InteractionMatrix(rowCount: m.rowCount, columnCount: m.columnCount, rowOffsets: offsets ?? m.rowOffsets,
                                           columns: columns ?? m.columns, values: values ?? m.values)
            return Dataset(name: parsed.name, users: parsed.users, items: parsed.items, interactions: matrix, times: parsed.times, report: parsed.report)
        }
        let edits: [(String, Dataset, (inout DatasetCache.Header) -> Void)] = [
            ("column index 1e9", with(columns: [0, 1_000_000_000, 0]), { _ in }),
            ("negative column", with(columns: [0, -1, 0]), { _ in }),
            ("columns out of order", with(columns: [1, 0, 0]), { _ in }),
            ("offsets not monotonic", with(offsets: [0, 4, 3]), { _ in }),
            ("infinite value", with(values: [.infinity, 1, 2]), { _ in }),
            ("count of 2^62", parsed, { $0.nonZeroCount = 1 << 62 }),
            ("user count of 2^62", parsed, { $0.userCount = 1 << 62 }),
            ("user count of Int.max", parsed, { $0.userCount = .max }),
            ("negative item count", parsed, { $0.itemCount = -1 }),
            ("vocabulary size", parsed, { $0.itemCount += 1 }),
            ("byte ids read as integers", parsed, { $0.userIDs = .integers }),
        ]
        for (label, dataset, edit) in edits {
            try writeEdited(dataset, for: source, cache: cache, edit: edit)
            #expect(cache.read(source).1 == .corrupt, "\(label)")
            var again = DatasetLoader.Trace()
            #expect(try DatasetLoader.load(source, cache: cache, trace: &again) == parsed, "\(label)")
            #expect(again.cache == .corrupt, "\(label)")
        }
        try writeEdited(parsed, for: source, cache: cache)
        #expect(cache.read(source).1 == .hit)
    }

    @Test func aCacheOfAnOlderFormatIsRebuiltNotMisread() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .always)
        let source = source()
        var trace = DatasetLoader.Trace()
        let parsed = try DatasetLoader.load(source, cache: cache, trace: &trace)
        let path = cache.path(for: source)
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes.replaceSubrange(8..<12, with: [2, 0, 0, 0])                    // format version 2
        var hash = FastHash()
        bytes.prefix(bytes.count - 8).withUnsafeBytes { hash.update($0) }
        withUnsafeBytes(of: hash.finalize().littleEndian) { bytes.replaceSubrange((bytes.count - 8)..., with: $0) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(DatasetCache.formatVersion == 3)
        #expect(cache.read(source).1 == .corrupt)
        var again = DatasetLoader.Trace()
        #expect(try DatasetLoader.load(source, cache: cache, trace: &again) == parsed)
        #expect(cache.read(source).1 == .hit)
    }

    @Test func autoPolicySkipsSmallFiles() {
        #expect(!DatasetCache(directory: folder.path, policy: .auto).applies(to: source()))
    }
}
