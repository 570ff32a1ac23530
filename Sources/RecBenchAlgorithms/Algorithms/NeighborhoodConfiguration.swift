import RecBenchKernels
import RecBenchCore

/// What the rating k-NN configurations (``KNNBasicConfiguration``, ``KNNWithMeansConfiguration``,
/// ``KNNBaselineConfiguration``) share: the neighbourhood and baseline options, their
/// hyperparameters, reading, label and fit; each type only names itself and its aggregation.
public protocol NeighborhoodConfiguration: BuiltInConfiguration where Model == NeighborhoodModel {
    /// k, min_k, the similarity and its options.
    var neighborhood: NeighborhoodOptions { get set }
    /// The baseline estimates (the pearson_baseline similarity's, and knn-baseline's estimate).
    var baseline: BaselineOptions { get set }
    /// Creates the configuration from its two groups of options.
    init(neighborhood: NeighborhoodOptions, baseline: BaselineOptions)
    /// How the neighbours' ratings become an estimate.
    static var aggregation: NeighborhoodAggregation { get }
    /// The name in labels (`KNNBasic`), Surprise's class name.
    static var displayName: String { get }
}

extension NeighborhoodConfiguration {
    /// Surprise's defaults: user-based MSD, k 40, min_k 1 (baselines: ALS, 10 epochs, reg_u 15, reg_i 10).
    public init() { self.init(neighborhood: NeighborhoodOptions(), baseline: BaselineOptions()) }

    public static var hyperparameters: [Hyperparameter] { NeighborhoodOptions.hyperparameters + BaselineOptions.hyperparameters }

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init(neighborhood: NeighborhoodOptions.read(p), baseline: BaselineOptions.read(p))
    }

    public var parameters: [String: ParameterValue] { neighborhood.parameters.merging(baseline.parameters) { first, _ in first } }

    public static var usesSeed: Bool { false }

    /// Whether the baselines are fitted: always for knn-baseline, else only for pearson_baseline.
    private static func usesBaselines(_ pearsonBaseline: Bool) -> Bool { aggregation == .baseline || pearsonBaseline }

    /// shrinkage means something only with pearson_baseline; the baseline options only where
    /// baselines are fitted, and then as their method says.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        let pearsonBaseline = NeighborhoodOptions.choosePearsonBaseline(values)
        let shrinkage: Set<String> = pearsonBaseline ? [] : ["shrinkage"]
        guard usesBaselines(pearsonBaseline) else { return shrinkage.union(BaselineOptions.names) }
        return shrinkage.union(BaselineOptions.ignoredParameters(given: values))
    }

    public var label: String {
        let baselines = Self.usesBaselines(neighborhood.similarity == .pearsonBaseline)
        return "\(Self.displayName)(\(neighborhood.label)\(baselines ? ", \(baseline.label)" : ""))"
    }

    /// Fits the similarities (and the means or baselines the estimate needs).
    ///
    /// - Complexity: O(Σ (ratings per row of the other side)² + n²) time and O(n²) memory, n the
    ///   users (user-based) or items.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> NeighborhoodModel {
        try validate()
        let ratings = RatingTrainingSet(train)
        let threadCount = threads ?? Parallel.defaultThreads
        let count = neighborhood.userBased ? ratings.userCount : ratings.itemCount
        try MemoryBudget.check("\(Self.typeName)'s similarities of \(count) \(neighborhood.userBased ? "users" : "items")",
                               needs: RatingSimilarity.peakBytes(count: count, threads: threadCount),
                               advice: neighborhood.userBased ? "use user_based = false or prune rare users" : AlgorithmError.pruningAdvice)
        return NeighborhoodModel(ratings, aggregation: Self.aggregation, options: neighborhood, baseline: baseline, threads: threadCount)
    }
}
