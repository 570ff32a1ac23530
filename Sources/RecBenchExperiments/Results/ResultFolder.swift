import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// The run records of a results folder, sorted by experiment identity.
///
/// A folder may hold records of several experiment identities (the experiment file's split,
/// data or metrics changed and the sweep ran again without `--fresh`). Leaderboards and the CI
/// gate use one identity, the newest unless one is asked for; the others are stale and listed.
/// Files named like records that do not decode are listed with why, never skipped in silence.
public struct ResultFolder: Sendable {
    /// A file named like a run record that does not decode.
    public struct Unreadable: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// The records of one experiment identity.
    public struct Group: Sendable {
        public var identity: String
        /// Its records, by id.
        public var records: [RunRecord]
        /// The date of its most recent record.
        public var newest: Date
        /// Whether it holds test runs (what a leaderboard ranks).
        public var hasTestRuns: Bool { records.contains { $0.phase == .test } }
        /// One line for people: identity, what it stands for, how many records, the newest date.
        public var summary: String {
            let newestRecord = records.max { $0.environment.instant < $1.environment.instant }
            return "\(identity): \(records.count) record(s), \(records.first?.identitySummary ?? ""), newest \(newestRecord?.environment.date ?? "?")"
        }
    }

    public var directory: String
    /// Every record that decodes, by id.
    public var records: [RunRecord]
    /// The files named like records that do not decode.
    public var unreadable: [Unreadable]

    /// Reads every `validation-….json` and `test-….json` in `directory` and its subfolders.
    ///
    /// - Throws: ``DatasetError/fileNotFound(path:)`` when the folder cannot be read.
    public static func read(_ directory: String) throws -> ResultFolder {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue,
              let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw DatasetError.fileNotFound(path: directory)
        }
        var records: [RunRecord] = []
        var unreadable: [Unreadable] = []
        while let relative = enumerator.nextObject() as? String {
            guard ResultStore.isRecordName((relative as NSString).lastPathComponent) else { continue }
            let path = directory + "/" + relative
            guard let data = FileManager.default.contents(atPath: path) else {
                unreadable.append(Unreadable(path: path, reason: "cannot read the file"))
                continue
            }
            do { records.append(try ResultStore.decode(data, path: path)) } catch {
                if case let .unreadableRecord(_, reason) = error { unreadable.append(Unreadable(path: path, reason: reason)) }
            }
        }
        return ResultFolder(directory: directory, records: records.sorted { $0.id < $1.id },
                            unreadable: unreadable.sorted { $0.path < $1.path })
    }

    /// The records grouped by experiment identity, the newest group first.
    public var groups: [Group] { Self.groups(of: records) }

    /// `records` grouped by experiment identity, the newest group first (by the date of its most
    /// recent record; ties by identity).
    public static func groups(of records: [RunRecord]) -> [Group] {
        var byIdentity: [String: [RunRecord]] = [:]
        for record in records { byIdentity[record.experimentIdentity, default: []].append(record) }
        return byIdentity.map { identity, members in
            Group(identity: identity, records: members.sorted { $0.id < $1.id },
                  newest: members.map(\.environment.instant).max() ?? .distantPast)
        }
        .sorted { ($0.newest, $1.identity) > ($1.newest, $0.identity) }
    }

    /// The group a leaderboard reports and the stale ones.
    ///
    /// - Parameter identity: an identity or its first characters (at least 4); nil: the newest
    ///   group with test runs (the newest group if none has any).
    /// - Returns: the chosen group (nil when the folder holds no records) and the others.
    /// - Throws: ``ResultError/unknownIdentity(folder:identity:known:)`` or
    ///   ``ResultError/ambiguousIdentity(folder:identity:matches:)``.
    public func select(identity: String? = nil) throws(ResultError) -> (chosen: Group?, stale: [Group]) {
        try Self.select(groups, identity: identity, folder: directory)
    }

    /// ``select(identity:)`` over `groups`.
    package static func select(_ groups: [Group], identity: String?, folder: String) throws(ResultError) -> (chosen: Group?, stale: [Group]) {
        let chosen: Group?
        if let identity {
            let matches = identity.count >= 4 ? groups.filter { $0.identity.hasPrefix(identity) } : groups.filter { $0.identity == identity }
            guard !matches.isEmpty else { throw .unknownIdentity(folder: folder, identity: identity, known: groups.map(\.identity)) }
            guard matches.count == 1 else { throw .ambiguousIdentity(folder: folder, identity: identity, matches: matches.map(\.identity)) }
            chosen = matches[0]
        } else {
            chosen = groups.first { $0.hasTestRuns } ?? groups.first
        }
        return (chosen, groups.filter { $0.identity != chosen?.identity })
    }
}
