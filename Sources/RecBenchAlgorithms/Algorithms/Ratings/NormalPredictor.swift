import Foundation
import RecBenchCore

/// A random rating from the training ratings' normal distribution, as Surprise's
/// `NormalPredictor`: r̂_ui ~ N(μ, σ²) with μ the mean of the training ratings and σ their
/// population standard deviation, √(Σ(r − μ)²/n) (the maximum-likelihood estimates).
///
/// The draw for (user, item) is a pure function of (seed, user, item): a counter-based hash
/// gives two uniforms, and Box–Muller turns them into a standard normal z, so r̂_ui = μ + σz is
/// the same whatever the order, batching or thread count of the calls. Every pair gets a draw,
/// known or not (Surprise's rule); the evaluator clips it to the rating scale.
public struct NormalPredictorConfiguration: BuiltInConfiguration {
    /// Creates the configuration (it has no hyperparameters).
    public init() {}

    public static let typeName = "normal"

    public static let hyperparameters: [Hyperparameter] = []

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        _ = try ParameterReader(parameters, for: Self.self)
    }

    public var parameters: [String: ParameterValue] { [:] }

    public var algorithm: Algorithm { .normal(self) }

    public var label: String { "NormalPredictor" }

    /// Measures μ and σ of the training ratings.
    ///
    /// - Complexity: O(ratings).
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> NormalPredictorModel {
        let data = RatingTrainingSet(train)
        var squares = 0.0
        for value in data.byUser.values {
            let d = Double(value) - data.globalMean
            squares += d * d
        }
        let sigma = data.ratingCount > 0 ? (squares / Double(data.ratingCount)).squareRoot() : 0
        return NormalPredictorModel(mean: data.globalMean, standardDeviation: sigma, itemCount: data.itemCount, seed: seed)
    }
}

/// The model of ``NormalPredictorConfiguration``.
public struct NormalPredictorModel: RatingModel {
    /// μ, the mean of the training ratings.
    public let mean: Double
    /// σ, their population standard deviation.
    public let standardDeviation: Double
    public let itemCount: Int
    /// The seed of every draw.
    public let seed: UInt64

    public var fallbackRating: Double { mean }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        mean + standardDeviation * Self.standardNormal(seed: seed, user: user.rawValue, item: item.rawValue)
    }

    /// A standard normal draw that depends only on (seed, user, item): SplitMix64's finaliser
    /// over the three, twice, gives u₁ ∈ (0, 1] and u₂ ∈ [0, 1); z = √(−2 ln u₁) cos(2πu₂).
    public static func standardNormal(seed: UInt64, user: Int32, item: Int32) -> Double {
        @inline(__always) func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let key = UInt64(UInt32(bitPattern: user)) << 32 | UInt64(UInt32(bitPattern: item))
        let first = mix(mix(seed) ^ key), second = mix(first)
        let u1 = Double((first >> 11) + 1) * 0x1.0p-53, u2 = Double(second >> 11) * 0x1.0p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
