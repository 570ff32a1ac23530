import RecBench

/// A built-in ``Algorithm`` as a ``RecommenderConfiguration``, so that the conformance suite,
/// generic over configurations, runs every built-in algorithm.
public struct BuiltInAlgorithm: RecommenderConfiguration {
    /// The algorithm.
    public var algorithm: Algorithm

    /// Wraps `algorithm`.
    public init(_ algorithm: Algorithm) { self.algorithm = algorithm }

    public var label: String { algorithm.label }

    public func fit(_ train: Dataset, seed: UInt64) throws -> AnyTrainedModel {
        AnyTrainedModel(try algorithm.fit(train, seed: seed))
    }
}

extension ConformanceSuite where Configuration == BuiltInAlgorithm {
    /// A suite for a built-in algorithm; its thread count is set with ``Algorithm/withThreads(_:)``.
    public init(_ algorithm: Algorithm, ranking: Ranking = .personalised) {
        self.init(BuiltInAlgorithm(algorithm), ranking: ranking) { configuration, threads in
            BuiltInAlgorithm(configuration.algorithm.withThreads(threads))
        }
    }
}
