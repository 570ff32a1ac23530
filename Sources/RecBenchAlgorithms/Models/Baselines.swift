import RecBenchCore

/// How the baseline biases are fitted.
public enum BaselineMethod: String, Codable, Hashable, Sendable, CaseIterable {
    /// Alternating least squares: every item bias, then every user bias, in closed form per epoch.
    case als
    /// Stochastic gradient descent over the training ratings.
    case sgd
}

/// The options of the baseline estimates b_ui = μ + b_u + b_i, as Surprise's `bsl_options`.
///
/// Surprise's defaults: ALS with 10 epochs, `reg_u` 15 and `reg_i` 10; SGD with 20 epochs,
/// regularisation 0.02 and learning rate 0.005. A configuration that chooses SGD without giving
/// `epochs` gets SGD's 20 (``read(_:)``).
public struct BaselineOptions: Codable, Hashable, Sendable {
    /// ALS or SGD.
    public var method: BaselineMethod
    /// Passes over the ratings (ALS: one update of every item bias then of every user bias).
    public var epochs: Int
    /// ALS: the regularisation of the user biases.
    public var userRegularization: Double
    /// ALS: the regularisation of the item biases.
    public var itemRegularization: Double
    /// SGD: the L2 penalty λ of every step.
    public var regularization: Double
    /// SGD: the step γ.
    public var learningRate: Double

    /// Surprise's defaults: ALS, 10 epochs, reg_u 15, reg_i 10 (SGD's: λ 0.02, γ 0.005).
    public init() {
        method = .als
        epochs = 10
        userRegularization = 15
        itemRegularization = 10
        regularization = 0.02
        learningRate = 0.005
    }

    /// Surprise's epochs for `method`: 10 for ALS, 20 for SGD.
    public static func defaultEpochs(for method: BaselineMethod) -> Int { method == .als ? 10 : 20 }

    /// The hyperparameters, as every configuration that fits baselines declares them.
    public static let hyperparameters = [
        Hyperparameter("method", .choice(BaselineMethod.allCases.map(\.rawValue)), "How the baseline biases are fitted: als or sgd."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.baselineEpochs), "Baseline passes (unset: 10 for als, 20 for sgd)."),
        Hyperparameter("reg_u", .real(HyperparameterLimits.baselineRegularization), "als: regularisation of the user biases."),
        Hyperparameter("reg_i", .real(HyperparameterLimits.baselineRegularization), "als: regularisation of the item biases."),
        Hyperparameter("regularization", .real(HyperparameterLimits.baselineRegularization), "sgd: λ, the L2 penalty of every step."),
        Hyperparameter("learning_rate", .real(HyperparameterLimits.learningRate), "sgd: the step γ."),
    ]

    /// The names of ``hyperparameters``.
    public static let names: Set<String> = Set(hyperparameters.map(\.name))

    /// The options in `p` (absent ones at their defaults; SGD's epochs when `method` is sgd and
    /// `epochs` is absent).
    public static func read(_ p: ParameterReader) -> BaselineOptions {
        var options = BaselineOptions()
        if let v = p.word("method") {
            options.method = BaselineMethod(rawValue: v)!   // the domain lists exactly the raw values
            options.epochs = defaultEpochs(for: options.method)
        }
        if let v = p.integer("epochs") { options.epochs = v }
        if let v = p.real("reg_u") { options.userRegularization = v }
        if let v = p.real("reg_i") { options.itemRegularization = v }
        if let v = p.real("regularization") { options.regularization = v }
        if let v = p.real("learning_rate") { options.learningRate = v }
        return options
    }

    /// The canonical values of ``hyperparameters``.
    public var parameters: [String: ParameterValue] {
        ["method": .string(method.rawValue), "epochs": .integer(epochs), "reg_u": .double(userRegularization),
         "reg_i": .double(itemRegularization), "regularization": .double(regularization), "learning_rate": .double(learningRate)]
    }

    /// The parameters the other method's choice makes meaningless (`reg_u`, `reg_i` under sgd;
    /// `regularization`, `learning_rate` under als).
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        values["method"] == .string(BaselineMethod.sgd.rawValue) ? ["reg_u", "reg_i"] : ["regularization", "learning_rate"]
    }

    /// A short label (`als(10, reg_u=15, reg_i=10)`).
    public var label: String {
        switch method {
        case .als: return "als(\(epochs), reg_u=\(userRegularization), reg_i=\(itemRegularization))"
        case .sgd: return "sgd(\(epochs), λ=\(regularization), γ=\(learningRate))"
        }
    }
}

/// Fitted baseline estimates b_ui = μ + b_u + b_i (Koren, "Factor in the neighbors: scalable and
/// accurate collaborative filtering", TKDD 2010, section 2.1), computed as Surprise's
/// `baseline_als` and `baseline_sgd` do.
///
/// **ALS** (as MyMediaLite and Surprise): each epoch sets every item's bias to
/// Σ_{u ∈ U_i} (r_ui − μ − b_u) / (reg_i + |U_i|), then every user's to
/// Σ_{i ∈ I_u} (r_ui − μ − b_i) / (reg_u + |I_u|); biases start at 0.
/// **SGD**: each epoch visits every rating, user by user (users in index order, each user's
/// items in index order; Surprise visits them in the order of the training file), and with
/// e = r_ui − (μ + b_u + b_i) sets b_u += γ(e − λ b_u), then b_i += γ(e − λ b_i).
///
/// A user or item without training ratings keeps bias 0 (it is not updated), so ``estimate(user:item:)`` is
/// μ plus the known biases (Surprise's BaselineOnly rule).
public struct Baselines: Sendable, Hashable {
    /// μ, the mean of the training ratings.
    public let globalMean: Double
    /// b_u per user of the training set.
    public let userBiases: [Double]
    /// b_i per item of the training set.
    public let itemBiases: [Double]

    /// Biases given directly (for tests and for models built elsewhere).
    public init(globalMean: Double, userBiases: [Double], itemBiases: [Double]) {
        self.globalMean = globalMean
        self.userBiases = userBiases
        self.itemBiases = itemBiases
    }

    /// Fits the biases to `ratings`.
    ///
    /// - Complexity: O(epochs · ratings) time, O(users + items) memory; sequential (the cost
    ///   is a few milliseconds on MovieLens 100K, and SGD's order is part of its definition).
    public init(fitting ratings: RatingTrainingSet, options: BaselineOptions) {
        let mu = ratings.globalMean
        var bu = [Double](repeating: 0, count: ratings.userCount)
        var bi = [Double](repeating: 0, count: ratings.itemCount)
        let byUser = ratings.byUser, byItem = ratings.byItem
        bu.withUnsafeMutableBufferPointer { bu in
        bi.withUnsafeMutableBufferPointer { bi in
        byUser.rowOffsets.withUnsafeBufferPointer { userOffsets in
        byUser.columns.withUnsafeBufferPointer { userItems in
        byUser.values.withUnsafeBufferPointer { userValues in
        byItem.rowOffsets.withUnsafeBufferPointer { itemOffsets in
        byItem.columns.withUnsafeBufferPointer { itemUsers in
        byItem.values.withUnsafeBufferPointer { itemValues in
            switch options.method {
            case .als:
                let regU = options.userRegularization, regI = options.itemRegularization
                for _ in 0..<options.epochs {
                    for i in 0..<bi.count where itemOffsets[i + 1] > itemOffsets[i] {
                        var deviation = 0.0
                        for p in itemOffsets[i]..<itemOffsets[i + 1] {
                            deviation += Double(itemValues[p]) - mu - bu[Int(itemUsers[p])]
                        }
                        bi[i] = deviation / (regI + Double(itemOffsets[i + 1] - itemOffsets[i]))
                    }
                    for u in 0..<bu.count where userOffsets[u + 1] > userOffsets[u] {
                        var deviation = 0.0
                        for p in userOffsets[u]..<userOffsets[u + 1] {
                            deviation += Double(userValues[p]) - mu - bi[Int(userItems[p])]
                        }
                        bu[u] = deviation / (regU + Double(userOffsets[u + 1] - userOffsets[u]))
                    }
                }
            case .sgd:
                let lr = options.learningRate, reg = options.regularization
                for _ in 0..<options.epochs {
                    for u in 0..<bu.count {
                        for p in userOffsets[u]..<userOffsets[u + 1] {
                            let i = Int(userItems[p])
                            let error = Double(userValues[p]) - (mu + bu[u] + bi[i])
                            bu[u] += lr * (error - reg * bu[u])
                            bi[i] += lr * (error - reg * bi[i])
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
        globalMean = mu
        userBiases = bu
        itemBiases = bi
    }

    /// b_u, or 0 for a user beyond the training set.
    @inlinable public func userBias(_ user: Int) -> Double { user >= 0 && user < userBiases.count ? userBiases[user] : 0 }

    /// b_i, or 0 for an item beyond the training set.
    @inlinable public func itemBias(_ item: Int) -> Double { item >= 0 && item < itemBiases.count ? itemBiases[item] : 0 }

    /// μ + b_u + b_i, each bias 0 where unknown (a user or item without training ratings has 0).
    @inlinable public func estimate(user: Int, item: Int) -> Double { globalMean + userBias(user) + itemBias(item) }
}
