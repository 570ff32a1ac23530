import RecBenchCore

/// Baseline only: the estimate is b_ui = μ + b_u + b_i (Koren, "Factor in the neighbors:
/// scalable and accurate collaborative filtering", TKDD 2010, section 2.1), as Surprise's
/// `BaselineOnly`.
///
/// The biases are fitted by ALS (Surprise's default: 10 epochs, reg_u 15, reg_i 10) or SGD
/// (20 epochs, λ 0.02, γ 0.005); see ``Baselines``. An unknown user or item contributes no bias,
/// so there is always an estimate (μ for a pair both unknown). No random choice.
public struct BaselineConfiguration: BuiltInConfiguration {
    /// How the biases are fitted.
    public var baseline: BaselineOptions

    /// Surprise's defaults (ALS, 10 epochs, reg_u 15, reg_i 10).
    public init() { baseline = BaselineOptions() }

    /// Creates the configuration.
    public init(baseline: BaselineOptions) { self.baseline = baseline }

    public static let typeName = "baseline"

    public static let hyperparameters = BaselineOptions.hyperparameters

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        baseline = BaselineOptions.read(try ParameterReader(parameters, for: Self.self))
    }

    public var parameters: [String: ParameterValue] { baseline.parameters }

    public var algorithm: Algorithm { .baseline(self) }

    public static var usesSeed: Bool { false }

    /// ALS's regularisations under sgd, SGD's step and λ under als.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        BaselineOptions.ignoredParameters(given: values)
    }

    public var label: String { "Baseline(\(baseline.label))" }

    /// Fits the biases.
    ///
    /// - Complexity: O(epochs · ratings) time, O(users + items) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> BaselineModel {
        try validate()
        let ratings = RatingTrainingSet(train)
        return BaselineModel(baselines: Baselines(fitting: ratings, options: baseline), itemCount: ratings.itemCount)
    }
}

/// The model of ``BaselineConfiguration``: μ + b_u + b_i, a bias 0 where the user or item is unknown.
public struct BaselineModel: RatingModel {
    /// The fitted biases.
    public let baselines: Baselines
    public let itemCount: Int

    public var fallbackRating: Double { baselines.globalMean }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        baselines.estimate(user: user.int, item: item.int)
    }
}
