import RecBenchKernels
import RecBenchCore

/// Slope One (Lemire and Maclachlan, "Slope One Predictors for Online Rating-Based
/// Collaborative Filtering", SDM 2005), as Surprise's `SlopeOne`.
///
/// dev(i, j) = Σ_{u ∈ U_ij} (r_ui − r_uj) / |U_ij| over the users who rated both items; the
/// estimate of (u, i) is μ_u + Σ_{j ∈ R_i(u)} dev(i, j) / |R_i(u)|, where μ_u is the user's mean
/// rating and R_i(u) the items u rated that share at least one rater with i (μ_u alone when
/// there are none). An unknown user or item gives no estimate (the evaluator's fallback).
/// Surprise reads the ratings of the deviations as integers (`cdef int r_ui`), which truncates
/// half stars (3.5 → 3) while the user means keep them; `truncate_ratings` (default true, as
/// Surprise) does the same, false keeps the values (the two agree on integer scales such as
/// MovieLens 100K).
public struct SlopeOneConfiguration: BuiltInConfiguration {
    /// Whether the deviations read ratings truncated to integers, as Surprise's do.
    public var truncateRatings: Bool

    /// The configuration, Surprise's by default.
    public init(truncateRatings: Bool = true) { self.truncateRatings = truncateRatings }

    public init() { self.init(truncateRatings: true) }

    public static let typeName = "slope-one"

    public static let hyperparameters: [Hyperparameter] = [
        Hyperparameter("truncate_ratings", .boolean, "Deviations of ratings truncated to integers, as Surprise 1.1.5 (false: as they are)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let reader = try ParameterReader(parameters, for: Self.self)
        self.init(truncateRatings: reader.boolean("truncate_ratings") ?? true)
    }

    public var parameters: [String: ParameterValue] { ["truncate_ratings": .boolean(truncateRatings)] }

    public var algorithm: Algorithm { .slopeOne(self) }

    public static var usesSeed: Bool { false }

    public var label: String { truncateRatings ? "SlopeOne" : "SlopeOne(exact ratings)" }

    /// Bytes of the item × item deviations and supports on `items` items.
    public static func peakBytes(items: Int) -> Int { Saturating.product(12, items, items) }

    /// Fits the deviations, one item's row per piece of a parallel loop (the same bits at any thread count).
    ///
    /// - Complexity: O(Σ_u |I_u|² + items²) time, O(items²) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> SlopeOneModel {
        try validate()
        let ratings = RatingTrainingSet(train)
        let items = ratings.itemCount
        try MemoryBudget.check("slope one on \(items) items", needs: Self.peakBytes(items: items),
                               advice: AlgorithmError.pruningAdvice)
        var deviations = [Double](repeating: 0, count: items * items)
        var supports = [Int32](repeating: 0, count: items * items)
        let byUser = ratings.byUser, byItem = ratings.byItem
        let truncate = truncateRatings
        if items > 0 {
            deviations.withUnsafeMutableBufferPointer { deviationBuffer in
            supports.withUnsafeMutableBufferPointer { supportBuffer in
                let dev = SendableMutablePointer(deviationBuffer.baseAddress!), freq = SendableMutablePointer(supportBuffer.baseAddress!)
                Parallel.forEachRange(count: items, pieces: min(items, 64), threads: threads ?? Parallel.defaultThreads) { rows in
                    byUser.rowOffsets.withUnsafeBufferPointer { userOffsets in
                    byUser.columns.withUnsafeBufferPointer { userItems in
                    byUser.values.withUnsafeBufferPointer { userValues in
                        for i in rows {
                            let devRow = dev.pointer + i * items, freqRow = freq.pointer + i * items
                            for p in byItem.range(ofRow: i) {
                                let u = Int(byItem.columns[p])
                                let rui = truncate ? Double(byItem.values[p]).rounded(.towardZero) : Double(byItem.values[p])
                                for q in userOffsets[u]..<userOffsets[u + 1] {
                                    let j = Int(userItems[q])
                                    let ruj = truncate ? Double(userValues[q]).rounded(.towardZero) : Double(userValues[q])
                                    freqRow[j] += 1
                                    devRow[j] += rui - ruj
                                }
                            }
                            for j in 0..<items where freqRow[j] > 0 { devRow[j] /= Double(freqRow[j]) }
                            devRow[i] = 0
                        }
                    }
                    }
                    }
                }
            }
            }
        }
        let userMeans = (0..<ratings.userCount).map { u in
            let range = byUser.range(ofRow: u)
            guard !range.isEmpty else { return 0.0 }
            var sum = 0.0
            for p in range { sum += Double(byUser.values[p]) }
            return sum / Double(range.count)
        }
        return SlopeOneModel(ratings: ratings, deviations: deviations, supports: supports, userMeans: userMeans)
    }
}

/// The model of ``SlopeOneConfiguration``: item × item mean deviations and their supports.
public struct SlopeOneModel: RatingModel {
    /// The training ratings (the estimate reads the user's items).
    public let ratings: RatingTrainingSet
    /// dev(i, j) at `i * items + j` (0 where no user rated both).
    public let deviations: [Double]
    /// |U_ij| at `i * items + j`.
    public let supports: [Int32]
    /// μ_u per user (0 for a user without training ratings).
    public let userMeans: [Double]

    public var fallbackRating: Double { ratings.globalMean }
    public var itemCount: Int { ratings.itemCount }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        guard ratings.knows(user: user), ratings.knows(item: item) else { return nil }
        let u = user.int, i = item.int, items = itemCount
        var sum = 0.0, relevant = 0
        let byUser = ratings.byUser
        deviations.withUnsafeBufferPointer { dev in
        supports.withUnsafeBufferPointer { freq in
        byUser.columns.withUnsafeBufferPointer { columns in
            let devRow = dev.baseAddress! + i * items, freqRow = freq.baseAddress! + i * items
            for p in byUser.range(ofRow: u) {
                let j = Int(columns[p])
                if freqRow[j] > 0 {
                    sum += devRow[j]
                    relevant += 1
                }
            }
        }
        }
        }
        var estimate = userMeans[u]
        if relevant > 0 { estimate += sum / Double(relevant) }
        return estimate
    }
}
