import RecBenchCore
/// The split a dataset's release gives: its own test file (Yahoo! Music R3's ratings of songs
/// chosen at random for each test user), not cut from the rows by a rule.
///
/// It cannot be applied to a loaded dataset (the test part is not in it): ``validate()`` says
/// so, and ``Splitter/given(_:name:)`` reads the two files into one split. Users with test
/// ratings but no training rating are kept for rating metrics and excluded from ranking.
public struct Given: SplitRule {
    public static let name = "given"
    public static let parameters: [SplitParameter] = []

    /// Creates the rule.
    public init() {}

    public init(parameters: SplitParameters) throws(SplitError) { self.init() }

    public var parameterValues: [(name: String, value: SplitParameterValue)] { [] }
    public var needsTimes: Bool { false }
    public var drawsRandomNumbers: Bool { false }

    /// Always throws: the test part comes from the release's test file, read by ``Splitter/given(_:name:)``.
    public func validate() throws(SplitError) {
        throw .invalid("the split 'given' takes its test part from the dataset's own test file (Yahoo! Music R3's -test.txt), "
                       + "not from the loaded rows; read it with Splitter.given (recbench evaluate and experiments do)")
    }

    /// Never called (``validate()`` refuses): every row stays in train.
    public func assign(_ matrix: InteractionMatrix, times: [Int64], seed: UInt64) -> SplitAssignment {
        SplitAssignment(toTest: [Bool](repeating: false, count: matrix.nonZeroCount))
    }

    public var method: SplitMethod { .given }

    public var description: String { "the dataset's given test file" }
}

extension Splitter {
    /// The split `source`'s release gives (``DatasetFormat/loadGivenSplit(name:)``), evaluated
    /// users being those with test and training interactions.
    ///
    /// - Throws: ``SplitError/invalid(_:)`` when the format ships no test file (or it was not
    ///   found beside the train file); ``DatasetError`` for a malformed file.
    public static func given(_ source: DatasetSource, name: String) throws -> Split {
        guard let parts = try source.format.loadGivenSplit(name: name) else {
            throw SplitError.invalid("the split 'given' needs a dataset that ships its own test file (Yahoo! Music R3 with "
                                     + "\(YahooR3Options.testFileName) beside the train file); \(name) has none")
        }
        var split = assemble(name: parts.name, users: parts.users, items: parts.items, train: parts.train, test: parts.test,
                             trainTimes: nil, testTimes: nil, minimumExcluded: 0, method: .given, seed: 0)
        split.report.excluded = split.report.excluded.filter { $0.value > 0 }
        return split
    }
}
