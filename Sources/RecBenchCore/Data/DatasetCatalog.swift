import Foundation

/// Datasets known by name: where they live on disk, how they are read, and where they come from.
public enum DatasetCatalog {
    /// A dataset the harness knows by name.
    public struct Entry: Sendable {
        /// The short name used on the command line (`lastfm-2k`).
        public var name: String
        /// What it is.
        public var title: String
        /// Where to download the archive, for ``Downloader``.
        public var url: String?
        /// The archive's published checksum, verified by ``Downloader``; nil when none is known.
        public var checksum: Downloader.Checksum?
        /// The folder inside the archive that holds the files.
        public var archiveFolder: String?
        /// The licence in brief.
        public var licence: String
        /// Whether the repository ships it under `datasets/`.
        public var embedded: Bool
        /// The format of its files, found in its folder by ``DatasetFormat/init(directory:)``.
        public var format: any DatasetFormat.Type

        /// Builds the source from the folder that holds the files.
        public func source(_ directory: String) throws(DatasetError) -> DatasetSource { try format.init(directory: directory).source }
    }

    /// The name of the dataset that commands use when none is given.
    public static let defaultName = "lastfm-2k"

    /// Every named dataset.
    ///
    /// MovieLens MD5s are the ones GroupLens publishes beside its archives; the Last.fm 2K
    /// SHA-256 was taken from a public project that pins it. Where none is known, a download
    /// prints the SHA-256 it computed and says that it could not verify it.
    public static let entries: [Entry] = [
        Entry(name: "lastfm-2k", title: "HetRec 2011 Last.fm 2K: 1,892 users x 17,632 artists, play counts",
              url: "https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip",
              checksum: .init(algorithm: .sha256, hex: "6738f48195667ff03caaab4d32ca9a3133d8cc026b7c3cdaf6ce1010e913c59c"), archiveFolder: nil,
              licence: "non-commercial use; credit Last.fm", embedded: true, format: HetRecOptions.self),
        Entry(name: "audioscrobbler-sample", title: "Audioscrobbler 2005, top 50 users (course sample)",
              url: nil, checksum: nil, archiveFolder: nil,
              licence: "CC BY-NC-SA 1.0; credit Audioscrobbler", embedded: true, format: AudioscrobblerOptions.self),
        Entry(name: "audioscrobbler", title: "Audioscrobbler 2005 full dump: 24.3M rows (Advanced Analytics with Spark, ch. 3)",
              url: "https://storage.googleapis.com/aas-data-sets/profiledata_06-May-2005.tar.gz",
              checksum: nil, archiveFolder: "profiledata_06-May-2005",
              licence: "CC BY-NC-SA 1.0; credit Audioscrobbler", embedded: false, format: AudioscrobblerOptions.self),
        Entry(name: "movielens-100k", title: "MovieLens 100K: 943 users x 1,682 movies, ratings 1-5",
              url: "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
              checksum: .init(algorithm: .md5, hex: "0e33842e24a9c977be4e0107933c0723"), archiveFolder: "ml-100k",
              licence: "research use; no redistribution (GroupLens)", embedded: false, format: MovieLensOptions.self),
        Entry(name: "movielens-1m", title: "MovieLens 1M: 6,040 users x 3,706 movies",
              url: "https://files.grouplens.org/datasets/movielens/ml-1m.zip",
              checksum: .init(algorithm: .md5, hex: "c4d9eecfca2ab87c1945afe126590906"), archiveFolder: "ml-1m",
              licence: "research use; no redistribution (GroupLens)", embedded: false, format: MovieLensOptions.self),
        Entry(name: "movielens-latest-small", title: "MovieLens latest-small: 610 users x 9,742 movies",
              url: "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
              checksum: nil, archiveFolder: "ml-latest-small",
              licence: "research use; no redistribution (GroupLens)", embedded: false, format: MovieLensOptions.self),
    ]

    /// The entry called `name`.
    public static func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The folders searched for a named dataset, in order.
    ///
    /// `$RECBENCH_DATASETS/<name>`, `./datasets/<name>`, the repository's `datasets/<name>`,
    /// the download folder, and `../shared/datasets/<name>` beside the repository.
    public static func searchPaths(for name: String) -> [String] {
        var paths: [String] = []
        if let root = ProcessInfo.processInfo.environment["RECBENCH_DATASETS"] { paths.append(root + "/" + name) }
        let cwd = FileManager.default.currentDirectoryPath
        paths.append(cwd + "/datasets/" + name)
        paths.append(repositoryRoot + "/datasets/" + name)
        paths.append(Downloader.defaultDirectory + "/" + name)
        paths.append(repositoryRoot + "/../shared/datasets/" + name)
        paths.append(cwd + "/../shared/datasets/" + name)
        return paths
    }

    /// The checkout this library was built from (found through the source file's path).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }      // Data, RecBench, Sources, root
        return url.path
    }()

    /// Resolves a dataset argument — a catalogue name, a folder or a file — to its source and
    /// report name: the one resolution the command line, experiment files and library users share.
    ///
    /// - Parameters:
    ///   - argument: a catalogue name (``entries``), a folder or a file.
    ///   - format: the format to read it as (`--format`); nil to recognise it (``DatasetSource/detect(_:)``).
    /// - Returns: the source, and the name for reports: the catalogue name, or the folder's or
    ///   file's last path component.
    /// - Throws: ``DatasetError`` for a name that is not in the catalogue and not a path, a
    ///   catalogue dataset that is not on disk, or a folder no format recognises.
    public static func resolve(_ argument: String, format: (any DatasetFormat.Type)? = nil) throws(DatasetError) -> (source: DatasetSource, name: String) {
        if let format {
            return (try DatasetSource.open(argument, as: format), argument.split(separator: "/").last.map(String.init) ?? argument)
        }
        if let entry = entry(named: argument) {
            for path in searchPaths(for: argument) where isDirectory(path) {
                return (try entry.source(path), entry.name)
            }
            throw .fileNotFound(path: "\(argument) (looked in \(searchPaths(for: argument).joined(separator: ", ")); try 'recbench download \(argument)')")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDir) else {
            if !argument.contains("/") && !argument.contains(".") {
                throw .unknownDataset(name: argument, known: entries.map(\.name))
            }
            throw .fileNotFound(path: argument)
        }
        let name = isDir.boolValue ? ((argument as NSString).standardizingPath as NSString).lastPathComponent
                                   : (argument as NSString).lastPathComponent
        return (try DatasetSource.detect(argument), name)
    }

    /// Whether `path` is an existing folder.
    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Whether `path` is an existing file (not a folder).
    public static func isFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
    }
}
