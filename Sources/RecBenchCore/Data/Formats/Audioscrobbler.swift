import Foundation

/// Files of the Audioscrobbler dump (`user_artist_data.txt`, `artist_alias.txt`, `artist_data.txt`).
public struct AudioscrobblerOptions: DatasetFormat {
    public static let name = "audioscrobbler"
    public static let title = "Audioscrobbler"
    public static let folderMarkers = ["user_artist_data.txt", "user_artist_data_small.txt"]

    /// `user artist playcount` rows, single-space separated.
    public var userArtistData: String
    /// `bad<TAB>good` alias rows; lines with an empty first field are skipped.
    public var artistAlias: String?
    /// `id<TAB>name` rows for display names.
    public var artistData: String?

    /// Names the files directly.
    public init(userArtistData: String, artistAlias: String? = nil, artistData: String? = nil) {
        self.userArtistData = userArtistData
        self.artistAlias = artistAlias
        self.artistData = artistData
    }

    public init(file: String) { self.init(userArtistData: file) }

    public init(directory: String) throws(DatasetError) { try self.init(directory: directory, fullAliases: false) }

    /// Finds the files in `directory`: the dump's names, or the course sample's `_small` names.
    ///
    /// With `fullAliases`, the full `artist_alias.txt` is preferred to `artist_alias_small.txt`
    /// when both are there.
    public init(directory: String, fullAliases: Bool) throws(DatasetError) {
        func existing(_ names: [String]) -> String? {
            names.map { directory + "/" + $0 }.first { (try? LineReader.checkRegularFile($0)) != nil }
        }
        guard let data = existing(["user_artist_data.txt", "user_artist_data_small.txt"]) else {
            throw .missingFiles(directory: directory, expected: ["user_artist_data.txt", "user_artist_data_small.txt"])
        }
        let small = data.hasSuffix("_small.txt")
        let aliasNames = small && !fullAliases ? ["artist_alias_small.txt", "artist_alias.txt"] : ["artist_alias.txt", "artist_alias_small.txt"]
        self.init(userArtistData: data, artistAlias: existing(aliasNames),
                  artistData: existing(small ? ["artist_data_small.txt", "artist_data.txt"] : ["artist_data.txt", "artist_data_small.txt"]))
    }

    public static func recognises(fileName: String) -> Bool { fileName.hasPrefix("user_artist_data") }

    /// The file with the alias and name files of the same size (`_small` or not) beside it.
    public static func detected(file: String) -> Self {
        let folder = (file as NSString).deletingLastPathComponent
        let small = (file as NSString).lastPathComponent.contains("_small")
        let alias = folder + (small ? "/artist_alias_small.txt" : "/artist_alias.txt")
        let names = folder + (small ? "/artist_data_small.txt" : "/artist_data.txt")
        return Self(userArtistData: file, artistAlias: DatasetCatalog.isFile(alias) ? alias : nil,
                    artistData: DatasetCatalog.isFile(names) ? names : nil)
    }

    public var files: [String] { [userArtistData] + [artistAlias, artistData].compactMap { $0 } }
    public func load(name: String) throws(DatasetError) -> Dataset { try AudioscrobblerLoader.load(self, name: name) }
    public var source: DatasetSource { .audioscrobbler(self) }
}
