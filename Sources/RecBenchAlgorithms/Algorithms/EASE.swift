import Foundation
import RecBenchKernels
import RecBenchCore

/// What an algorithm could not fit, with the numbers that explain why.
public enum AlgorithmError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The algorithm's dense item × item matrices would not fit: `items` is above `limit`, or
    /// the `bytesNeeded` exceed the share of memory it may take (`bytesAvailable`).
    case tooManyItems(algorithm: String, items: Int, limit: Int, bytesNeeded: Int, bytesAvailable: Int)
    /// A numeric step failed (for example, a matrix that should be positive-definite was not).
    case numericFailure(algorithm: String, reason: String)
    /// A content-based algorithm was given a dataset without item features (``Dataset/itemFeatures``
    /// nil, or no item with a feature).
    case missingItemFeatures(algorithm: String)

    /// How to prune rare items, in the words of the command line and of experiment files.
    package static let pruningAdvice = "prune rare items (--min-item N on the command line, min_item_users in an experiment file's [dataset])"

    public var description: String {
        switch self {
        case let .tooManyItems(algorithm, items, limit, needed, available):
            let start = "\(algorithm) needs \(Self.gigabytes(needed)) of memory for \(items) items"
            if items > limit {
                return start + " and takes at most \(limit) items (max_items; \(Self.gigabytes(available)) usable here); "
                    + Self.pruningAdvice + " or raise max_items in the experiment file"
            }
            return start + ", \(Self.gigabytes(available)) usable here (\(MemoryBudget.usableExplanation)); " + Self.pruningAdvice
        case let .numericFailure(algorithm, reason):
            return "\(algorithm): \(reason)"
        case let .missingItemFeatures(algorithm):
            return "\(algorithm) scores items by their features, and the dataset has no item features: load them with the dataset "
                + "(an item-feature source such as Last.fm's tags or an item<TAB>feature<TAB>weight file; in code, Dataset(itemFeatures:))"
        }
    }

    package static func gigabytes(_ bytes: Int) -> String { String(format: "%.1f GB", Double(bytes) / 1e9) }
}

/// EASE, the embarrassingly shallow autoencoder (Steck, "Embarrassingly Shallow Autoencoders for
/// Sparse Data", WWW 2019).
///
/// Closed form: with G = XᵀX + λI over the binarised training matrix X, P = G⁻¹ and
/// B = I − P·diag(1/diag P) (so diag B = 0); a user's scores are x_u·B. P comes from the
/// blocked SPD inverse of ``SymmetricInverse``.
///
/// **Memory.** The fit holds three n × n float matrices at its peak (G being inverted, Wᵀ and
/// P), 12·n² bytes: 30,000 items take 10.8 GB. It refuses more than ``maxItems`` items, or more
/// than ``MemoryBudget/usableBytes`` (80% of the smallest of the RAM, the process's rlimit and its
/// container's limit), with ``AlgorithmError/tooManyItems(algorithm:items:limit:bytesNeeded:bytesAvailable:)``.
/// The trained model keeps B, 4·n² bytes.
public struct EASEConfiguration: BuiltInConfiguration {
    /// λ, the L2 penalty (added to the diagonal of XᵀX).
    public var regularization: Double
    /// The largest item count the fit accepts.
    public var maxItems: Int

    /// The defaults, stated once (λ = 500 is Steck's value for the MSD and Netflix data).
    public init() {
        regularization = 500
        maxItems = 30_000
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(regularization: Double = Self().regularization, maxItems: Int = Self().maxItems) {
        self.regularization = regularization
        self.maxItems = maxItems
    }

    public static let typeName = "ease"

    public static let hyperparameters = [
        Hyperparameter("regularization", .real(HyperparameterLimits.easeRegularization), "λ, added to the diagonal of XᵀX."),
        Hyperparameter("max_items", .integer(HyperparameterLimits.maxItems), "The largest catalogue the fit accepts (12·n² bytes at its peak)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.real("regularization") { regularization = v }
        if let v = p.integer("max_items") { maxItems = v }
    }

    public var parameters: [String: ParameterValue] { ["regularization": .double(regularization), "max_items": .integer(maxItems)] }

    public var algorithm: Algorithm { .ease(self) }

    public static var usesSeed: Bool { false }

    public var label: String { "EASE(λ=\(regularization))" }

    /// Peak bytes of a fit on `items` items (`Int.max` when that overflows).
    public static func peakBytes(items: Int) -> Int { Saturating.product(12, items, items) }

    /// Fits B.
    ///
    /// - Complexity: O(Σ_u n_u² + n³) time; 12·n² bytes at the peak.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> EASEModel {
        try validate()
        let n = train.itemCount
        let needed = Self.peakBytes(items: n)
        let available = MemoryBudget.usableBytes
        guard n <= maxItems, needed <= available else {
            throw AlgorithmError.tooManyItems(algorithm: "EASE", items: n, limit: maxItems, bytesNeeded: needed, bytesAvailable: available)
        }
        let threadCount = threads ?? Parallel.defaultThreads
        let byUser = train.interactions, byItem = byUser.transposed()
        // G = XᵀX + λI, row i from item i's users (one writer per row).
        var gram = [Float](repeating: 0, count: n * n)
        gram.withUnsafeMutableBufferPointer { buffer in
            let g = SendableMutablePointer(buffer.baseAddress!)
            Parallel.forEachRange(count: n, pieces: 64, threads: threadCount) { range in
                for i in range {
                    let row = g.pointer + i * n
                    for p in byItem.range(ofRow: i) {
                        let u = Int(byItem.columns[p])
                        for q in byUser.range(ofRow: u) { row[Int(byUser.columns[q])] += 1 }
                    }
                    row[i] += Float(regularization)
                }
            }
        }
        var p: [Float]
        do {
            p = try SymmetricInverse.invert(&gram, n: n, threads: threadCount)
        } catch {
            throw AlgorithmError.numericFailure(algorithm: "EASE", reason: "XᵀX + λI is not positive-definite (\(error)); raise λ")
        }
        gram = []
        // B = I − P·diag(1/diag P): b_ij = −p_ij / p_jj, b_jj = 0.
        let inverseDiagonal = (0..<n).map { 1 / p[$0 * n + $0] }
        for i in 0..<n {
            for j in 0..<n { p[i * n + j] *= -inverseDiagonal[j] }
            p[i * n + i] = 0
        }
        return EASEModel(itemCount: n, weights: p, history: byUser)
    }
}

/// The model of ``EASEConfiguration``: scores are x_u·B over the user's training row.
public struct EASEModel: TrainedModel {
    public let itemCount: Int
    /// B, n × n, row-major.
    package let weights: [Float]
    /// The users' training rows (binarised when scored): EASE's scores are a function of them.
    package let history: InteractionMatrix

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        self.scores(for: users, rows: history, into: &scores)
    }

    /// Each user's scores x·B, x their row of `rows` binarised (a user beyond `rows` scores 0).
    ///
    /// - Complexity: O(Σ nᵤ·items).
    func scores(for users: UserBatch, rows history: InteractionMatrix, into scores: inout ScoreRows) {
        let n = itemCount
        guard n > 0 else { return }
        weights.withUnsafeBufferPointer { b in
            for (row, user) in users.enumerated() {
                let out = scores[row: row].baseAddress!
                out.update(repeating: 0, count: n)
                guard user.int >= 0, user.int < history.rowCount else { continue }
                for p in history.range(ofRow: user.int) {
                    Vector.axpy(1, b.baseAddress! + Int(history.columns[p]) * n, out, count: n)
                }
            }
        }
    }
}

extension EASEModel: FoldInModel {
    /// Scores each new user exactly as a training row is scored: x·B with x their row of
    /// `histories` binarised (Steck 2019: B is fitted once and applies to any row).
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        self.scores(for: users, rows: histories, into: &scores)
    }
}
