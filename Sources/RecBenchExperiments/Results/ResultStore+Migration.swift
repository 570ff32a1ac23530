import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// Rewriting a folder of older records (formats 1 and 2) in the current format.
extension ResultStore {
    /// What a migration did.
    public struct Migration: Sendable, Equatable {
        /// Records rewritten: (old id, new id).
        public var rewritten: [(from: String, to: String)]
        /// Records already in the current format.
        public var unchanged: Int

        public static func == (a: Migration, b: Migration) -> Bool {
            a.unchanged == b.unchanged && a.rewritten.map(\.from) == b.rewritten.map(\.from) && a.rewritten.map(\.to) == b.rewritten.map(\.to)
        }
    }

    /// Rewrites every record of `directory` (and its subfolders) older than
    /// ``RunRecord/currentFormat`` in the current format, under its new id
    /// (``RunRecord/canonicalIdentifier``); the values are kept as they are.
    ///
    /// Each new record is written atomically before its old file is removed, so a reader sees
    /// every run at least once; an interrupted migration is finished by running it again (a
    /// record migrates to the same id every time). Nothing is written when a record does not
    /// decode.
    ///
    /// - Throws: ``ResultError/unreadableRecord(path:reason:)`` naming the first record that does
    ///   not decode (before anything is written), ``ResultError/writeFailed(path:reason:)``, or
    ///   ``DatasetError/fileNotFound(path:)`` when the folder cannot be read.
    /// - Complexity: O(records).
    public static func migrate(_ directory: String) throws -> Migration {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { throw DatasetError.fileNotFound(path: directory) }
        var old: [(path: String, record: RunRecord, format: Int)] = []
        var unchanged = 0
        while let relative = enumerator.nextObject() as? String {
            guard isRecordName((relative as NSString).lastPathComponent) else { continue }
            let path = directory + "/" + relative
            guard let data = FileManager.default.contents(atPath: path) else { throw ResultError.unreadableRecord(path: path, reason: "cannot read the file") }
            let record = try decode(data, path: path)
            struct Format: Decodable { var format: Int }
            let format = (try? JSONDecoder().decode(Format.self, from: data).format) ?? 0
            if format == RunRecord.currentFormat { unchanged += 1 } else { old.append((path, record, format)) }
        }
        var rewritten: [(from: String, to: String)] = []
        for (path, record, _) in old.sorted(by: { $0.path < $1.path }) {
            var updated = record
            updated.format = RunRecord.currentFormat
            updated.id = record.canonicalIdentifier
            let data: Data
            do { data = try JSONEncoder.records.encode(updated) } catch {
                throw ResultError.writeFailed(path: path, reason: "cannot encode the record (\(error))")
            }
            let target = (path as NSString).deletingLastPathComponent + "/" + updated.id + ".json"
            try AtomicFile.write(data, to: target)
            if target != path {
                do { try FileManager.default.removeItem(atPath: path) } catch {
                    throw ResultError.writeFailed(path: path, reason: "migrated to \(target) but cannot remove the old file (\((error as NSError).localizedDescription))")
                }
            }
            rewritten.append((record.id, updated.id))
        }
        return Migration(rewritten: rewritten, unchanged: unchanged)
    }
}
