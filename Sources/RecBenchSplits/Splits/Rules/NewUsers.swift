import RecBenchCore
/// The new-user protocol (strong generalisation; Marlin 2004, Liang et al., "Variational
/// Autoencoders for Collaborative Filtering", WWW 2018): a seeded fraction of the users is held
/// out of training entirely; each held-out user's interactions are divided into a fold-in part,
/// given to the model at scoring time without refitting (``Split/foldIn``), and a test part.
///
/// Users are drawn from those with at least `minimum` interactions: a Fisher–Yates shuffle of
/// their indices from the stream 0 of the seed, the first `round(fraction × users)` held out
/// (at least one, at least one kept). A held-out user's test part is `test_fraction` of their
/// interactions (rounded, at least one, at least one left to fold in), chosen at random from
/// the stream `user + 1`. Users with fewer than `minimum` interactions always stay in train.
public struct NewUsers: SplitRule {
    public static let name = "new-users"
    public static let parameters = [
        SplitParameter("fraction", default: "0.2", "the fraction of the users held out of training"),
        SplitParameter("test_fraction", default: "0.2", "the fraction of a held-out user's interactions scored; the rest is folded in"),
        SplitParameter("minimum", default: "2", "users with fewer interactions are never held out"),
    ]

    public var fraction: Double
    public var testFraction: Double
    public var minimum: Int

    /// Creates the rule.
    public init(fraction: Double, testFraction: Double, minimum: Int) {
        self.fraction = fraction
        self.testFraction = testFraction
        self.minimum = minimum
    }

    public init(parameters: SplitParameters) throws(SplitError) {
        self.init(fraction: try parameters.fraction("fraction", default: 0.2),
                  testFraction: try parameters.fraction("test_fraction", default: 0.2),
                  minimum: try parameters.integer("minimum", default: 2, in: 2...1_000_000))
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] {
        [("fraction", .number(fraction)), ("test_fraction", .number(testFraction)), ("minimum", .integer(minimum))]
    }
    public var needsTimes: Bool { false }
    public var drawsRandomNumbers: Bool { true }

    public func validate() throws(SplitError) {
        guard fraction > 0 && fraction < 1 else { throw .invalid("the fraction must be in (0, 1), got \(fraction)") }
        guard testFraction > 0 && testFraction < 1 else { throw .invalid("the test fraction must be in (0, 1), got \(testFraction)") }
        guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
    }

    /// The held-out users of `matrix`, increasing.
    public func heldOutUsers(_ matrix: InteractionMatrix, seed: UInt64) -> [Int32] {
        var rng = SeededGenerator(seed: seed, stream: 0)
        let users = (0..<matrix.rowCount).filter { matrix.range(ofRow: $0).count >= minimum }.map(Int32.init)
        return NewItems.draw(fraction, of: users, rng: &rng).sorted()
    }

    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        var toTest = [Bool](repeating: false, count: matrix.nonZeroCount)
        var foldIn = [Bool](repeating: false, count: matrix.nonZeroCount)
        for user in heldOutUsers(matrix, seed: seed) {
            let row = matrix.range(ofRow: Int(user))
            var rng = SeededGenerator(seed: seed, stream: UInt64(user) + 1)
            for position in row { foldIn[position] = true }
            for position in NewItems.draw(testFraction, of: Array(row), rng: &rng) { toTest[position] = true; foldIn[position] = false }
        }
        return SplitAssignment(toTest: toTest, foldIn: foldIn)
    }

    public var description: String {
        "new users: \(fraction) of the users (with >= \(minimum)) held out, \(testFraction) of each scored, the rest folded in"
    }
    public var method: SplitMethod { .newUsers(fraction: fraction, testFraction: testFraction, minimum: minimum) }
}
