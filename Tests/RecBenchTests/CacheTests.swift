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
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
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
        FileManager.default.createFile(atPath: path, contents: bytes.prefix(bytes.count - 20))
        #expect(cache.read(source).1 == .corrupt)
    }

    @Test func neverPolicyWritesNothing() throws {
        let cache = DatasetCache(directory: folder.path + "/cache", policy: .never)
        var trace = DatasetLoader.Trace()
        _ = try DatasetLoader.load(source(), cache: cache, trace: &trace)
        #expect(trace.cache == .disabled)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/cache"))
    }

    @Test func autoPolicySkipsSmallFiles() {
        #expect(!DatasetCache(directory: folder.path, policy: .auto).applies(to: source()))
    }
}
