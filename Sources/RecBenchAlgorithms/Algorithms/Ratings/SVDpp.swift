import Foundation
import RecBenchCore

/// SVD++, as Surprise's `SVDpp` (Koren, "Factorization Meets the Neighborhood: a Multifaceted
/// Collaborative Filtering Model", KDD 2008).
///
/// r̂_ui = μ + b_u + b_i + q_i·(p_u + |N(u)|^−½ Σ_{j∈N(u)} y_j), where N(u) is the items u rated
/// in training. Biases start at 0; p, q and then y from N(`init_mean`, `init_std`²). Each
/// epoch visits the training ratings user by user (users in index order, each user's items in
/// index order) and for each computes e = r − r̂, then b_u, b_i, and for every factor f, from
/// the values before the step: p_uf += γ(e·q_if − λp_uf), q_if += γ(e·(p_uf + imp_uf) − λq_if),
/// and y_jf += γ(e·q_if·|N(u)|^−½ − λy_jf) for every j in N(u) — Surprise's order and maths.
///
/// **Same maths, fewer operations.** Every y_j of N(u) receives the same affine step
/// y ← a·y + g_t (a = 1 − γλ, g_t = γ e_t q_i |N(u)|^−½) at each of u's ratings, and nothing
/// else touches y while u's ratings are visited, so after u's n ratings y_j = aⁿ·y_j + c with
/// c = Σ_t a^(n−1−t) g_t: the fit keeps aⁿ and c while it visits u's ratings, keeps the
/// implicit sum up to date the same way (Σy ← a·Σy + |N(u)|·g_t), and writes y_j once per user.
/// An epoch costs O(ratings · factors) instead of Surprise's O(Σ_u |N(u)|² · factors); the
/// predictions differ from the per-rating schedule only by rounding. Double precision, sequential.
///
/// Unknown users or items: μ plus the biases known.
public struct SVDppConfiguration: BuiltInConfiguration {
    /// Latent factors.
    public var factors: Int
    /// Passes over the training ratings.
    public var epochs: Int
    /// Mean of the normal initial factors.
    public var initMean: Double
    /// Standard deviation of the normal initial factors.
    public var initStd: Double
    /// γ, the SGD step of every parameter without its own.
    public var learningRate: Double
    /// λ, the L2 penalty of every parameter without its own.
    public var regularization: Double
    /// Per-parameter steps and penalties (Surprise's `lr_bu`, …, `reg_qi`, `lr_yj`, `reg_yj`); unset ones take
    /// ``learningRate`` and ``regularization``.
    public var overrides = SGDOverrides()

    /// Surprise's defaults: 20 factors, 20 epochs, N(0, 0.1²), lr 0.007, reg 0.02.
    public init() {
        factors = 20
        epochs = 20
        initMean = 0
        initStd = 0.1
        learningRate = 0.007
        regularization = 0.02
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, epochs: Int = Self().epochs, initMean: Double = Self().initMean,
                initStd: Double = Self().initStd, learningRate: Double = Self().learningRate, regularization: Double = Self().regularization) {
        self.factors = factors
        self.epochs = epochs
        self.initMean = initMean
        self.initStd = initStd
        self.learningRate = learningRate
        self.regularization = regularization
    }

    public static let typeName = "svdpp"

    /// The names of the per-parameter overrides, in the order of `hyperparameters`.
    static let overrideNames = ["lr_bu", "lr_bi", "lr_pu", "lr_qi", "lr_yj", "reg_bu", "reg_bi", "reg_pu", "reg_qi", "reg_yj"]

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.ratingFactors), "Latent factors."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes over the training ratings."),
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
        if let v = p.real("init_mean") { initMean = v }
        if let v = p.real("init_std") { initStd = v }
        if let v = p.real("learning_rate") { learningRate = v }
        if let v = p.real("regularization") { regularization = v }
        overrides = SGDOverrides.read(p, Self.overrideNames)
    }

    public var parameters: [String: ParameterValue] {
        let values: [String: ParameterValue] = [
            "factors": .integer(factors), "epochs": .integer(epochs), "init_mean": .double(initMean), "init_std": .double(initStd),
            "learning_rate": .double(learningRate), "regularization": .double(regularization),
        ]
        return values.merging(overrides.parameters) { first, _ in first }
    }

    public var algorithm: Algorithm { .svdpp(self) }

    public var label: String {
        "SVD++(f=\(factors), epochs=\(epochs), lr=\(learningRate), λ=\(regularization)"
            + overrides.label(Self.overrideNames) + ")"
    }

    /// Fits biases, factors and implicit-feedback factors by SGD.
    ///
    /// - Complexity: O(epochs · ratings · factors) time, sequential; O((users + 2 · items) · factors) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> FactorRatingModel {
        try validate()
        let data = RatingTrainingSet(train)
        let steps = overrides.rates(learningRate: learningRate, regularization: regularization)
        let stepY = overrides.value("lr_yj", or: learningRate), decayY = 1 - stepY * overrides.value("reg_yj", or: regularization)
        let stride = RatingVectors.padded(factors)
        var rng = SeededGenerator(seed: seed)
        let mean = initMean, std = initStd
        var p = RatingVectors.fill(rows: data.userCount, factors: factors, stride: stride) { mean + std * rng.nextGaussian() }
        var q = RatingVectors.fill(rows: data.itemCount, factors: factors, stride: stride) { mean + std * rng.nextGaussian() }
        var y = RatingVectors.fill(rows: data.itemCount, factors: factors, stride: stride) { mean + std * rng.nextGaussian() }
        var bu = [Double](repeating: 0, count: data.userCount), bi = [Double](repeating: 0, count: data.itemCount)
        var implicit = [Double](repeating: 0, count: stride), carry = implicit
        let mu = data.globalMean
        let matrix = data.byUser
        matrix.rowOffsets.withUnsafeBufferPointer { offsets in
        matrix.columns.withUnsafeBufferPointer { columns in
        matrix.values.withUnsafeBufferPointer { values in
        p.withUnsafeMutableBufferPointer { p in
        q.withUnsafeMutableBufferPointer { q in
        y.withUnsafeMutableBufferPointer { y in
        bu.withUnsafeMutableBufferPointer { bu in
        bi.withUnsafeMutableBufferPointer { bi in
        implicit.withUnsafeMutableBufferPointer { implicitBuffer in
        carry.withUnsafeMutableBufferPointer { carryBuffer in
            let imp = implicitBuffer.baseAddress!, c = carryBuffer.baseAddress!
            for _ in 0..<epochs {
                for u in 0..<matrix.rowCount {
                    let row = offsets[u]..<offsets[u + 1]
                    guard !row.isEmpty else { continue }
                    let pu = p.baseAddress! + u * stride
                    let rootN = Double(row.count).squareRoot(), inverseRoot = 1 / rootN
                    // imp = |N(u)|^−½ Σ y_j; c = 0; scale = 1.
                    RatingVectors.sumRows(y.baseAddress!, stride: stride, rows: columns, range: row, into: imp)
                    var k = 0
                    while k < stride {
                        RatingVectors.store(RatingVectors.load(imp + k) / SIMD8(repeating: rootN), imp + k)
                        RatingVectors.store(SIMD8(), c + k)
                        k += 8
                    }
                    var scale = 1.0
                    for position in row {
                        let i = Int(columns[position])
                        let qi = q.baseAddress! + i * stride
                        var acc = SIMD8<Double>()
                        k = 0
                        while k < stride {
                            acc += RatingVectors.load(qi + k) * (RatingVectors.load(pu + k) + RatingVectors.load(imp + k))
                            k += 8
                        }
                        let four = acc.lowHalf + acc.highHalf, two = four.lowHalf + four.highHalf
                        let err = Double(values[position]) - (mu + bu[u] + bi[i] + (two[0] + two[1]))
                        bu[u] += steps.bu * (err - steps.regBu * bu[u])
                        bi[i] += steps.bi * (err - steps.regBi * bi[i])
                        let e = SIMD8<Double>(repeating: err)
                        let gp = SIMD8<Double>(repeating: steps.pu), gq = SIMD8<Double>(repeating: steps.qi)
                        let rp = SIMD8<Double>(repeating: steps.regPu), rq = SIMD8<Double>(repeating: steps.regQi)
                        let gy = SIMD8<Double>(repeating: stepY * inverseRoot), a = SIMD8<Double>(repeating: decayY)
                        let n = SIMD8<Double>(repeating: rootN)
                        k = 0
                        while k < stride {
                            let pv = RatingVectors.load(pu + k), qv = RatingVectors.load(qi + k), iv = RatingVectors.load(imp + k)
                            RatingVectors.store(pv + gp * (e * qv - rp * pv), pu + k)
                            RatingVectors.store(qv + gq * (e * (pv + iv) - rq * qv), qi + k)
                            // g = γ_y · e · q_if / √|N(u)|: every y_j ← a·y_j + g, so imp ← a·imp + |N(u)|·g/√|N(u)|.
                            let g = gy * (e * qv)
                            RatingVectors.store(a * RatingVectors.load(c + k) + g, c + k)
                            RatingVectors.store(a * iv + n * g, imp + k)
                            k += 8
                        }
                        scale *= decayY
                    }
                    let s = SIMD8<Double>(repeating: scale)
                    for position in row {
                        let yj = y.baseAddress! + Int(columns[position]) * stride
                        k = 0
                        while k < stride {
                            RatingVectors.store(s * RatingVectors.load(yj + k) + RatingVectors.load(c + k), yj + k)
                            k += 8
                        }
                    }
                }
            }
            // Each known user's p_u + |N(u)|^−½ Σ y_j, the user side of every prediction.
            for u in 0..<matrix.rowCount {
                let row = offsets[u]..<offsets[u + 1]
                guard !row.isEmpty else { continue }
                let pu = p.baseAddress! + u * stride
                RatingVectors.sumRows(y.baseAddress!, stride: stride, rows: columns, range: row, into: imp)
                let root = SIMD8<Double>(repeating: Double(row.count).squareRoot())
                var k = 0
                while k < stride {
                    RatingVectors.store(RatingVectors.load(pu + k) + RatingVectors.load(imp + k) / root, pu + k)
                    k += 8
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
        return FactorRatingModel(globalMean: data.globalMean, biased: true, factors: factors, stride: stride,
                                 userBiases: bu, itemBiases: bi, userFactors: p, itemFactors: q,
                                 knownUsers: RatingVectors.known(data.byUser), knownItems: RatingVectors.known(data.byItem))
    }
}

extension RatingVectors {
    /// `out` = Σ of the rows `rows[range]` of `matrix` (rows of `stride` doubles), in the order listed.
    @inline(__always)
    package static func sumRows(_ matrix: UnsafePointer<Double>, stride: Int, rows: UnsafeBufferPointer<Int32>, range: Range<Int>,
                                into out: UnsafeMutablePointer<Double>) {
        var k = 0
        while k < stride { store(SIMD8(), out + k); k += 8 }
        for position in range {
            let row = matrix + Int(rows[position]) * stride
            k = 0
            while k < stride { store(load(out + k) + load(row + k), out + k); k += 8 }
        }
    }
}
