/// The allowed values of every numeric hyperparameter of the built-in algorithms: the one place
/// they are stated.
///
/// Experiment files (through ``AlgorithmKind``), the command line (through
/// ``Algorithm/validate()``) and every configuration's `validate()`, which `fit` calls first,
/// read these ranges, so a value is accepted or refused in the same words on every path. Every
/// bound is finite and exact in a `Double` (ranges in experiment files are drawn as doubles),
/// and keeps every size a fit derives from it far from `Int.max`; whether the sizes fit in
/// memory is checked separately, against this machine, by ``MemoryBudget``.
public enum HyperparameterLimits {
    /// ALS and BPR latent factors (BPR adds an item bias on top).
    public static let factors: ClosedRange<Int> = 1...256
    /// ALS sweeps.
    public static let iterations: ClosedRange<Int> = 0...10_000
    /// ALS conjugate-gradient steps per row.
    public static let conjugateGradientSteps: ClosedRange<Int> = 1...100
    /// ALS λ.
    public static let alsRegularization: ClosedRange<Double> = 0...1e9
    /// ALS α of the confidence 1 + α·r.
    public static let alpha: ClosedRange<Double> = 0...1e9
    /// BPR and autoencoder epochs.
    public static let epochs: ClosedRange<Int> = 0...100_000
    /// BPR and autoencoder learning rates.
    public static let learningRate: ClosedRange<Double> = 1e-9...10
    /// BPR λ.
    public static let bprRegularization: ClosedRange<Double> = 0...1e3
    /// BPR user and item groups of the stratified schedule (blocks² cells).
    public static let bprBlocks: ClosedRange<Int> = 1...1024
    /// Item-kNN neighbours per item (a count above the catalogue keeps every item).
    public static let neighbors: ClosedRange<Int> = 1...10_000_000
    /// Item-kNN shrinkage.
    public static let shrinkage: ClosedRange<Double> = 0...1e9
    /// BM25's K1.
    public static let k1: ClosedRange<Double> = 0...100
    /// BM25's B.
    public static let b: ClosedRange<Double> = 0...1
    /// EASE λ.
    public static let easeRegularization: ClosedRange<Double> = 0...1e12
    /// EASE's largest accepted catalogue.
    public static let maxItems: ClosedRange<Int> = 1...10_000_000
    /// Width of each autoencoder layer (memory is checked at fit time, with the catalogue size).
    public static let layerWidth: ClosedRange<Int> = 1...1_000_000
    /// Autoencoder layers listed (encoder side).
    public static let layerCount: ClosedRange<Int> = 1...16
    /// Autoencoder users per batch.
    public static let batchSize: ClosedRange<Int> = 1...1_000_000
    /// Autoencoder λ.
    public static let autoencoderRegularization: ClosedRange<Double> = 0...1e3
    /// Autoencoder input dropout probability.
    public static let dropout: ClosedRange<Double> = 0...0.99
    /// The VAE's largest β.
    public static let annealCap: ClosedRange<Double> = 0...10
    /// Updates over which the VAE's β grows.
    public static let annealSteps: ClosedRange<Int> = 1...1_000_000_000

    /// The words a range is given in (`1…256`, `at least 1`).
    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound)…\(range.upperBound)"
    }

    /// Every integer limit, for the test that they stay exact in a `Double`.
    static let integerRanges: [ClosedRange<Int>] = [factors, iterations, conjugateGradientSteps, epochs, bprBlocks, neighbors, maxItems,
                                                     layerWidth, layerCount, batchSize, annealSteps]

    /// The words a range is given in (`0…1000`).
    static func describe(_ range: ClosedRange<Double>) -> String { "\(format(range.lowerBound))…\(format(range.upperBound))" }

    /// A bound or value as people write it (`1e-09`, `0.99`, `1000`).
    static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}

/// Checks one configuration's values against ``HyperparameterLimits``.
struct HyperparameterCheck {
    /// The algorithm named in errors.
    let algorithm: String

    func integer(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws(AlgorithmError) {
        guard range.contains(value) else {
            throw .invalidHyperparameter(algorithm: algorithm, parameter: name, value: String(value), allowed: HyperparameterLimits.describe(range))
        }
    }

    func double(_ name: String, _ value: Double, in range: ClosedRange<Double>) throws(AlgorithmError) {
        guard range.contains(value) else {   // NaN is in no range
            throw .invalidHyperparameter(algorithm: algorithm, parameter: name, value: "\(value)", allowed: HyperparameterLimits.describe(range))
        }
    }
}

extension Algorithm {
    /// Checks every hyperparameter against ``HyperparameterLimits``; `fit` does it too.
    ///
    /// - Throws: ``AlgorithmError/invalidHyperparameter(algorithm:parameter:value:allowed:)``
    ///   naming the parameter (as experiment files spell it), the value and the allowed range.
    public func validate() throws(AlgorithmError) {
        switch self {
        case .popularity, .random: return
        case .itemKNN(let c): try c.validate()
        case .als(let c): try c.validate()
        case .bpr(let c): try c.validate()
        case .ease(let c): try c.validate()
        case .multVAE(let c): try c.validate()
        }
    }
}

extension ALSConfiguration {
    /// Checks the hyperparameters against ``HyperparameterLimits``.
    public func validate() throws(AlgorithmError) {
        let check = HyperparameterCheck(algorithm: "ALS")
        try check.integer("factors", factors, in: HyperparameterLimits.factors)
        try check.integer("iterations", iterations, in: HyperparameterLimits.iterations)
        try check.double("regularization", regularization, in: HyperparameterLimits.alsRegularization)
        try check.double("alpha", alpha, in: HyperparameterLimits.alpha)
        if case .conjugateGradient(let steps) = solver { try check.integer("cg_steps", steps, in: HyperparameterLimits.conjugateGradientSteps) }
    }
}

extension BPRConfiguration {
    /// Checks the hyperparameters against ``HyperparameterLimits``.
    public func validate() throws(AlgorithmError) {
        let check = HyperparameterCheck(algorithm: "BPR")
        try check.integer("factors", factors, in: HyperparameterLimits.factors)
        try check.double("learning_rate", learningRate, in: HyperparameterLimits.learningRate)
        try check.double("regularization", regularization, in: HyperparameterLimits.bprRegularization)
        try check.integer("epochs", epochs, in: HyperparameterLimits.epochs)
        try check.integer("blocks", blocks, in: HyperparameterLimits.bprBlocks)
    }
}

extension ItemKNNConfiguration {
    /// Checks the hyperparameters against ``HyperparameterLimits``.
    public func validate() throws(AlgorithmError) {
        let check = HyperparameterCheck(algorithm: "item-kNN")
        try check.integer("neighbors", neighbors, in: HyperparameterLimits.neighbors)
        try check.double("shrinkage", shrinkage, in: HyperparameterLimits.shrinkage)
        if case .bm25(let k1, let b) = weighting {
            try check.double("k1", k1, in: HyperparameterLimits.k1)
            try check.double("b", b, in: HyperparameterLimits.b)
        }
    }
}

extension EASEConfiguration {
    /// Checks the hyperparameters against ``HyperparameterLimits``.
    public func validate() throws(AlgorithmError) {
        let check = HyperparameterCheck(algorithm: "EASE")
        try check.double("regularization", regularization, in: HyperparameterLimits.easeRegularization)
        try check.integer("max_items", maxItems, in: HyperparameterLimits.maxItems)
    }
}

extension MultVAEConfiguration {
    /// Checks the hyperparameters against ``HyperparameterLimits``.
    public func validate() throws(AlgorithmError) {
        let check = HyperparameterCheck(algorithm: "Mult-\(variant.rawValue.uppercased())")
        guard HyperparameterLimits.layerCount.contains(layers.count) else {
            throw .invalidHyperparameter(algorithm: check.algorithm, parameter: "layers", value: "\(layers.count) layers",
                                         allowed: HyperparameterLimits.describe(HyperparameterLimits.layerCount) + " layers")
        }
        for width in layers { try check.integer("layers", width, in: HyperparameterLimits.layerWidth) }
        try check.integer("epochs", epochs, in: HyperparameterLimits.epochs)
        try check.integer("batch_size", batchSize, in: HyperparameterLimits.batchSize)
        try check.double("learning_rate", learningRate, in: HyperparameterLimits.learningRate)
        try check.double("regularization", regularization, in: HyperparameterLimits.autoencoderRegularization)
        try check.double("dropout", dropout, in: HyperparameterLimits.dropout)
        try check.double("anneal_cap", annealCap, in: HyperparameterLimits.annealCap)
        if let annealSteps { try check.integer("anneal_steps", annealSteps, in: HyperparameterLimits.annealSteps) }
    }
}
