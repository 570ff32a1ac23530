import RecBenchKernels
import RecBenchCore

/// k-NN on baseline residuals, as Surprise's `KNNBaseline` (Koren, "Factor in the neighbors:
/// scalable and accurate collaborative filtering", TKDD 2010, formula 3; see ``NeighborhoodModel``):
/// r̂_ui = b_ui + Σ_{v ∈ N^k_i(u)} sim(u, v) · (r_vi − b_vi) / Σ sim(u, v), only positive
/// similarities counted; with fewer than `min_k` neighbours the estimate is b_ui alone. An
/// unknown user or item gives μ plus the known biases (always an estimate). The baselines are
/// ``Baselines`` (ALS by default); Surprise recommends the pearson_baseline similarity, but its
/// default, used here too, is MSD.
public struct KNNBaselineConfiguration: BuiltInConfiguration {
    /// k, min_k and the similarity.
    public var neighborhood: NeighborhoodOptions
    /// The baseline estimates (and the pearson_baseline similarity's).
    public var baseline: BaselineOptions

    /// Surprise's defaults: user-based MSD, k 40, min_k 1 (baselines: ALS, 10 epochs, reg_u 15, reg_i 10).
    public init() {
        neighborhood = NeighborhoodOptions()
        baseline = BaselineOptions()
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(neighborhood: NeighborhoodOptions = NeighborhoodOptions(), baseline: BaselineOptions = BaselineOptions()) {
        self.neighborhood = neighborhood
        self.baseline = baseline
    }

    public static let typeName = "knn-baseline"

    public static let hyperparameters = NeighborhoodOptions.hyperparameters + BaselineOptions.hyperparameters

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        neighborhood = NeighborhoodOptions.read(p)
        baseline = BaselineOptions.read(p)
    }

    public var parameters: [String: ParameterValue] { neighborhood.parameters.merging(baseline.parameters) { first, _ in first } }

    public var algorithm: Algorithm { .knnBaseline(self) }

    public static var usesSeed: Bool { false }

    /// shrinkage means something only with pearson_baseline; the baseline options follow their method.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        let shrinkage: Set<String> = NeighborhoodOptions.choosePearsonBaseline(values) ? [] : ["shrinkage"]
        return shrinkage.union(BaselineOptions.ignoredParameters(given: values))
    }

    public var label: String {
        "KNNBaseline(\(neighborhood.label), \(baseline.label))"
    }

    /// Fits the similarities (and the baselines the estimate needs).
    ///
    /// - Complexity: O(Σ (ratings per row of the other side)² + n²) time and O(n²) memory, n the
    ///   users (user-based) or items.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> NeighborhoodModel {
        try validate()
        let ratings = RatingTrainingSet(train)
        let threadCount = threads ?? Parallel.defaultThreads
        let count = neighborhood.userBased ? ratings.userCount : ratings.itemCount
        try MemoryBudget.check("knn-baseline's similarities of \(count) \(neighborhood.userBased ? "users" : "items")",
                               needs: RatingSimilarity.peakBytes(count: count, threads: threadCount),
                               advice: neighborhood.userBased ? "use user_based = false or prune rare users" : AlgorithmError.pruningAdvice)
        return NeighborhoodModel(ratings, aggregation: .baseline, options: neighborhood, baseline: baseline, threads: threadCount)
    }
}
