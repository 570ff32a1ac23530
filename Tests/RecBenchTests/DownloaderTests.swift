import Crypto
import Foundation
import Testing
import ZIPFoundation
@testable import RecBench

@Suite("Downloader")
struct DownloaderTests {
    let folder = TemporaryFolder()

    /// A local archive shaped like GroupLens's ml-100k.zip (folder `ml-100k`, `u.data`, `u.item`,
    /// `u.user`), made from generated files.
    func makeArchive() throws -> (path: String, sha256: String, ratings: Int) {
        let staging = folder.path + "/staging/ml-100k"
        let ratings = try SyntheticGenerator(GeneratedMovieLens.shape).writeMovieLens(.ml100k, into: staging)
        let archive = folder.path + "/ml-100k.zip"
        try FileManager.default.zipItem(at: URL(fileURLWithPath: staging), to: URL(fileURLWithPath: archive))
        let digest = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: archive)))
        return (archive, digest.map { String(format: "%02x", $0) }.joined(), ratings)
    }

    @Test func localArchiveIsVerifiedUnpackedAndLoadable() throws {
        let (archive, sha, ratings) = try makeArchive()
        let result = try Downloader.fetch("movielens-100k", from: archive, expected: .init(algorithm: .sha256, hex: sha),
                                          into: folder.path + "/datasets")
        #expect(result.verified)
        #expect(result.sha256 == sha)
        #expect(result.directory == folder.path + "/datasets/movielens-100k")
        let dataset = try DatasetLoader.parse(.movieLens(MovieLensOptions(directory: result.directory, feedback: .weights)))
        #expect(dataset.interactionCount == ratings)      // the generated u.data's lines
    }

    @Test func checksumMismatchIsAnErrorAndLeavesNothingUnpacked() throws {
        let (archive, _, _) = try makeArchive()
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: DatasetError.self) {
            _ = try Downloader.fetch("movielens-100k", from: "file://" + archive, expected: .init(algorithm: .sha256, hex: wrong),
                                     into: folder.path + "/datasets")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/datasets/movielens-100k"))
    }

    @Test func catalogueMD5IsCheckedWhenNoChecksumIsGiven() throws {
        // The local archive is not GroupLens's, so the published MD5 must reject it.
        let (archive, _, _) = try makeArchive()
        let error = datasetError { _ = try Downloader.fetch("movielens-100k", from: archive, into: folder.path + "/datasets") }
        #expect(error?.description.contains("md5 is") == true)
    }

    @Test func unknownNameIsAnError() {
        let error = datasetError { _ = try Downloader.fetch("netflix", into: folder.path) }
        guard case .unknownDataset(name: "netflix", _) = error else { Issue.record("got \(String(describing: error))"); return }
    }
}
