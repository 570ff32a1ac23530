import RecBenchCore
/// The new-item (item cold-start) protocol: a seeded fraction of the items is held out
/// entirely — every interaction with them goes to test, none to train — and each user's ranking
/// covers the held-out items only.
///
/// Items are drawn from those with at least one interaction: a Fisher–Yates shuffle of their
/// indices from the stream 0 of the seed, the first `round(fraction × items)` held out (at least
/// one, at least one kept). A user is evaluated when they have a held-out item in test and
/// something in train. Models without access to item metadata have no information on these
/// items; the evaluation reports them as such (``SplitRule/candidateItems(train:test:)``).
public struct NewItems: SplitRule {
    public static let name = "new-items"
    public static let parameters = [SplitParameter("fraction", default: "0.2", "the fraction of the items held out entirely")]

    public var fraction: Double

    /// Creates the rule.
    public init(fraction: Double) { self.fraction = fraction }

    public init(parameters: SplitParameters) throws(SplitError) {
        self.init(fraction: try parameters.fraction("fraction", default: 0.2))
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] { [("fraction", .number(fraction))] }
    public var needsTimes: Bool { false }
    public var drawsRandomNumbers: Bool { true }

    public func validate() throws(SplitError) {
        guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
    }

    /// The held-out items of `matrix`, increasing.
    ///
    /// - Complexity: O(nnz + items).
    public func heldOutItems(_ matrix: InteractionMatrix, seed: UInt64) -> [Int32] {
        let counts = matrix.columnLengths
        var rng = SeededGenerator(seed: seed, stream: 0)
        return Self.draw(fraction, of: (0..<matrix.columnCount).filter { counts[$0] > 0 }.map(Int32.init), rng: &rng).sorted()
    }

    /// `fraction` of `candidates` (rounded, at least one, at least one left), drawn by a partial
    /// Fisher–Yates shuffle from `rng`, in the order drawn; none when fewer than two candidates.
    package static func draw<T>(_ fraction: Double, of candidates: [T], rng: inout SeededGenerator) -> ArraySlice<T> {
        var candidates = candidates
        guard candidates.count >= 2 else { return [] }
        let held = UserHoldout.fractionCount(fraction, of: candidates.count)
        for i in 0..<held { candidates.swapAt(i, i + rng.nextInt(below: candidates.count - i)) }
        return candidates.prefix(held)
    }

    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        var held = [Bool](repeating: false, count: matrix.columnCount)
        for item in heldOutItems(matrix, seed: seed) { held[Int(item)] = true }
        return SplitAssignment(toTest: matrix.columns.map { held[Int($0)] })
    }

    /// The held-out items: those in test (none of them is in train).
    public func candidateItems(train: InteractionMatrix, test: InteractionMatrix) -> [Int32]? {
        let counts = test.columnLengths
        return (0..<test.columnCount).filter { counts[$0] > 0 }.map(Int32.init)
    }

    public var description: String { "new items: \(fraction) of the items held out entirely, only they are ranked" }
    public var method: SplitMethod { .newItems(fraction: fraction) }
}
