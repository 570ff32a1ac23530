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
        /// The archive's SHA-256, hex.
        public var sha256: String?
        /// The folder inside the archive that holds the files.
        public var archiveFolder: String?
        /// The licence in brief.
        public var licence: String
        /// Whether the repository ships it under `datasets/`.
        public var embedded: Bool
        /// Builds the source from the folder that holds the files.
        public var source: @Sendable (String) throws(DatasetError) -> DatasetSource
    }

    /// The name of the dataset that commands use when none is given.
    public static let defaultName = "lastfm-2k"

    /// Every named dataset.
    public static let entries: [Entry] = [
        Entry(name: "lastfm-2k", title: "HetRec 2011 Last.fm 2K: 1,892 users x 17,632 artists, play counts",
              url: "https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip",
              sha256: nil, archiveFolder: nil,
              licence: "non-commercial use; credit Last.fm", embedded: true,
              source: { dir throws(DatasetError) in .hetrecLastFM(try HetRecOptions(directory: dir)) }),
        Entry(name: "audioscrobbler-sample", title: "Audioscrobbler 2005, top 50 users (course sample)",
              url: nil, sha256: nil, archiveFolder: nil,
              licence: "CC BY-NC-SA 1.0; credit Audioscrobbler", embedded: true,
              source: { dir throws(DatasetError) in .audioscrobbler(try AudioscrobblerOptions(directory: dir)) }),
        Entry(name: "audioscrobbler", title: "Audioscrobbler 2005 full dump: 24.3M rows (Advanced Analytics with Spark, ch. 3)",
              url: "https://storage.googleapis.com/aas-data-sets/profiledata_06-May-2005.tar.gz",
              sha256: nil, archiveFolder: "profiledata_06-May-2005",
              licence: "CC BY-NC-SA 1.0; credit Audioscrobbler", embedded: false,
              source: { dir throws(DatasetError) in .audioscrobbler(try AudioscrobblerOptions(directory: dir)) }),
        Entry(name: "movielens-100k", title: "MovieLens 100K: 943 users x 1,682 movies, ratings 1-5",
              url: "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
              sha256: nil, archiveFolder: "ml-100k",
              licence: "research use; no redistribution (GroupLens)", embedded: false,
              source: { dir throws(DatasetError) in .movieLens(try MovieLensOptions(directory: dir)) }),
        Entry(name: "movielens-1m", title: "MovieLens 1M: 6,040 users x 3,706 movies",
              url: "https://files.grouplens.org/datasets/movielens/ml-1m.zip",
              sha256: nil, archiveFolder: "ml-1m",
              licence: "research use; no redistribution (GroupLens)", embedded: false,
              source: { dir throws(DatasetError) in .movieLens(try MovieLensOptions(directory: dir)) }),
        Entry(name: "movielens-latest-small", title: "MovieLens latest-small: 610 users x 9,742 movies",
              url: "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip",
              sha256: nil, archiveFolder: "ml-latest-small",
              licence: "research use; no redistribution (GroupLens)", embedded: false,
              source: { dir throws(DatasetError) in .movieLens(try MovieLensOptions(directory: dir)) }),
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

    /// Resolves a command-line dataset argument: a catalogue name, a folder or a file.
    ///
    /// A folder's format is recognised by its file names (`user_artist_data*.txt`,
    /// `user_artists.dat`, `u.data`, `ratings.csv`); a file by its name, else read as
    /// tab-separated `user item value`.
    public static func resolve(_ argument: String) throws(DatasetError) -> (source: DatasetSource, name: String) {
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
        let name = ((argument as NSString).standardizingPath as NSString).lastPathComponent
        if isDir.boolValue {
            let files = Set((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? [])
            if files.contains("user_artist_data.txt") || files.contains("user_artist_data_small.txt") {
                return (.audioscrobbler(try AudioscrobblerOptions(directory: argument)), name)
            }
            if files.contains("user_artists.dat") { return (.hetrecLastFM(try HetRecOptions(directory: argument)), name) }
            if files.contains("u.data") || files.contains("ratings.csv") {
                return (.movieLens(try MovieLensOptions(directory: argument)), name)
            }
            throw .missingFiles(directory: argument, expected: ["user_artist_data.txt", "user_artists.dat", "u.data", "ratings.csv"])
        }
        let file = (argument as NSString).lastPathComponent
        let folder = (argument as NSString).deletingLastPathComponent
        switch file {
        case let f where f.hasPrefix("user_artist_data"):
            let small = f.contains("_small")
            let alias = folder + (small ? "/artist_alias_small.txt" : "/artist_alias.txt")
            let names = folder + (small ? "/artist_data_small.txt" : "/artist_data.txt")
            return (.audioscrobbler(AudioscrobblerOptions(userArtistData: argument,
                                                         artistAlias: isFile(alias) ? alias : nil,
                                                         artistData: isFile(names) ? names : nil)), file)
        case "user_artists.dat":
            return (.hetrecLastFM(HetRecOptions(userArtists: argument, artists: isFile(folder + "/artists.dat") ? folder + "/artists.dat" : nil)), file)
        case "u.data", "ratings.csv", "u1.base", "u1.test":
            return (.movieLens(MovieLensOptions(ratings: argument)), file)
        default:
            return (.delimited(DelimitedOptions(path: argument)), file)
        }
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
