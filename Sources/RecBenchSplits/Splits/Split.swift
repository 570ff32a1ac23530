import Foundation
import RecBenchCore

/// A train/test division of a dataset's interactions, with the same user and item indices on both sides.
public struct Split: Sendable {
    /// The dataset's name.
    public var datasetName: String
    /// The users' raw ids.
    public var users: Vocabulary
    /// The items' raw ids and names.
    public var items: Vocabulary
    /// Training interactions (users × items).
    public var train: InteractionMatrix
    /// Held-out interactions (users × items).
    public var test: InteractionMatrix
    /// Times of the training interactions, where the dataset has them.
    public var trainTimes: InteractionTimes?
    /// Times of the test interactions, where the dataset has them.
    public var testTimes: InteractionTimes?
    /// The users to evaluate: those with at least one test and one training interaction.
    public var evaluatedUsers: [Int32]
    /// The method that made the split.
    public var method: SplitMethod
    /// The seed of the method's random choices.
    public var seed: UInt64
    /// What the split holds and whom it left out.
    public var report: SplitReport
    /// The dataset's item metadata, for content-based models (``ItemFeatures``).
    public var itemFeatures: ItemFeatures? = nil
    /// The new-user protocol's fold-in part (users × items): each held-out user's interactions
    /// given to the model at scoring time, without refitting (``FoldInModel``); nil for other
    /// protocols. Held-out users have no training interactions.
    public var foldIn: InteractionMatrix? = nil
    /// The new-item protocol's candidates: the only items ranked for every user (the held-out
    /// items, increasing); nil: every item but the user's training items.
    public var candidateItems: [Int32]? = nil

    /// The test items of `user`, in increasing order.
    public func testItems(of user: Int) -> ArraySlice<Int32> { test.columns[test.range(ofRow: user)] }

    /// The training items of `user`, in increasing order.
    public func trainItems(of user: Int) -> ArraySlice<Int32> { train.columns[train.range(ofRow: user)] }

    /// The training part as a dataset, for fitting models (same indices and vocabularies).
    public var trainDataset: Dataset {
        Dataset(name: datasetName, users: users, items: items, interactions: train, times: trainTimes, itemFeatures: itemFeatures)
    }
}

/// The sizes of a split's parts and the users it left out, with reasons.
public struct SplitReport: Codable, Sendable, Equatable {
    /// Counts of one part.
    public struct Part: Codable, Sendable, Equatable {
        /// Users with at least one interaction in the part.
        public var users: Int
        /// Items with at least one interaction in the part.
        public var items: Int
        /// Interactions in the part.
        public var interactions: Int
    }

    public var train: Part
    public var test: Part
    /// Users that will be evaluated.
    public var evaluatedUsers: Int
    /// Users not evaluated, by reason (e.g. "fewer than 2 interactions: kept in train").
    public var excluded: [String: Int]
    /// Test interactions whose item never occurs in train (no model can score it from data).
    public var testInteractionsWithUnseenItems: Int
    /// Distinct test items that never occur in train.
    public var unseenTestItems: Int
}

/// Makes splits; every random choice draws from a stream of the seed per user, so a split
/// does not depend on the order or the thread in which users are processed.
public enum Splitter {
    /// Splits `dataset` by `method`.
    ///
    /// - Throws: ``SplitError`` when the parameters are out of range or timestamps are missing.
    /// - Complexity: O(nnz · log(longest row)).
    public static func split(_ dataset: Dataset, method: SplitMethod, seed: UInt64) throws(SplitError) -> Split {
        try method.validate()
        let assignment = try assign(dataset.interactions, times: dataset.times, method: method, seed: seed, datasetName: dataset.name)
        var split: Split
        if let foldIn = assignment.foldIn {
            split = assemble(name: dataset.name, users: dataset.users, items: dataset.items, matrix: dataset.interactions,
                             times: dataset.times, toTest: assignment.toTest, foldIn: foldIn, minimumExcluded: assignment.tooShort,
                             method: method, seed: seed)
        } else {
            split = assemble(name: dataset.name, users: dataset.users, items: dataset.items, matrix: dataset.interactions,
                             times: dataset.times, toTest: assignment.toTest, minimumExcluded: assignment.tooShort, method: method, seed: seed)
        }
        split.candidateItems = method.rule.candidateItems(train: split.train, test: split.test)
        split.itemFeatures = dataset.itemFeatures
        return split
    }

    /// Carves a validation split out of `split`'s training part by `method`: its test part is
    /// the validation set, its train part what models fit on while tuning.
    public static func validation(of split: Split, method: SplitMethod, seed: UInt64) throws(SplitError) -> Split {
        try self.split(split.trainDataset, method: method, seed: seed)
    }

    /// The test assignment of each entry, and the number of users too short to split, made by
    /// the method's ``SplitRule``.
    package static func assign(_ matrix: InteractionMatrix, times: InteractionTimes?, method: SplitMethod, seed: UInt64,
                       datasetName: String) throws(SplitError) -> SplitAssignment {
        let rule = method.rule
        if rule.needsTimes {
            guard let times, times.knownCount == matrix.nonZeroCount else {
                throw .needsTimestamps(method: method.description, dataset: datasetName)
            }
        }
        // Each pair timed by its first interaction (InteractionTimes.splitTimes).
        return rule.assign(matrix, times: times?.splitTimes ?? [], seed: seed)
    }

    /// Builds a new-user split from a per-entry assignment with a fold-in part: entries in
    /// `foldIn` go to the fold-in matrix, those in `toTest` to test, the rest to train; the
    /// evaluated users are those with both fold-in and test interactions.
    package static func assemble(name: String, users: Vocabulary, items: Vocabulary, matrix: InteractionMatrix, times: InteractionTimes?,
                                 toTest: [Bool], foldIn: [Bool], minimumExcluded: Int, method: SplitMethod, seed: UInt64) -> Split {
        let (train, trainPositions) = matrix.filtered { !toTest[$0] && !foldIn[$0] }
        let (test, testPositions) = matrix.filtered { toTest[$0] }
        let (given, _) = matrix.filtered { foldIn[$0] }
        var split = assemble(name: name, users: users, items: items, train: train, test: test,
                             trainTimes: times?.gathering(trainPositions), testTimes: times?.gathering(testPositions),
                             minimumExcluded: minimumExcluded, method: method, seed: seed)
        bindFoldIn(given, to: &split, minimumExcluded: minimumExcluded)
        return split
    }

    /// Gives `split` the new-user protocol's fold-in part `given` (users × items) and recounts
    /// whom it evaluates: the users with both fold-in and test interactions (in process, and for
    /// a split read back from its files).
    package static func bindFoldIn(_ given: InteractionMatrix, to split: inout Split, minimumExcluded: Int) {
        let test = split.test
        split.foldIn = given
        var evaluated: [Int32] = []
        var excluded: [String: Int] = [:]
        if minimumExcluded > 0 { excluded["too few interactions to split: kept whole in train"] = minimumExcluded }
        var heldOut = 0
        for u in 0..<test.rowCount where !given.range(ofRow: u).isEmpty || !test.range(ofRow: u).isEmpty {
            heldOut += 1
            if !given.range(ofRow: u).isEmpty && !test.range(ofRow: u).isEmpty { evaluated.append(Int32(u)) }
        }
        if heldOut > evaluated.count { excluded["held-out users without both fold-in and test interactions: not evaluated"] = heldOut - evaluated.count }
        split.evaluatedUsers = evaluated
        split.report.evaluatedUsers = evaluated.count
        split.report.excluded = excluded
    }

    /// Builds the split from a per-entry assignment.
    package static func assemble(name: String, users: Vocabulary, items: Vocabulary, matrix: InteractionMatrix, times: InteractionTimes?,
                         toTest: [Bool], minimumExcluded: Int, method: SplitMethod, seed: UInt64) -> Split {
        let (train, trainPositions) = matrix.filtered { !toTest[$0] }
        let (test, testPositions) = matrix.filtered { toTest[$0] }
        return assemble(name: name, users: users, items: items, train: train, test: test,
                        trainTimes: times?.gathering(trainPositions), testTimes: times?.gathering(testPositions),
                        minimumExcluded: minimumExcluded, method: method, seed: seed)
    }

    /// Builds the split from its two parts: the users to evaluate and the report.
    package static func assemble(name: String, users: Vocabulary, items: Vocabulary, train: InteractionMatrix, test: InteractionMatrix,
                         trainTimes: InteractionTimes?, testTimes: InteractionTimes?, minimumExcluded: Int,
                         method: SplitMethod, seed: UInt64) -> Split {
        var evaluated: [Int32] = []
        var noTrain = 0
        for u in 0..<train.rowCount where !test.range(ofRow: u).isEmpty {
            if train.range(ofRow: u).isEmpty { noTrain += 1 } else { evaluated.append(Int32(u)) }
        }
        var excluded: [String: Int] = [:]
        if minimumExcluded > 0 { excluded["too few interactions to split: kept whole in train"] = minimumExcluded }
        if noTrain > 0 { excluded["test interactions but none in train: not evaluated"] = noTrain }
        let noTest = (0..<train.rowCount).filter { test.range(ofRow: $0).isEmpty && !train.range(ofRow: $0).isEmpty }.count - minimumExcluded
        if noTest > 0 { excluded["no test interactions: not evaluated"] = noTest }
        let trainItems = Set(train.columns)
        let unseen = test.columns.filter { !trainItems.contains($0) }
        func part(_ m: InteractionMatrix) -> SplitReport.Part {
            SplitReport.Part(users: (0..<m.rowCount).filter { !m.range(ofRow: $0).isEmpty }.count,
                             items: Set(m.columns).count, interactions: m.nonZeroCount)
        }
        let report = SplitReport(train: part(train), test: part(test), evaluatedUsers: evaluated.count, excluded: excluded,
                                 testInteractionsWithUnseenItems: unseen.count, unseenTestItems: Set(unseen).count)
        return Split(datasetName: name, users: users, items: items, train: train, test: test,
                     trainTimes: trainTimes, testTimes: testTimes, evaluatedUsers: evaluated, method: method, seed: seed, report: report)
    }
}

extension InteractionMatrix {
    /// The entries for which `keep(position)` holds, with the same dimensions, and their positions.
    public func filtered(_ keep: (Int) -> Bool) -> (InteractionMatrix, [Int]) {
        var offsets = [0]
        offsets.reserveCapacity(rowCount + 1)
        var kept: [Int] = []
        for u in 0..<rowCount {
            for position in range(ofRow: u) where keep(position) { kept.append(position) }
            offsets.append(kept.count)
        }
        return (InteractionMatrix(rowCount: rowCount, columnCount: columnCount, rowOffsets: offsets,
                                  columns: kept.map { columns[$0] }, values: kept.map { values[$0] }), kept)
    }
}
