import RecBenchCore

/// A rating model of biases and latent factors: r̂_ui = μ + b_u + b_i + q_i·p_u, as Surprise's
/// SVD, SVD++ (with p_u already holding the user's implicit feedback) and NMF predict.
///
/// Factor rows are stored in double precision (as Surprise), each padded with zeros to
/// ``stride`` (a multiple of 8) so the dot products run in whole SIMD vectors.
///
/// **Unknown users and items** (no training rating). A biased model predicts μ plus the biases
/// it knows, and adds q_i·p_u only when it knows both; an unbiased one predicts nothing
/// (`nil`, Surprise's `PredictionImpossible`) unless it knows both.
public struct FactorRatingModel: RatingModel {
    /// μ, the mean of the training ratings.
    public let globalMean: Double
    /// Whether the biases take part in a prediction (and μ).
    public let biased: Bool
    /// Latent factors per user and item.
    public let factors: Int
    /// The row length of ``userFactors`` and ``itemFactors`` (``factors`` rounded up to 8; padding zero).
    public let stride: Int
    /// b_u per user (zero when unbiased).
    public let userBiases: [Double]
    /// b_i per item (zero when unbiased).
    public let itemBiases: [Double]
    /// p_u, users × ``stride``, row-major.
    public let userFactors: [Double]
    /// q_i, items × ``stride``, row-major.
    public let itemFactors: [Double]
    /// Whether each user has a training rating.
    public let knownUsers: [Bool]
    /// Whether each item has a training rating.
    public let knownItems: [Bool]

    public var itemCount: Int { knownItems.count }
    public var fallbackRating: Double { globalMean }

    /// Creates a model (arrays sized users × stride and items × stride).
    package init(globalMean: Double, biased: Bool, factors: Int, stride: Int, userBiases: [Double], itemBiases: [Double],
                 userFactors: [Double], itemFactors: [Double], knownUsers: [Bool], knownItems: [Bool]) {
        precondition(stride % 8 == 0 && stride >= factors && userFactors.count == knownUsers.count * stride
                     && itemFactors.count == knownItems.count * stride
                     && userBiases.count == knownUsers.count && itemBiases.count == knownItems.count)
        self.globalMean = globalMean
        self.biased = biased
        self.factors = factors
        self.stride = stride
        self.userBiases = userBiases
        self.itemBiases = itemBiases
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.knownUsers = knownUsers
        self.knownItems = knownItems
    }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        let u = Int(user.rawValue), i = Int(item.rawValue)
        let knowsUser = u >= 0 && u < knownUsers.count && knownUsers[u]
        let knowsItem = i >= 0 && i < knownItems.count && knownItems[i]
        let dot: Double? = knowsUser && knowsItem ? userFactors.withUnsafeBufferPointer { p in
            itemFactors.withUnsafeBufferPointer { q in
                RatingVectors.dot(p.baseAddress! + u * stride, q.baseAddress! + i * stride, stride)
            }
        } : nil
        guard biased else { return dot }
        var estimate = globalMean
        if knowsUser { estimate += userBiases[u] }
        if knowsItem { estimate += itemBiases[i] }
        if let dot { estimate += dot }
        return estimate
    }
}

/// Double-precision vector helpers of the rating models (rows padded to a multiple of 8).
package enum RatingVectors {
    /// `n` rounded up to a multiple of 8.
    @inline(__always) package static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

    @inline(__always) package static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }

    @inline(__always) package static func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
    }

    /// Σ a[k]·b[k] over `n` (a multiple of 8) elements, summed in 8 lanes then as a tree.
    @inline(__always) package static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        var acc = SIMD8<Double>()
        var k = 0
        while k < n {
            acc += load(a + k) * load(b + k)
            k += 8
        }
        let four = acc.lowHalf + acc.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// Fills users × stride (or items × stride) rows with draws, factor by factor, row after row,
    /// leaving the padding zero.
    package static func fill(rows: Int, factors: Int, stride: Int, _ draw: () -> Double) -> [Double] {
        var out = [Double](repeating: 0, count: rows * stride)
        for r in 0..<rows { for f in 0..<factors { out[r * stride + f] = draw() } }
        return out
    }

    /// Whether each row of `matrix` is non-empty.
    package static func known(_ matrix: InteractionMatrix) -> [Bool] {
        (0..<matrix.rowCount).map { matrix.rowOffsets[$0 + 1] > matrix.rowOffsets[$0] }
    }
}

/// The parameter an override names, as the documentation writes it: `lr_bu` → `b_u`, `reg_yj` → `y_j`.
func ratingOverrideSymbol(_ override: String) -> String {
    guard let part = override.split(separator: "_").last, part.count == 2 else { return override }
    return "\(part.prefix(1))_\(part.suffix(1))"
}
