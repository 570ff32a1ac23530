import RecBenchCore

/// Basic k-NN collaborative filtering, as Surprise's `KNNBasic` (see ``NeighborhoodModel``):
/// r̂_ui = Σ_{v ∈ N^k_i(u)} sim(u, v) · r_vi / Σ sim(u, v), over the k users most similar to u
/// among those who rated i (item-based: the k items most similar to i among those u rated),
/// only positive similarities counted. An unknown user or item, or fewer than `min_k`
/// neighbours, gives no estimate (the evaluator's fallback, the training mean). Herlocker,
/// Konstan, Borchers and Riedl, "An algorithmic framework for performing collaborative
/// filtering", SIGIR 1999; the similarities are ``RatingSimilarityMeasure``.
public struct KNNBasicConfiguration: NeighborhoodConfiguration {
    public var neighborhood: NeighborhoodOptions
    public var baseline: BaselineOptions

    /// Creates the configuration (unset arguments take Surprise's defaults).
    public init(neighborhood: NeighborhoodOptions = NeighborhoodOptions(), baseline: BaselineOptions = BaselineOptions()) {
        self.neighborhood = neighborhood
        self.baseline = baseline
    }

    public static let typeName = "knn-basic"

    public static let aggregation = NeighborhoodAggregation.basic

    public static let displayName = "KNNBasic"

    public var algorithm: Algorithm { .knnBasic(self) }
}
