import RecBenchKernels
import RecBenchCore

extension HyperparameterLimits {
    /// Co-clustering's user and item clusters (the co-cluster table is their product).
    public static let clusters: ClosedRange<Int> = 1...1000
}

/// Rating prediction by co-clustering (George and Merugu, "A scalable collaborative filtering
/// framework based on co-clustering", ICDM 2005), as Surprise's `CoClustering`.
///
/// Users are put in one of `userClusters` clusters C_u and items in one of `itemClusters`
/// clusters C_i; a user's cluster and an item's cluster make a co-cluster C_ui. The prediction is
///
///     r̂_ui = mean(C_ui) + (μ_u − mean(C_u)) + (μ_i − mean(C_i))
///
/// with μ_u, μ_i the user's and the item's mean training rating and mean(C) the mean of the
/// training ratings that fall in C (the global mean for an empty cluster). The clusters start
/// uniformly at random (from the seed: users first, then items), then every epoch, in
/// Surprise's order: the three tables of means are computed; each user moves to the cluster
/// whose predictions of its ratings have the least squared error (items keeping their
/// clusters); then each item likewise, against the users' new clusters and the same means
/// (ties: the lowest cluster). The means are computed once more after the last epoch.
///
/// A user or an item without training ratings gets no prediction (`nil`): the evaluator's
/// fallback, the training mean, is what Surprise's code returns there too (its docstring's
/// μ_i / μ_u rules for a lone unknown side are never reached in its `estimate`).
///
/// Surprise's defaults: 3 user clusters, 3 item clusters, 20 epochs. Surprise 1.1.5 also reads
/// every rating as a C `int` inside the fit (user and item means, cluster means, errors), which
/// truncates half stars (3.5 → 3) while its global mean and fallback keep them; `truncateRatings`
/// (default true, as Surprise) does the same, false uses the ratings as they are. On integer
/// scales (MovieLens 100K, 1M) the two are identical.
public struct CoClusteringConfiguration: BuiltInConfiguration {
    /// Clusters of users.
    public var userClusters: Int
    /// Clusters of items.
    public var itemClusters: Int
    /// Passes of the optimisation loop.
    public var epochs: Int
    /// Whether the fit truncates ratings to integers, as Surprise's does.
    public var truncateRatings: Bool

    /// Surprise's defaults: 3 × 3 clusters, 20 epochs.
    public init() {
        userClusters = 3
        itemClusters = 3
        epochs = 20
        truncateRatings = true
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(userClusters: Int = Self().userClusters, itemClusters: Int = Self().itemClusters, epochs: Int = Self().epochs,
                truncateRatings: Bool = Self().truncateRatings) {
        self.userClusters = userClusters
        self.itemClusters = itemClusters
        self.epochs = epochs
        self.truncateRatings = truncateRatings
    }

    public static let typeName = "co-clustering"

    public static let hyperparameters = [
        Hyperparameter("user_clusters", .integer(HyperparameterLimits.clusters), "Clusters of users."),
        Hyperparameter("item_clusters", .integer(HyperparameterLimits.clusters), "Clusters of items."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes of cluster means and reassignment."),
        Hyperparameter("truncate_ratings", .boolean, "Fit on ratings truncated to integers, as Surprise 1.1.5 does (false: as they are)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("user_clusters") { userClusters = v }
        if let v = p.integer("item_clusters") { itemClusters = v }
        if let v = p.integer("epochs") { epochs = v }
        if let v = p.boolean("truncate_ratings") { truncateRatings = v }
    }

    public var parameters: [String: ParameterValue] {
        ["user_clusters": .integer(userClusters), "item_clusters": .integer(itemClusters), "epochs": .integer(epochs), "truncate_ratings": .boolean(truncateRatings)]
    }

    public var algorithm: Algorithm { .coClustering(self) }

    public var label: String { "CoClustering(\(userClusters)×\(itemClusters), \(epochs) epochs\(truncateRatings ? "" : ", exact ratings"))" }

    /// Fits the clusters.
    ///
    /// - Complexity: O(epochs · ratings · (userClusters + itemClusters)); each reassignment runs
    ///   in parallel over users (items), each writing only its own cluster, so the result does not
    ///   depend on the thread count.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> CoClusteringModel {
        try validate()
        let set = RatingTrainingSet(train)
        var rng = SeededGenerator(seed: seed)
        let userCluster = (0..<set.userCount).map { _ in Int32(rng.nextInt(below: userClusters)) }
        let itemCluster = (0..<set.itemCount).map { _ in Int32(rng.nextInt(below: itemClusters)) }
        var fitted = set
        if truncateRatings {
            var truncated = train
            truncated.interactions.values = train.interactions.values.map { $0.rounded(.towardZero) }
            fitted = RatingTrainingSet(truncated)
        }
        return fit(fitted, globalMean: set.globalMean, userCluster: userCluster, itemCluster: itemCluster,
                   threads: threads ?? Parallel.defaultThreads)
    }

    /// The optimisation loop from given initial clusters (each in its range), on `set`'s ratings
    /// (already truncated if asked); `globalMean` (default `set`'s) fills empty clusters and is the fallback.
    package func fit(_ set: RatingTrainingSet, globalMean: Double? = nil, userCluster initialUsers: [Int32], itemCluster initialItems: [Int32],
                     threads threadCount: Int) -> CoClusteringModel {
        let globalMean = globalMean ?? set.globalMean
        var userCluster = initialUsers, itemCluster = initialItems
        let userMean = Self.rowMeans(set.byUser), itemMean = Self.rowMeans(set.byItem)
        for _ in 0..<epochs {
            let means = ClusterMeans(set, userCluster: userCluster, itemCluster: itemCluster, userClusters: userClusters, itemClusters: itemClusters, emptyMean: globalMean)
            Self.reassign(rows: set.byUser, rowMean: userMean, columnMean: itemMean, columnCluster: itemCluster,
                          clusters: userClusters, means: means, rowsAreUsers: true, into: &userCluster, threads: threadCount)
            Self.reassign(rows: set.byItem, rowMean: itemMean, columnMean: userMean, columnCluster: userCluster,
                          clusters: itemClusters, means: means, rowsAreUsers: false, into: &itemCluster, threads: threadCount)
        }
        let means = ClusterMeans(set, userCluster: userCluster, itemCluster: itemCluster, userClusters: userClusters, itemClusters: itemClusters, emptyMean: globalMean)
        return CoClusteringModel(userCluster: userCluster, itemCluster: itemCluster, userMean: userMean, itemMean: itemMean,
                                 means: means, knownUsers: set.byUser.rowLengths.map { $0 > 0 },
                                 knownItems: set.byItem.rowLengths.map { $0 > 0 }, fallbackRating: globalMean)
    }

    /// Each row's mean value (0 for an empty row, which is never used).
    static func rowMeans(_ m: InteractionMatrix) -> [Double] {
        (0..<m.rowCount).map { row in
            let range = m.range(ofRow: row)
            guard !range.isEmpty else { return 0 }
            var sum = 0.0
            for p in range { sum += Double(m.values[p]) }
            return sum / Double(range.count)
        }
    }

    /// Moves every row (a user, or an item) to the cluster that predicts its ratings with the
    /// least squared error, the other side's clusters and the means fixed.
    static func reassign(rows: InteractionMatrix, rowMean: [Double], columnMean: [Double], columnCluster: [Int32], clusters: Int,
                         means: ClusterMeans, rowsAreUsers: Bool, into assignment: inout [Int32], threads: Int) {
        guard rows.rowCount > 0, assignment.count >= rows.rowCount else { return }
        assignment.withUnsafeMutableBufferPointer { out in
            let target = SendableMutablePointer(out.baseAddress!)
            Parallel.forEachRange(count: rows.rowCount, pieces: 64, threads: threads) { range in
                var errors = [Double](repeating: 0, count: clusters)
                rows.columns.withUnsafeBufferPointer { columns in
                rows.values.withUnsafeBufferPointer { values in
                columnMean.withUnsafeBufferPointer { otherMean in
                columnCluster.withUnsafeBufferPointer { otherCluster in
                means.coCluster.withUnsafeBufferPointer { co in
                means.user.withUnsafeBufferPointer { userAverage in
                means.item.withUnsafeBufferPointer { itemAverage in
                    let itemClusters = means.itemClusters
                    for row in range {
                        let entries = rows.range(ofRow: row)
                        guard !entries.isEmpty else { target.pointer[row] = 0; continue }
                        for c in 0..<clusters { errors[c] = 0 }
                        let mine = rowMean[row]
                        for p in entries {
                            let other = Int(columns[p])
                            let r = Double(values[p])
                            let oc = Int(otherCluster[other])
                            let theirs = otherMean[other]
                            for c in 0..<clusters {
                                // Surprise's expression, term by term, in its order.
                                let est = rowsAreUsers
                                    ? co[c * itemClusters + oc] + mine - userAverage[c] + theirs - itemAverage[oc]
                                    : co[oc * itemClusters + c] + theirs - userAverage[oc] + mine - itemAverage[c]
                                let e = r - est
                                errors[c] += e * e
                            }
                        }
                        var best = 0
                        for c in 1..<max(1, clusters) where errors[c] < errors[best] { best = c }
                        target.pointer[row] = Int32(best)
                    }
                }
                }
                }
                }
                }
                }
                }
            }
        }
    }
}

/// The mean training rating of every user cluster, item cluster and co-cluster (`emptyMean`,
/// the global mean, for an empty one).
public struct ClusterMeans: Sendable {
    /// Item clusters (the co-cluster table's row length).
    public let itemClusters: Int
    /// Mean of each user cluster.
    public let user: [Double]
    /// Mean of each item cluster.
    public let item: [Double]
    /// Mean of each co-cluster, user clusters × item clusters, row-major.
    public let coCluster: [Double]

    /// The means for these assignments.
    ///
    /// - Complexity: O(ratings + userClusters · itemClusters).
    init(_ set: RatingTrainingSet, userCluster: [Int32], itemCluster: [Int32], userClusters: Int, itemClusters: Int, emptyMean: Double? = nil) {
        var userSum = [Double](repeating: 0, count: userClusters), userCount = [Int](repeating: 0, count: userClusters)
        var itemSum = [Double](repeating: 0, count: itemClusters), itemCount = [Int](repeating: 0, count: itemClusters)
        var coSum = [Double](repeating: 0, count: userClusters * itemClusters)
        var coCount = [Int](repeating: 0, count: userClusters * itemClusters)
        let m = set.byUser
        for u in 0..<m.rowCount {
            let uc = Int(userCluster[u])
            for p in m.range(ofRow: u) {
                let ic = Int(itemCluster[Int(m.columns[p])])
                let r = Double(m.values[p])
                userSum[uc] += r; userCount[uc] += 1
                itemSum[ic] += r; itemCount[ic] += 1
                coSum[uc * itemClusters + ic] += r; coCount[uc * itemClusters + ic] += 1
            }
        }
        let mean = emptyMean ?? set.globalMean
        self.itemClusters = itemClusters
        user = (0..<userClusters).map { userCount[$0] > 0 ? userSum[$0] / Double(userCount[$0]) : mean }
        item = (0..<itemClusters).map { itemCount[$0] > 0 ? itemSum[$0] / Double(itemCount[$0]) : mean }
        coCluster = (0..<(userClusters * itemClusters)).map { coCount[$0] > 0 ? coSum[$0] / Double(coCount[$0]) : mean }
    }
}

/// The model of ``CoClusteringConfiguration``: each user's and item's cluster and mean, and the
/// clusters' means.
public struct CoClusteringModel: RatingModel {
    /// Each user's cluster.
    public let userCluster: [Int32]
    /// Each item's cluster.
    public let itemCluster: [Int32]
    /// Each user's mean training rating.
    public let userMean: [Double]
    /// Each item's mean training rating.
    public let itemMean: [Double]
    /// The clusters' means.
    public let means: ClusterMeans
    /// Whether each user has training ratings.
    let knownUsers: [Bool]
    /// Whether each item has training ratings.
    let knownItems: [Bool]
    public let fallbackRating: Double

    public var itemCount: Int { itemCluster.count }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        let u = Int(user.rawValue), i = Int(item.rawValue)
        guard u >= 0, u < knownUsers.count, knownUsers[u], i >= 0, i < knownItems.count, knownItems[i] else { return nil }
        let uc = Int(userCluster[u]), ic = Int(itemCluster[i])
        return means.coCluster[uc * means.itemClusters + ic] + userMean[u] - means.user[uc] + itemMean[i] - means.item[ic]
    }
}
