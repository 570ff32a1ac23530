import RecBenchCore
/// How one interaction per user, or a fraction of them, is chosen for a holdout.
public enum HoldoutSelection: String, Codable, Hashable, Sendable, CaseIterable {
    /// The latest by the pair's time (its first interaction, ``InteractionTimes/splitTimes``;
    /// ties broken by item index); needs timestamps.
    case latest
    /// Uniformly at random, from the split's seed.
    case random
}

/// A rule that holds out some of each user's interactions: it says how many and which; the
/// one driver, ``PerUserHoldout``, walks the users.
public protocol PerUserHoldoutRule: SplitRule {
    /// Users with fewer interactions stay whole in train (and are counted as too short).
    var minimum: Int { get }
    /// Which interactions are held out: the latest, or random ones.
    var selection: HoldoutSelection { get }
    /// How many of a user's `interactions` are held out (the user has at least ``minimum``).
    func holdoutCount(of interactions: Int) -> Int
}

extension PerUserHoldoutRule {
    public var needsTimes: Bool { selection == .latest }
    public var drawsRandomNumbers: Bool { selection == .random }

    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        PerUserHoldout.assign(matrix, times: times, seed: seed, minimum: minimum, selection: selection, count: holdoutCount(of:))
    }

    /// The count of a fractional holdout: the fraction of `interactions`, rounded, at least
    /// one, and at least one left in train.
    package static func fractionCount(_ fraction: Double, of interactions: Int) -> Int {
        min(interactions - 1, max(1, Int((Double(interactions) * fraction).rounded())))
    }
}

/// The per-user holdout driver shared by every ``PerUserHoldoutRule``.
public enum PerUserHoldout {
    /// Marks `count(n)` of each user's n entries for test, the latest or random ones; users
    /// with fewer than `minimum` entries stay in train.
    ///
    /// Random choices draw from the stream `user` of `seed` (a partial Fisher–Yates shuffle of
    /// the row's positions), so the result does not depend on the order users are visited in.
    /// Latest: by time, latest first; equal times: the lower item index counts as later.
    /// - Complexity: O(nnz · log(longest row)).
    public static func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64, minimum: Int,
                              selection: HoldoutSelection, count: (Int) -> Int) -> SplitAssignment {
        var toTest = [Bool](repeating: false, count: matrix.nonZeroCount)
        var tooShort = 0
        for u in 0..<matrix.rowCount {
            let row = matrix.range(ofRow: u)
            if row.count < minimum { if !row.isEmpty { tooShort += 1 }; continue }
            let held = count(row.count)
            var positions = Array(row)
            switch selection {
            case .latest:
                positions.sort { times[$0] != times[$1] ? times[$0] > times[$1] : matrix.columns[$0] < matrix.columns[$1] }
            case .random:
                var rng = SeededGenerator(seed: seed, stream: UInt64(u))
                for i in 0..<held { positions.swapAt(i, i + rng.nextInt(below: positions.count - i)) }
            }
            for position in positions.prefix(held) { toTest[position] = true }
        }
        return SplitAssignment(toTest: toTest, tooShort: tooShort)
    }
}
