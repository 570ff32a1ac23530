import Foundation

/// The results store: one JSON file per run in a folder, written atomically.
///
/// A file is written to a temporary name in the same folder and renamed over its final name,
/// so a reader (or a resumed sweep) sees either nothing or a whole record; an interrupted run
/// loses only the run in flight. Records are found by reading the folder, so folders written
/// by several shards or machines merge by being copied together.
public struct ResultStore: Sendable {
    /// The folder.
    public let directory: String

    /// Opens (and creates) the store at `directory`.
    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// The path of run `id`.
    public func path(of id: String) -> String { directory + "/" + id + ".json" }

    /// Whether run `id` finished (its file exists and decodes).
    public func has(_ id: String) -> Bool { (try? record(id)) != nil }

    /// Run `id`'s record.
    public func record(_ id: String) throws -> RunRecord {
        try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path(of: id))))
    }

    /// Writes `record` atomically.
    public func write(_ record: RunRecord) throws {
        try AtomicFile.write(JSONEncoder.records.encode(record), to: path(of: record.id))
    }

    /// Every record in the folder and its subfolders (files that are not run records are skipped).
    public static func records(in directory: String) throws -> [RunRecord] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw DatasetError.fileNotFound(path: directory)
        }
        var records: [RunRecord] = []
        let decoder = JSONDecoder()
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard name.hasSuffix(".json"), name.hasPrefix("validation-") || name.hasPrefix("test-") else { continue }
            if let data = FileManager.default.contents(atPath: directory + "/" + relative),
               let record = try? decoder.decode(RunRecord.self, from: data) {
                records.append(record)
            }
        }
        return records.sorted { $0.id < $1.id }
    }

    /// Removes the run records of this folder (not other files).
    public func removeRecords() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where name.hasSuffix(".json") && (name.hasPrefix("validation-") || name.hasPrefix("test-")) {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}

/// Writes files atomically: a temporary file in the target's folder, then a rename.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating the folder if needed.
    public static func write(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes UTF-8 `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }
}

extension JSONEncoder {
    /// Pretty, key-sorted JSON for records and leaderboards (stable diffs).
    static var records: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}
