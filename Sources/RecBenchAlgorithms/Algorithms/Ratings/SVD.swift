import RecBenchCore

/// Biased matrix factorisation by stochastic gradient descent, as Surprise's `SVD` (Funk 2006;
/// Koren, Bell and Volinsky, "Matrix Factorization Techniques for Recommender Systems",
/// IEEE Computer 2009).
///
/// r̂_ui = μ + b_u + b_i + q_i·p_u. Biases start at 0, factors from N(`init_mean`, `init_std`²)
/// (every user's row, then every item's, from the seed). Each epoch visits the training
/// ratings in a fixed order (users in index order, each user's items in index order) and, for
/// each, computes e = r − r̂ and then updates b_u ← b_u + γ(e − λb_u), b_i likewise, and every
/// factor f with the values from before the step: p_uf ← p_uf + γ(e·q_if − λp_uf),
/// q_if ← q_if + γ(e·p_uf − λq_if). Unbiased (`biased = false`): μ, b_u and b_i are left out.
/// μ, the biases and the errors are doubles, as Surprise's; the factors are single precision
/// during the fit (half the memory traffic: measured 5-fold RMSE on MovieLens 100K equal to the
/// double-precision fit's to 1e-8), doubles in the model. The fit is sequential, so it is the
/// same at any thread count.
///
/// Unknown users or items: μ plus the biases known (biased), else no prediction.
public struct SVDConfiguration: BuiltInConfiguration {
    /// Latent factors.
    public var factors: Int
    /// Passes over the training ratings.
    public var epochs: Int
    /// Whether the baselines μ + b_u + b_i are part of the model.
    public var biased: Bool
    /// Mean of the normal initial factors.
    public var initMean: Double
    /// Standard deviation of the normal initial factors.
    public var initStd: Double
    /// γ, the SGD step of every parameter without its own.
    public var learningRate: Double
    /// λ, the L2 penalty of every parameter without its own.
    public var regularization: Double
    /// Per-parameter steps and penalties (Surprise's `lr_bu`, …, `reg_qi`); unset ones take
    /// ``learningRate`` and ``regularization``.
    public var overrides = SGDOverrides()

    /// Surprise's defaults: 100 factors, 20 epochs, biased, N(0, 0.1²), lr 0.005, reg 0.02.
    public init() {
        factors = 100
        epochs = 20
        biased = true
        initMean = 0
        initStd = 0.1
        learningRate = 0.005
        regularization = 0.02
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, epochs: Int = Self().epochs, biased: Bool = Self().biased,
                initMean: Double = Self().initMean, initStd: Double = Self().initStd,
                learningRate: Double = Self().learningRate, regularization: Double = Self().regularization) {
        self.factors = factors
        self.epochs = epochs
        self.biased = biased
        self.initMean = initMean
        self.initStd = initStd
        self.learningRate = learningRate
        self.regularization = regularization
    }

    public static let typeName = "svd"

    /// The names of the per-parameter overrides, in the order of `hyperparameters`.
    static let overrideNames = ["lr_bu", "lr_bi", "lr_pu", "lr_qi", "reg_bu", "reg_bi", "reg_pu", "reg_qi"]

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.ratingFactors), "Latent factors."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes over the training ratings."),
        Hyperparameter("biased", .boolean, "Whether μ + b_u + b_i are part of the model."),
        Hyperparameter("init_mean", .real(HyperparameterLimits.initMean), "Mean of the normal initial factors."),
        Hyperparameter("init_std", .real(HyperparameterLimits.initStd), "Standard deviation of the normal initial factors."),
        Hyperparameter("learning_rate", .real(HyperparameterLimits.ratingLearningRate), "γ, the SGD step (Surprise's lr_all)."),
        Hyperparameter("regularization", .real(HyperparameterLimits.ratingRegularization), "λ, the L2 penalty (Surprise's reg_all)."),
    ] + SGDOverrides.hyperparameters(overrideNames)

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("factors") { factors = v }
        if let v = p.integer("epochs") { epochs = v }
        if let v = p.boolean("biased") { biased = v }
        if let v = p.real("init_mean") { initMean = v }
        if let v = p.real("init_std") { initStd = v }
        if let v = p.real("learning_rate") { learningRate = v }
        if let v = p.real("regularization") { regularization = v }
        overrides = SGDOverrides.read(p, Self.overrideNames)
    }

    public var parameters: [String: ParameterValue] {
        let values: [String: ParameterValue] = [
            "factors": .integer(factors), "epochs": .integer(epochs), "biased": .boolean(biased),
            "init_mean": .double(initMean), "init_std": .double(initStd),
            "learning_rate": .double(learningRate), "regularization": .double(regularization),
        ]
        return values.merging(overrides.parameters) { first, _ in first }
    }

    public var algorithm: Algorithm { .svd(self) }

    public var label: String {
        "SVD(f=\(factors), epochs=\(epochs), lr=\(learningRate), λ=\(regularization)\(biased ? "" : ", unbiased")"
            + overrides.label(Self.overrideNames) + ")"
    }

    /// Fits biases and factors by SGD.
    ///
    /// - Complexity: O(epochs · ratings · factors) time, sequential; O((users + items) · factors) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> FactorRatingModel {
        try validate()
        let data = RatingTrainingSet(train)
        let steps = overrides.rates(learningRate: learningRate, regularization: regularization)
        // Factors in single precision during the fit (rows of `width` floats, a multiple of 16):
        // half the memory traffic of Surprise's doubles; biases, errors and μ stay in double.
        let width = (factors + 15) & ~15
        var rng = SeededGenerator(seed: seed)
        let mean = initMean, std = initStd, factors = self.factors
        var p = [Float](repeating: 0, count: data.userCount * width), q = [Float](repeating: 0, count: data.itemCount * width)
        for u in 0..<data.userCount { for f in 0..<factors { p[u * width + f] = Float(mean + std * rng.nextGaussian()) } }
        for i in 0..<data.itemCount { for f in 0..<factors { q[i * width + f] = Float(mean + std * rng.nextGaussian()) } }
        var bu = [Double](repeating: 0, count: data.userCount), bi = [Double](repeating: 0, count: data.itemCount)
        let mu = biased ? data.globalMean : 0, biased = self.biased
        let matrix = data.byUser
        matrix.rowOffsets.withUnsafeBufferPointer { offsets in
        matrix.columns.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
        p.withUnsafeMutableBufferPointer { p in
        q.withUnsafeMutableBufferPointer { q in
        bu.withUnsafeMutableBufferPointer { bu in
        bi.withUnsafeMutableBufferPointer { bi in
            for _ in 0..<epochs {
                for u in 0..<matrix.rowCount {
                    let pu = p.baseAddress! + u * width
                    for k in offsets[u]..<offsets[u + 1] {
                        let i = Int(columns[k])
                        let qi = q.baseAddress! + i * width
                        let dot = SVDKernel.dot(pu, qi, width)
                        let err = Double(values[k]) - (mu + bu[u] + bi[i] + dot)
                        if biased {
                            bu[u] += steps.bu * (err - steps.regBu * bu[u])
                            bi[i] += steps.bi * (err - steps.regBi * bi[i])
                        }
                        SVDKernel.update(pu: pu, qi: qi, err: Float(err), steps: steps, width: width)
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
        // The model keeps doubles (rows of `stride`), as every rating model.
        let stride = RatingVectors.padded(factors)
        var userFactors = [Double](repeating: 0, count: data.userCount * stride), itemFactors = [Double](repeating: 0, count: data.itemCount * stride)
        for u in 0..<data.userCount { for f in 0..<factors { userFactors[u * stride + f] = Double(p[u * width + f]) } }
        for i in 0..<data.itemCount { for f in 0..<factors { itemFactors[i * stride + f] = Double(q[i * width + f]) } }
        return FactorRatingModel(globalMean: data.globalMean, biased: biased, factors: factors, stride: stride,
                                 userBiases: bu, itemBiases: bi, userFactors: userFactors, itemFactors: itemFactors,
                                 knownUsers: RatingVectors.known(data.byUser), knownItems: RatingVectors.known(data.byItem))
    }
}

/// The steps and penalties of one SGD on biases and factors (Surprise's `lr_*` and `reg_*`).
package struct SGDRates: Sendable {
    package var bu, bi, pu, qi: Double
    package var regBu, regBi, regPu, regQi: Double

    /// p_u ← p_u + γ_p(e·q_i − λ_p p_u) and q_i ← q_i + γ_q(e·p_u − λ_q q_i), both from the
    /// values before the step (rows of `stride` doubles, a multiple of 8).
    @inline(__always)
    package func updateFactors(pu: UnsafeMutablePointer<Double>, qi: UnsafeMutablePointer<Double>, err: Double, stride: Int) {
        let e = SIMD8<Double>(repeating: err)
        let gp = SIMD8<Double>(repeating: self.pu), gq = SIMD8<Double>(repeating: self.qi)
        let rp = SIMD8<Double>(repeating: regPu), rq = SIMD8<Double>(repeating: regQi)
        var k = 0
        while k < stride {
            let pv = RatingVectors.load(pu + k), qv = RatingVectors.load(qi + k)
            RatingVectors.store(pv + gp * (e * qv - rp * pv), pu + k)
            RatingVectors.store(qv + gq * (e * pv - rq * qv), qi + k)
            k += 8
        }
    }
}

/// SVD's single-precision inner loops over rows of a multiple of 16 floats.
package enum SVDKernel {
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    @inline(__always) static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// q·p in two accumulators (halving the dependency chain), summed as a tree, in double.
    @inline(__always) package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Double {
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        var k = 0
        while k + 32 <= n {
            even += load(a + k) * load(b + k)
            odd += load(a + k + 16) * load(b + k + 16)
            k += 32
        }
        if k < n { even += load(a + k) * load(b + k) }
        let sum = even + odd
        let eight = sum.lowHalf + sum.highHalf, four = eight.lowHalf + eight.highHalf, two = four.lowHalf + four.highHalf
        return Double(two[0] + two[1])
    }

    /// p_u ← p_u + γ_p(e·q_i − λ_p p_u) and q_i ← q_i + γ_q(e·p_u − λ_q q_i) from the values before the step.
    @inline(__always) package static func update(pu: UnsafeMutablePointer<Float>, qi: UnsafeMutablePointer<Float>, err: Float,
                                                 steps: SGDRates, width: Int) {
        let e = SIMD16<Float>(repeating: err)
        let gp = SIMD16<Float>(repeating: Float(steps.pu)), gq = SIMD16<Float>(repeating: Float(steps.qi))
        let rp = SIMD16<Float>(repeating: Float(steps.regPu)), rq = SIMD16<Float>(repeating: Float(steps.regQi))
        var k = 0
        while k < width {
            let pv = load(pu + k), qv = load(qi + k)
            store(pv + gp * (e * qv - rp * pv), pu + k)
            store(qv + gq * (e * pv - rq * qv), qi + k)
            k += 16
        }
    }
}
