import RecBenchCore

/// Non-negative matrix factorisation, as Surprise's `NMF` (Luo, Xia, Zhu and Zhu, "An Efficient
/// Non-Negative Matrix-Factorization-Based Approach to Collaborative Filtering for Recommender
/// Systems", IEEE TII 2014; Zhang, Wang, Ford and Makedon, SDM 2006).
///
/// r̂_ui = q_i·p_u (unbiased, the default) or μ + b_u + b_i + q_i·p_u (biased). Factors start
/// uniform in [`init_low`, `init_high`) (every user's row, then every item's, from the seed),
/// biases at 0. Each epoch visits the training ratings in a fixed order (users in index order,
/// each user's items in index order) and for each computes r̂ with the current values, steps
/// the biases by SGD when biased (b_u += γ_u(e − λ_u b_u), b_i likewise), and accumulates
/// Σ q_i·r and Σ q_i·r̂ per user, Σ p_u·r and Σ p_u·r̂ per item. Then every non-zero factor is
/// multiplied: p_uf ← p_uf · Σ q_if r / (Σ q_if r̂ + |I_u| λ_p p_uf), and q_if likewise with
/// |U_i| λ_q. Double precision, sequential, as Surprise.
///
/// Unknown users or items: μ plus the biases known (biased), else no prediction.
public struct NMFConfiguration: BuiltInConfiguration {
    /// Latent factors.
    public var factors: Int
    /// Passes over the training ratings.
    public var epochs: Int
    /// Whether the baselines μ + b_u + b_i are part of the model.
    public var biased: Bool
    /// λ of the user factors.
    public var regularizationPu: Double
    /// λ of the item factors.
    public var regularizationQi: Double
    /// λ of the user biases.
    public var regularizationBu: Double
    /// λ of the item biases.
    public var regularizationBi: Double
    /// γ of the user biases.
    public var learningRateBu: Double
    /// γ of the item biases.
    public var learningRateBi: Double
    /// Lower bound of the uniform initial factors.
    public var initLow: Double
    /// Upper bound of the uniform initial factors.
    public var initHigh: Double

    /// Surprise's defaults: 15 factors, 50 epochs, unbiased, reg_pu = reg_qi = 0.06,
    /// reg_bu = reg_bi = 0.02, lr_bu = lr_bi = 0.005, factors from U[0, 1).
    public init() {
        factors = 15
        epochs = 50
        biased = false
        regularizationPu = 0.06
        regularizationQi = 0.06
        regularizationBu = 0.02
        regularizationBi = 0.02
        learningRateBu = 0.005
        learningRateBi = 0.005
        initLow = 0
        initHigh = 1
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, epochs: Int = Self().epochs, biased: Bool = Self().biased,
                regularizationPu: Double = Self().regularizationPu, regularizationQi: Double = Self().regularizationQi,
                regularizationBu: Double = Self().regularizationBu, regularizationBi: Double = Self().regularizationBi,
                learningRateBu: Double = Self().learningRateBu, learningRateBi: Double = Self().learningRateBi,
                initLow: Double = Self().initLow, initHigh: Double = Self().initHigh) {
        self.factors = factors
        self.epochs = epochs
        self.biased = biased
        self.regularizationPu = regularizationPu
        self.regularizationQi = regularizationQi
        self.regularizationBu = regularizationBu
        self.regularizationBi = regularizationBi
        self.learningRateBu = learningRateBu
        self.learningRateBi = learningRateBi
        self.initLow = initLow
        self.initHigh = initHigh
    }

    public static let typeName = "nmf"

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.ratingFactors), "Latent factors."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes over the training ratings."),
        Hyperparameter("biased", .boolean, "Whether μ + b_u + b_i are part of the model (biases learnt by SGD)."),
        Hyperparameter("reg_pu", .real(HyperparameterLimits.ratingRegularization), "λ of the user factors."),
        Hyperparameter("reg_qi", .real(HyperparameterLimits.ratingRegularization), "λ of the item factors."),
        Hyperparameter("reg_bu", .real(HyperparameterLimits.ratingRegularization), "λ of the user biases (biased)."),
        Hyperparameter("reg_bi", .real(HyperparameterLimits.ratingRegularization), "λ of the item biases (biased)."),
        Hyperparameter("lr_bu", .real(HyperparameterLimits.ratingLearningRate), "SGD step of the user biases (biased)."),
        Hyperparameter("lr_bi", .real(HyperparameterLimits.ratingLearningRate), "SGD step of the item biases (biased)."),
        Hyperparameter("init_low", .real(HyperparameterLimits.initBound), "Lower bound of the uniform initial factors."),
        Hyperparameter("init_high", .real(HyperparameterLimits.initBound), "Upper bound of the uniform initial factors (at least init_low)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("factors") { factors = v }
        if let v = p.integer("epochs") { epochs = v }
        if let v = p.boolean("biased") { biased = v }
        if let v = p.real("reg_pu") { regularizationPu = v }
        if let v = p.real("reg_qi") { regularizationQi = v }
        if let v = p.real("reg_bu") { regularizationBu = v }
        if let v = p.real("reg_bi") { regularizationBi = v }
        if let v = p.real("lr_bu") { learningRateBu = v }
        if let v = p.real("lr_bi") { learningRateBi = v }
        if let v = p.real("init_low") { initLow = v }
        if let v = p.real("init_high") { initHigh = v }
        try checkBounds()
    }

    public var parameters: [String: ParameterValue] {
        ["factors": .integer(factors), "epochs": .integer(epochs), "biased": .boolean(biased),
         "reg_pu": .double(regularizationPu), "reg_qi": .double(regularizationQi),
         "reg_bu": .double(regularizationBu), "reg_bi": .double(regularizationBi),
         "lr_bu": .double(learningRateBu), "lr_bi": .double(learningRateBi),
         "init_low": .double(initLow), "init_high": .double(initHigh)]
    }

    /// Checks every hyperparameter against its domain, and that `init_low ≤ init_high`.
    public func validate() throws(ConfigurationError) {
        _ = try ParameterReader(parameters, for: Self.self)
        try checkBounds()
    }

    private func checkBounds() throws(ConfigurationError) {
        guard initLow <= initHigh else {
            throw .invalidHyperparameter(algorithm: Self.typeName, parameter: "init_high", value: "\(initHigh)",
                                         allowed: "at least init_low = \(initLow)")
        }
    }

    public var algorithm: Algorithm { .nmf(self) }

    public var label: String {
        "NMF(f=\(factors), epochs=\(epochs), λp=\(regularizationPu), λq=\(regularizationQi)\(biased ? ", biased" : ""))"
    }

    /// Fits the factors by multiplicative updates (and the biases by SGD when biased).
    ///
    /// - Complexity: O(epochs · ratings · factors) time, sequential; O((users + items) · factors) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> FactorRatingModel {
        try validate()
        let data = RatingTrainingSet(train)
        let stride = RatingVectors.padded(factors), factors = self.factors
        var rng = SeededGenerator(seed: seed)
        let low = initLow, width = initHigh - initLow
        var p = RatingVectors.fill(rows: data.userCount, factors: factors, stride: stride) { low + width * rng.nextUnit() }
        var q = RatingVectors.fill(rows: data.itemCount, factors: factors, stride: stride) { low + width * rng.nextUnit() }
        var bu = [Double](repeating: 0, count: data.userCount), bi = [Double](repeating: 0, count: data.itemCount)
        var userNumerator = [Double](repeating: 0, count: p.count), userDenominator = userNumerator
        var itemNumerator = [Double](repeating: 0, count: q.count), itemDenominator = itemNumerator
        let mu = biased ? data.globalMean : 0, biased = self.biased
        let (lrBu, lrBi, regBu, regBi) = (learningRateBu, learningRateBi, regularizationBu, regularizationBi)
        let (regPu, regQi) = (regularizationPu, regularizationQi)
        let matrix = data.byUser, itemCounts = data.byItem.rowLengths
        matrix.rowOffsets.withUnsafeBufferPointer { offsets in
        matrix.columns.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
        p.withUnsafeMutableBufferPointer { p in
        q.withUnsafeMutableBufferPointer { q in
        userNumerator.withUnsafeMutableBufferPointer { un in
        userDenominator.withUnsafeMutableBufferPointer { ud in
        itemNumerator.withUnsafeMutableBufferPointer { inum in
        itemDenominator.withUnsafeMutableBufferPointer { iden in
            for _ in 0..<epochs {
                un.update(repeating: 0); ud.update(repeating: 0); inum.update(repeating: 0); iden.update(repeating: 0)
                for u in 0..<matrix.rowCount {
                    let pu = p.baseAddress! + u * stride
                    let unu = un.baseAddress! + u * stride, udu = ud.baseAddress! + u * stride
                    for k in offsets[u]..<offsets[u + 1] {
                        let i = Int(columns[k])
                        let qi = q.baseAddress! + i * stride
                        let r = Double(values[k])
                        let estimate = mu + bu[u] + bi[i] + RatingVectors.dot(pu, qi, stride)
                        if biased {
                            let err = r - estimate
                            bu[u] += lrBu * (err - regBu * bu[u])
                            bi[i] += lrBi * (err - regBi * bi[i])
                        }
                        let inu = inum.baseAddress! + i * stride, idi = iden.baseAddress! + i * stride
                        let rv = SIMD8<Double>(repeating: r), ev = SIMD8<Double>(repeating: estimate)
                        var f = 0
                        while f < stride {
                            let qv = RatingVectors.load(qi + f), pv = RatingVectors.load(pu + f)
                            RatingVectors.store(RatingVectors.load(unu + f) + qv * rv, unu + f)
                            RatingVectors.store(RatingVectors.load(udu + f) + qv * ev, udu + f)
                            RatingVectors.store(RatingVectors.load(inu + f) + pv * rv, inu + f)
                            RatingVectors.store(RatingVectors.load(idi + f) + pv * ev, idi + f)
                            f += 8
                        }
                    }
                }
                // Users and items with no training rating are not in Surprise's training set: left as drawn.
                for u in 0..<matrix.rowCount {
                    let count = Double(offsets[u + 1] - offsets[u])
                    guard count > 0 else { continue }
                    for f in u * stride..<u * stride + factors where p[f] != 0 {
                        ud[f] += count * regPu * p[f]
                        p[f] *= un[f] / ud[f]
                    }
                }
                for i in 0..<itemCounts.count {
                    let count = Double(itemCounts[i])
                    guard count > 0 else { continue }
                    for f in i * stride..<i * stride + factors where q[f] != 0 {
                        iden[f] += count * regQi * q[f]
                        q[f] *= inum[f] / iden[f]
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
        return FactorRatingModel(globalMean: data.globalMean, biased: biased, factors: factors, stride: stride,
                                 userBiases: bu, itemBiases: bi, userFactors: p, itemFactors: q,
                                 knownUsers: RatingVectors.known(data.byUser), knownItems: RatingVectors.known(data.byItem))
    }
}
