import Foundation
import Testing
@testable import RecBench

@Suite("Preparation")
struct PreparationTests {
    /// Users a, b, c; items x, y, z. a: x y z; b: x y; c: z (value 0 on c–z).
    func sample() throws -> Dataset {
        let folder = TemporaryFolder()
        let file = folder.write("d.tsv", "a\tx\t1\na\ty\t2\na\tz\t3\nb\tx\t4\nb\ty\t5\nc\tz\t0\n")
        return try DatasetLoader.parse(.delimited(DelimitedOptions(path: file)))
    }

    @Test func dropNonPositiveRemovesZeroRowsAndEmptyUsers() throws {
        let prepared = try Preparation([.dropNonPositive]).apply(to: sample())
        #expect(prepared.interactionCount == 5)
        #expect(prepared.userCount == 2)
        #expect(prepared.users.position(of: "c") == nil)
        #expect(prepared.report.notes.last == "dropped 1 interaction(s) with a zero or negative value")
    }

    @Test func kCoreIteratesUntilStable() throws {
        // With 2 per user and 2 per item: c (1 interaction) goes; then z has only a: z goes;
        // a keeps x and y; everything left has at least 2.
        let prepared = try Preparation([.minimumInteractions(user: 2, item: 2)]).apply(to: sample())
        #expect(prepared.userCount == 2)
        #expect(prepared.itemCount == 2)
        #expect(prepared.interactionCount == 4)
        #expect(prepared.value(user: "a", item: "y") == 2)
        #expect(prepared.value(user: "b", item: "x") == 4)
    }

    @Test func confidenceTransforms() throws {
        let base = try Preparation([.dropNonPositive]).apply(to: sample())
        let linear = try Preparation([.confidence(.linear(alpha: 40))]).apply(to: base)
        #expect(linear.value(user: "a", item: "y") == 81)
        let logarithmic = try Preparation([.confidence(.logarithmic(alpha: 2, epsilon: 1))]).apply(to: base)
        #expect(abs(logarithmic.value(user: "a", item: "z")! - Float(1 + 2 * log(4.0))) < 1e-5)
        let binary = try Preparation([.confidence(.binarize)]).apply(to: base)
        #expect(binary.interactions.values.allSatisfy { $0 == 1 })
    }

    @Test func stepsComposeInOrder() throws {
        let prepared = try Preparation([.dropNonPositive, .minimumInteractions(user: 3, item: 1), .confidence(.binarize)]).apply(to: sample())
        #expect(prepared.userCount == 1)
        #expect(prepared.interactionCount == 3)
        #expect(prepared.report.notes.count == 3)
    }

    @Test func negativeMinimumIsAnError() throws {
        let error = datasetError { _ = try Preparation([.minimumInteractions(user: -1, item: 0)]).apply(to: sample()) }
        #expect(error == .invalidPreparation(reason: "minimum interactions must be >= 0, got user -1, item 0"))
    }

    @Test func timesFollowTheirInteractionsThroughFiltering() throws {
        let folder = TemporaryFolder()
        let file = folder.write("d.tsv", "a\tx\t1\t10\na\ty\t0\t20\nb\ty\t5\t30\n")
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, timestamp: .index(3))))
        let prepared = try Preparation([.dropNonPositive]).apply(to: dataset)
        #expect(prepared.times?.lastRaw == [10, 30])
    }

    @Test func preparationRoundTripsThroughJSON() throws {
        let preparation = Preparation([.dropNonPositive, .minimumInteractions(user: 5, item: 2), .confidence(.logarithmic(alpha: 1, epsilon: 0.5))])
        let decoded = try JSONDecoder().decode(Preparation.self, from: JSONEncoder().encode(preparation))
        #expect(decoded == preparation)
    }
}
