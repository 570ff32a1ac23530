import RecBenchCore
/// Per user, hold out one interaction, the latest or a random one; users with fewer than
/// `minimum` interactions stay in train.
public struct LeaveOneOut: PerUserHoldoutRule {
    public static let name = "leave-one-out"
    public static let parameters = [
        SplitParameter("selection", default: "random", "which interaction is held out: latest (needs timestamps) or random"),
        SplitParameter("minimum", default: "2", "users with fewer interactions stay in train (raised to 2)"),
    ]

    public var selection: HoldoutSelection
    public var minimum: Int

    /// Creates the rule.
    public init(selection: HoldoutSelection, minimum: Int) {
        self.selection = selection
        self.minimum = minimum
    }

    public init(parameters: SplitParameters) throws(SplitError) {
        self.init(selection: try parameters.choice("selection", default: .random),
                  minimum: max(try parameters.integer("minimum", default: 2, in: 0...1_000_000), 2))
    }

    public var parameterValues: [(name: String, value: SplitParameterValue)] {
        [("selection", .text(selection.rawValue)), ("minimum", .integer(minimum))]
    }

    public func holdoutCount(of interactions: Int) -> Int { 1 }

    public func validate() throws(SplitError) {
        guard minimum >= 2 else { throw .invalid("the minimum must be at least 2, got \(minimum)") }
    }

    public var description: String { "leave-one-out (\(selection.rawValue), users with >= \(minimum))" }
    public var method: SplitMethod { .leaveOneOut(selection: selection, minimum: minimum) }
}
