import RecBenchCore
/// The splitting protocols, as a closed set of `Codable` values users name.
///
/// Every method is deterministic for a seed. Users that cannot be split are kept whole in
/// train, reported, and not evaluated. Every method assigns whole (user, item) pairs: an event
/// log's plays are aggregated to one count per pair by the loader, and that count goes to train
/// or to test whole.
///
/// Each case is carried out by its ``SplitRule`` (one file each under `Splits/Rules`), reached
/// through the one switch in ``rule``. Text (the command line, experiment files) and JSON
/// (records, `split.json`) are decoded by one function, ``init(name:parameters:)``.
public enum SplitMethod: Hashable, Sendable, CustomStringConvertible {
    /// Per user, hold out one interaction. Users with fewer than `minimum` interactions stay in train.
    case leaveOneOut(selection: HoldoutSelection, minimum: Int)
    /// Per user, hold out k interactions (users with fewer than `minimum`, or than k + 1, stay in train).
    case leaveKOut(k: Int, selection: HoldoutSelection, minimum: Int)
    /// Per user, hold out a random fraction of the interactions (rounded, at least one when the
    /// user has `minimum` or more), e.g. the 80/20 holdout with `fraction: 0.2`.
    case userHoldout(fraction: Double, minimum: Int)
    /// A random split of all rows, each row to test with probability `fraction`: the course
    /// lab's `randomSplit(Array(0.9, 0.1))`. Users with test rows but no train rows are excluded
    /// from evaluation and reported.
    case globalRandom(fraction: Double)
    /// One time cutoff for everyone: no test interaction is earlier than any train interaction.
    case temporalGlobal(TemporalCutoff)
    /// Each user's last interactions by time.
    case temporalPerUser(PerUserAmount, minimum: Int)
    /// k-fold cross-validation over the rows: a seeded shuffle cut into `folds` parts; fold
    /// `fold` (1-based) is the test part (``KFold``; ``Splitter/folds(_:folds:seed:)`` makes all k).
    case kFold(folds: Int, fold: Int)
    /// The dataset's own test file (``Given``; Yahoo! Music R3), read by ``Splitter/given(_:name:)``.
    case given
    /// The new-item protocol: a seeded fraction of the items held out entirely, only they ranked (``NewItems``).
    case newItems(fraction: Double)
    /// The new-user protocol: a seeded fraction of the users held out of training, each divided
    /// into a fold-in part and a test part (``NewUsers``).
    case newUsers(fraction: Double, testFraction: Double, minimum: Int)

    /// Leave-one-out on the latest interaction, users with at least 2 interactions.
    public static let leaveLatestOut = SplitMethod.leaveOneOut(selection: .latest, minimum: 2)

    /// The rule that carries the method out.
    public var rule: any SplitRule {
        switch self {
        case .leaveOneOut(let selection, let minimum): return LeaveOneOut(selection: selection, minimum: minimum)
        case .leaveKOut(let k, let selection, let minimum): return LeaveKOut(k: k, selection: selection, minimum: minimum)
        case .userHoldout(let fraction, let minimum): return UserHoldout(fraction: fraction, minimum: minimum)
        case .globalRandom(let fraction): return GlobalRandom(fraction: fraction)
        case .temporalGlobal(let cutoff): return TemporalGlobal(cutoff: cutoff)
        case .temporalPerUser(let amount, let minimum): return TemporalPerUser(amount: amount, minimum: minimum)
        case .kFold(let folds, let fold): return KFold(folds: folds, fold: fold)
        case .given: return Given()
        case .newItems(let fraction): return NewItems(fraction: fraction)
        case .newUsers(let fraction, let testFraction, let minimum): return NewUsers(fraction: fraction, testFraction: testFraction, minimum: minimum)
        }
    }

    /// Every rule, in the order they are listed to users.
    public static let ruleTypes: [any SplitRule.Type] = [
        LeaveOneOut.self, LeaveKOut.self, UserHoldout.self, GlobalRandom.self, TemporalGlobal.self, TemporalPerUser.self,
        KFold.self, Given.self, NewItems.self, NewUsers.self,
    ]

    /// The names users can give (`leave-one-out`, `holdout`, …).
    public static var names: [String] { ruleTypes.map { $0.name } }

    /// The names of the splits that take the parameter `parameter` (for help texts).
    public static func names(taking parameter: String) -> [String] {
        ruleTypes.filter { $0.parameters.contains { $0.name == parameter } }.map { $0.name }
    }

    /// The rule type called `name`.
    public static func ruleType(named name: String) -> (any SplitRule.Type)? { ruleTypes.first { $0.name == name } }

    /// Decodes a method from its name and parameter text: the one decoder behind the command
    /// line, experiment files and JSON records.
    ///
    /// - Parameters:
    ///   - name: the rule's name (``names``).
    ///   - parameters: parameter values as text, by name; a parameter left out takes its default.
    /// - Throws: ``SplitError/unknownSplit(name:known:)``, ``SplitError/unknownParameter(split:parameter:known:)``
    ///   or ``SplitError/invalidParameter(split:parameter:value:reason:)``: each names the bad part.
    public init(name: String, parameters: [String: String] = [:]) throws(SplitError) {
        guard let type = Self.ruleType(named: name) else { throw .unknownSplit(name: name, known: Self.names) }
        let known = type.parameters.map(\.name)
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownParameter(split: name, parameter: unknown, known: known)
        }
        self = try type.init(parameters: SplitParameters(split: name, given: parameters)).method
    }

    /// Decodes a method from text: a name, optionally followed by `:` and comma-separated
    /// `parameter=value` pairs, e.g. `holdout:fraction=0.1,minimum=5` or `leave-one-out`.
    ///
    /// - Throws: ``SplitError`` naming the bad part, as ``init(name:parameters:)`` does, or
    ///   ``SplitError/malformed(text:reason:)`` for text that is not of that shape.
    public init(parsing text: String) throws(SplitError) {
        let (name, parameters) = try Self.components(of: text)
        try self.init(name: name, parameters: parameters)
    }

    /// The name and the parameter text of `name:parameter=value,…` (``init(parsing:)``'s
    /// shape), unchecked: for callers that merge them with parameters given elsewhere (the
    /// command line's `--split new-items:fraction=0.2` beside `--seed`).
    ///
    /// - Throws: ``SplitError/malformed(text:reason:)`` for text that is not of that shape, or
    ///   a parameter given twice.
    public static func components(of text: String) throws(SplitError) -> (name: String, parameters: [String: String]) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var parameters: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard keyValue.count == 2, !keyValue[0].isEmpty, !keyValue[1].isEmpty else {
                    throw .malformed(text: text, reason: "'\(pair)' is not parameter=value")
                }
                let key = keyValue[0].trimmingSpaces, value = keyValue[1].trimmingSpaces
                guard parameters[key] == nil else { throw .malformed(text: text, reason: "'\(key)' is given twice") }
                parameters[key] = value
            }
        }
        return (parts[0].trimmingSpaces, parameters)
    }

    /// The canonical text of the method, which ``init(parsing:)`` reads back to the same value:
    /// the name and every parameter (`leave-one-out:selection=random,minimum=2`).
    public var text: String {
        let rule = rule
        return type(of: rule).name + ":" + rule.parameterValues.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }

    /// The rule's name (`leave-one-out`).
    public var name: String { type(of: rule).name }

    /// Whether the method needs timestamps.
    public var needsTimes: Bool { rule.needsTimes }

    /// Whether the method draws random numbers from the split's seed.
    public var drawsRandomNumbers: Bool { rule.drawsRandomNumbers }

    public var description: String { rule.description }

    /// Checks the parameters, naming the first that is out of range.
    public func validate() throws(SplitError) { try rule.validate() }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// What went wrong while decoding a split method or splitting.
public enum SplitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is out of range.
    case invalid(String)
    /// The method needs timestamps and the dataset has none (or misses some).
    case needsTimestamps(method: String, dataset: String)
    /// No rule has this name.
    case unknownSplit(name: String, known: [String])
    /// The rule reads no parameter of this name.
    case unknownParameter(split: String, parameter: String, known: [String])
    /// A parameter's value cannot be read or is out of range.
    case invalidParameter(split: String, parameter: String, value: String, reason: String)
    /// Split text that is not `name` or `name:parameter=value,…`.
    case malformed(text: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let reason): return "invalid split: \(reason)"
        case .needsTimestamps(let method, let dataset):
            return "the split '\(method)' needs a timestamp on every interaction, and \(dataset) lacks them; use a random selection"
        case .unknownSplit(let name, let known):
            return "unknown split '\(name)'; use one of \(known.joined(separator: ", "))"
        case .unknownParameter(let split, let parameter, let known):
            return "the split \(split) takes no parameter '\(parameter)' (it takes \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case .invalidParameter(let split, let parameter, let value, let reason):
            return "the split \(split): \(parameter) = '\(value)' is invalid: \(reason)"
        case .malformed(let text, let reason):
            return "cannot read the split '\(text)': \(reason) (write name or name:parameter=value,…)"
        }
    }
}

extension InteractionTimes {
    /// The time by which temporal rules (``TemporalCutoff``, ``PerUserAmount``, and
    /// ``HoldoutSelection/latest``) order and cut each (user, item) pair: its first interaction.
    ///
    /// A pair moves whole, so timing it by its first play is what keeps every test pair after
    /// the cutoff: a pair first played before the cutoff stays in train with its whole count,
    /// plays after the cutoff included (an aggregated pair cannot be divided). Where each pair
    /// has one time (MovieLens, a file without duplicate pairs) first and last are the same.
    package var splitTimes: [Int64] { firstRaw }
}
