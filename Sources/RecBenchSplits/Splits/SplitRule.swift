import RecBenchCore
/// One splitting protocol: its name and parameters as users write them, its checks, and the
/// train/test assignment it makes.
///
/// A rule is built from parameter text by ``init(parameters:)`` — the one decoder behind
/// ``SplitMethod/init(name:parameters:)``, which the command line, experiment files and
/// recorded JSON all use — and written back by ``parameterValues``.
/// Adding a split is one file with a rule, one ``SplitMethod`` case, one line in
/// ``SplitMethod/rule`` and one entry in ``SplitMethod/ruleTypes``.
public protocol SplitRule: Hashable, Sendable, CustomStringConvertible {
    /// The name in experiment files, records and on the command line (`leave-one-out`).
    static var name: String { get }
    /// The parameters the rule reads, in the order they are written.
    static var parameters: [SplitParameter] { get }
    /// Builds the rule from parameter text; a parameter left out takes its default.
    ///
    /// - Throws: ``SplitError/invalidParameter(split:parameter:value:reason:)`` naming the bad
    ///   parameter. Unknown parameter names are refused before this is called.
    init(parameters: SplitParameters) throws(SplitError)
    /// The parameter values as written in JSON and text, in ``parameters`` order.
    var parameterValues: [(name: String, value: SplitParameterValue)] { get }
    /// Whether the rule needs a timestamp on every interaction.
    var needsTimes: Bool { get }
    /// Whether the rule draws random numbers from the split's seed.
    var drawsRandomNumbers: Bool { get }
    /// Checks the parameters, naming the first that is out of range.
    func validate() throws(SplitError)
    /// Marks the entries of `matrix` that go to test.
    ///
    /// - Parameters:
    ///   - matrix: the interactions, users × items.
    ///   - times: each entry's time (``InteractionTimes/splitTimes``), empty when the dataset has none
    ///     (never empty when ``needsTimes``).
    ///   - seed: the seed of random choices; every user draws from its own stream of it.
    func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment
    /// The closed value that names this rule.
    var method: SplitMethod { get }
    /// The only items ranked for every user, given the split's parts (increasing), or nil for
    /// every item but the user's training items (the default). The new-item protocol ranks its
    /// held-out items only.
    func candidateItems(train: InteractionMatrix, test: InteractionMatrix) -> [Int32]?
}

extension SplitRule {
    public func candidateItems(train: InteractionMatrix, test: InteractionMatrix) -> [Int32]? { nil }
}

/// Which entries of a matrix go to test, and how many users were too short to split.
public struct SplitAssignment: Sendable, Equatable {
    /// One flag per entry of the matrix: true for test.
    public var toTest: [Bool]
    /// Users with interactions but fewer than the rule's minimum: kept whole in train.
    public var tooShort: Int
    /// One flag per entry: true for the fold-in part of a held-out user (new-user protocol; such
    /// an entry is never in `toTest`), or nil when the rule has no fold-in part.
    public var foldIn: [Bool]?

    /// Creates an assignment.
    public init(toTest: [Bool], tooShort: Int = 0, foldIn: [Bool]? = nil) {
        self.toTest = toTest
        self.tooShort = tooShort
        self.foldIn = foldIn
    }
}

/// A parameter a split rule reads.
public struct SplitParameter: Sendable, Equatable {
    /// Its name in files and on the command line (`fraction`).
    public var name: String
    /// Its default as text, or nil when it has none (it is then optional or an alternative to another).
    public var defaultValue: String?
    /// What it means, for help texts.
    public var summary: String

    /// Declares a parameter.
    public init(_ name: String, default defaultValue: String?, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// A parameter value as it is written in JSON: an integer, a number or a word.
public enum SplitParameterValue: Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case text(String)

    /// The value as text, exactly as ``SplitParameters`` reads it back.
    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .text(let value): return value
        }
    }
}

/// The parameter text given for one rule, with typed, range-checked readers whose errors name
/// the split and the parameter.
public struct SplitParameters: Sendable {
    /// The rule the parameters are for (its name, for errors).
    public let split: String
    /// The values given, by name.
    public let given: [String: String]

    /// Wraps the given values of `split`.
    public init(split: String, given: [String: String]) {
        self.split = split
        self.given = given
    }

    /// Whether `name` was given.
    public func has(_ name: String) -> Bool { given[name] != nil }

    package func invalid(_ name: String, _ value: String, _ reason: String) -> SplitError {
        .invalidParameter(split: split, parameter: name, value: value, reason: reason)
    }

    /// The integer `name` (or `defaultValue`), within `range`.
    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(SplitError) -> Int {
        guard let text = given[name] else { return defaultValue }
        guard let value = Int(text) else { throw invalid(name, text, "an integer is expected") }
        guard range.contains(value) else { throw invalid(name, text, "it must be in \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    /// The integer `name` when given, within `range`.
    public func optionalInteger(_ name: String, in range: ClosedRange<Int>) throws(SplitError) -> Int? {
        guard has(name) else { return nil }
        return try integer(name, default: 0, in: range)
    }

    /// The fraction `name` (or `defaultValue`), strictly between 0 and 1.
    public func fraction(_ name: String, default defaultValue: Double) throws(SplitError) -> Double {
        guard let text = given[name] else { return defaultValue }
        guard let value = Double(text) else { throw invalid(name, text, "a number is expected") }
        guard value > 0 && value < 1 else { throw invalid(name, text, "it must be in (0, 1)") }
        return value
    }

    /// The choice `name` (or `defaultValue`) among the raw values of `T`.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws(SplitError) -> T
    where T.RawValue == String {
        guard let text = given[name] else { return defaultValue }
        guard let value = T(rawValue: text) else {
            throw invalid(name, text, "use one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// Throws when both `first` and `second` were given: they are alternatives.
    public func exclusive(_ first: String, _ second: String) throws(SplitError) {
        if let value = given[second], has(first) {
            throw invalid(second, value, "give \(first) or \(second), not both")
        }
    }
}
