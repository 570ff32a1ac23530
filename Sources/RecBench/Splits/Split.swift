import Foundation

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

    /// The test items of `user`, in increasing order.
    public func testItems(of user: Int) -> ArraySlice<Int32> { test.columns[test.range(ofRow: user)] }

    /// The training items of `user`, in increasing order.
    public func trainItems(of user: Int) -> ArraySlice<Int32> { train.columns[train.range(ofRow: user)] }

    /// The training part as a dataset, for fitting models (same indices and vocabularies).
    public var trainDataset: Dataset {
        Dataset(name: datasetName, users: users, items: items, interactions: train, times: trainTimes)
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
        let toTest = try assign(dataset.interactions, times: dataset.times, method: method, seed: seed, datasetName: dataset.name)
        return assemble(name: dataset.name, users: dataset.users, items: dataset.items, matrix: dataset.interactions,
                        times: dataset.times, toTest: toTest.assignment, minimumExcluded: toTest.tooShort, method: method, seed: seed)
    }

    /// Carves a validation split out of `split`'s training part by `method`: its test part is
    /// the validation set, its train part what models fit on while tuning.
    public static func validation(of split: Split, method: SplitMethod, seed: UInt64) throws(SplitError) -> Split {
        try self.split(split.trainDataset, method: method, seed: seed)
    }

    /// The test assignment of each entry, and the number of users too short to split.
    static func assign(_ matrix: InteractionMatrix, times: InteractionTimes?, method: SplitMethod, seed: UInt64,
                       datasetName: String) throws(SplitError) -> (assignment: [Bool], tooShort: Int) {
        if method.needsTimes {
            guard let times, times.knownCount == matrix.nonZeroCount else {
                throw .needsTimestamps(method: method.description, dataset: datasetName)
            }
        }
        var toTest = [Bool](repeating: false, count: matrix.nonZeroCount)
        var tooShort = 0
        let last = times?.splitTimes ?? []     // each pair timed by its first interaction (SplitMethod.swift)

        /// Marks `count` entries of `row` for test: the latest, or random ones.
        func holdOut(_ row: Range<Int>, count: Int, selection: HoldoutSelection, user: Int) {
            var positions = Array(row)
            switch selection {
            case .latest:
                // Latest first; equal times: the lower item index counts as later (a fixed rule).
                positions.sort { last[$0] != last[$1] ? last[$0] > last[$1] : matrix.columns[$0] < matrix.columns[$1] }
            case .random:
                var rng = SeededGenerator(seed: seed, stream: UInt64(user))
                for i in 0..<count { positions.swapAt(i, i + rng.nextInt(below: positions.count - i)) }
            }
            for position in positions.prefix(count) { toTest[position] = true }
        }

        switch method {
        case .leaveOneOut(let selection, let minimum):
            for u in 0..<matrix.rowCount {
                let row = matrix.range(ofRow: u)
                if row.count < minimum { if !row.isEmpty { tooShort += 1 }; continue }
                holdOut(row, count: 1, selection: selection, user: u)
            }
        case .leaveKOut(let k, let selection, let minimum):
            for u in 0..<matrix.rowCount {
                let row = matrix.range(ofRow: u)
                if row.count < minimum { if !row.isEmpty { tooShort += 1 }; continue }
                holdOut(row, count: k, selection: selection, user: u)
            }
        case .userHoldout(let fraction, let minimum):
            for u in 0..<matrix.rowCount {
                let row = matrix.range(ofRow: u)
                if row.count < minimum { if !row.isEmpty { tooShort += 1 }; continue }
                let count = min(row.count - 1, max(1, Int((Double(row.count) * fraction).rounded())))
                holdOut(row, count: count, selection: .random, user: u)
            }
        case .globalRandom(let fraction):
            for u in 0..<matrix.rowCount {
                var rng = SeededGenerator(seed: seed, stream: UInt64(u))
                for position in matrix.range(ofRow: u) { toTest[position] = rng.nextUnit() < fraction }
            }
        case .temporalGlobal(let cutoff):
            let threshold: Int64
            switch cutoff {
            case .timestamp(let t): threshold = t
            case .testFraction(let fraction):
                let sorted = last.sorted()
                let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * (1 - fraction)).rounded(.down))))
                threshold = sorted.isEmpty ? .max : sorted[index]
            }
            for position in 0..<matrix.nonZeroCount { toTest[position] = last[position] >= threshold }
        case .temporalPerUser(let amount, let minimum):
            for u in 0..<matrix.rowCount {
                let row = matrix.range(ofRow: u)
                if row.count < minimum { if !row.isEmpty { tooShort += 1 }; continue }
                let count: Int
                switch amount {
                case .fraction(let fraction): count = min(row.count - 1, max(1, Int((Double(row.count) * fraction).rounded())))
                case .last(let k): count = k
                }
                holdOut(row, count: count, selection: .latest, user: u)
            }
        }
        return (toTest, tooShort)
    }

    /// Builds the split from a per-entry assignment.
    static func assemble(name: String, users: Vocabulary, items: Vocabulary, matrix: InteractionMatrix, times: InteractionTimes?,
                         toTest: [Bool], minimumExcluded: Int, method: SplitMethod, seed: UInt64) -> Split {
        let (train, trainPositions) = matrix.filtered { !toTest[$0] }
        let (test, testPositions) = matrix.filtered { toTest[$0] }
        return assemble(name: name, users: users, items: items, train: train, test: test,
                        trainTimes: times?.gathering(trainPositions), testTimes: times?.gathering(testPositions),
                        minimumExcluded: minimumExcluded, method: method, seed: seed)
    }

    /// Builds the split from its two parts: the users to evaluate and the report.
    static func assemble(name: String, users: Vocabulary, items: Vocabulary, train: InteractionMatrix, test: InteractionMatrix,
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
