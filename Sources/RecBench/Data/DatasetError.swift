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
            return "\(file):\(line): artist aliases form a cycle: \(ids.joined(separator: " -> ")) -> \(ids.first ?? "")"
        case .unknownColumn(let file, let line, let name, let available):
            return "\(file):\(line): no column named '\(name)'; the header has \(available.map { "'\($0)'" }.joined(separator: ", "))"
        case .missingFiles(let directory, let expected):
            return "\(directory): expected \(expected.joined(separator: " or ")) in this folder"
        case .unknownDataset(let name, let known):
            return "unknown dataset '\(name)'; known datasets: \(known.joined(separator: ", ")), or give a path"
        case .invalidPreparation(let reason):
            return "invalid preparation: \(reason)"
        case .verificationFailed(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
