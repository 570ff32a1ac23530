import RecBenchCore

/// k-NN on baseline residuals, as Surprise's `KNNBaseline` (Koren, "Factor in the neighbors:
/// scalable and accurate collaborative filtering", TKDD 2010, formula 3; see ``NeighborhoodModel``):
/// r̂_ui = b_ui + Σ_{v ∈ N^k_i(u)} sim(u, v) · (r_vi − b_vi) / Σ sim(u, v), only positive
/// similarities counted; with fewer than `min_k` neighbours the estimate is b_ui alone. An
/// unknown user or item gives μ plus the known biases (always an estimate). The baselines are
/// ``Baselines`` (ALS by default); Surprise recommends the pearson_baseline similarity, but its
/// default, used here too, is MSD.
public struct KNNBaselineConfiguration: NeighborhoodConfiguration {
    public var neighborhood: NeighborhoodOptions
    public var baseline: BaselineOptions

    /// Creates the configuration (unset arguments take Surprise's defaults).
    public init(neighborhood: NeighborhoodOptions = NeighborhoodOptions(), baseline: BaselineOptions = BaselineOptions()) {
        self.neighborhood = neighborhood
        self.baseline = baseline
    }

    public static let typeName = "knn-baseline"

    public static let aggregation = NeighborhoodAggregation.baseline

    public static let displayName = "KNNBaseline"

    public var algorithm: Algorithm { .knnBaseline(self) }
}
