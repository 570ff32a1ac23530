/// What went wrong while reading, preparing or caching a dataset.
///
/// Every case names the file; cases about file content also name the 1-based line.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not exist.
    case fileNotFound(path: String)
    /// The path is a directory (or another non-regular file) where a file was expected.
    case notAFile(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// The file holds no data rows.
    case emptyFile(path: String)
    /// A line of the file could not be understood.
    case malformedLine(file: String, line: Int, reason: String)
    /// Artist aliases that point at each other in a loop; `ids` lists the loop in order.
    case aliasCycle(file: String, line: Int, ids: [String])
    /// A column named in the loader's options is not in the header.
    case unknownColumn(file: String, line: Int, name: String, available: [String])
    /// A folder lacks the files a format needs.
    case missingFiles(directory: String, expected: [String])
    /// A dataset name that the catalogue does not know.
    case unknownDataset(name: String, known: [String])
    /// A preparation step was given an impossible value.
    case invalidPreparation(reason: String)
    /// A download or archive check failed.
    case verificationFailed(path: String, reason: String)
    /// A loader option that cannot apply to the file (a column index beyond every row, …).
    case invalidOption(file: String, reason: String)
    /// Reading or preparing left no interaction at all; `reason` says what removed them.
    case noInteractions(file: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .notAFile(let path):
            return "\(path): is a directory, not a file"
        case .unreadable(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .emptyFile(let path):
            return "\(path): the file is empty (no data rows)"
        case .malformedLine(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .aliasCycle(let file, let line, let ids):
            // A loop can hold thousands of ids: show its ends and count the rest.
            let shown = ids.count <= Self.namesShown ? ids
                : Array(ids.prefix(Self.namesShown / 2)) + ["… (\(ids.count - Self.namesShown) more)"] + Array(ids.suffix(Self.namesShown / 2))
            return "\(file):\(line): artist aliases form a cycle: \(shown.joined(separator: " -> ")) -> \(ids.first ?? "")"
        case .unknownColumn(let file, let line, let name, let available) where available.isEmpty:
            return "\(file):\(line): no column named \(FieldParsing.quote(name)): the file is read without a header line (name columns with a header, or give 0-based indices)"
        case .unknownColumn(let file, let line, let name, let available):
            // The names come from the file: each is quoted safely, and a long header is cut.
            let shown = available.prefix(Self.namesShown).map { FieldParsing.quote($0) }.joined(separator: ", ")
            let more = available.count > Self.namesShown ? " and \(available.count - Self.namesShown) more" : ""
            return "\(file):\(line): no column named \(FieldParsing.quote(name)); the header has \(shown)\(more)"
        case .missingFiles(let directory, let expected):
            return "\(directory): expected \(expected.joined(separator: " or ")) in this folder"
        case .unknownDataset(let name, let known):
            return "unknown dataset '\(name)'; known datasets: \(known.joined(separator: ", ")), or give a path"
        case .invalidPreparation(let reason):
            return "invalid preparation: \(reason)"
        case .verificationFailed(let path, let reason):
            return "\(path): \(reason)"
        case .invalidOption(let file, let reason):
            return "\(file): \(reason)"
        case .noInteractions(let file, let reason):
            return "\(file): no interactions left: \(reason)"
        }
    }

    /// How many header names or alias ids a message lists at most.
    package static let namesShown = 20
}
