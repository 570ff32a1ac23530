import Foundation
import Testing
@testable import RecBench

/// Splits and sampled negatives compared with fingerprints recorded from the code before the
/// split rules were redesigned (issue 13): the same seed must give the same split, bit for bit.
@Suite("Split goldens")
struct SplitGoldenTests {
    /// 300 users, 800 items, about 6,000 timed pairs, generated with a fixed seed.
    static func dataset() throws -> Dataset {
        let folder = TemporaryFolder()
        let file = folder.path + "/golden.tsv"
        _ = try SyntheticGenerator(SyntheticConfiguration(users: 300, items: 800, interactions: 6000, seed: 11)).write(to: file, format: .tsv)
        return try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, timestamp: .index(3))))
    }

    /// FNV-1a over the test matrix's offsets and columns, the evaluated users and the number left out.
    static func fingerprint(_ split: Split) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: Int) { hash = (hash ^ UInt64(bitPattern: Int64(value))) &* 0x100_0000_01b3 }
        for offset in split.test.rowOffsets { mix(offset) }
        for column in split.test.columns { mix(Int(column)) }
        for user in split.evaluatedUsers { mix(Int(user)) }
        for (reason, count) in split.report.excluded.sorted(by: { $0.key < $1.key }) { mix(reason.utf8.count); mix(count) }
        return hash
    }

    static let cases: [(SplitMethod, UInt64)] = [
        (.leaveOneOut(selection: .random, minimum: 2), 10677605525119036232),
        (.leaveOneOut(selection: .latest, minimum: 3), 1250657849010064667),
        (.leaveKOut(k: 3, selection: .random, minimum: 4), 11706845973036068745),
        (.leaveKOut(k: 2, selection: .latest, minimum: 5), 15524135671939173251),
        (.userHoldout(fraction: 0.2, minimum: 2), 7160085884445802769),
        (.globalRandom(fraction: 0.1), 9833078682799656828),
        (.temporalGlobal(.testFraction(0.2)), 8483733667173002484),
        (.temporalGlobal(.timestamp(1_180_000_000)), 2205806391245247941),
        (.temporalPerUser(.fraction(0.25), minimum: 3), 1043697037870130454),
        (.temporalPerUser(.last(2), minimum: 3), 15786412798176077934),
    ]

    @Test func everySplitMatchesItsFingerprintFromBeforeTheRedesign() throws {
        let dataset = try Self.dataset()
        for (method, expected) in Self.cases {
            let split = try Splitter.split(dataset, method: method, seed: 1234)
            let print = Self.fingerprint(split)
            #expect(print == expected, "\(method)")
        }
    }

    @Test func sampledNegativesMatchTheirFingerprintFromBeforeTheRedesign() throws {
        let split = try Splitter.split(try Self.dataset(), method: .userHoldout(fraction: 0.2, minimum: 2), seed: 5)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var items: [Int32] = []
        for user in split.evaluatedUsers {
            NegativeSampling.candidates(user: Int(user), negatives: 50, seed: 9, split: split, into: &items)
            for item in items { hash = (hash ^ UInt64(item)) &* 0x100_0000_01b3 }
        }
        #expect(hash == 6_613_615_641_959_537_811)
    }
}
