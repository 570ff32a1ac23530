/// What to load, and how: the closed set of supported formats with their options.
///
/// A value of this type is what an experiment file's `dataset` section decodes into, and
/// what the binary cache keys on.
public enum DatasetSource: Codable, Hashable, Sendable {
    /// The Audioscrobbler dump of *Advanced Analytics with Spark*, chapter 3.
    case audioscrobbler(AudioscrobblerOptions)
    /// HetRec 2011 Last.fm 2K.
    case hetrecLastFM(HetRecOptions)
    /// MovieLens `u.data` or `ratings.csv`.
    case movieLens(MovieLensOptions)
    /// Any delimited text file, including one-row-per-play listening logs.
    case delimited(DelimitedOptions)

    /// The files this source reads, for cache fingerprints.
    public var files: [String] {
        switch self {
        case .audioscrobbler(let o): return [o.userArtistData] + [o.artistAlias, o.artistData].compactMap { $0 }
        case .hetrecLastFM(let o): return [o.userArtists] + [o.artists, o.taggedArtists].compactMap { $0 }
        case .movieLens(let o): return [o.ratings] + [o.items].compactMap { $0 }
        case .delimited(let o): return [o.path]
        }
    }
}

/// Files of the Audioscrobbler dump (`user_artist_data.txt`, `artist_alias.txt`, `artist_data.txt`).
public struct AudioscrobblerOptions: Codable, Hashable, Sendable {
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

    /// Finds the files in `directory`: the dump's names, or the course sample's `_small` names.
    ///
    /// With `fullAliases`, the full `artist_alias.txt` is preferred to `artist_alias_small.txt`
    /// when both are there.
    public init(directory: String, fullAliases: Bool = false) throws(DatasetError) {
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
}

/// Files of HetRec 2011 Last.fm 2K.
public struct HetRecOptions: Codable, Hashable, Sendable {
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

    /// Finds the files in `directory`; tag dates are read only when `tagDates` is set.
    public init(directory: String, tagDates: Bool = false) throws(DatasetError) {
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
}

/// How explicit ratings become implicit feedback.
public enum RatingFeedback: Codable, Hashable, Sendable {
    /// Ratings at or above the threshold become 1; the others are dropped.
    case threshold(Double)
    /// Ratings are kept as the interaction weight.
    case weights
}

/// Files of a MovieLens release.
public struct MovieLensOptions: Codable, Hashable, Sendable {
    /// `u.data` (tabs, no header), `ratings.csv` (header, commas, quoted fields) or the 1M
    /// release's `ratings.dat` (`::`-separated).
    public var ratings: String
    /// `u.item` (ISO-8859-1, `|`-separated) or `movies.csv`, for titles.
    public var items: String?
    /// How ratings become implicit feedback.
    public var feedback: RatingFeedback

    /// Names the files directly.
    public init(ratings: String, items: String? = nil, feedback: RatingFeedback = .threshold(4)) {
        self.ratings = ratings
        self.items = items
        self.feedback = feedback
    }

    /// Finds `u.data`/`u.item` or `ratings.csv`/`movies.csv` in `directory`.
    public init(directory: String, feedback: RatingFeedback = .threshold(4)) throws(DatasetError) {
        for (ratings, items) in [("u.data", "u.item"), ("ratings.csv", "movies.csv"), ("ratings.dat", "movies.dat")] {
            let path = directory + "/" + ratings
            if (try? LineReader.checkRegularFile(path)) != nil {
                let itemPath = directory + "/" + items
                self.init(ratings: path, items: (try? LineReader.checkRegularFile(itemPath)) != nil ? itemPath : nil, feedback: feedback)
                return
            }
        }
        throw .missingFiles(directory: directory, expected: ["u.data", "ratings.csv", "ratings.dat"])
    }
}

/// A column of a delimited file, by 0-based position or by header name.
public enum ColumnReference: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The 0-based position.
    case index(Int)
    /// The name in the header line.
    case name(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let index = try? container.decode(Int.self) { self = .index(index) } else { self = .name(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .index(let index): try container.encode(index)
        case .name(let name): try container.encode(name)
        }
    }

    /// Parses `3` as an index and anything else as a name.
    public init(parsing text: String) {
        if let index = Int(text), index >= 0 { self = .index(index) } else { self = .name(text) }
    }

    public var description: String {
        switch self {
        case .index(let index): return "column \(index)"
        case .name(let name): return "column '\(name)'"
        }
    }
}

/// A delimited text file with chosen columns.
///
/// Without a value column every row counts 1: a listening-event log (one row per play)
/// is aggregated to play counts per (user, item), keeping the first and last timestamps.
public struct DelimitedOptions: Codable, Hashable, Sendable {
    /// The file.
    public var path: String
    /// The field separator (one byte: `\t`, `,`, ` `, `;`, `|`, …).
    public var delimiter: String
    /// Whether the first line names the columns.
    public var header: Bool
    /// The user id column.
    public var user: ColumnReference
    /// The item id column.
    public var item: ColumnReference
    /// The value column; `nil` for event logs, where each row is one play.
    public var value: ColumnReference?
    /// The timestamp column: integer Unix seconds or ISO 8601 date-times.
    public var timestamp: ColumnReference?
    /// Whether fields may be enclosed in double quotes.
    public var quotes: Bool
    /// The encoding of the ids.
    public var encoding: TextEncoding

    /// Creates options; see the properties for their meaning.
    public init(path: String, delimiter: String = "\t", header: Bool = false,
                user: ColumnReference = .index(0), item: ColumnReference = .index(1),
                value: ColumnReference? = .index(2), timestamp: ColumnReference? = nil,
                quotes: Bool = false, encoding: TextEncoding = .utf8) {
        self.path = path
        self.delimiter = delimiter
        self.header = header
        self.user = user
        self.item = item
        self.value = value
        self.timestamp = timestamp
        self.quotes = quotes
        self.encoding = encoding
    }
}
