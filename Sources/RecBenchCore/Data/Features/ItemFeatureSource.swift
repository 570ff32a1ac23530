import Foundation

/// Where a dataset's item features come from: the closed set of feature sources.
///
/// Each concrete case is one loader, one file each under `Data/Features`
/// (``LastFMTags``, ``MovieLensGenres``, ``FeatureTable``); `auto` finds the source that belongs
/// to the dataset's own files (``detect(for:)``) and `none` loads nothing. Sources and their
/// weights are documented in docs/content.md, section "Item features".
///
/// Text form (the command line's `--item-features`, an experiment's `[dataset] item_features`,
/// and the JSON form, a single string): `auto`, `none`, `lastfm-tags:DIR`,
/// `movielens-genres:FILE`, `table:FILE`, or a bare path whose kind is recognised
/// (``init(parsing:)``).
public enum ItemFeatureSource: Hashable, Sendable {
    /// The source the dataset's files imply (``detect(for:)``), or none when they imply none.
    case auto
    /// No features.
    case none
    /// HetRec Last.fm 2K tags: a folder with `user_taggedartists.dat` and `tags.dat`.
    case lastfmTags(directory: String)
    /// MovieLens genres: `u.item` (100K), `movies.csv` (latest) or `movies.dat` (1M).
    case movieLensGenres(file: String)
    /// A generic `item<TAB>feature[<TAB>weight]` file.
    case table(file: String)

    /// Reads the text form: `auto`, `none`, `lastfm-tags:DIR`, `movielens-genres:FILE`,
    /// `table:FILE`, or a bare path.
    ///
    /// A bare path is recognised by its name: a folder holding `user_taggedartists.dat` and
    /// `tags.dat` is Last.fm tags; a folder holding `u.item`, `movies.csv` or `movies.dat` gives
    /// MovieLens genres from that file; a file named `u.item`, `movies.csv` or `movies.dat` is
    /// MovieLens genres; a file named `tags.dat` or `user_taggedartists.dat` is its folder's
    /// Last.fm tags; any other file is a feature table. Nothing is read here but the folder's
    /// listing; a missing file is an error when loading.
    ///
    /// - Parameter text: the text form.
    /// - Throws: ``DatasetError/invalidOption(file:reason:)`` for an empty text, a kind with no
    ///   path after its colon, or a folder in which no feature files are recognised.
    /// - Complexity: O(1), plus one directory listing for a bare folder.
    public init(parsing text: String) throws(DatasetError) {
        switch text {
        case "auto": self = .auto; return
        case "none": self = .none; return
        case "": throw .invalidOption(file: "item features", reason: "an empty source; use auto, none, lastfm-tags:DIR, movielens-genres:FILE, table:FILE or a path")
        default: break
        }
        for (prefix, make) in [("lastfm-tags:", { ItemFeatureSource.lastfmTags(directory: $0) }),
                               ("movielens-genres:", { ItemFeatureSource.movieLensGenres(file: $0) }),
                               ("table:", { ItemFeatureSource.table(file: $0) })] as [(String, (String) -> ItemFeatureSource)]
        where text.hasPrefix(prefix) {
            let path = String(text.dropFirst(prefix.count))
            guard !path.isEmpty else { throw .invalidOption(file: text, reason: "\(prefix) needs a path after the colon") }
            self = make(path)
            return
        }
        self = try Self.recognise(path: text)
    }

    /// The source a bare path names (see ``init(parsing:)``).
    private static func recognise(path: String) throws(DatasetError) -> ItemFeatureSource {
        if DatasetCatalog.isDirectory(path) {
            let files = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            if files.contains(LastFMTags.assignmentsFile) && files.contains(LastFMTags.tagsFile) { return .lastfmTags(directory: path) }
            if let genres = MovieLensGenres.fileNames.first(where: files.contains) { return .movieLensGenres(file: path + "/" + genres) }
            throw .missingFiles(directory: path, expected: ["\(LastFMTags.assignmentsFile) and \(LastFMTags.tagsFile)"] + MovieLensGenres.fileNames)
        }
        let name = (path as NSString).lastPathComponent
        if MovieLensGenres.fileNames.contains(name) { return .movieLensGenres(file: path) }
        if name == LastFMTags.tagsFile || name == LastFMTags.assignmentsFile {
            let folder = (path as NSString).deletingLastPathComponent
            return .lastfmTags(directory: folder.isEmpty ? "." : folder)
        }
        return .table(file: path)
    }

    /// The source the dataset's own files imply, or `.none`.
    ///
    /// A HetRec Last.fm 2K folder with `user_taggedartists.dat` and `tags.dat` beside
    /// `user_artists.dat` gives its tags; a MovieLens release with `u.item`, `movies.csv` or
    /// `movies.dat` (the source's item file, else beside the ratings file) gives its genres;
    /// every other source gives none.
    ///
    /// - Parameter source: the dataset's source (``DatasetCatalog/resolve(_:format:)``).
    /// - Returns: a concrete source, or `.none`.
    /// - Complexity: a few file-existence checks.
    public static func detect(for source: DatasetSource) -> ItemFeatureSource {
        switch source {
        case .hetrecLastFM(let options):
            let folder = directory(of: options.userArtists)
            if DatasetCatalog.isFile(folder + "/" + LastFMTags.assignmentsFile) && DatasetCatalog.isFile(folder + "/" + LastFMTags.tagsFile) {
                return .lastfmTags(directory: folder)
            }
            return .none
        case .movieLens(let options):
            if let items = options.items, MovieLensGenres.fileNames.contains((items as NSString).lastPathComponent), DatasetCatalog.isFile(items) {
                return .movieLensGenres(file: items)
            }
            let folder = directory(of: options.ratings)
            // The item file of the ratings file's release: u.data → u.item, ratings.csv → movies.csv, ratings.dat → movies.dat.
            let name = (options.ratings as NSString).lastPathComponent
            let candidates = name.hasSuffix(".csv") ? ["movies.csv"] : name.hasSuffix(".dat") ? ["movies.dat"] : ["u.item"]
            for candidate in candidates where DatasetCatalog.isFile(folder + "/" + candidate) {
                return .movieLensGenres(file: folder + "/" + candidate)
            }
            return .none
        default:
            return .none
        }
    }

    private static func directory(of file: String) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// This source with `auto` replaced by what ``detect(for:)`` finds for `dataset`.
    public func resolved(for dataset: DatasetSource) -> ItemFeatureSource {
        if case .auto = self { return Self.detect(for: dataset) }
        return self
    }

    /// Loads the features aligned to `items`: row `i` of the result is the item at position `i`.
    ///
    /// Raw ids in the feature files are matched to items by their exact bytes
    /// (``Vocabulary/position(ofBytes:)``); rows naming an item that is not in the dataset are
    /// counted, not an error, and so are the items that get no feature: both counts are in
    /// ``ItemFeatures/notes``.
    ///
    /// - Parameters:
    ///   - items: the dataset's items.
    ///   - dataset: the dataset's source, which `auto` detects from; nil detects nothing.
    /// - Returns: the features, or nil for `none` (and for `auto` when nothing is detected).
    /// - Throws: ``DatasetError`` for a missing file, or ``DatasetError/malformedLine(file:line:reason:)``
    ///   naming the file, the 1-based line and what is wrong with it.
    /// - Complexity: O(rows · log rows) for the rows of the feature files.
    public func load(items: Vocabulary, dataset: DatasetSource? = nil) throws(DatasetError) -> ItemFeatures? {
        switch self {
        case .auto:
            guard let dataset else { return nil }
            return try Self.detect(for: dataset).load(items: items, dataset: nil)
        case .none:
            return nil
        case .lastfmTags(let directory):
            return try LastFMTags.load(directory: directory, items: items)
        case .movieLensGenres(let file):
            return try MovieLensGenres.load(file: file, items: items)
        case .table(let file):
            return try FeatureTable.load(file: file, items: items)
        }
    }

    /// `dataset` with its features from this source attached (``Dataset/itemFeatures``).
    ///
    /// Call it before the preparation steps, which keep the features of the items they keep.
    /// - Parameters:
    ///   - dataset: the loaded dataset.
    ///   - source: the dataset's source, for `auto`.
    /// - Throws: as ``load(items:dataset:)``.
    public func attach(to dataset: Dataset, source: DatasetSource?) throws(DatasetError) -> Dataset {
        var dataset = dataset
        dataset.itemFeatures = try load(items: dataset.items, dataset: source)
        return dataset
    }
}

extension ItemFeatureSource: CustomStringConvertible {
    /// The text form, which ``init(parsing:)`` reads back.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .none: return "none"
        case .lastfmTags(let directory): return "lastfm-tags:" + directory
        case .movieLensGenres(let file): return "movielens-genres:" + file
        case .table(let file): return "table:" + file
        }
    }

    /// The name of the kind, for ``ItemFeatures/source``: `lastfm-tags`, `movielens-genres`, `table`.
    package var kindName: String {
        switch self {
        case .auto: return "auto"
        case .none: return "none"
        case .lastfmTags: return "lastfm-tags"
        case .movieLensGenres: return "movielens-genres"
        case .table: return "table"
        }
    }
}

extension ItemFeatureSource: Codable {
    /// Decodes the text form (a single string).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { self = try Self(parsing: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the text form (a single string).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
