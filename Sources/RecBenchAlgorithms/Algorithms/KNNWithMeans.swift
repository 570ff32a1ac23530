import RecBenchCore

/// k-NN with mean centring, as Surprise's `KNNWithMeans` (see ``NeighborhoodModel``):
/// r̂_ui = μ_u + Σ_{v ∈ N^k_i(u)} sim(u, v) · (r_vi − μ_v) / Σ sim(u, v) (item-based: μ_i and
/// the items' means), only positive similarities counted; with fewer than `min_k` neighbours the
/// estimate is the mean alone. An unknown user or item gives no estimate (the evaluator's
/// fallback). Herlocker et al., SIGIR 1999; the similarities are ``RatingSimilarityMeasure``.
public struct KNNWithMeansConfiguration: NeighborhoodConfiguration {
    public var neighborhood: NeighborhoodOptions
    public var baseline: BaselineOptions

    /// Creates the configuration (unset arguments take Surprise's defaults).
    public init(neighborhood: NeighborhoodOptions = NeighborhoodOptions(), baseline: BaselineOptions = BaselineOptions()) {
        self.neighborhood = neighborhood
        self.baseline = baseline
    }

    public static let typeName = "knn-means"

    public static let aggregation = NeighborhoodAggregation.means

    public static let displayName = "KNNWithMeans"

    public var algorithm: Algorithm { .knnMeans(self) }
}
