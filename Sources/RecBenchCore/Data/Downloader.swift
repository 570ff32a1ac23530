import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ZIPFoundation

/// Fetches a public dataset archive, verifies its checksum and unpacks it.
///
/// The archive may come from its URL or from a local file (`file://` URL or path), which is
/// how machines without internet and the tests use it. A checksum mismatch deletes nothing
/// the user had and leaves no partly unpacked folder.
public enum Downloader {
    /// A published checksum of an archive.
    public struct Checksum: Sendable, Equatable {
        /// The algorithm.
        public enum Algorithm: String, Sendable { case sha256, md5 }
        public var algorithm: Algorithm
        /// Lower-case hex digest.
        public var hex: String

        /// Creates a checksum.
        public init(algorithm: Algorithm, hex: String) {
            self.algorithm = algorithm
            self.hex = hex.lowercased()
        }
    }

    /// Where datasets are unpacked by default: `$RECBENCH_DATASETS`, else `~/.cache/recbench/datasets`.
    public static var defaultDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["RECBENCH_DATASETS"]
            ?? ((environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/recbench/datasets")
    }

    /// The known checksum of a catalogue archive: the catalogue entry's ``DatasetCatalog/Entry/checksum``.
    public static func knownChecksum(for name: String) -> Checksum? { DatasetCatalog.entry(named: name)?.checksum }

    /// What a download did.
    public struct Result: Sendable {
        /// The folder that now holds the dataset's files.
        public var directory: String
        /// The archive's SHA-256.
        public var sha256: String
        /// Whether a known or given checksum was checked and matched.
        public var verified: Bool
    }

    /// Downloads (or copies) `name`'s archive, verifies it and unpacks it into `directory/name`.
    ///
    /// - Parameters:
    ///   - name: a catalogue name with a URL.
    ///   - archive: a local archive or URL to use instead of the catalogue's URL.
    ///   - expected: a checksum that overrides the catalogue's.
    ///   - directory: the parent folder of the unpacked dataset.
    public static func fetch(_ name: String, from archive: String? = nil, expected: Checksum? = nil,
                             into directory: String = defaultDirectory) throws -> Result {
        guard let entry = DatasetCatalog.entry(named: name) else {
            throw DatasetError.unknownDataset(name: name, known: DatasetCatalog.entries.filter { $0.url != nil }.map(\.name))
        }
        guard let location = archive ?? entry.url else {
            throw DatasetError.verificationFailed(path: name, reason: "has no public download; it ships in datasets/")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let suffix = location.hasSuffix(".tar.gz") || location.hasSuffix(".tgz") ? ".tar.gz" : ".zip"
        let archivePath = directory + "/" + name + suffix
        try retrieve(location, to: archivePath)

        let data = try Data(contentsOf: URL(fileURLWithPath: archivePath), options: .alwaysMapped)
        let sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        var verified = false
        if let check = expected ?? knownChecksum(for: name) {
            let actual = check.algorithm == .sha256 ? sha256 : Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
            guard actual == check.hex.lowercased() else {
                try? FileManager.default.removeItem(atPath: archivePath)
                throw DatasetError.verificationFailed(path: archivePath,
                                                      reason: "\(check.algorithm.rawValue) is \(actual), expected \(check.hex); the archive was removed")
            }
            verified = true
        }

        // Unpack into a temporary folder, then move the dataset folder into place.
        let staging = directory + "/." + name + ".unpacking"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        if suffix == ".zip" {
            try FileManager.default.unzipItem(at: URL(fileURLWithPath: archivePath), to: URL(fileURLWithPath: staging))
        } else {
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-xzf", archivePath, "-C", staging]
            try tar.run()
            tar.waitUntilExit()
            guard tar.terminationStatus == 0 else {
                throw DatasetError.verificationFailed(path: archivePath, reason: "tar could not unpack the archive")
            }
        }
        var unpacked = staging
        if let folder = entry.archiveFolder, DatasetCatalog.isDirectory(staging + "/" + folder) { unpacked = staging + "/" + folder }
        let target = directory + "/" + name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.moveItem(atPath: unpacked, toPath: target)
        _ = try entry.source(target)       // the unpacked folder must hold what the loader needs
        return Result(directory: target, sha256: sha256, verified: verified)
    }

    /// Copies a local file or downloads a URL to `destination`, atomically.
    package static func retrieve(_ location: String, to destination: String) throws {
        let temporary = destination + ".part"
        try? FileManager.default.removeItem(atPath: temporary)
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            guard let url = URL(string: location) else { throw DatasetError.fileNotFound(path: location) }
            let data = try Data(contentsOf: url)
            try data.write(to: URL(fileURLWithPath: temporary))
        } else {
            let path = location.hasPrefix("file://") ? String(location.dropFirst(7)) : location
            _ = try LineReader.checkRegularFile(path)
            try FileManager.default.copyItem(atPath: path, toPath: temporary)
        }
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.moveItem(atPath: temporary, toPath: destination)
    }
}
