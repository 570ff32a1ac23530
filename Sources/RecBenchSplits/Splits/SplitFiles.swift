import Foundation
import RecBenchCore

/// Writes a split as `train.tsv` and `test.tsv` with raw ids, and reads it back, so that other
/// tools train and test on exactly the same interactions.
///
/// The cold-start protocols add their parts: `foldin.tsv` (the new-user protocol's fold-in
/// interactions, `user<TAB>item<TAB>value`, no times) and `candidates.tsv` (the new-item
/// protocol's candidate items, one raw id a line). A split read back with them evaluates
/// exactly as the split made in process.
///
/// Each line is `user<TAB>item<TAB>value`, plus `<TAB>timestamp` when the split has times.
/// `users.tsv` and `items.tsv` list the raw ids in index order (one a line): they carry the
/// numbering, so that a split read back ranks ties, seeds initial factors and samples
/// negatives exactly as the split did in process (same figures on both paths).
/// `split.json` beside them records the dataset, method, seed and report. Ids are written as
/// their exact bytes.
public enum SplitFiles {
    /// Metadata written beside the two files.
    public struct Metadata: Codable, Sendable {
        public var dataset: String
        public var method: SplitMethod
        public var seed: UInt64
        public var report: SplitReport
    }

    /// Writes `split` into `directory` (created if needed); each file is written atomically.
    public static func write(_ split: Split, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write(split.train, times: split.trainTimes, users: split.users, items: split.items, to: directory + "/train.tsv")
        try write(split.test, times: split.testTimes, users: split.users, items: split.items, to: directory + "/test.tsv")
        try writeNumbering(split.users, to: directory + "/users.tsv")
        try writeNumbering(split.items, to: directory + "/items.tsv")
        // The cold-start protocols' parts: a stale file from another split must not survive.
        let fm = FileManager.default
        for name in ["foldin.tsv", "candidates.tsv"] where fm.fileExists(atPath: directory + "/" + name) {
            try fm.removeItem(atPath: directory + "/" + name)
        }
        if let foldIn = split.foldIn {
            try write(foldIn, times: nil, users: split.users, items: split.items, to: directory + "/foldin.tsv")
        }
        if let candidates = split.candidateItems {
            var out = [UInt8]()
            for item in candidates { out += split.items.rawIDBytes(at: Int(item)); out.append(0x0A) }
            try Data(out).write(to: URL(fileURLWithPath: directory + "/candidates.tsv"), options: .atomic)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let metadata = Metadata(dataset: split.datasetName, method: split.method, seed: split.seed, report: split.report)
        try encoder.encode(metadata).write(to: URL(fileURLWithPath: directory + "/split.json"), options: .atomic)
    }

    /// Writes `negatives.tsv` (`user<TAB>item`, raw ids): the sampled negatives that
    /// ``CandidateSet/sampled(negatives:seed:)`` ranks each evaluated user's test items against,
    /// so that other tools can rank exactly the same candidates.
    public static func writeSampledNegatives(_ split: Split, negatives: Int, seed: UInt64, to directory: String) throws {
        var out = [UInt8]()
        var candidates: [Int32] = []
        for user in split.evaluatedUsers {
            NegativeSampling.candidates(user: Int(user), negatives: negatives, seed: seed, split: split, into: &candidates)
            let test = split.testItems(of: Int(user))
            let raw = split.users.rawIDBytes(at: Int(user))
            for item in candidates where !NegativeSampling.contains(test, item) {
                out += raw; out.append(0x09); out += split.items.rawIDBytes(at: Int(item)); out.append(0x0A)
            }
        }
        try Data(out).write(to: URL(fileURLWithPath: directory + "/negatives.tsv"), options: .atomic)
    }

    package static func write(_ matrix: InteractionMatrix, times: InteractionTimes?, users: Vocabulary, items: Vocabulary, to path: String) throws {
        var out = [UInt8]()
        out.reserveCapacity(matrix.nonZeroCount * 24)
        for u in 0..<matrix.rowCount {
            let user = users.rawIDBytes(at: u)
            for position in matrix.range(ofRow: u) {
                out += user; out.append(0x09); out += items.rawIDBytes(at: Int(matrix.columns[position])); out.append(0x09)
                let value = matrix.values[position]
                out += Array((value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : String(value)).utf8)
                if let time = times?.last(at: position) { out.append(0x09); out += Array(String(time).utf8) }
                out.append(0x0A)
            }
        }
        try Data(out).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes a vocabulary's raw ids in index order, one a line.
    package static func writeNumbering(_ vocabulary: Vocabulary, to path: String) throws {
        var out = [UInt8]()
        for position in 0..<vocabulary.count { out += vocabulary.rawIDBytes(at: position); out.append(0x0A) }
        try Data(out).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a numbering file into a fresh interner: line n holds the id of index n − 1.
    ///
    /// - Throws: ``DatasetError`` naming the file and line of an empty or repeated id.
    package static func readNumbering(_ path: String, role: String) throws(DatasetError) -> StringInterner {
        var interner = StringInterner()
        try LineReader(path: path).forEachLine { (line, number) throws(DatasetError) in
            let before = interner.count
            _ = try interner.index(forRawID: line, line: number, file: path, role: role)
            if interner.count == before {
                throw .malformedLine(file: path, line: number, reason: "the \(role) id is listed twice; a numbering lists each id once")
            }
        }
        return interner
    }

    /// Reads a split written by ``write(_:to:)`` (or by any tool in the same format).
    ///
    /// Users and items are numbered as `users.tsv` and `items.tsv` list them, when the folder
    /// has them (every split RecBench writes does); otherwise in order of first appearance in
    /// `train.tsv`, then `test.tsv` (a split made by another tool: ties, seeded initial factors
    /// and sampled negatives then follow that numbering). The users evaluated are recomputed:
    /// those with test and training interactions.
    ///
    /// - Throws: ``DatasetError`` for a malformed line, or an id of the two parts that the
    ///   numbering files do not list.
    public static func read(from directory: String) throws -> Split {
        let trainPath = directory + "/train.tsv", testPath = directory + "/test.tsv"
        let hasTimes = try columnCount(trainPath) >= 4
        let reader = { (path: String) in
            DelimitedReader(path: path, delimiter: 0x09, header: false, quotes: false, user: .index(0), item: .index(1),
                            value: .index(2), timestamp: hasTimes ? .index(3) : nil)
        }
        let fm = FileManager.default
        let numbered = fm.fileExists(atPath: directory + "/users.tsv") && fm.fileExists(atPath: directory + "/items.tsv")
        let users = numbered ? try readNumbering(directory + "/users.tsv", role: "user") : StringInterner()
        let items = numbered ? try readNumbering(directory + "/items.tsv", role: "item") : StringInterner()
        let train = try reader(trainPath).read(users: users, items: items)
        let test = try reader(testPath).read(users: train.users, items: train.items)
        // The new-user protocol's fold-in part (no times: it is given, never split by time).
        let foldInPath = directory + "/foldin.tsv"
        let foldIn = fm.fileExists(atPath: foldInPath)
            ? try DelimitedReader(path: foldInPath, delimiter: 0x09, header: false, quotes: false, user: .index(0), item: .index(1),
                                  value: .index(2), timestamp: nil).read(users: test.users, items: test.items)
            : nil
        let finalUsers = foldIn?.users ?? test.users, finalItems = foldIn?.items ?? test.items
        if numbered, finalUsers.count != users.count || finalItems.count != items.count {
            let role = finalUsers.count != users.count ? "user" : "item"
            throw DatasetError.unreadable(path: directory, reason: "train.tsv, test.tsv or foldin.tsv holds \(role) ids that \(role)s.tsv does not list")
        }
        let userCount = finalUsers.count, itemCount = finalItems.count
        let (trainMatrix, trainTimes, _) = train.buffer.build(userCount: userCount, itemCount: itemCount)
        let (testMatrix, testTimes, _) = test.buffer.build(userCount: userCount, itemCount: itemCount)
        var metadata: Metadata?
        if let data = FileManager.default.contents(atPath: directory + "/split.json") {
            metadata = try? JSONDecoder().decode(Metadata.self, from: data)
        }
        let itemVocabulary = finalItems.vocabulary()
        var split = Splitter.assemble(name: metadata?.dataset ?? (directory as NSString).lastPathComponent,
                                      users: finalUsers.vocabulary(), items: itemVocabulary,
                                      train: trainMatrix, test: testMatrix, trainTimes: trainTimes, testTimes: testTimes,
                                      minimumExcluded: 0, method: metadata?.method ?? .globalRandom(fraction: 0.5), seed: metadata?.seed ?? 0)
        if let foldIn {
            Splitter.bindFoldIn(foldIn.buffer.build(userCount: userCount, itemCount: itemCount).0, to: &split, minimumExcluded: 0)
        }
        let candidatesPath = directory + "/candidates.tsv"
        if fm.fileExists(atPath: candidatesPath) {
            var candidates: [Int32] = []
            try LineReader(path: candidatesPath).forEachLine { (line, number) throws(DatasetError) in
                guard let item = itemVocabulary.position(ofBytes: line) else {
                    throw .malformedLine(file: candidatesPath, line: number, reason: "the item id is not in the split's items")
                }
                candidates.append(Int32(item))
            }
            split.candidateItems = Array(Set(candidates)).sorted()
        }
        if let metadata { split.report.excluded = metadata.report.excluded.merging(split.report.excluded) { old, _ in old } }
        return split
    }

    private static func columnCount(_ path: String) throws -> Int {
        var count = 0
        do {
            try LineReader(path: path).forEachLine { (line, _) throws(DatasetError) in
                if count == 0 { count = line.split(separator: 0x09, omittingEmptySubsequences: false).count }
            }
        }
        return count
    }
}
