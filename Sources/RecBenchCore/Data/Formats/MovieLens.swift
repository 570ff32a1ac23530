/// How explicit ratings become implicit feedback.
///
/// JSON: `{"threshold": 4}` or `{"weights": true}`; the older `{"threshold": {"_0": 4}}` and
/// `{"weights": {}}` still decode.
public enum RatingFeedback: Codable, Hashable, Sendable {
    /// Ratings at or above the threshold become 1; the others are dropped.
    case threshold(Double)
    /// Ratings are kept as the interaction weight.
    case weights

    private enum Keys: String, CodingKey { case threshold, weights }
    private enum Legacy: String, CodingKey { case _0 }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if container.contains(.weights) {
            self = .weights
        } else if let value = try? container.decode(Double.self, forKey: .threshold) {
            self = .threshold(value)
        } else {
            self = .threshold(try container.nestedContainer(keyedBy: Legacy.self, forKey: .threshold).decode(Double.self, forKey: ._0))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .threshold(let value): try container.encode(value, forKey: .threshold)
        case .weights: try container.encode(true, forKey: .weights)
        }
    }
}

/// Files of a MovieLens release.
public struct MovieLensOptions: DatasetFormat {
    public static let name = "movielens"
    public static let title = "MovieLens"
    public static let folderMarkers = ["u.data", "ratings.csv"]

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

    public init(file: String) { self.init(ratings: file) }

    public init(directory: String) throws(DatasetError) { try self.init(directory: directory, feedback: .threshold(4)) }

    /// Finds `u.data`/`u.item`, `ratings.csv`/`movies.csv` or `ratings.dat`/`movies.dat` in `directory`.
    public init(directory: String, feedback: RatingFeedback) throws(DatasetError) {
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

    public static func recognises(fileName: String) -> Bool { ["u.data", "ratings.csv", "u1.base", "u1.test"].contains(fileName) }

    public var files: [String] { [ratings] + [items].compactMap { $0 } }
    public func load(name: String) throws(DatasetError) -> Dataset { try ColumnLoaders.movieLens(self, name: name) }
    public var source: DatasetSource { .movieLens(self) }
}
