import Foundation
import Testing
@testable import RecBench

@Suite("In-memory builders and the scoring API")
struct BuilderTests {
    @Test func datasetFromTriplesNumbersIdsByFirstAppearanceAndSumsRepeatedPairs() throws {
        let data = try Dataset(name: "tiny", interactions: [("bob", "y", 2), ("ann", "x", 1), ("bob", "y", 3), ("ann", "z", 1)])
        #expect(data.name == "tiny")
        #expect((0..<data.userCount).map { data.users.rawID(at: $0) } == ["bob", "ann"])
        #expect((0..<data.itemCount).map { data.items.rawID(at: $0) } == ["y", "x", "z"])
        #expect(data.interactionCount == 3)
        #expect(data.value(user: "bob", item: "y") == 5)
        #expect(data.value(user: "ann", item: "z") == 1)
        #expect(data.interactions.rowOffsets == [0, 1, 3])
    }

    @Test func datasetFromTriplesRejectsEmptyIdsAndNonFiniteValuesByPosition() {
        #expect(datasetError { _ = try Dataset(interactions: [("a", "x", 1), ("", "x", 1)]) }
            == .malformedLine(file: "in-memory in-memory", line: 2, reason: "the user id is empty"))
        #expect(datasetError { _ = try Dataset(name: "d", interactions: [("a", "x", .nan)]) }
            == .malformedLine(file: "in-memory d", line: 1, reason: "the value nan is not a finite number"))
        guard case .malformedLine(_, 2, _)? = datasetError({
            _ = try Dataset(interactions: [("a", "x", .greatestFiniteMagnitude), ("a", "x", .greatestFiniteMagnitude)])
        }) else { Issue.record("an overflowing sum was accepted"); return }
    }

    @Test func idsAreComparedAsBytes() throws {
        let data = try Dataset(interactions: [("u", "caf\u{E9}", 1), ("u", "cafe\u{301}", 1)])
        #expect(data.itemCount == 2)
    }

    @Test func anEmptyListGivesAnEmptyDataset() throws {
        let data = try Dataset(interactions: [])
        #expect(data.userCount == 0 && data.itemCount == 0 && data.interactionCount == 0)
    }

    @Test func splitFromTriplesSharesOneNumberingAndEvaluatesUsersWithBothParts() throws {
        let split = try Split(train: [("ann", "x", 1), ("bob", "x", 1), ("bob", "y", 1)],
                              test: [("ann", "y", 1), ("cid", "x", 1)])
        #expect((0..<split.users.count).map { split.users.rawID(at: $0) } == ["ann", "bob", "cid"])
        #expect(split.train.rowCount == 3 && split.test.rowCount == 3 && split.train.columnCount == 2 && split.test.columnCount == 2)
        #expect(split.evaluatedUsers == [0])
        #expect(split.report.excluded["test interactions but none in train: not evaluated"] == 1)
        #expect(split.testItems(of: 0) == [1])
    }

    @Test func splitFromTriplesEqualsTheSameSplitReadFromFiles() throws {
        let train: [Dataset.Triple] = [("u1", "a", 2), ("u2", "b", 1), ("u1", "c", 1), ("u3", "a", 4)]
        let test: [Dataset.Triple] = [("u2", "a", 1), ("u4", "d", 1), ("u1", "b", 3)]
        let built = try Split(name: "s", train: train, test: test)
        let folder = TemporaryFolder()
        func lines(_ triples: [Dataset.Triple]) -> String { triples.map { "\($0.user)\t\($0.item)\t\(Int($0.value))\n" }.joined() }
        folder.write("s/train.tsv", lines(train))
        folder.write("s/test.tsv", lines(test))
        let read = try SplitFiles.read(from: folder.path + "/s")
        #expect(built.users == read.users && built.items == read.items)
        #expect(built.train == read.train && built.test == read.test)
        #expect(built.evaluatedUsers == read.evaluatedUsers && built.report == read.report && built.datasetName == read.datasetName)
    }

    @Test func typedIndicesPickTheirOwnVocabulary() throws {
        let split = try Split(train: [("ann", "x", 1), ("bob", "y", 1), ("ann", "y", 1)], test: [("ann", "z", 1)])
        let ann = try #require(split.user("ann")), z = try #require(split.item("z"))
        #expect(split.rawID(of: ann) == "ann" && split.rawID(of: z) == "z")
        #expect(split.trainItems(of: ann).map(split.rawID(of:)) == ["x", "y"] && split.testItems(of: ann) == [z])
        #expect(Array(split.evaluatedUserBatch) == [ann] && split.user("x") == nil)
        let data = split.trainDataset
        #expect(data.user("bob").map(data.rawID(of:)) == "bob" && data.item("y").map(data.rawID(of:)) == "y")
    }

    @Test func scoreRowsGiveEachRowExactlyItsWidth() {
        var storage = [Float](repeating: 0, count: 11)
        storage.withUnsafeMutableBufferPointer { buffer in
            let rows = ScoreRows(buffer, rows: 3, itemCount: 3, rowStride: 4)
            #expect(rows[row: 2].count == 3 && !rows.isContiguous && rows.contiguous == nil)
            rows[row: 1].update(repeating: 7)
        }
        #expect(storage == [0, 0, 0, 0, 7, 7, 7, 0, 0, 0, 0])
    }

    @Test func usersAreScoredThroughTypedIndices() throws {
        let split = try Split(train: [("a", "x", 1), ("b", "y", 1), ("b", "z", 1)], test: [("a", "y", 1)])
        let model = try PopularityConfiguration().fit(split.trainDataset, seed: 0)
        let batch: UserBatch = [UserIndex(1), UserIndex(0)]
        #expect(Array(batch) == [UserIndex(1), UserIndex(0)] && batch.rawValues == [1, 0])
        #expect(model.scores(for: batch) == [1, 1, 1, 1, 1, 1])
        #expect(model.recommend(user: UserIndex(0), k: 5, excluding: split.train) == [ItemIndex(1), ItemIndex(2)])
    }

    @Test func recommendSkipsExcludedItemsAndItemsScoredMinusInfinity() throws {
        let exclude = InteractionMatrix(rowCount: 1, columnCount: 4, rowOffsets: [0, 2], columns: [0, 2], values: [1, 1])
        let ties = ItemScoreModel(itemScores: [1, 1, 1, 1])
        #expect(ties.recommend(user: UserIndex(0), k: 4, excluding: exclude) == [ItemIndex(1), ItemIndex(3)])
        #expect(ties.recommend(user: UserIndex(0), k: 0, excluding: exclude).isEmpty)
        let never = ItemScoreModel(itemScores: [5, -.infinity, 1, .nan])
        #expect(never.recommend(user: UserIndex(0), k: 4, excluding: exclude).isEmpty)
    }
}
