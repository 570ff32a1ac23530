import Foundation

/// What a benchmark asks of a model: a ranking of items (implicit feedback) or predicted
/// ratings (explicit feedback).
///
/// The task decides how a dataset is prepared and which metrics are the defaults:
/// - ``ranking``: values are play counts or confidences; interactions with a value of zero or
///   less are dropped; MovieLens ratings become implicit feedback (≥ 4 by default); metrics
///   default to P, R, MAP and NDCG at 10, and AUC.
/// - ``rating``: values are ratings, kept as they are (0 included: Yahoo! Music R1 rates 0–100);
///   MovieLens ratings are read as values; metrics default to RMSE and MAE.
public enum EvaluationTask: String, Codable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Rank items for each user.
    case ranking
    /// Predict each held-out rating.
    case rating

    public var description: String { rawValue }

    /// The preparation steps of the task, before any minimum-interaction filter.
    public var preparationSteps: [PreparationStep] {
        switch self {
        case .ranking: return [.dropNonPositive]
        case .rating: return []
        }
    }
}

/// The interval ratings lie in: predictions are clipped to it (as Surprise's `clip=True`).
///
/// Written `1,5` on the command line and `[1, 5]` in experiment files. By default it is the
/// smallest and the largest rating of the dataset (train and test).
public struct RatingScale: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The lowest rating.
    public var lower: Double
    /// The highest rating.
    public var upper: Double

    /// Creates a scale.
    ///
    /// - Throws: ``DatasetError/invalidPreparation(reason:)`` unless both bounds are finite and
    ///   `lower ≤ upper`.
    public init(lower: Double, upper: Double) throws(DatasetError) {
        guard lower.isFinite, upper.isFinite, lower <= upper else {
            throw .invalidPreparation(reason: "a rating scale needs finite bounds with lower <= upper, got \(lower),\(upper)")
        }
        self.lower = lower
        self.upper = upper
    }

    /// A scale without checks (the evaluator's stand-in when a split has no rating at all).
    package init(unchecked lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Parses `lo,hi` (`1,5`, `0.5,5`).
    ///
    /// - Throws: ``DatasetError/invalidPreparation(reason:)`` naming the text.
    public init(parsing text: String) throws(DatasetError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lower = Double(parts[0]), let upper = Double(parts[1]) else {
            throw .invalidPreparation(reason: "a rating scale is written lo,hi (such as 1,5), got '\(text)'")
        }
        try self.init(lower: lower, upper: upper)
    }

    /// The scale spanned by `values` (nil when there are none).
    public init?(spanning values: some Sequence<Float>) {
        var low = Float.infinity, high = -Float.infinity
        for v in values { low = min(low, v); high = max(high, v) }
        guard low <= high else { return nil }
        self.lower = Double(low)
        self.upper = Double(high)
    }

    /// `value` clipped to the scale.
    @inlinable public func clip(_ value: Double) -> Double { Swift.min(upper, Swift.max(lower, value)) }

    /// The default relevance threshold of ranking metrics on a rating task: three quarters of
    /// the way up the scale (4 on 1–5, 3.875 on 0.5–5, 75 on 0–100).
    public var defaultRelevanceThreshold: Double { lower + 0.75 * (upper - lower) }

    public var description: String { "\(Self.format(lower)),\(Self.format(upper))" }

    private static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let lower = try container.decode(Double.self), upper = try container.decode(Double.self)
        do { try self.init(lower: lower, upper: upper) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(lower)
        try container.encode(upper)
    }
}

extension DatasetSource {
    /// The source as `task` reads it: on a rating task MovieLens ratings are kept as values
    /// (``RatingFeedback/weights``) instead of being thresholded; other formats are unchanged.
    public func reading(for task: EvaluationTask) -> DatasetSource {
        guard task == .rating, case .movieLens(var options) = self else { return self }
        options.feedback = .weights
        return .movieLens(options)
    }
}
