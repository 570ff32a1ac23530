import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What went wrong reading or writing a results folder.
public enum ResultError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The results folder could not be created.
    case cannotCreateFolder(path: String, reason: String)
    /// The results folder exists but no file can be created in it (checked before anything is fitted).
    case notWritable(folder: String, reason: String)
    /// Writing a file failed (a full disk, a quota, a vanished folder …).
    case writeFailed(path: String, reason: String)
    /// A file named like a run record that does not decode.
    case unreadableRecord(path: String, reason: String)
    /// No experiment identity in the folder starts with the one asked for.
    case unknownIdentity(folder: String, identity: String, known: [String])
    /// Several experiment identities in the folder start with the one asked for.
    case ambiguousIdentity(folder: String, identity: String, matches: [String])

    public var description: String {
        switch self {
        case let .cannotCreateFolder(path, reason): return "cannot create the results folder '\(path)': \(reason)"
        case let .notWritable(folder, reason): return "the results folder '\(folder)' is not writable (\(reason)); nothing was run"
        case let .writeFailed(path, reason): return "cannot write '\(path)': \(reason)"
        case let .unreadableRecord(path, reason): return "'\(path)' is not a readable run record: \(reason)"
        case let .unknownIdentity(folder, identity, known):
            return "no records of experiment identity '\(identity)' in '\(folder)'"
                + (known.isEmpty ? " (it holds no run records)" : " (it holds: \(known.joined(separator: ", ")))")
        case let .ambiguousIdentity(folder, identity, matches):
            return "'\(identity)' names several experiment identities in '\(folder)': \(matches.joined(separator: ", ")); give more characters"
        }
    }

    /// The text of the C library's last error.
    package static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}

/// The results store: one JSON file per run in a folder, written atomically.
///
/// A file is written to a temporary name in the same folder and renamed over its final name,
/// so a reader (or a resumed sweep) sees either nothing or a whole record; an interrupted run
/// loses only the run in flight. Records are found by reading the folder, so folders written
/// by several shards or machines merge by being copied together. A process claims a run
/// (`<id>.claim`) before fitting it, so that processes sharing one folder split the work
/// (see `ResultStore+Claims.swift`).
public struct ResultStore: Sendable {
    /// The folder.
    public let directory: String

    /// Opens (and creates) the store at `directory`.
    ///
    /// - Throws: ``ResultError/cannotCreateFolder(path:reason:)``.
    public init(directory: String) throws(ResultError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateFolder(path: directory, reason: (error as NSError).localizedDescription)
        }
    }

    /// The path of run `id`.
    public func path(of id: String) -> String { directory + "/" + id + ".json" }

    /// Whether run `id` finished (its file exists and decodes).
    public func has(_ id: String) -> Bool { (try? record(id)) != nil }

    /// Run `id`'s record.
    ///
    /// - Throws: ``ResultError/unreadableRecord(path:reason:)`` when it is missing or does not decode.
    public func record(_ id: String) throws(ResultError) -> RunRecord {
        let path = path(of: id)
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableRecord(path: path, reason: "cannot read the file") }
        return try Self.decode(data, path: path)
    }

    /// What the store holds for a planned run.
    public enum StoredRun: Sendable {
        /// No record.
        case missing
        /// A record of this run, made from the same data by this version of RecBench.
        case finished(RunRecord)
        /// A record of this run made by another RecBench version or commit, or from other data.
        case stale(RunRecord, reason: String)
        /// A file at the run's place that does not decode.
        case unreadable(reason: String)
    }

    /// What the store holds for run `id` of experiment identity `identity`, run by `environment`.
    ///
    /// A record is stale when its experiment identity differs (other data, preparation, split,
    /// validation or metrics), or when RecBench's version differs, or when both records know
    /// their git commit and the commits differ.
    public func status(of id: String, identity: String, environment: RunRecord.Environment) -> StoredRun {
        let path = path(of: id)
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        let record: RunRecord
        do { record = try self.record(id) } catch { return .unreadable(reason: error.description) }
        if record.experimentIdentity != identity {
            return .stale(record, reason: "it belongs to experiment identity \(record.experimentIdentity), not \(identity)")
        }
        let then = record.environment
        if then.version != environment.version {
            return .stale(record, reason: "it was made by RecBench \(then.version), this is \(environment.version)")
        }
        if then.commit != environment.commit, then.commit != "unknown", environment.commit != "unknown" {
            return .stale(record, reason: "it was made at commit \(then.commit), this is commit \(environment.commit)")
        }
        return .finished(record)
    }

    /// Writes `record` atomically.
    ///
    /// - Throws: ``ResultError/writeFailed(path:reason:)`` naming the record's path.
    public func write(_ record: RunRecord) throws(ResultError) {
        let data: Data
        do { data = try JSONEncoder.records.encode(record) } catch {
            throw .writeFailed(path: path(of: record.id), reason: "cannot encode the record (\(error))")
        }
        try AtomicFile.write(data, to: path(of: record.id))
    }

    /// Checks that a file can be created, written and removed in the folder: run before the
    /// first fit, so that a read-only or full folder fails at once.
    ///
    /// - Throws: ``ResultError/notWritable(folder:reason:)``.
    public func checkWritable() throws(ResultError) {
        let probe = directory + "/" + AtomicFile.temporaryPrefix + "\(getpid()).\(UInt64.random(in: 0...UInt64.max)).write-check"
        let fd = open(probe, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .notWritable(folder: directory, reason: ResultError.errnoText()) }
        defer { unlink(probe) }
        do { try AtomicFile.writeAll(Data("ok\n".utf8), to: fd, path: probe) } catch {
            close(fd)
            throw .notWritable(folder: directory, reason: error.description)
        }
        close(fd)
    }

    /// Every record in the folder and its subfolders (files not named like run records are skipped).
    ///
    /// - Throws: ``DatasetError/fileNotFound(path:)`` when the folder cannot be read, and
    ///   ``ResultError/unreadableRecord(path:reason:)`` for the first record that does not decode
    ///   (``ResultFolder/read(_:)`` returns the others and lists the unreadable ones instead).
    public static func records(in directory: String) throws -> [RunRecord] {
        let folder = try ResultFolder.read(directory)
        if let first = folder.unreadable.first { throw ResultError.unreadableRecord(path: first.path, reason: first.reason) }
        return folder.records
    }

    /// Whether a file name is a run record's (`validation-….json` or `test-….json`).
    package static func isRecordName(_ name: String) -> Bool {
        name.hasSuffix(".json") && (name.hasPrefix("validation-") || name.hasPrefix("test-"))
    }

    /// Decodes a record, checking its format version first.
    package static func decode(_ data: Data, path: String) throws(ResultError) -> RunRecord {
        struct Format: Decodable { var format: Int }
        do {
            let format = try JSONDecoder().decode(Format.self, from: data).format
            guard (1...RunRecord.currentFormat).contains(format) else {
                throw ResultError.unreadableRecord(path: path, reason: "record format \(format); this RecBench reads formats 1 to \(RunRecord.currentFormat)")
            }
            var record = try JSONDecoder().decode(RunRecord.self, from: data)
            // Plain JSON numbers do not say whether 500 was a real: the type's domains do.
            record.parameters = record.algorithm.canonical(record.parameters)
            return record
        } catch let error as ResultError {
            throw error
        } catch let error as DecodingError {
            throw .unreadableRecord(path: path, reason: Self.describe(error))
        } catch {
            throw .unreadableRecord(path: path, reason: "\(error)")
        }
    }

    /// A one-line account of a decoding error.
    package static func describe(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "" : " at '\(path)'"
        }
        switch error {
        case let .keyNotFound(key, context): return "missing key '\(key.stringValue)'\(at(context))"
        case let .typeMismatch(type, context): return "expected \(type)\(at(context)): \(context.debugDescription)"
        case let .valueNotFound(type, context): return "missing \(type) value\(at(context))"
        case let .dataCorrupted(context): return "not valid record JSON\(at(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// Removes the run records of this folder (not other files).
    public func removeRecords() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where Self.isRecordName(name) {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}

/// Writes files atomically: a temporary file in the target's folder, then a rename.
///
/// The temporary file is `.recbench-tmp.<pid>.<random>.<name>`; one left by a killed process is
/// removed by the next run in that folder (``ResultStore/removeStaleFiles(olderThan:)``).
public enum AtomicFile {
    /// The start of this tool's temporary file names.
    public static let temporaryPrefix = ".recbench-tmp."

    /// Writes `data` to `path` atomically, creating the folder if needed.
    ///
    /// - Throws: ``ResultError/writeFailed(path:reason:)`` naming `path` and the system's reason
    ///   (e.g. "No space left on device"); the temporary file is removed.
    public static func write(_ data: Data, to path: String) throws(ResultError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw .writeFailed(path: path, reason: "cannot create its folder (\((error as NSError).localizedDescription))")
            }
        }
        let name = String((path as NSString).lastPathComponent.prefix(100))
        let temporary = (folder.isEmpty ? "" : folder + "/") + temporaryPrefix + "\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).\(name)"
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .writeFailed(path: path, reason: ResultError.errnoText()) }
        do throws(ResultError) {
            try writeAll(data, to: fd, path: path)
            if fsync(fd) != 0, errno != EINVAL { throw ResultError.writeFailed(path: path, reason: ResultError.errnoText()) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        if close(fd) != 0 {
            let reason = ResultError.errnoText()
            unlink(temporary)
            throw .writeFailed(path: path, reason: reason)
        }
        if rename(temporary, path) != 0 {
            let reason = ResultError.errnoText()
            unlink(temporary)
            throw .writeFailed(path: path, reason: reason)
        }
    }

    /// Writes UTF-8 `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws(ResultError) { try write(Data(text.utf8), to: path) }

    /// Writes all of `data` to the open file `fd`, retrying short writes and interruptions.
    ///
    /// - Throws: ``ResultError/writeFailed(path:reason:)`` naming `path`.
    package static func writeAll(_ data: Data, to fd: Int32, path: String) throws(ResultError) {
        let failure: Int32? = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32? in
            guard var next = buffer.baseAddress else { return nil }
            var remaining = buffer.count
            while remaining > 0 {
                #if canImport(Glibc)
                let written = Glibc.write(fd, next, remaining)
                #else
                let written = Darwin.write(fd, next, remaining)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if written == 0 { return EIO }
                next += written
                remaining -= written
            }
            return nil
        }
        if let failure { throw .writeFailed(path: path, reason: ResultError.errnoText(failure)) }
    }
}

extension JSONEncoder {
    /// Pretty, key-sorted JSON for records and leaderboards (stable diffs).
    package static var records: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}
