import RecBenchCore

extension HyperparameterLimits {
    /// The SGD steps and regularisation of the rating models (SVD, SVD++, NMF's biases).
    public static let ratingLearningRate: ClosedRange<Double> = 0...10
    /// λ of the rating models' L2 penalties.
    public static let ratingRegularization: ClosedRange<Double> = 0...1e3
    /// The mean of the rating models' normal initial factors.
    public static let initMean: ClosedRange<Double> = -1e3...1e3
    /// The standard deviation of the rating models' normal initial factors.
    public static let initStd: ClosedRange<Double> = 0...1e3
    /// The bounds of NMF's uniform initial factors (non-negative, as its updates need).
    public static let initBound: ClosedRange<Double> = 0...1e3
    /// The rating models' latent factors (rows of doubles; SVD's default is 100).
    public static let ratingFactors: ClosedRange<Int> = 1...1024
}
