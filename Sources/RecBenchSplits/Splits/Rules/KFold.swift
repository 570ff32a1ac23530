import RecBenchCore
/// k-fold cross-validation over interaction rows: the rows are shuffled once from the seed and
/// cut into `folds` contiguous parts of equal size (the first `rows % folds` one row longer, as
/// Surprise's `KFold` cuts them); part `fold` is the test part, the others are train.
///
/// The shuffle depends only on the seed and the number of rows, so the same seed gives the same
/// partition for every `fold`: folds 1…k put every row in exactly one test part. As with the
/// global random split, users whose rows all fall in the test part are excluded from evaluation
/// and reported, and test items unseen in train are counted in the report.
public struct KFold: SplitRule {
    public static let name = "k-fold"
    public static let parameters = [
        SplitParameter("folds", default: "5", "the number of folds k, 2...100"),
        SplitParameter("fold", default: "1", "the fold held out as test, 1...folds"),
    ]

    /// The largest number of folds.
    public static let maximumFolds = 100

    /// The number of folds k.
    public var folds: Int
    /// The fold held out as test, 1-based.
    public var fold: Int

    /// Creates the rule (checked by ``validate()``).
    public init(folds: Int, fold: Int) {
        self.folds = folds
        self.fold = fold
    }

    public init(parameters: SplitParameters) throws(SplitError) {
        let folds = try parameters.integer("folds", default: 5, in: 2...Self.maximumFolds)
        let fold = try parameters.integer("fold", default: 1, in: 1...Self.maximumFolds)
        guard fold <= folds else {
            throw parameters.invalid("fold", String(fold), "it must be in 1...\(folds) (the number of folds)")
        }
        self.init(folds: folds, fold: fold)
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] { [("folds", .integer(folds)), ("fold", .integer(fold))] }
    public var needsTimes: Bool { false }
    public var drawsRandomNumbers: Bool { true }

    public func validate() throws(SplitError) {
        guard (2...Self.maximumFolds).contains(folds) else { throw .invalid("the folds must be in 2...\(Self.maximumFolds), got \(folds)") }
        guard (1...folds).contains(fold) else { throw .invalid("the fold must be in 1...\(folds), got \(fold)") }
    }

    /// The rows of fold `fold` go to test.
    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        let foldOf = Self.foldOfEachRow(count: matrix.nonZeroCount, folds: folds, seed: seed)
        return SplitAssignment(toTest: foldOf.map { Int($0) == fold - 1 })
    }

    /// The 0-based fold of each of `count` rows: a Fisher–Yates shuffle of the rows drawn from
    /// stream 0 of `seed`, cut into `folds` contiguous parts whose sizes differ by at most one.
    ///
    /// - Complexity: O(count).
    package static func foldOfEachRow(count: Int, folds: Int, seed: UInt64) -> [UInt8] {
        var order = Array(0..<count)
        var rng = SeededGenerator(seed: seed, stream: 0)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
        }
        var foldOf = [UInt8](repeating: 0, count: count)
        let base = count / folds, longer = count % folds
        var start = 0
        for f in 0..<folds {
            let end = start + base + (f < longer ? 1 : 0)
            for i in start..<end { foldOf[order[i]] = UInt8(f) }
            start = end
        }
        return foldOf
    }

    public var description: String { "\(folds)-fold cross-validation, fold \(fold)" }
    public var method: SplitMethod { .kFold(folds: folds, fold: fold) }
}

extension Splitter {
    /// All `folds` splits of a k-fold cross-validation of `dataset`: split i holds fold i out
    /// (``SplitMethod/kFold(folds:fold:)``), and is the split ``split(_:method:seed:)`` makes
    /// for that method and seed. The test parts partition the rows.
    ///
    /// - Parameters:
    ///   - dataset: the interactions to split.
    ///   - folds: the number of folds, 2...100.
    ///   - seed: the seed of the shuffle.
    /// - Returns: the splits of folds 1…`folds`, in order.
    /// - Throws: ``SplitError/invalid(_:)`` when `folds` is out of range.
    /// - Complexity: O(folds · nnz).
    public static func folds(_ dataset: Dataset, folds: Int, seed: UInt64) throws(SplitError) -> [Split] {
        try KFold(folds: folds, fold: 1).validate()
        let matrix = dataset.interactions
        let foldOf = KFold.foldOfEachRow(count: matrix.nonZeroCount, folds: folds, seed: seed)
        return (1...folds).map { fold in
            assemble(name: dataset.name, users: dataset.users, items: dataset.items, matrix: matrix, times: dataset.times,
                     toTest: foldOf.map { Int($0) == fold - 1 }, minimumExcluded: 0,
                     method: .kFold(folds: folds, fold: fold), seed: seed)
        }
    }
}
