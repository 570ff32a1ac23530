import RecBenchCore
/// A random split of all rows, each row to test with probability `fraction`: the course lab's
/// `randomSplit(Array(0.9, 0.1))`. Users with test rows but no train rows are excluded from
/// evaluation and reported.
public struct GlobalRandom: SplitRule {
    public static let name = "random"
    public static let parameters = [SplitParameter("fraction", default: "0.2", "each row's probability of going to test")]

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

    /// Each user's rows draw, in order, from the stream `user` of `seed`.
    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        var toTest = [Bool](repeating: false, count: matrix.nonZeroCount)
        for u in 0..<matrix.rowCount {
            var rng = SeededGenerator(seed: seed, stream: UInt64(u))
            for position in matrix.range(ofRow: u) { toTest[position] = rng.nextUnit() < fraction }
        }
        return SplitAssignment(toTest: toTest)
    }

    public var description: String { "global random row split, test fraction \(fraction)" }
    public var method: SplitMethod { .globalRandom(fraction: fraction) }
}
