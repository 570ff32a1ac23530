import Foundation

/// One input format: its options, how it recognises itself from a path, and how it loads.
///
/// Adding a format is one file with a type conforming to this protocol, one ``DatasetSource``
/// case, one line in ``DatasetSource/format`` and one entry in ``DatasetSource/formats``:
/// detection (``DatasetSource/detect(_:)``), `--format`, JSON and loading all go through it.
public protocol DatasetFormat: Codable, Hashable, Sendable {
    /// The name in `--format` and in JSON's `type` (`movielens`).
    static var name: String { get }
    /// How messages call it (`MovieLens`).
    static var title: String { get }
    /// File names that mark a folder as holding this format; empty for a format that is never
    /// recognised from a folder.
    static var folderMarkers: [String] { get }
    /// Whether a file of this name (no folder) is recognised as this format.
    static func recognises(fileName: String) -> Bool
    /// Finds the format's files in `directory`.
    init(directory: String) throws(DatasetError)
    /// Reads `file` as the format's main file, with no companion files (`--format` on a file).
    init(file: String)
    /// Reads `file`, recognised by its name, with the companion files found beside it.
    static func detected(file: String) -> Self
    /// The files this source reads, main file first, for cache fingerprints.
    var files: [String] { get }
    /// Parses the files.
    func load(name: String) throws(DatasetError) -> Dataset
    /// The closed value that names this format with these options.
    var source: DatasetSource { get }
    /// The release's own train/test split, for a format that ships one (Yahoo! Music R3's test
    /// file of randomly chosen songs), or nil (the default).
    func loadGivenSplit(name: String) throws(DatasetError) -> GivenSplitParts?
}

extension DatasetFormat {
    public static func detected(file: String) -> Self { Self(file: file) }

    public func loadGivenSplit(name: String) throws(DatasetError) -> GivenSplitParts? { nil }
}

/// A train part and a test part that a dataset's release gives, in one numbering.
public struct GivenSplitParts: Sendable {
    /// The dataset's name in reports.
    public var name: String
    /// Users of both parts, in index order.
    public var users: Vocabulary
    /// Items of both parts, in index order.
    public var items: Vocabulary
    /// The training ratings (a row per user).
    public var train: InteractionMatrix
    /// The test ratings (a row per user).
    public var test: InteractionMatrix
    /// What reading counted.
    public var report: LoadReport

    /// Creates the parts; both matrices have `users.count` rows and `items.count` columns.
    public init(name: String, users: Vocabulary, items: Vocabulary, train: InteractionMatrix, test: InteractionMatrix, report: LoadReport) {
        self.name = name
        self.users = users
        self.items = items
        self.train = train
        self.test = test
        self.report = report
    }
}
