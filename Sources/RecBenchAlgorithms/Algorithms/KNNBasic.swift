import RecBenchKernels
import RecBenchCore

/// Basic k-NN collaborative filtering, as Surprise's `KNNBasic` (see ``NeighborhoodModel``):
/// r̂_ui = Σ_{v ∈ N^k_i(u)} sim(u, v) · r_vi / Σ sim(u, v), over the k users most similar to u
/// among those who rated i (item-based: the k items most similar to i among those u rated),
/// only positive similarities counted. An unknown user or item, or fewer than `min_k`
/// neighbours, gives no estimate (the evaluator's fallback, the training mean). Herlocker,
/// Konstan, Borchers and Riedl, "An algorithmic framework for performing collaborative
/// filtering", SIGIR 1999; the similarities are ``RatingSimilarityMeasure``.
public struct KNNBasicConfiguration: BuiltInConfiguration {
    /// k, min_k and the similarity.
    public var neighborhood: NeighborhoodOptions
    /// The baselines of the pearson_baseline similarity (unused by the others).
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

    public static let typeName = "knn-basic"

    public static let hyperparameters = NeighborhoodOptions.hyperparameters + BaselineOptions.hyperparameters

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        neighborhood = NeighborhoodOptions.read(p)
        baseline = BaselineOptions.read(p)
    }

    public var parameters: [String: ParameterValue] { neighborhood.parameters.merging(baseline.parameters) { first, _ in first } }

    public var algorithm: Algorithm { .knnBasic(self) }

    public static var usesSeed: Bool { false }

    /// shrinkage means something only with pearson_baseline; the baseline options follow their method.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        let pearsonBaseline = NeighborhoodOptions.choosePearsonBaseline(values)
        return pearsonBaseline ? BaselineOptions.ignoredParameters(given: values) : BaselineOptions.names.union(["shrinkage"])
    }

    public var label: String {
        "KNNBasic(\(neighborhood.label)\(neighborhood.similarity == .pearsonBaseline ? ", \(baseline.label)" : ""))"
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
        try MemoryBudget.check("knn-basic's similarities of \(count) \(neighborhood.userBased ? "users" : "items")",
                               needs: RatingSimilarity.peakBytes(count: count, threads: threadCount),
                               advice: neighborhood.userBased ? "use user_based = false or prune rare users" : AlgorithmError.pruningAdvice)
        return NeighborhoodModel(ratings, aggregation: .basic, options: neighborhood, baseline: baseline, threads: threadCount)
    }
}
