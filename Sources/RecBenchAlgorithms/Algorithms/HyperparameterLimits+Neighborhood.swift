extension HyperparameterLimits {
    /// Baseline-estimate passes (ALS or SGD).
    public static let baselineEpochs: ClosedRange<Int> = 0...100_000
    /// Baseline regularisations (ALS's reg_u and reg_i, SGD's λ).
    public static let baselineRegularization: ClosedRange<Double> = 0...1e9
    /// Rating k-NN: the most neighbours aggregated (k).
    public static let ratingNeighbors: ClosedRange<Int> = 1...10_000_000
    /// Rating k-NN: the fewest neighbours for a neighbourhood estimate (min_k).
    public static let minimumNeighbors: ClosedRange<Int> = 0...10_000_000
    /// Rating k-NN: the fewest common ratings for a non-zero similarity (min_support).
    public static let minimumSupport: ClosedRange<Int> = 1...10_000_000
    /// The Pearson-baseline similarity's shrinkage.
    public static let pearsonShrinkage: ClosedRange<Double> = 0...1e9
}
