import Foundation
import Testing
@testable import RecBench

/// A fresh temporary folder for one test, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "recbench-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` (as UTF-8 unless bytes are given) to `name` and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// Datasets for tests. The committed ones are always there; real datasets that may not be
/// committed (MovieLens) are optional: a test of their published figures is enabled only when a
/// copy is found, and says so when it is skipped. Everything else runs on generated files
/// (``GeneratedMovieLens``).
enum SharedData {
    static let lastFM = DatasetCatalog.repositoryRoot + "/datasets/lastfm-2k"
    static let audioscrobbler = DatasetCatalog.repositoryRoot + "/datasets/audioscrobbler-sample"

    /// A real MovieLens 100K folder, where the catalogue finds one ($RECBENCH_DATASETS,
    /// `datasets/`, the download folder, the shared datasets folder beside the checkout), else nil;
    /// the tests that use it are optional and report themselves skipped without it.
    static let realMovieLens100K: String? = firstFolder("movielens-100k", containing: "u.data")

    /// A HetRec Last.fm 2K folder with `user_taggedartists.dat` (the committed copy has it since issue 15), else nil.
    static let realLastFM2KWithTags: String? = firstFolder("lastfm-2k", containing: "user_taggedartists.dat")

    private static func firstFolder(_ name: String, containing file: String) -> String? {
        DatasetCatalog.searchPaths(for: name).first { FileManager.default.fileExists(atPath: $0 + "/" + file) }
    }
}

/// A MovieLens-format folder generated into a temporary folder from a seeded generator, removed
/// when released. The default shape is MovieLens 100K's: 943 users, 1,682 items, 100,000 ratings.
final class GeneratedMovieLens {
    /// MovieLens 100K's shape.
    static let shape = SyntheticConfiguration(users: 943, items: 1_682, interactions: 100_000, zipfExponent: 0.9, seed: 100)

    private let folder = TemporaryFolder()
    /// The release folder (`…/ml-100k`, `…/ml-1m`, `…/ml-latest`).
    let path: String
    /// The layout written.
    let layout: MovieLensLayout
    /// Ratings written.
    let ratingCount: Int

    init(_ layout: MovieLensLayout = .ml100k, configuration: SyntheticConfiguration = GeneratedMovieLens.shape) throws {
        self.layout = layout
        path = folder.path + "/" + layout.rawValue
        ratingCount = try SyntheticGenerator(configuration).writeMovieLens(layout, into: path)
    }

    /// The folder read by the MovieLens loader (while this value, and so the folder, is alive).
    func dataset(_ feedback: RatingFeedback = .threshold(4)) throws -> Dataset {
        try DatasetLoader.parse(.movieLens(MovieLensOptions(directory: path, feedback: feedback)))
    }

    /// The ratings file.
    var ratingsFile: String {
        switch layout {
        case .ml100k: return path + "/u.data"
        case .ml1m: return path + "/ratings.dat"
        case .mlLatest: return path + "/ratings.csv"
        }
    }

    /// The ratings read back by plain string splitting, independently of the loaders.
    func ratings() throws -> [(user: String, item: String, rating: Double, time: Int64)] {
        let text = try String(contentsOfFile: ratingsFile, encoding: .utf8)
        var lines = text.split(separator: "\n")
        if layout == .mlLatest { lines.removeFirst() }
        return try lines.map { line in
            let fields: [Substring]
            switch layout {
            case .ml100k: fields = line.split(separator: "\t")
            case .ml1m: fields = line.split(separator: "::")
            case .mlLatest: fields = line.split(separator: ",")
            }
            let rating = try #require(Double(fields[2])), time = try #require(Int64(fields[3]))
            return (String(fields[0]), String(fields[1]), rating, time)
        }
    }
}

/// Runs `body` and returns the DatasetError it threw, or nil.
func datasetError(_ body: () throws -> Void) -> DatasetError? {
    do { try body(); return nil } catch let error as DatasetError { return error } catch { return nil }
}

extension Dataset {
    /// The value for raw ids, or nil.
    func value(user: String, item: String) -> Float? {
        guard let u = users.position(of: user), let i = items.position(of: item) else { return nil }
        return interactions.value(row: u, column: i)
    }
}
