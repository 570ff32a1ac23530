import RecBenchCore
/// Per user, hold out k interactions, the latest or random ones; users with fewer than
/// `minimum` (at least k + 1) interactions stay in train.
public struct LeaveKOut: PerUserHoldoutRule {
    public static let name = "leave-k-out"
    public static let parameters = [
        SplitParameter("selection", default: "random", "which interactions are held out: latest (needs timestamps) or random"),
        SplitParameter("k", default: "1", "interactions held out per user"),
        SplitParameter("minimum", default: "2", "users with fewer interactions stay in train (raised to k + 1)"),
    ]

    public var k: Int
    public var selection: HoldoutSelection
    public var minimum: Int

    /// Creates the rule.
    public init(k: Int, selection: HoldoutSelection, minimum: Int) {
        self.k = k
        self.selection = selection
        self.minimum = minimum
    }

    public init(parameters: SplitParameters) throws(SplitError) {
        let k = try parameters.integer("k", default: 1, in: 1...1_000_000)
        self.init(k: k, selection: try parameters.choice("selection", default: .random),
                  minimum: max(try parameters.integer("minimum", default: 2, in: 0...1_000_000), k + 1))
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] {
        [("selection", .text(selection.rawValue)), ("k", .integer(k)), ("minimum", .integer(minimum))]
    }

    public func holdoutCount(of interactions: Int) -> Int { k }

    public func validate() throws(SplitError) {
        guard k >= 1 else { throw .invalid("k must be at least 1, got \(k)") }
        guard minimum >= k + 1 else { throw .invalid("the minimum must be at least k + 1 = \(k + 1), got \(minimum)") }
    }

    public var description: String { "leave-\(k)-out (\(selection.rawValue), users with >= \(minimum))" }
    public var method: SplitMethod { .leaveKOut(k: k, selection: selection, minimum: minimum) }
}
