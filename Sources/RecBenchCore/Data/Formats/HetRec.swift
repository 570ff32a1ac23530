import Foundation

/// Files of HetRec 2011 Last.fm 2K.
public struct HetRecOptions: DatasetFormat {
    public static let name = "lastfm"
    public static let title = "Last.fm (HetRec)"
    public static let folderMarkers = ["user_artists.dat"]

    /// `user_artists.dat`: header, then `userID<TAB>artistID<TAB>weight`.
    public var userArtists: String
    /// `artists.dat` for names (`id<TAB>name<TAB>url<TAB>pictureURL`).
    public var artists: String?
    /// `user_taggedartists.dat`: each pair's earliest tag date becomes its timestamp.
    public var taggedArtists: String?

    /// Names the files directly.
    public init(userArtists: String, artists: String? = nil, taggedArtists: String? = nil) {
        self.userArtists = userArtists
        self.artists = artists
        self.taggedArtists = taggedArtists
    }

    public init(file: String) { self.init(userArtists: file) }

    public init(directory: String) throws(DatasetError) { try self.init(directory: directory, tagDates: false) }

    /// Finds the files in `directory`; tag dates are read only when `tagDates` is set.
    public init(directory: String, tagDates: Bool) throws(DatasetError) {
        let main = directory + "/user_artists.dat"
        guard (try? LineReader.checkRegularFile(main)) != nil else {
            throw .missingFiles(directory: directory, expected: ["user_artists.dat"])
        }
        let artists = directory + "/artists.dat"
        let tags = directory + "/user_taggedartists.dat"
        self.init(userArtists: main,
                  artists: (try? LineReader.checkRegularFile(artists)) != nil ? artists : nil,
                  taggedArtists: tagDates && (try? LineReader.checkRegularFile(tags)) != nil ? tags : nil)
    }

    public static func recognises(fileName: String) -> Bool { fileName == "user_artists.dat" }

    /// The file with `artists.dat` beside it, for names.
    public static func detected(file: String) -> Self {
        let names = (file as NSString).deletingLastPathComponent + "/artists.dat"
        return Self(userArtists: file, artists: DatasetCatalog.isFile(names) ? names : nil)
    }

    public var files: [String] { [userArtists] + [artists, taggedArtists].compactMap { $0 } }
    public func load(name: String) throws(DatasetError) -> Dataset { try ColumnLoaders.hetrec(self, name: name) }
    public var source: DatasetSource { .hetrecLastFM(self) }
}
