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
/// Any file no other format recognises is read as this format (tab-separated `user item value`).
public struct DelimitedOptions: DatasetFormat {
    public static let name = "delimited"
    public static let title = "a delimited file"
    public static let folderMarkers: [String] = []

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

    public init(file: String) { self.init(path: file) }

    /// A folder is not a delimited file: the path is kept, and loading it reports that.
    public init(directory: String) throws(DatasetError) { self.init(path: directory) }

    /// Every file: the fallback when no other format recognises a file's name.
    public static func recognises(fileName: String) -> Bool { true }

    public var files: [String] { [path] }
    public func load(name: String) throws(DatasetError) -> Dataset { try ColumnLoaders.delimited(self, name: name) }
    public var source: DatasetSource { .delimited(self) }
}
