import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
extension Experiment {
    /// The main job's experiment (`recbench` with no arguments, or `recbench run` with no file):
    /// every built-in algorithm on the embedded Last.fm 2K, leave-one-out, full ranking.
    ///
    /// Artists with fewer than five listeners are pruned (17,632 → 2,828 artists), so that the
    /// dense item × item algorithms (EASE) and the autoencoders fit within the minute the main
    /// job is given; the run prints what preparation removed. `experiments/default.toml` is
    /// this text (a test keeps them equal).
    public static let defaultText = """
    # RecBench's main job: every built-in algorithm on the embedded Last.fm 2K (HetRec 2011),
    # leave-one-out (one random artist per user, seed 7), full ranking over all unlistened artists.
    name = "default"

    [dataset]
    name = "lastfm-2k"
    # Keep artists with at least 5 listeners (iterated): 2,828 of 17,632 artists, so EASE fits in the minute.
    min_item_users = 5

    [split]
    method = "leave-one-out"
    selection = "random"
    seed = 7

    [evaluation]
    metrics = ["P", "R", "MAP", "NDCG", "AUC"]
    cutoffs = [5, 10, 20]
    select = "NDCG@10"
    bootstrap = 1000

    [search]
    seeds = [1]

    [[algorithms]]
    name = "Popularity"
    type = "popularity"

    [[algorithms]]
    name = "Random"
    type = "random"

    [[algorithms]]
    name = "ItemKNN-cosine"
    type = "item-knn"
    neighbors = 100

    [[algorithms]]
    name = "ItemKNN-BM25"
    type = "item-knn"
    weighting = "bm25"
    neighbors = 100

    [[algorithms]]
    name = "ALS"
    type = "als"
    factors = 64
    regularization = 0.1
    alpha = 0.01
    iterations = 15

    [[algorithms]]
    name = "BPR"
    type = "bpr"
    factors = 64
    learning_rate = 0.05
    epochs = 100
    negatives = "popularity"

    [[algorithms]]
    name = "EASE"
    type = "ease"
    regularization = 500.0

    [[algorithms]]
    name = "Mult-DAE"
    type = "dae"
    layers = [200]
    epochs = 20
    learning_rate = 0.003

    [[algorithms]]
    name = "Mult-VAE"
    type = "vae"
    layers = [600, 200]
    epochs = 30
    learning_rate = 0.003

    """
}
