import Foundation
import Testing
@testable import RecBench

/// Every split rule through the one decoder: text → value → JSON → value, errors that name the
/// bad part, and the JSON of records written before the layout was made explicit.
@Suite("Split methods")
struct SplitMethodTests {
    static let texts: [(String, SplitMethod)] = [
        ("leave-one-out", .leaveOneOut(selection: .random, minimum: 2)),
        ("leave-one-out:selection=latest,minimum=5", .leaveOneOut(selection: .latest, minimum: 5)),
        ("leave-k-out:k=3", .leaveKOut(k: 3, selection: .random, minimum: 4)),
        ("leave-k-out:k=2,selection=latest,minimum=10", .leaveKOut(k: 2, selection: .latest, minimum: 10)),
        ("holdout:fraction=0.1, minimum=5", .userHoldout(fraction: 0.1, minimum: 5)),
        ("random", .globalRandom(fraction: 0.2)),
        ("temporal:fraction=0.3", .temporalGlobal(.testFraction(0.3))),
        ("temporal:cutoff=1180000000", .temporalGlobal(.timestamp(1_180_000_000))),
        ("temporal-user", .temporalPerUser(.fraction(0.2), minimum: 2)),
        ("temporal-user:last=2,minimum=3", .temporalPerUser(.last(2), minimum: 3)),
    ]

    @Test(arguments: texts.indices)
    func everyRuleRoundTripsThroughTextAndJSON(index: Int) throws {
        let (text, expected) = Self.texts[index]
        let method = try SplitMethod(parsing: text)
        #expect(method == expected)
        #expect(try SplitMethod(parsing: method.text) == method)
        let json = try JSONEncoder().encode(method)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["type"] as? String == method.name)
        #expect(try JSONDecoder().decode(SplitMethod.self, from: json) == method)
    }

    @Test func everyRuleIsListedAndReachesItsOwnCase() throws {
        #expect(SplitMethod.names.starts(with: ["leave-one-out", "leave-k-out", "holdout", "random", "temporal", "temporal-user"]))
        for type in SplitMethod.ruleTypes {
            let method = try SplitMethod(name: type.name)
            #expect(method.name == type.name)
        }
    }

    @Test func theJSONLayoutIsExplicit() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(SplitMethod.leaveOneOut(selection: .random, minimum: 2)), as: UTF8.self)
        #expect(json == #"{"minimum":2,"selection":"random","type":"leave-one-out"}"#)
        let temporal = String(decoding: try encoder.encode(SplitMethod.temporalGlobal(.testFraction(0.2))), as: UTF8.self)
        #expect(temporal == #"{"fraction":0.2,"type":"temporal"}"#)
    }

    @Test func recordsInTheCompilersOldLayoutStillDecode() throws {
        let old: [(String, SplitMethod)] = [
            (#"{"leaveOneOut":{"minimum":2,"selection":"random"}}"#, .leaveOneOut(selection: .random, minimum: 2)),
            (#"{"leaveKOut":{"k":3,"minimum":4,"selection":"latest"}}"#, .leaveKOut(k: 3, selection: .latest, minimum: 4)),
            (#"{"userHoldout":{"fraction":0.2,"minimum":2}}"#, .userHoldout(fraction: 0.2, minimum: 2)),
            (#"{"globalRandom":{"fraction":0.1}}"#, .globalRandom(fraction: 0.1)),
            (#"{"temporalGlobal":{"_0":{"testFraction":{"_0":0.2}}}}"#, .temporalGlobal(.testFraction(0.2))),
            (#"{"temporalGlobal":{"_0":{"timestamp":{"_0":99}}}}"#, .temporalGlobal(.timestamp(99))),
            (#"{"temporalPerUser":{"_0":{"last":{"_0":2}},"minimum":3}}"#, .temporalPerUser(.last(2), minimum: 3)),
        ]
        for (json, expected) in old {
            #expect(try JSONDecoder().decode(SplitMethod.self, from: Data(json.utf8)) == expected, "\(json)")
        }
    }

    @Test func theCommittedRecordsDecodeTheirSplit() throws {
        let folder = DatasetCatalog.repositoryRoot + "/results"
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") }
        struct Record: Decodable { var split: SplitMethod }
        var decoded = 0
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], object["split"] is [String: Any] else { continue }
            _ = try JSONDecoder().decode(Record.self, from: data)
            decoded += 1
        }
        #expect(decoded > 0)
    }

    @Test func badTextIsATypedErrorNamingThePart() {
        #expect(throws: SplitError.unknownSplit(name: "bootstrap", known: SplitMethod.names)) { try SplitMethod(parsing: "bootstrap:k=5") }
        #expect(throws: SplitError.unknownParameter(split: "holdout", parameter: "k", known: ["fraction", "minimum"])) {
            try SplitMethod(parsing: "holdout:k=5")
        }
        #expect(throws: SplitError.invalidParameter(split: "holdout", parameter: "fraction", value: "1.5", reason: "it must be in (0, 1)")) {
            try SplitMethod(parsing: "holdout:fraction=1.5")
        }
        #expect(throws: SplitError.invalidParameter(split: "leave-k-out", parameter: "k", value: "three", reason: "an integer is expected")) {
            try SplitMethod(parsing: "leave-k-out:k=three")
        }
        #expect(throws: SplitError.invalidParameter(split: "leave-one-out", parameter: "selection", value: "oldest",
                                                    reason: "use one of latest, random")) {
            try SplitMethod(parsing: "leave-one-out:selection=oldest")
        }
        #expect(throws: SplitError.invalidParameter(split: "temporal", parameter: "cutoff", value: "5", reason: "give fraction or cutoff, not both")) {
            try SplitMethod(parsing: "temporal:fraction=0.2,cutoff=5")
        }
        #expect(throws: SplitError.malformed(text: "holdout:fraction", reason: "'fraction' is not parameter=value")) {
            try SplitMethod(parsing: "holdout:fraction")
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SplitMethod.self, from: Data(#"{"type":"holdout","fraction":2}"#.utf8)) }
    }

    @Test func minimumsAreRaisedAsTheCommandLineAlwaysDid() throws {
        #expect(try SplitMethod(parsing: "leave-one-out:minimum=0") == .leaveOneOut(selection: .random, minimum: 2))
        #expect(try SplitMethod(parsing: "leave-k-out:k=4,minimum=2") == .leaveKOut(k: 4, selection: .random, minimum: 5))
    }

    @Test func thePerUserDriverIsWhatTheFourPerUserRulesUse() throws {
        // A rule written outside the closed set, with the driver, splits like the built-in one.
        struct LastTwo: PerUserHoldoutRule {
            static let name = "last-two"
            static let parameters: [SplitParameter] = []
            init() {}
            init(parameters: SplitParameters) throws(SplitError) {}
            var parameterValues: [(name: String, value: SplitParameterValue)] { [] }
            var minimum: Int { 3 }
            var selection: HoldoutSelection { .latest }
            func holdoutCount(of interactions: Int) -> Int { 2 }
            func validate() throws(SplitError) {}
            var description: String { "last two" }
            var method: SplitMethod { .temporalPerUser(.last(2), minimum: 3) }
        }
        let dataset = try SplitGoldenTests.dataset()
        let times = try #require(dataset.times).splitTimes
        let mine = LastTwo().assign(dataset.interactions, times: times, seed: 1)
        let builtIn = TemporalPerUser(amount: .last(2), minimum: 3).assign(dataset.interactions, times: times, seed: 1)
        #expect(mine == builtIn)
        #expect(mine.toTest.contains(true))
    }
}
