import Foundation

/// What to load, and how: the closed set of supported formats with their options.
///
/// A value of this type is what a dataset argument resolves to (``DatasetCatalog/resolve(_:format:)``),
/// and what the binary cache keys on. Each case is one ``DatasetFormat`` (one file each under
/// `Data/Formats`), reached through the one switch in ``format``.
///
/// JSON: the format's name under `type` and its options beside it, e.g.
/// `{"type": "movielens", "ratings": "u.data", "feedback": {"threshold": 4}}`; the compiler's
/// older layout (`{"movieLens": {"_0": {…}}}`) still decodes.
public enum DatasetSource: Hashable, Sendable {
    /// The Audioscrobbler dump of *Advanced Analytics with Spark*, chapter 3.
    case audioscrobbler(AudioscrobblerOptions)
    /// HetRec 2011 Last.fm 2K.
    case hetrecLastFM(HetRecOptions)
    /// MovieLens `u.data` or `ratings.csv`.
    case movieLens(MovieLensOptions)
    /// Any delimited text file, including one-row-per-play listening logs.
    case delimited(DelimitedOptions)
    /// Yahoo! Music R1: users' ratings of artists, 0–100 (255: never play again).
    case yahooR1(YahooR1Options)
    /// Yahoo! Music R3: users' ratings of songs, 1–5, with a randomly-chosen test file.
    case yahooR3(YahooR3Options)

    /// The format and its options.
    public var format: any DatasetFormat {
        switch self {
        case .audioscrobbler(let options): return options
        case .hetrecLastFM(let options): return options
        case .movieLens(let options): return options
        case .delimited(let options): return options
        case .yahooR1(let options): return options
        case .yahooR3(let options): return options
        }
    }

    /// Every format, in the order detection tries them (the delimited fallback last).
    public static let formats: [any DatasetFormat.Type] = [
        AudioscrobblerOptions.self, HetRecOptions.self, MovieLensOptions.self, YahooR1Options.self, YahooR3Options.self,
        DelimitedOptions.self,
    ]

    /// The format called `name` (`movielens`).
    public static func format(named name: String) -> (any DatasetFormat.Type)? { formats.first { $0.name == name } }

    /// The files this source reads, for cache fingerprints.
    public var files: [String] { format.files }

    /// Recognises the format of an existing folder or file: a folder by the file names it
    /// holds (``DatasetFormat/folderMarkers``), a file by its name, else as a delimited file.
    ///
    /// This is the one place where formats are detected.
    /// - Throws: ``DatasetError/missingFiles(directory:expected:)`` for a folder no format recognises.
    public static func detect(_ path: String) throws(DatasetError) -> DatasetSource {
        if DatasetCatalog.isDirectory(path) {
            let files = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            for format in formats where format.folderMarkers.contains(where: files.contains) {
                return try format.init(directory: path).source
            }
            throw .missingFiles(directory: path, expected: formats.flatMap { $0.folderMarkers.filter { !$0.contains("_small") } })
        }
        let name = (path as NSString).lastPathComponent
        let format = formats.first { $0.recognises(fileName: name) } ?? DelimitedOptions.self
        return format.detected(file: path).source
    }

    /// Reads `path` as `format`: its files found in a folder, or `path` as its main file.
    public static func open(_ path: String, as format: any DatasetFormat.Type) throws(DatasetError) -> DatasetSource {
        DatasetCatalog.isDirectory(path) ? try format.init(directory: path).source : format.init(file: path).source
    }
}

extension DatasetSource: Codable {
    private typealias Key = NamedKey

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type(of: format).name, forKey: Key("type"))
        try format.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.contains(Key("type")) else {
            self = try LegacyDatasetSource(from: decoder).source
            return
        }
        let name = try container.decode(String.self, forKey: Key("type"))
        guard let format = Self.format(named: name) else {
            throw DecodingError.dataCorruptedError(forKey: Key("type"), in: container,
                                                   debugDescription: "unknown dataset format '\(name)'; known: \(Self.formats.map { $0.name }.joined(separator: ", "))")
        }
        self = try format.init(from: decoder).source
    }
}

/// The compiler-synthesised layout ``DatasetSource`` had before its JSON was made explicit,
/// kept only to read old cache headers.
private enum LegacyDatasetSource: Decodable {
    case audioscrobbler(AudioscrobblerOptions)
    case hetrecLastFM(HetRecOptions)
    case movieLens(MovieLensOptions)
    case delimited(DelimitedOptions)

    var source: DatasetSource {
        switch self {
        case .audioscrobbler(let options): return .audioscrobbler(options)
        case .hetrecLastFM(let options): return .hetrecLastFM(options)
        case .movieLens(let options): return .movieLens(options)
        case .delimited(let options): return .delimited(options)
        }
    }
}
