import Foundation
import Testing
@testable import RecBench

@Suite("Splits")
struct SplitTests {
    /// 30 users with 1 to 30 interactions each, timestamps increasing with the item index.
    func sample() throws -> Dataset {
        let folder = TemporaryFolder()
        var lines = ""
        for u in 1...30 { for i in 0..<u { lines += "u\(u)\ti\((i * 7 + u) % 40)\t\(i + 1)\t\(1000 + u * 100 + i)\n" } }
        let file = folder.write("d.tsv", lines)
        return try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, timestamp: .index(3))))
    }

    func check(_ split: Split, _ dataset: Dataset) {
        // Train and test partition the dataset's interactions.
        #expect(split.train.nonZeroCount + split.test.nonZeroCount == dataset.interactionCount)
        for u in 0..<dataset.userCount {
            let all = Set(dataset.interactions.columns[dataset.interactions.range(ofRow: u)])
            let train = Set(split.trainItems(of: u)), test = Set(split.testItems(of: u))
            #expect(train.isDisjoint(with: test))
            #expect(train.union(test) == all)
        }
        // Evaluated users have test and train interactions.
        for u in split.evaluatedUsers { #expect(!split.testItems(of: Int(u)).isEmpty && !split.trainItems(of: Int(u)).isEmpty) }
    }

    @Test func leaveOneOutLatestHoldsOutEachUsersLastInteraction() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .leaveLatestOut, seed: 1)
        check(split, dataset)
        #expect(split.evaluatedUsers.count == 29)
        #expect(split.report.excluded["too few interactions to split: kept whole in train"] == 1)
        let times = try #require(split.testTimes)
        let trainTimes = try #require(split.trainTimes)
        for u in split.evaluatedUsers.map(Int.init) {
            #expect(split.testItems(of: u).count == 1)
            let testTime = times.last(at: split.test.rowOffsets[u])!
            for position in split.train.range(ofRow: u) { #expect(trainTimes.last(at: position)! < testTime) }
        }
    }

    @Test func sameSeedSameSplitAndDifferentSeedDifferentSplit() throws {
        let dataset = try sample()
        let a = try Splitter.split(dataset, method: .userHoldout(fraction: 0.2, minimum: 2), seed: 7)
        let b = try Splitter.split(dataset, method: .userHoldout(fraction: 0.2, minimum: 2), seed: 7)
        let c = try Splitter.split(dataset, method: .userHoldout(fraction: 0.2, minimum: 2), seed: 8)
        #expect(a.test == b.test && a.train == b.train)
        #expect(a.test != c.test)
        check(a, dataset)
        // 20% rounded, at least 1: the user with 30 interactions holds out 6.
        let u30 = try #require(dataset.users.position(of: "u30"))
        #expect(a.testItems(of: u30).count == 6)
    }

    @Test func leaveKOutRandom() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .leaveKOut(k: 3, selection: .random, minimum: 5), seed: 3)
        check(split, dataset)
        #expect(split.evaluatedUsers.count == 26)
        #expect(split.evaluatedUsers.allSatisfy { split.testItems(of: Int($0)).count == 3 })
    }

    @Test func globalRandomExcludesUsersWithoutTrain() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .globalRandom(fraction: 0.5), seed: 11)
        check(split, dataset)
        let fraction = Double(split.test.nonZeroCount) / Double(dataset.interactionCount)
        #expect(fraction > 0.4 && fraction < 0.6)
        let noTrain = (0..<dataset.userCount).filter { !split.testItems(of: $0).isEmpty && split.trainItems(of: $0).isEmpty }.count
        #expect(split.report.excluded["test interactions but none in train: not evaluated"] == (noTrain > 0 ? noTrain : nil))
    }

    @Test func temporalGlobalPutsNoTestBeforeAnyTrain() throws {
        let dataset = try sample()
        for method: SplitMethod in [.temporalGlobal(.testFraction(0.25)), .temporalGlobal(.timestamp(2500))] {
            let split = try Splitter.split(dataset, method: method, seed: 0)
            check(split, dataset)
            let latestTrain = split.trainTimes!.lastRaw.max()!, earliestTest = split.testTimes!.lastRaw.min()!
            #expect(latestTrain < earliestTest)
        }
        let quarter = try Splitter.split(dataset, method: .temporalGlobal(.testFraction(0.25)), seed: 0)
        let fraction = Double(quarter.test.nonZeroCount) / Double(dataset.interactionCount)
        #expect(fraction > 0.2 && fraction < 0.3)
    }

    @Test func temporalPerUserHoldsOutTheLastOnes() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .temporalPerUser(.last(2), minimum: 3), seed: 0)
        check(split, dataset)
        for u in split.evaluatedUsers.map(Int.init) {
            let test = split.test.range(ofRow: u).map { split.testTimes!.lastRaw[$0] }
            let train = split.train.range(ofRow: u).map { split.trainTimes!.lastRaw[$0] }
            #expect(test.count == 2 && test.min()! > train.max()!)
        }
    }

    /// A generated listening-event log (one row per play, up to 50 plays an hour apart per pair,
    /// first plays spread over 100 hours, so many pairs are played on both sides of any cutoff),
    /// loaded as (user, item) pairs, and every play's time per pair read back from the file.
    func eventLog() throws -> (Dataset, plays: [String: [Int64]]) {
        let folder = TemporaryFolder()
        let file = folder.path + "/events.tsv"
        let start: Int64 = 1_000_000_000
        try SyntheticGenerator(SyntheticConfiguration(users: 200, items: 1_000, interactions: 4_000, startTime: start,
                                                      endTime: start + 100 * 3_600, seed: 12)).write(to: file, format: .events)
        var plays: [String: [Int64]] = [:]
        for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: "\t")
            plays[String(f[0]) + "\t" + String(f[1]), default: []].append(try #require(Int64(f[2])))
        }
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, value: nil, timestamp: .index(2))))
        return (dataset, plays)
    }

    /// The plays of the test pairs, and the first play of each train and test pair, by user.
    func pairTimes(_ split: Split, _ plays: [String: [Int64]]) throws -> (testPlays: [Int64], train: [[Int64]], test: [[Int64]]) {
        var testPlays: [Int64] = [], train: [[Int64]] = [], test: [[Int64]] = []
        for u in 0..<split.users.count {
            func firsts(_ items: ArraySlice<Int32>, _ into: inout [Int64]) throws -> [Int64] {
                try items.map { item in
                    let times = try #require(plays[split.users.rawID(at: u) + "\t" + split.items.rawID(at: Int(item))])
                    into += times
                    return times.min()!
                }
            }
            var ignored: [Int64] = []
            train.append(try firsts(split.trainItems(of: u), &ignored))
            test.append(try firsts(split.testItems(of: u), &testPlays))
        }
        return (testPlays, train, test)
    }

    @Test func temporalSplitsOfEventLogsNeverTestAPairPlayedBeforeTheCutoff() throws {
        let (dataset, plays) = try eventLog()
        #expect(dataset.interactionCount < plays.values.reduce(0) { $0 + $1.count })   // plays were aggregated to pairs
        // An explicit cutoff: every play of every test pair is at or after it, and every pair
        // first played at or after it is in test.
        let cutoff: Int64 = 1_000_000_000 + 50 * 3_600
        let byTime = try Splitter.split(dataset, method: .temporalGlobal(.timestamp(cutoff)), seed: 0)
        check(byTime, dataset)
        let timed = try pairTimes(byTime, plays)
        #expect(!timed.testPlays.isEmpty)
        #expect(timed.testPlays.filter { $0 < cutoff }.count == 0)
        #expect(timed.train.joined().allSatisfy { $0 < cutoff })
        // A test fraction: the cutoff falls between the pairs' first plays.
        let fifth = try Splitter.split(dataset, method: .temporalGlobal(.testFraction(0.2)), seed: 0)
        check(fifth, dataset)
        let f = try pairTimes(fifth, plays)
        let earliestTest = try #require(f.test.joined().min())
        #expect(f.train.joined().max()! < earliestTest)
        #expect(f.testPlays.allSatisfy { $0 >= earliestTest })
        let share = Double(fifth.test.nonZeroCount) / Double(dataset.interactionCount)
        #expect(share > 0.18 && share < 0.22)
    }

    @Test func perUserTemporalSplitsOfEventLogsHoldOutThePairsFirstPlayedLast() throws {
        let (dataset, plays) = try eventLog()
        for method: SplitMethod in [.temporalPerUser(.fraction(0.25), minimum: 2), .temporalPerUser(.last(2), minimum: 3), .leaveLatestOut] {
            let split = try Splitter.split(dataset, method: method, seed: 0)
            check(split, dataset)
            let timed = try pairTimes(split, plays)
            for u in split.evaluatedUsers.map(Int.init) {
                // No test pair of this user was played before the user's cutoff (their earliest test pair's first play).
                let cutoff = timed.test[u].min()!
                #expect(timed.train[u].allSatisfy { $0 <= cutoff }, "\(method), user \(split.users.rawID(at: u))")
            }
        }
    }

    @Test func validationIsCarvedFromTrainByTheSameRule() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .leaveLatestOut, seed: 1)
        let validation = try Splitter.validation(of: split, method: .leaveLatestOut, seed: 1)
        #expect(validation.train.nonZeroCount + validation.test.nonZeroCount == split.train.nonZeroCount)
        for u in 0..<dataset.userCount {
            #expect(Set(validation.testItems(of: u)).isDisjoint(with: Set(split.testItems(of: u))))
        }
    }

    @Test func timeBasedSplitWithoutTimestampsIsAnError() throws {
        let dataset = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM)))
        #expect(throws: SplitError.self) { try Splitter.split(dataset, method: .leaveLatestOut, seed: 0) }
        #expect(throws: SplitError.invalid("the fraction must be in (0, 1), got 1.5")) {
            try Splitter.split(dataset, method: .globalRandom(fraction: 1.5), seed: 0)
        }
    }

    @Test func splitFilesRoundTrip() throws {
        let dataset = try sample()
        let split = try Splitter.split(dataset, method: .leaveLatestOut, seed: 1)
        let folder = TemporaryFolder()
        try SplitFiles.write(split, to: folder.path)
        let back = try SplitFiles.read(from: folder.path)
        #expect(back.train.nonZeroCount == split.train.nonZeroCount)
        #expect(back.test.nonZeroCount == split.test.nonZeroCount)
        #expect(back.evaluatedUsers.count == split.evaluatedUsers.count)
        for u in split.evaluatedUsers.map(Int.init) {
            let raw = split.users.rawID(at: u)
            let v = try #require(back.users.position(of: raw))
            #expect(back.testItems(of: v).map { back.items.rawID(at: Int($0)) } == split.testItems(of: u).map { split.items.rawID(at: Int($0)) })
        }
        #expect(back.method == split.method && back.seed == 1)
    }
}
