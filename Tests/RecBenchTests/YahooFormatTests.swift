import Foundation
import Testing
@testable import RecBench

/// Yahoo! Music R1 and R3: detection by file name, ratings kept as values, the 255 rule, the
/// R3 test file, and malformed lines, on generated files in the releases' layouts.
@Suite("Yahoo! Music formats")
struct YahooFormatTests {
    let folder = TemporaryFolder()
    let configuration = SyntheticConfiguration(users: 300, items: 2_000, interactions: 6_000, zipfExponent: 1.1, seed: 7)

    /// The rating column of a generated file.
    func ratings(_ file: String) throws -> [Int] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { Int($0.split(separator: "\t")[2])! }
    }

    @Test func generatedR1FileIsDetectedByNameAndKeepsRatingsAsValuesDroppingNeverPlayAgain() throws {
        let file = folder.path + "/r1/" + YahooR1Options.ratingsFileName
        try FileManager.default.createDirectory(atPath: folder.path + "/r1", withIntermediateDirectories: true)
        let lines = try SyntheticGenerator(configuration).write(to: file, format: .yahooR1)
        let written = try ratings(file)
        let never = written.filter { $0 == 255 }.count
        #expect(written.count == lines)
        #expect(never > 0 && never < lines / 5)
        #expect(written.allSatisfy { $0 == 255 || (0...100).contains($0) })
        for path in [file, folder.path + "/r1"] {
            let (source, _) = try DatasetCatalog.resolve(path)
            #expect(source == .yahooR1(YahooR1Options(ratings: file)), "\(path)")
        }
        let dataset = try DatasetLoader.parse(.yahooR1(YahooR1Options(ratings: file)))
        #expect(dataset.report.rowsRead == lines)
        #expect(dataset.interactionCount == lines - never)
        #expect(dataset.report.notes == ["dropped \(never) rating(s) of 255 (never play again)"])
        #expect(dataset.interactions.values.map(Double.init).reduce(0, +) == Double(written.filter { $0 != 255 }.reduce(0, +)))
        #expect(Set(dataset.interactions.values).isSubset(of: Set((0...10).map { Float($0 * 10) })))
        #expect(dataset.items.count > 0 && dataset.userCount <= 300)
    }

    @Test func neverPlayAgainIsDroppedByDefaultOrReadAsZero() throws {
        let file = folder.write("ydata-ymusic-user-artist-ratings-v1_0.txt", "1\t1000125\t90\n1\t1006373\t255\n2\t-99\t0\n2\t1000125\t100\n")
        let dropped = try DatasetLoader.parse(.yahooR1(YahooR1Options(ratings: file)))
        #expect(dropped.interactionCount == 3)
        #expect(dropped.interactions.values.sorted() == [0, 90, 100])
        #expect(dropped.items.count == 2)
        let zero = try DatasetLoader.parse(.yahooR1(YahooR1Options(ratings: file, neverPlayAgain: .zero)))
        #expect(zero.interactionCount == 4)
        #expect(zero.interactions.values.sorted() == [0, 0, 90, 100])
        #expect(zero.report.notes == ["read ratings of 255 (never play again) as 0"])
        let only = folder.write("never.txt", "1\t5\t255\n")
        #expect(datasetError { _ = try DatasetLoader.parse(.yahooR1(YahooR1Options(ratings: only))) }
                == .noInteractions(file: only, reason: "every one of the 1 rating(s) is 255 (never play again), which is dropped"))
    }

    @Test func neverPlayAgainRoundTripsThroughJSON() throws {
        let source = DatasetSource.yahooR1(YahooR1Options(ratings: "r1.txt", neverPlayAgain: .zero))
        let json = try JSONEncoder().encode(source)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["type"] as? String == "yahoo-r1")
        #expect(object["neverPlayAgain"] as? String == "zero")
        #expect(try JSONDecoder().decode(DatasetSource.self, from: json) == source)
    }

    @Test func generatedR3TrainIsTheDatasetAndTheTestFileIsFoundBesideIt() throws {
        let train = folder.path + "/" + YahooR3Options.trainFileName
        let test = folder.path + "/" + YahooR3Options.testFileName
        let lines = try SyntheticGenerator(configuration).write(to: train, format: .yahooR3)
        #expect(YahooR3Options.companion(ofTrain: train) == test)
        let testRatings = try ratings(test)
        #expect(testRatings.count == 100 * 10)
        #expect(testRatings.allSatisfy { (1...5).contains($0) })
        for path in [train, folder.path] {
            let (source, _) = try DatasetCatalog.resolve(path)
            #expect(source == .yahooR3(YahooR3Options(ratings: train, test: test)), "\(path)")
        }
        // The test file alone is read as it is.
        #expect(try DatasetCatalog.resolve(test).source == .yahooR3(YahooR3Options(ratings: test)))
        let dataset = try DatasetLoader.parse(.yahooR3(YahooR3Options(ratings: train, test: test)))
        #expect(dataset.report.rowsRead == lines)
        #expect(dataset.interactionCount == lines)
        #expect(dataset.userCount == 300)
        #expect(Set(dataset.interactions.values).isSubset(of: [1, 2, 3, 4, 5]))
        #expect(dataset.interactions.values.map(Double.init).reduce(0, +) == Double(try ratings(train).reduce(0, +)))
        let testSet = try DatasetLoader.parse(.yahooR3(YahooR3Options(ratings: test)))
        #expect(testSet.userCount == 100 && testSet.interactionCount == 1_000)
    }

    @Test func theGivenSplitReadsR3sTrainAndTestFilesIntoOneNumbering() throws {
        let train = folder.path + "/" + YahooR3Options.trainFileName
        let test = folder.path + "/" + YahooR3Options.testFileName
        let trainLines = try SyntheticGenerator(configuration).write(to: train, format: .yahooR3)
        let (source, name) = try DatasetCatalog.resolve(folder.path)
        let split = try Splitter.given(source, name: name)
        #expect(split.method == .given)
        #expect(split.train.nonZeroCount == trainLines && split.test.nonZeroCount == 1_000)
        #expect(split.train.values.map(Double.init).reduce(0, +) == Double(try ratings(train).reduce(0, +)))
        #expect(split.test.values.map(Double.init).reduce(0, +) == Double(try ratings(test).reduce(0, +)))
        // Every test line's raw ids and rating are in the split's test part, under the shared numbering.
        for line in try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n").prefix(50) {
            let fields = line.split(separator: "\t").map(String.init)
            let user = try #require(split.users.position(of: fields[0])), item = try #require(split.items.position(of: fields[1]))
            #expect(split.test.value(row: user, column: item) == Float(fields[2]))
        }
        // A dataset without a test file of its own, and the rule applied to loaded rows, are refused with the reason.
        #expect(throws: SplitError.self) { _ = try Splitter.given(.yahooR3(YahooR3Options(ratings: train)), name: "r3") }
        let dataset = try DatasetLoader.parse(source)
        #expect(throws: SplitError.self) { _ = try Splitter.split(dataset, method: .given, seed: 0) }
    }

    @Test func generatedFilesAreTheSameForTheSameSeed() throws {
        let a = folder.path + "/a-train.txt", b = folder.path + "/b-train.txt"
        try SyntheticGenerator(configuration).write(to: a, format: .yahooR3)
        try SyntheticGenerator(configuration).write(to: b, format: .yahooR3)
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
        #expect(FileManager.default.contents(atPath: folder.path + "/a-test.txt") == FileManager.default.contents(atPath: folder.path + "/b-test.txt"))
    }

    @Test func malformedLinesNameTheFileTheLineAndTheReason() {
        let cases: [(String, String, String)] = [
            ("r1.txt", "1\t10\t90\n1\t11\t101\n", "the rating 101 is neither an integer from 0 to 100 nor 255 (never play again)"),
            ("r1b.txt", "1\t10\t90\n1\t11\t9.5\n", "the rating 9.5 is neither an integer from 0 to 100 nor 255 (never play again)"),
            ("r1c.txt", "1\t10\t90\n1\t11\n", "expected 3 tab-separated fields like the first line, found 2"),
            ("r1d.txt", "1\t10\t90\nx\t11\t50\n", "the user id 'x' is not a non-negative integer"),
            ("r3.txt", "1\t10\t5\n1\t11\t0\n", "the rating 0 is not an integer from 1 to 5"),
            ("r3b.txt", "1\t10\t5\n1\t11\tfive\n", "the value 'five' is not a finite number"),
        ]
        for (name, text, reason) in cases {
            let file = folder.write(name, text)
            let source: DatasetSource = name.hasPrefix("r1") ? .yahooR1(YahooR1Options(ratings: file)) : .yahooR3(YahooR3Options(ratings: file))
            #expect(datasetError { _ = try DatasetLoader.parse(source) } == .malformedLine(file: file, line: 2, reason: reason), "\(name)")
        }
    }
}
