import RecBenchKernels
import RecBenchCore

/// Alternating least squares on explicit ratings with Spark MLlib's conventions (`ALS` with
/// `implicitPrefs = false`): ALS-WR, Zhou, Wilkinson, Schreiber and Pan, "Large-scale parallel
/// collaborative filtering for the Netflix Prize", AAIM 2008.
///
/// Minimises Σ_{(u,i) rated} (r_ui − x_uᵀy_i)² + λ(Σ_u n_u‖x_u‖² + Σ_i n_i‖y_i‖²), n the
/// number of ratings of the row: no biases, and each row's normal equations get λ·n on the
/// diagonal. As Spark: every factor vector starts as standard normal draws scaled to unit
/// length (users from the seed's stream 0, items from stream 1); each iteration solves every
/// item from the user factors, then every user from the new item factors; the normal equations
/// are accumulated and solved (Cholesky) in double precision and the factors kept in single
/// precision; a prediction is the single-precision dot product. Rows are solved in parallel,
/// each independently, so the result does not depend on the thread count.
///
/// A user or item without training ratings gets no prediction (`nil`; Spark gives NaN), and the
/// evaluator's fallback applies. Spark's defaults: rank 10, 10 iterations, λ 0.1. (Spark's
/// `nonnegative` option is not offered.)
public struct ExplicitALSConfiguration: BuiltInConfiguration {
    /// The rank of the factorisation.
    public var factors: Int
    /// Iterations (each solves items, then users).
    public var iterations: Int
    /// λ, multiplied by each row's number of ratings.
    public var regularization: Double

    /// Spark MLlib's defaults: rank 10, 10 iterations, λ 0.1.
    public init() {
        factors = 10
        iterations = 10
        regularization = 0.1
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, iterations: Int = Self().iterations, regularization: Double = Self().regularization) {
        self.factors = factors
        self.iterations = iterations
        self.regularization = regularization
    }

    public static let typeName = "als-explicit"

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.factors), "Rank of the factorisation (Spark's rank)."),
        Hyperparameter("iterations", .integer(HyperparameterLimits.iterations), "Iterations, each solving items then users (Spark's maxIter)."),
        Hyperparameter("regularization", .real(HyperparameterLimits.alsRegularization), "λ, times each row's ratings (Spark's regParam)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("factors") { factors = v }
        if let v = p.integer("iterations") { iterations = v }
        if let v = p.real("regularization") { regularization = v }
    }

    public var parameters: [String: ParameterValue] {
        ["factors": .integer(factors), "iterations": .integer(iterations), "regularization": .double(regularization)]
    }

    public var algorithm: Algorithm { .explicitALS(self) }

    public var label: String { "ALS-explicit(f=\(factors), λ=\(regularization)·n, it=\(iterations))" }

    /// Fits the factors.
    ///
    /// - Complexity: O(iterations · (ratings · f² + (users + items) · f³)).
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> ExplicitALSModel {
        try validate()
        let set = RatingTrainingSet(train)
        return fit(set, userFactors: Self.initialFactors(rows: set.userCount, f: factors, seed: seed, stream: 0),
                   itemFactors: Self.initialFactors(rows: set.itemCount, f: factors, seed: seed, stream: 1),
                   threads: threads ?? Parallel.defaultThreads)
    }

    /// The iterations from given initial factors (users × f and items × f, row-major).
    package func fit(_ set: RatingTrainingSet, userFactors initialUsers: [Float], itemFactors initialItems: [Float],
                     threads threadCount: Int) -> ExplicitALSModel {
        var userFactors = initialUsers, itemFactors = initialItems
        for _ in 0..<iterations {
            solve(rows: set.byItem, fixed: userFactors, into: &itemFactors, threads: threadCount)
            solve(rows: set.byUser, fixed: itemFactors, into: &userFactors, threads: threadCount)
        }
        return ExplicitALSModel(factors: factors, userFactors: userFactors, itemFactors: itemFactors,
                                knownUsers: set.byUser.rowLengths.map { $0 > 0 }, knownItems: set.byItem.rowLengths.map { $0 > 0 },
                                fallbackRating: set.globalMean, regularization: regularization)
    }

    /// Spark's initialisation: each row f standard normal draws (as floats), scaled to unit length.
    static func initialFactors(rows: Int, f: Int, seed: UInt64, stream: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed, stream: stream)
        var out = [Float](repeating: 0, count: rows * f)
        for row in 0..<rows {
            var norm: Float = 0
            for j in 0..<f {
                let x = Float(rng.nextGaussian())
                out[row * f + j] = x
                norm += x * x
            }
            norm = norm.squareRoot()
            if norm > 0 { let scale = 1 / norm; for j in 0..<f { out[row * f + j] *= scale } }
        }
        return out
    }

    /// Solves every row of `target` (a row per row of `rows`) against the fixed side's factors:
    /// (Σ y yᵀ + λ·n·I) x = Σ r·y over the row's n ratings; a row without ratings gets zeros.
    func solve(rows: InteractionMatrix, fixed: [Float], into target: inout [Float], threads: Int) {
        let f = factors
        let lambda = regularization
        guard rows.rowCount > 0, target.count >= rows.rowCount * f else { return }
        guard !fixed.isEmpty else { target = [Float](repeating: 0, count: target.count); return }
        target.withUnsafeMutableBufferPointer { targetBuffer in
            let out = SendableMutablePointer(targetBuffer.baseAddress!)
            fixed.withUnsafeBufferPointer { fixedBuffer in
                let y = SendablePointer(fixedBuffer.baseAddress!)
                Parallel.forEachRange(count: rows.rowCount, pieces: 64, threads: threads) { range in
                    var a = [Double](repeating: 0, count: f * f), b = [Double](repeating: 0, count: f)
                    var row = [Double](repeating: 0, count: f)
                    rows.columns.withUnsafeBufferPointer { columns in
                    rows.values.withUnsafeBufferPointer { values in
                    a.withUnsafeMutableBufferPointer { a in
                    b.withUnsafeMutableBufferPointer { b in
                    row.withUnsafeMutableBufferPointer { v in
                        for r in range {
                            let entries = rows.range(ofRow: r)
                            let x = out.pointer + r * f
                            if entries.isEmpty { x.update(repeating: 0, count: f); continue }
                            a.update(repeating: 0)
                            b.update(repeating: 0)
                            for p in entries {
                                let source = y.pointer + Int(columns[p]) * f
                                for j in 0..<f { v[j] = Double(source[j]) }
                                let rating = Double(values[p])
                                // Lower triangle of Σ y yᵀ, and Σ r·y.
                                for j in 0..<f {
                                    let vj = v[j]
                                    let line = a.baseAddress! + j * f
                                    for l in 0...j { line[l] += vj * v[l] }
                                    b[j] += rating * vj
                                }
                            }
                            let diagonal = lambda * Double(entries.count)
                            for j in 0..<f { a[j * f + j] += diagonal }
                            if !DoubleCholesky.solve(a.baseAddress!, n: f, b.baseAddress!) {
                                // Singular (λ = 0 and fewer independent ratings than factors):
                                // Spark stops with an error; here the row gets zeros.
                                x.update(repeating: 0, count: f)
                                continue
                            }
                            for j in 0..<f { x[j] = Float(b[j]) }
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

/// A dense Cholesky solve in double precision for the small systems of explicit ALS.
enum DoubleCholesky {
    /// Solves A·x = b in place (`b` becomes x) for symmetric positive-definite A (n × n,
    /// row-major; only its lower triangle is read, and overwritten with L).
    ///
    /// - Returns: false when A is not (numerically) positive definite; `b` is then unspecified.
    /// - Complexity: n³/3 + 2n² multiply–adds.
    static func solve(_ a: UnsafeMutablePointer<Double>, n: Int, _ b: UnsafeMutablePointer<Double>) -> Bool {
        for j in 0..<n {
            let rowJ = a + j * n
            var pivot = rowJ[j]
            for k in 0..<j { pivot -= rowJ[k] * rowJ[k] }
            guard pivot > 0, pivot.isFinite else { return false }
            let diagonal = pivot.squareRoot()
            rowJ[j] = diagonal
            for i in (j + 1)..<max(j + 1, n) {
                let rowI = a + i * n
                var s = rowI[j]
                for k in 0..<j { s -= rowI[k] * rowJ[k] }
                rowI[j] = s / diagonal
            }
        }
        for i in 0..<n {
            let row = a + i * n
            var s = b[i]
            for k in 0..<i { s -= row[k] * b[k] }
            b[i] = s / row[i]
        }
        var i = n - 1
        while i >= 0 {
            var s = b[i]
            for k in (i + 1)..<max(i + 1, n) { s -= a[k * n + i] * b[k] }
            b[i] = s / a[i * n + i]
            i -= 1
        }
        return true
    }
}

/// The model of ``ExplicitALSConfiguration``: user and item factors; a prediction is their dot product.
public struct ExplicitALSModel: RatingModel {
    /// Factors per user and item.
    public let factors: Int
    /// User factors, users × factors, row-major.
    public let userFactors: [Float]
    /// Item factors, items × factors, row-major.
    public let itemFactors: [Float]
    /// Whether each user has training ratings.
    let knownUsers: [Bool]
    /// Whether each item has training ratings.
    let knownItems: [Bool]
    public let fallbackRating: Double
    /// λ of the fit: the fold-in solves each new user's row with it.
    let regularization: Double

    public var itemCount: Int { knownItems.count }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        let u = Int(user.rawValue), i = Int(item.rawValue)
        guard u >= 0, u < knownUsers.count, knownUsers[u], i >= 0, i < knownItems.count, knownItems[i] else { return nil }
        var dot: Float = 0
        for j in 0..<factors { dot += userFactors[u * factors + j] * itemFactors[i * factors + j] }
        return Double(dot)
    }
}

extension ExplicitALSModel: FoldInModel {
    /// Scores each new user as a training user is scored, from factors solved exactly as the
    /// fit's user step solves a row (ALS-WR, Zhou et al. 2008): (Σ y yᵀ + λ·n·I) x = Σ r·y over
    /// the user's n ratings in `histories`, against the fixed item factors, in double precision.
    /// A predicted rating is x·y for an item with training ratings, the training mean
    /// (``fallbackRating``) otherwise and for a user without ratings.
    ///
    /// - Complexity: O(Σ nᵤ·f² + users·(f³ + items·f)).
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        // The batch's rows, as a matrix of their own, solved by the fit's own row solver.
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        for user in users {
            if user.int >= 0, user.int < histories.rowCount {
                for p in histories.range(ofRow: user.int) { columns.append(histories.columns[p]); values.append(histories.values[p]) }
            }
            offsets.append(columns.count)
        }
        let rows = InteractionMatrix(rowCount: users.count, columnCount: itemCount, rowOffsets: offsets, columns: columns, values: values)
        var x = [Float](repeating: 0, count: users.count * factors)
        ExplicitALSConfiguration(factors: factors, iterations: 1, regularization: regularization)
            .solve(rows: rows, fixed: itemFactors, into: &x, threads: 1)
        let fallback = Float(fallbackRating), f = factors
        for row in 0..<users.count {
            let out = scores[row: row]
            let known = offsets[row + 1] > offsets[row]
            for i in 0..<itemCount {
                guard known, knownItems[i] else { out[i] = fallback; continue }
                var dot: Float = 0
                for j in 0..<f { dot += x[row * f + j] * itemFactors[i * f + j] }
                out[i] = Float(Double(dot))
            }
        }
    }
}
