import Foundation
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
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// The shared datasets beside the checkout.
enum SharedData {
    static let root = DatasetCatalog.repositoryRoot + "/../shared/datasets"
    static let movieLens = root + "/movielens-100k"
    static let lastFM = DatasetCatalog.repositoryRoot + "/datasets/lastfm-2k"
    static let audioscrobbler = DatasetCatalog.repositoryRoot + "/datasets/audioscrobbler-sample"
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
