import Foundation

/// Writes a split as `train.tsv` and `test.tsv` with raw ids, and reads it back, so that other
/// tools train and test on exactly the same interactions.
///
/// Each line is `user<TAB>item<TAB>value`, plus `<TAB>timestamp` when the split has times.
/// `split.json` beside them records the dataset, method, seed and report.
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let metadata = Metadata(dataset: split.datasetName, method: split.method, seed: split.seed, report: split.report)
        try encoder.encode(metadata).write(to: URL(fileURLWithPath: directory + "/split.json"), options: .atomic)
    }

    /// Writes `negatives.tsv` (`user<TAB>item`, raw ids): the sampled negatives that
    /// ``CandidateSet/sampled(negatives:seed:)`` ranks each evaluated user's test items against,
    /// so that other tools can rank exactly the same candidates.
    public static func writeSampledNegatives(_ split: Split, negatives: Int, seed: UInt64, to directory: String) throws {
        var out = ""
        var candidates: [Int32] = []
        for user in split.evaluatedUsers {
            Evaluator.sampleCandidates(user: Int(user), negatives: negatives, seed: seed, split: split, into: &candidates)
            let test = split.testItems(of: Int(user))
            let raw = split.users.rawID(at: Int(user))
            for item in candidates where !Evaluator.contains(test, item) { out += raw + "\t" + split.items.rawID(at: Int(item)) + "\n" }
        }
        try out.write(toFile: directory + "/negatives.tsv", atomically: true, encoding: .utf8)
    }

    static func write(_ matrix: InteractionMatrix, times: InteractionTimes?, users: Vocabulary, items: Vocabulary, to path: String) throws {
        var out = ""
        out.reserveCapacity(matrix.nonZeroCount * 24)
        for u in 0..<matrix.rowCount {
            let user = users.rawID(at: u)
            for position in matrix.range(ofRow: u) {
                out += user; out += "\t"; out += items.rawID(at: Int(matrix.columns[position])); out += "\t"
                let value = matrix.values[position]
                out += value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : String(value)
                if let time = times?.last(at: position) { out += "\t"; out += String(time) }
                out += "\n"
            }
        }
        try out.write(to: URL(fileURLWithPath: path), atomically: true, encoding: .utf8)
    }

    /// Reads a split written by ``write(_:to:)`` (or by any tool in the same format).
    ///
    /// Users and items are numbered in order of first appearance in `train.tsv`, then `test.tsv`.
    /// The users evaluated are recomputed: those with test and training interactions.
    public static func read(from directory: String) throws -> Split {
        let trainPath = directory + "/train.tsv", testPath = directory + "/test.tsv"
        let hasTimes = try columnCount(trainPath) >= 4
        let reader = { (path: String) in
            DelimitedReader(path: path, delimiter: 0x09, header: false, quotes: false, user: .index(0), item: .index(1),
                            value: .index(2), timestamp: hasTimes ? .index(3) : nil)
        }
        let train = try reader(trainPath).read(users: StringInterner(), items: StringInterner())
        let test = try reader(testPath).read(users: train.users, items: train.items)
        let userCount = test.users.count, itemCount = test.items.count
        let (trainMatrix, trainTimes, _) = train.buffer.build(userCount: userCount, itemCount: itemCount)
        let (testMatrix, testTimes, _) = test.buffer.build(userCount: userCount, itemCount: itemCount)
        var metadata: Metadata?
        if let data = FileManager.default.contents(atPath: directory + "/split.json") {
            metadata = try? JSONDecoder().decode(Metadata.self, from: data)
        }
        var split = Splitter.assemble(name: metadata?.dataset ?? (directory as NSString).lastPathComponent,
                                      users: test.users.vocabulary(), items: test.items.vocabulary(),
                                      train: trainMatrix, test: testMatrix, trainTimes: trainTimes, testTimes: testTimes,
                                      minimumExcluded: 0, method: metadata?.method ?? .globalRandom(fraction: 0.5), seed: metadata?.seed ?? 0)
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
