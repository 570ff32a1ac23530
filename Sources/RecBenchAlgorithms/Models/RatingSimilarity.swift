import RecBenchKernels
import RecBenchCore

/// The similarity between two users (or two items) of the rating k-NN models, as Surprise's
/// `similarities` module defines it, over their common ratings (I_uv: the items both users
/// rated; U_ij for items). Pairs with fewer common ratings than `min_support` get 0; a user's
/// (item's) similarity with itself is 1.
public enum RatingSimilarityMeasure: String, Codable, Hashable, Sendable, CaseIterable {
    /// 1 / (msd + 1), msd = Σ (r_ui − r_vi)² / |I_uv| (mean squared difference).
    case msd
    /// Σ r_ui r_vi / (√Σ r_ui² · √Σ r_vi²), the sums over I_uv.
    case cosine
    /// Pearson's correlation over I_uv, each side centred on its mean over I_uv (0 when a side is constant).
    case pearson
    /// Pearson's correlation of the baseline residuals r_ui − b_ui over I_uv, shrunk by
    /// (|I_uv| − 1) / (|I_uv| − 1 + shrinkage); `min_support` is at least 2.
    case pearsonBaseline = "pearson_baseline"
}

/// The options of the rating k-NN models (Surprise's `k`, `min_k` and `sim_options`).
public struct NeighborhoodOptions: Codable, Hashable, Sendable {
    /// The most neighbours aggregated.
    public var k: Int
    /// The fewest (positively similar) neighbours for a neighbourhood estimate.
    public var minK: Int
    /// The similarity measure.
    public var similarity: RatingSimilarityMeasure
    /// Similar users (true) or similar items (false).
    public var userBased: Bool
    /// The fewest common ratings for a non-zero similarity.
    public var minSupport: Int
    /// The shrinkage of the Pearson-baseline similarity.
    public var shrinkage: Double

    /// Surprise's defaults: k 40, min_k 1, user-based MSD, min_support 1, shrinkage 100.
    public init() {
        k = 40
        minK = 1
        similarity = .msd
        userBased = true
        minSupport = 1
        shrinkage = 100
    }

    /// Creates the options (unset arguments take `init()`'s values).
    public init(k: Int = Self().k, minK: Int = Self().minK, similarity: RatingSimilarityMeasure = Self().similarity,
                userBased: Bool = Self().userBased, minSupport: Int = Self().minSupport, shrinkage: Double = Self().shrinkage) {
        self.k = k
        self.minK = minK
        self.similarity = similarity
        self.userBased = userBased
        self.minSupport = minSupport
        self.shrinkage = shrinkage
    }

    /// The hyperparameters every rating k-NN configuration declares.
    public static let hyperparameters = [
        Hyperparameter("k", .integer(HyperparameterLimits.ratingNeighbors), "The most neighbours aggregated."),
        Hyperparameter("min_k", .integer(HyperparameterLimits.minimumNeighbors), "The fewest positively similar neighbours for a neighbourhood estimate."),
        Hyperparameter("similarity", .choice(RatingSimilarityMeasure.allCases.map(\.rawValue)), "msd, cosine, pearson or pearson_baseline."),
        Hyperparameter("user_based", .boolean, "Similar users (true) or similar items (false)."),
        Hyperparameter("min_support", .integer(HyperparameterLimits.minimumSupport), "The fewest common ratings for a non-zero similarity."),
        Hyperparameter("shrinkage", .real(HyperparameterLimits.pearsonShrinkage), "pearson_baseline: shrinkage of the similarity."),
    ]

    /// The options in `p` (absent ones at their defaults).
    public static func read(_ p: ParameterReader) -> NeighborhoodOptions {
        var options = NeighborhoodOptions()
        if let v = p.integer("k") { options.k = v }
        if let v = p.integer("min_k") { options.minK = v }
        if let v = p.word("similarity") { options.similarity = RatingSimilarityMeasure(rawValue: v)! }   // the domain lists exactly the raw values
        if let v = p.boolean("user_based") { options.userBased = v }
        if let v = p.integer("min_support") { options.minSupport = v }
        if let v = p.real("shrinkage") { options.shrinkage = v }
        return options
    }

    /// The canonical values of ``hyperparameters``.
    public var parameters: [String: ParameterValue] {
        ["k": .integer(k), "min_k": .integer(minK), "similarity": .string(similarity.rawValue), "user_based": .boolean(userBased),
         "min_support": .integer(minSupport), "shrinkage": .double(shrinkage)]
    }

    /// Whether `values` choose the Pearson-baseline similarity.
    public static func choosePearsonBaseline(_ values: [String: ParameterValue]) -> Bool {
        values["similarity"] == .string(RatingSimilarityMeasure.pearsonBaseline.rawValue)
    }

    /// A short label (`msd, user, k=40`).
    public var label: String {
        var text = "\(similarity.rawValue)\(similarity == .pearsonBaseline ? "(shrink=\(shrinkage))" : ""), \(userBased ? "user" : "item"), k=\(k)"
        if minK != 1 { text += ", min_k=\(minK)" }
        if minSupport != 1 { text += ", min_support=\(minSupport)" }
        return text
    }
}

/// The dense similarity matrix of the rating k-NN models.
package enum RatingSimilarity {
    /// Bytes of the matrix on `count` users or items, and of each thread's accumulators.
    package static func peakBytes(count: Int, threads: Int) -> Int {
        Saturating.sum(Saturating.product(8, count, count), Saturating.product(44, count, threads))
    }

    /// The similarity of every pair of users (`userBased`) or items, row-major (`count × count`,
    /// count = users or items of `ratings`), exactly as Surprise's `similarities` module defines
    /// it; where Surprise would divide by zero (a constant side under cosine or Pearson-baseline)
    /// the similarity is 0.
    ///
    /// Each row is computed by one piece of the parallel loop, from the common ratings
    /// accumulated in the order of the row's own ratings (ascending index), so the matrix is
    /// symmetric and the same bit for bit at any thread count.
    ///
    /// - Parameters:
    ///   - baselines: the baselines of the Pearson-baseline measure (ignored by the others).
    /// - Complexity: O(Σ over the other side of (ratings per row)² + count²) time, O(count²) memory.
    package static func matrix(_ ratings: RatingTrainingSet, options: NeighborhoodOptions, baselines: Baselines?, threads: Int) -> [Double] {
        let userBased = options.userBased
        let xr = userBased ? ratings.byUser : ratings.byItem
        let yr = userBased ? ratings.byItem : ratings.byUser
        let n = xr.rowCount
        let measure = options.similarity
        let minSupport = measure == .pearsonBaseline ? max(2, options.minSupport) : options.minSupport
        let shrinkage = options.shrinkage
        let mu = baselines?.globalMean ?? ratings.globalMean
        let bx = (userBased ? baselines?.userBiases : baselines?.itemBiases) ?? [Double](repeating: 0, count: n)
        let by = (userBased ? baselines?.itemBiases : baselines?.userBiases) ?? [Double](repeating: 0, count: yr.rowCount)
        var sim = [Double](repeating: 0, count: n * n)
        guard n > 0 else { return sim }
        sim.withUnsafeMutableBufferPointer { output in
            let out = SendableMutablePointer(output.baseAddress!)
            Parallel.forEachRange(count: n, pieces: min(n, 64), threads: threads) { rows in
                let freq = UnsafeMutablePointer<Int32>.allocate(capacity: n)
                freq.initialize(repeating: 0, count: n)
                defer { freq.deallocate() }
                // Up to five running sums per other row: prods, sqi, sqj, si, sj (msd: sq_diff in `a`).
                let sums = UnsafeMutablePointer<Double>.allocate(capacity: 5 * n)
                sums.initialize(repeating: 0, count: 5 * n)
                defer { sums.deallocate() }
                let a = sums, sqi = sums + n, sqj = sums + 2 * n, si = sums + 3 * n, sj = sums + 4 * n
                xr.rowOffsets.withUnsafeBufferPointer { xOffsets in
                xr.columns.withUnsafeBufferPointer { xColumns in
                xr.values.withUnsafeBufferPointer { xValues in
                yr.rowOffsets.withUnsafeBufferPointer { yOffsets in
                yr.columns.withUnsafeBufferPointer { yColumns in
                yr.values.withUnsafeBufferPointer { yValues in
                bx.withUnsafeBufferPointer { bx in
                by.withUnsafeBufferPointer { by in
                    for x in rows {
                        let row = out.pointer + x * n
                        for p in xOffsets[x]..<xOffsets[x + 1] {
                            let y = Int(xColumns[p])
                            let ri = Double(xValues[p])
                            let range = yOffsets[y]..<yOffsets[y + 1]
                            switch measure {
                            case .msd:
                                for q in range {
                                    let xj = Int(yColumns[q]), d = ri - Double(yValues[q])
                                    freq[xj] += 1
                                    a[xj] += d * d
                                }
                            case .cosine:
                                for q in range {
                                    let xj = Int(yColumns[q]), rj = Double(yValues[q])
                                    freq[xj] += 1
                                    a[xj] += ri * rj
                                    sqi[xj] += ri * ri
                                    sqj[xj] += rj * rj
                                }
                            case .pearson:
                                for q in range {
                                    let xj = Int(yColumns[q]), rj = Double(yValues[q])
                                    a[xj] += ri * rj
                                    freq[xj] += 1
                                    sqi[xj] += ri * ri
                                    sqj[xj] += rj * rj
                                    si[xj] += ri
                                    sj[xj] += rj
                                }
                            case .pearsonBaseline:
                                let partial = mu + by[y]
                                let di = ri - (partial + bx[x])
                                for q in range {
                                    let xj = Int(yColumns[q])
                                    let dj = Double(yValues[q]) - (partial + bx[xj])
                                    freq[xj] += 1
                                    a[xj] += di * dj
                                    sqi[xj] += di * di
                                    sqj[xj] += dj * dj
                                }
                            }
                        }
                        for xj in 0..<n {
                            let f = Int(freq[xj])
                            var s = 0.0
                            if f >= minSupport && f > 0 {
                                switch measure {
                                case .msd:
                                    s = 1 / (a[xj] / Double(f) + 1)
                                case .cosine:
                                    let denominator = (sqi[xj] * sqj[xj]).squareRoot()
                                    s = denominator > 0 ? a[xj] / denominator : 0
                                case .pearson:
                                    let nf = Double(f)
                                    let numerator = nf * a[xj] - si[xj] * sj[xj]
                                    let denominator = ((nf * sqi[xj] - si[xj] * si[xj]) * (nf * sqj[xj] - sj[xj] * sj[xj])).squareRoot()
                                    s = denominator > 0 ? numerator / denominator : 0
                                case .pearsonBaseline:
                                    let denominator = (sqi[xj] * sqj[xj]).squareRoot()
                                    s = denominator > 0 ? a[xj] / denominator : 0
                                    s *= Double(f - 1) / (Double(f - 1) + shrinkage)
                                }
                            }
                            row[xj] = s
                            freq[xj] = 0
                            a[xj] = 0; sqi[xj] = 0; sqj[xj] = 0; si[xj] = 0; sj[xj] = 0
                        }
                        row[x] = 1
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
        return sim
    }
}
