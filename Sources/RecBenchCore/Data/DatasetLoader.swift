import Foundation

/// Loads any ``DatasetSource`` into a ``Dataset``, through the binary cache where it applies.
public enum DatasetLoader {
    /// Timings and cache outcome of one load.
    public struct Trace: Sendable, Codable {
        /// Seconds spent parsing the source files (0 on a cache hit).
        public var parseSeconds: Double = 0
        /// Seconds spent reading the cache (0 when it was not read).
        public var cacheReadSeconds: Double = 0
        /// What the cache lookup found.
        public var cache: DatasetCache.Outcome = .disabled

        /// Creates an empty trace.
        public init() {}
    }

    /// Parses `source` without any cache.
    ///
    /// - Parameters:
    ///   - source: the format and files.
    ///   - name: the name for reports; by default the first file's folder or name.
    /// - Complexity: O(file size) time; memory O(interactions), never the whole file's text.
    public static func parse(_ source: DatasetSource, name: String? = nil) throws(DatasetError) -> Dataset {
        let name = name ?? defaultName(for: source)
        let dataset = try source.format.load(name: name)
        // A loader refuses what it knows to be empty with a precise reason; this is the net
        // under them all: an empty dataset is never returned in silence.
        guard dataset.interactionCount > 0 else {
            throw .noInteractions(file: source.files.first ?? name, reason: "\(dataset.report.rowsRead) row(s) were read and none was kept")
        }
        return dataset
    }

    /// Loads `source`, reading a valid cache when there is one and writing one after a parse.
    ///
    /// A cache that cannot be written is not an error: the dataset is still returned.
    public static func load(_ source: DatasetSource, name: String? = nil, cache: DatasetCache = DatasetCache(),
                            trace: inout Trace) throws(DatasetError) -> Dataset {
        let useCache = cache.applies(to: source)
        if useCache {
            let clock = ContinuousClock.now
            let (cached, outcome) = cache.read(source)
            trace.cache = outcome
            trace.cacheReadSeconds = (ContinuousClock.now - clock).seconds
            if var cached {
                if let name { cached.name = name }
                return cached
            }
        } else {
            trace.cache = .disabled
        }
        let clock = ContinuousClock.now
        let dataset = try parse(source, name: name)
        trace.parseSeconds = (ContinuousClock.now - clock).seconds
        if useCache { try? cache.write(dataset, for: source) }
        return dataset
    }

    /// Loads `source` through the default cache.
    public static func load(_ source: DatasetSource, name: String? = nil) throws(DatasetError) -> Dataset {
        var trace = Trace()
        return try load(source, name: name, trace: &trace)
    }

    package static func defaultName(for source: DatasetSource) -> String {
        let first = source.files[0]
        let folder = ((first as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return folder.isEmpty || folder == "." ? (first as NSString).lastPathComponent : folder
    }
}

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
