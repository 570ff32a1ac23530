import RecBenchCore
/// The allowed values of every numeric hyperparameter of the built-in algorithms: the one place
/// they are stated.
///
/// Each configuration's ``RecommenderConfiguration/hyperparameters`` read their domains from
/// here, and experiment files, `--param`, the per-hyperparameter flags and every `validate()`
/// (which `fit` calls first) check those domains, so a value is accepted or refused in the same
/// words on every path. Every
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
    package static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound)…\(range.upperBound)"
    }

    /// Every integer limit, for the test that they stay exact in a `Double`.
    package static let integerRanges: [ClosedRange<Int>] = [factors, iterations, conjugateGradientSteps, epochs, bprBlocks, neighbors, maxItems,
                                                     layerWidth, layerCount, batchSize, annealSteps]

    /// The words a range is given in (`0…1000`).
    package static func describe(_ range: ClosedRange<Double>) -> String { "\(format(range.lowerBound))…\(format(range.upperBound))" }

    /// A bound or value as people write it (`1e-09`, `0.99`, `1000`).
    package static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}
