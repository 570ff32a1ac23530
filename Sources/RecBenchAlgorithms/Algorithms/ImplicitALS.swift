import Foundation
import RecBenchKernels
import RecBenchCore

/// How ALS solves each row's f × f system.
public enum ALSSolver: Codable, Hashable, Sendable {
    /// Forms the system and factors it: O(nᵤ·f² + f³) per row.
    case cholesky
    /// Conjugate gradient from the previous sweep's solution, with YᵀY computed once per sweep:
    /// O(steps·(f² + nᵤ·f)) per row (Takács, Pilászy and Tikk, RecSys 2011).
    case conjugateGradient(steps: Int)

    /// The conjugate-gradient steps (nil for Cholesky).
    package var steps: Int? { if case .conjugateGradient(let steps) = self { return steps }; return nil }
}

/// How the L2 penalty grows with a row's interactions.
public enum RegularizationScaling: String, Codable, Hashable, Sendable {
    /// λ for every row (Hu, Koren and Volinsky 2008; `implicit`).
    case constant
    /// λ·nᵤ, nᵤ the row's interactions (ALS-WR, Zhou et al. 2008; Spark MLlib).
    case byInteractions
}

/// Implicit-feedback alternating least squares (Hu, Koren and Volinsky, "Collaborative filtering
/// for implicit feedback datasets", ICDM 2008).
///
/// Minimises Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ(Σ_u s_u‖x_u‖² + Σ_i s_i‖y_i‖²) over all
/// pairs, with preference p_ui = 1[r_ui > 0], confidence c_ui = 1 + α·r_ui, and s = 1 or the
/// row's interaction count (``RegularizationScaling``). Factors start uniform in [0, 0.01)
/// from the seed. Each half-sweep solves every row independently, in parallel; the result
/// does not depend on the thread count.
///
/// Mapping to other libraries: `implicit`'s `AlternatingLeastSquares(factors, regularization,
/// alpha)` fitted on raw counts is this with the same λ and α and `.constant` scaling (its
/// confidence α·r plays the role of c − 1 here). Spark MLlib's `ALS(rank, regParam, alpha,
/// implicitPrefs = true)` is this with `.byInteractions` scaling.
public struct ALSConfiguration: BuiltInConfiguration {
    public var factors: Int
    public var iterations: Int
    /// λ.
    public var regularization: Double
    /// α of the confidence 1 + α·r.
    public var alpha: Double
    public var regularizationScaling: RegularizationScaling
    public var solver: ALSSolver
    /// Whether to compute the training loss after every iteration (costs about one sweep's Gram work).
    public var computeLoss: Bool

    /// The defaults, stated once: they follow `implicit` (64 factors, 15 iterations, λ 0.01, α 1, CG with 3 steps).
    public init() {
        factors = 64
        iterations = 15
        regularization = 0.01
        alpha = 1
        regularizationScaling = .constant
        solver = .conjugateGradient(steps: 3)
        computeLoss = false
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, iterations: Int = Self().iterations, regularization: Double = Self().regularization,
                alpha: Double = Self().alpha, regularizationScaling: RegularizationScaling = Self().regularizationScaling,
                solver: ALSSolver = Self().solver, computeLoss: Bool = Self().computeLoss) {
        self.factors = factors
        self.iterations = iterations
        self.regularization = regularization
        self.alpha = alpha
        self.regularizationScaling = regularizationScaling
        self.solver = solver
        self.computeLoss = computeLoss
    }

    public static let typeName = "als"

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.factors), "Latent factors."),
        Hyperparameter("iterations", .integer(HyperparameterLimits.iterations), "Sweeps (each solves users, then items)."),
        Hyperparameter("regularization", .real(HyperparameterLimits.alsRegularization), "λ, the L2 penalty."),
        Hyperparameter("alpha", .real(HyperparameterLimits.alpha), "α of the confidence 1 + α·r."),
        Hyperparameter("scaling", .choice(["constant", "interactions"]), "λ per row, or λ·(the row's interactions) as ALS-WR and Spark MLlib."),
        Hyperparameter("solver", .choice(["cg", "cholesky"]), "Conjugate gradient from the last sweep, or an exact Cholesky solve."),
        Hyperparameter("cg_steps", .integer(HyperparameterLimits.conjugateGradientSteps), "Conjugate-gradient steps per row (solver cg)."),
        Hyperparameter("compute_loss", .boolean, "Record the training loss after every sweep (costs about a sweep's Gram work)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("factors") { factors = v }
        if let v = p.integer("iterations") { iterations = v }
        if let v = p.real("regularization") { regularization = v }
        if let v = p.real("alpha") { alpha = v }
        if let v = p.word("scaling") { regularizationScaling = v == "interactions" ? .byInteractions : .constant }
        if p.word("solver") == "cholesky" { solver = .cholesky } else if let steps = p.integer("cg_steps") { solver = .conjugateGradient(steps: steps) }
        if let v = p.boolean("compute_loss") { computeLoss = v }
    }

    public var parameters: [String: ParameterValue] {
        let steps = solver.steps ?? Self().solver.steps ?? 1
        return ["factors": .integer(factors), "iterations": .integer(iterations), "regularization": .double(regularization),
                "alpha": .double(alpha), "scaling": .string(regularizationScaling == .byInteractions ? "interactions" : "constant"),
                "solver": .string(solver == .cholesky ? "cholesky" : "cg"), "cg_steps": .integer(steps), "compute_loss": .boolean(computeLoss)]
    }

    public var algorithm: Algorithm { .als(self) }

    /// `cg_steps` means nothing to the Cholesky solver.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        values["solver"] == .string("cholesky") ? ["cg_steps"] : []
    }

    public var label: String {
        let solverName: String
        switch solver {
        case .cholesky: solverName = "cholesky"
        case .conjugateGradient(let steps): solverName = "cg\(steps)"
        }
        return "ALS(f=\(factors), λ=\(regularization)\(regularizationScaling == .byInteractions ? "·n" : ""), α=\(alpha), it=\(iterations), \(solverName))"
    }

    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> ALSModel {
        try validate()
        let f = factors
        let threadCount = threads ?? Parallel.defaultThreads
        let byUser = train.interactions
        let byItem = byUser.transposed()
        var rng = SeededGenerator(seed: seed)
        var userFactors = (0..<(byUser.rowCount * f)).map { _ in Float(rng.nextUnit() * 0.01) }
        var itemFactors = (0..<(byUser.columnCount * f)).map { _ in Float(rng.nextUnit() * 0.01) }
        let userConfidence = byUser.values.map { Float(1 + alpha * Double($0)) }
        let itemConfidence = byItem.values.map { Float(1 + alpha * Double($0)) }
        var losses: [Double] = []
        for _ in 0..<iterations {
            solve(rows: byUser, confidences: userConfidence, target: &userFactors, fixed: itemFactors, threads: threadCount)
            solve(rows: byItem, confidences: itemConfidence, target: &itemFactors, fixed: userFactors, threads: threadCount)
            if computeLoss {
                losses.append(loss(byUser, confidences: userConfidence, userFactors: userFactors, itemFactors: itemFactors,
                                   itemRows: byItem, threads: threadCount))
            }
        }
        return ALSModel(model: FactorModel(factors: f, userFactors: userFactors, itemFactors: itemFactors), trainingLoss: losses,
                        configuration: self, itemGram: regularizedGram(of: itemFactors, threads: threadCount))
    }

    /// YᵀY of `fixed` (rows of f floats), with λ on its diagonal under `.constant` scaling: the
    /// part of every row's system that does not depend on the row.
    ///
    /// - Complexity: O(rows · f²).
    package func regularizedGram(of fixed: [Float], threads: Int) -> [Float] {
        let f = factors
        var gram = [Float](repeating: 0, count: f * f)
        fixed.withUnsafeBufferPointer { y in
            gram.withUnsafeMutableBufferPointer { g in Gram.compute(n: fixed.count / f, f: f, y: y.baseAddress!, ldy: f, into: g.baseAddress!, threads: threads) }
        }
        if regularizationScaling == .constant { for j in 0..<f { gram[j * f + j] += Float(regularization) } }
        return gram
    }

    /// Solves every row of `target` against the fixed side.
    package func solve(rows: InteractionMatrix, confidences: [Float], target: inout [Float], fixed: [Float], threads: Int) {
        let f = factors
        let gram = regularizedGram(of: fixed, threads: threads)
        let lambda = Float(regularization)
        let scaling = regularizationScaling, solver = self.solver
        let frozenGram = gram
        target.withUnsafeMutableBufferPointer { targetBuffer in
            let out = SendableMutablePointer(targetBuffer.baseAddress!)
            fixed.withUnsafeBufferPointer { fixedBuffer in
                let y = SendablePointer(fixedBuffer.baseAddress!)
                Parallel.forEachRange(count: rows.rowCount, pieces: 256, threads: threads) { range in
                    var system = [Float](repeating: 0, count: f * f)
                    var scratch = [Float](repeating: 0, count: 3 * f)
                    for u in range {
                        let entries = rows.range(ofRow: u)
                        let x = out.pointer + u * f
                        if entries.isEmpty { x.update(repeating: 0, count: f); continue }
                        let extra: Float = scaling == .byInteractions ? lambda * Float(entries.count) : 0
                        rows.columns.withUnsafeBufferPointer { columns in
                            confidences.withUnsafeBufferPointer { c in
                                let items = UnsafeBufferPointer(rebasing: columns[entries])
                                let weights = UnsafeBufferPointer(rebasing: c[entries])
                                switch solver {
                                case .conjugateGradient(let steps):
                                    frozenGram.withUnsafeBufferPointer { g in
                                        scratch.withUnsafeMutableBufferPointer { s in
                                            ConjugateGradient.solve(x: x, f: f, gram: g.baseAddress!, extraDiagonal: extra, factors: y.pointer,
                                                                    ldy: f, items: items, confidences: weights, steps: steps, scratch: s.baseAddress!)
                                        }
                                    }
                                case .cholesky:
                                    system.withUnsafeMutableBufferPointer { a in
                                        frozenGram.withUnsafeBufferPointer { g in
                                            Self.solveExactly(x: x, f: f, gram: g.baseAddress!, extraDiagonal: extra, factors: y.pointer,
                                                              items: items, confidences: weights, system: a.baseAddress!)
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

    /// Solves one row's normal equations exactly: (G + d·I + Σ (c − 1)·y·yᵀ) x = Σ c·y over the
    /// row's items, by Cholesky in single precision — the fit's `.cholesky` user step and the
    /// fold-in of a new user (``ALSModel/foldInFactors(for:histories:)``).
    ///
    /// In float32 a nearly singular system (tiny λ, more factors than data) can lose positive
    /// definiteness: the solve retries with a jitter on the diagonal growing from 1e-6 of its
    /// mean, and gives up (x = 0) past the mean.
    ///
    /// - Parameters:
    ///   - x: the solution (f floats), overwritten.
    ///   - f: the number of factors.
    ///   - gram: YᵀY of the fixed side, with λ already on its diagonal under `.constant` scaling (f × f).
    ///   - extraDiagonal: added to the diagonal (λ·n under `.byInteractions` scaling, else 0).
    ///   - factors: the fixed side's factors, rows of f floats.
    ///   - items: the rows of `factors` the row interacted with.
    ///   - confidences: each one's confidence c = 1 + α·r.
    ///   - system: f × f floats of scratch.
    /// - Complexity: O(n·f² + f³) for a row of n items.
    package static func solveExactly(x: UnsafeMutablePointer<Float>, f: Int, gram: UnsafePointer<Float>, extraDiagonal extra: Float,
                                     factors y: UnsafePointer<Float>, items: UnsafeBufferPointer<Int32>, confidences weights: UnsafeBufferPointer<Float>,
                                     system matrix: UnsafeMutablePointer<Float>) {
        /// A = G + (d + jitter)·I + Σ (c − 1)·y·yᵀ into `matrix`, b = Σ c·y into x.
        func build(jitter: Float) {
            matrix.update(from: gram, count: f * f)
            for j in 0..<f { matrix[j * f + j] += extra + jitter }
            x.update(repeating: 0, count: f)
            for (index, item) in items.enumerated() {
                let row = y + Int(item) * f
                let c = weights[index]
                Vector.axpy(c, row, x, count: f)
                for j in 0..<f { Vector.axpy((c - 1) * row[j], row, matrix + j * f, count: f) }
            }
        }
        build(jitter: 0)
        var meanDiagonal: Float = 0
        for j in 0..<f { meanDiagonal += matrix[j * f + j] }
        meanDiagonal /= Float(f)
        var jitter = max(meanDiagonal * 1e-6, 1e-12)
        while true {
            do {
                try Cholesky.factor(matrix, n: f, lda: f)
                Cholesky.solve(matrix, n: f, lda: f, x)
                return
            } catch {
                if jitter > meanDiagonal { x.update(repeating: 0, count: f); return }
                build(jitter: jitter)
                jitter *= 10
            }
        }
    }

    /// Σ c(p − xᵀy)² over all pairs plus the penalty, using Σ_all (xᵀy)² = Σᵤ xᵤᵀ(YᵀY)xᵤ.
    package func loss(_ byUser: InteractionMatrix, confidences: [Float], userFactors: [Float], itemFactors: [Float],
              itemRows: InteractionMatrix, threads: Int) -> Double {
        let f = factors
        var gram = [Float](repeating: 0, count: f * f)
        itemFactors.withUnsafeBufferPointer { y in
            gram.withUnsafeMutableBufferPointer { g in Gram.compute(n: itemFactors.count / f, f: f, y: y.baseAddress!, ldy: f, into: g.baseAddress!, threads: threads) }
        }
        var total = 0.0
        var temp = [Float](repeating: 0, count: f)
        for u in 0..<byUser.rowCount {
            let x = Array(userFactors[(u * f)..<((u + 1) * f)])
            for j in 0..<f { var s: Float = 0; for l in 0..<f { s += gram[j * f + l] * x[l] }; temp[j] = s }
            var quadratic = 0.0
            for j in 0..<f { quadratic += Double(x[j] * temp[j]) }
            total += quadratic
            for p in byUser.range(ofRow: u) {
                let i = Int(byUser.columns[p])
                var s = 0.0
                for j in 0..<f { s += Double(x[j]) * Double(itemFactors[i * f + j]) }
                total += Double(confidences[p]) * (1 - s) * (1 - s) - s * s
            }
        }
        func penalty(_ factorsOf: [Float], counts: [Int]) -> Double {
            var sum = 0.0
            for (row, count) in counts.enumerated() {
                var norm = 0.0
                for j in 0..<f { norm += Double(factorsOf[row * f + j] * factorsOf[row * f + j]) }
                sum += norm * (regularizationScaling == .byInteractions ? Double(count) : 1)
            }
            return sum
        }
        total += regularization * (penalty(userFactors, counts: byUser.rowLengths) + penalty(itemFactors, counts: itemRows.rowLengths))
        return total
    }
}

/// The model of ``ALSConfiguration``: user and item factors, and the loss after each iteration.
public struct ALSModel: ChunkedScoring {
    /// The factors.
    public let model: FactorModel
    /// The training loss after each iteration (empty unless asked for).
    public let trainingLoss: [Double]
    /// The configuration fitted: its λ, α and scaling define the fold-in's least squares.
    public let configuration: ALSConfiguration
    /// YᵀY of the final item factors, λ on its diagonal under `.constant` scaling (f × f).
    package let itemGram: [Float]

    public var itemCount: Int { model.itemCount }
    public var scoringChunkAlignment: Int { model.scoringChunkAlignment }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        model.scores(for: users, into: &scores)
    }

    public func scores(for users: UserBatch, items itemRange: Range<Int>, into scores: inout ScoreRows) {
        model.scores(for: users, items: itemRange, into: &scores)
    }

    public func score(user: UserIndex, item: ItemIndex) -> Float { model.score(user: user, item: item) }
}

extension ALSModel: FoldInModel {
    /// The factors of new users, one row of `f` floats per user of `users`, each the exact
    /// minimiser of that user's regularised weighted least squares against the fixed item
    /// factors Y — the fit's user step for a row it never saw (Hu, Koren and Volinsky 2008, eq. 4):
    /// x = (YᵀY + Yᵀ(Cᵤ − I)Y + λ·sᵤ·I)⁻¹ Yᵀ Cᵤ p(u), with cᵤᵢ = 1 + α·r and sᵤ = 1 or the
    /// user's interactions (``RegularizationScaling``), r the user's values in `histories`.
    ///
    /// The system is always solved exactly (Cholesky, ``ALSConfiguration/solveExactly(x:f:gram:extraDiagonal:factors:items:confidences:system:)``),
    /// whichever solver the fit used: the fit's conjugate gradient takes a few steps from the
    /// previous sweep's solution, which a new user does not have, and a few steps from zero would
    /// stop short of the least-squares solution the protocol asks for. A user without
    /// interactions gets zeros (every score 0), as an empty training row does.
    ///
    /// - Parameters:
    ///   - users: rows of `histories`.
    ///   - histories: the users' interactions (users × items, the model's items).
    /// - Returns: `users.count × f` floats, row-major.
    /// - Complexity: O(Σ nᵤ·f² + users·f³).
    public func foldInFactors(for users: UserBatch, histories: InteractionMatrix) -> [Float] {
        let f = model.factors
        let alpha = configuration.alpha, lambda = Float(configuration.regularization)
        let scaling = configuration.regularizationScaling
        var out = [Float](repeating: 0, count: users.count * f)
        var system = [Float](repeating: 0, count: f * f)
        var confidences: [Float] = []
        out.withUnsafeMutableBufferPointer { x in
            system.withUnsafeMutableBufferPointer { a in
                itemGram.withUnsafeBufferPointer { g in
                    model.itemFactors.withUnsafeBufferPointer { y in
                        histories.columns.withUnsafeBufferPointer { columns in
                            for (row, user) in users.enumerated() {
                                guard user.int >= 0, user.int < histories.rowCount else { continue }
                                let entries = histories.range(ofRow: user.int)
                                if entries.isEmpty { continue }
                                confidences.removeAll(keepingCapacity: true)
                                for p in entries { confidences.append(Float(1 + alpha * Double(histories.values[p]))) }
                                let extra: Float = scaling == .byInteractions ? lambda * Float(entries.count) : 0
                                confidences.withUnsafeBufferPointer { c in
                                    ALSConfiguration.solveExactly(x: x.baseAddress! + row * f, f: f, gram: g.baseAddress!, extraDiagonal: extra,
                                                                  factors: y.baseAddress!, items: UnsafeBufferPointer(rebasing: columns[entries]),
                                                                  confidences: c, system: a.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Scores each new user as a training user is scored: their fold-in factors
    /// (``foldInFactors(for:histories:)``) times every item's factors, by the same GEMM.
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        precondition(scores.rowCount == users.count && scores.itemCount == itemCount, "ScoreRows sized for another batch")
        guard !users.isEmpty, itemCount > 0 else { return }
        let block = foldInFactors(for: users, histories: histories)
        block.withUnsafeBufferPointer { a in
            GEMM.multiply(m: users.count, a: a.baseAddress!, lda: model.factors, packed: model.packedItems, columns: 0..<itemCount,
                          c: scores.baseAddress, ldc: scores.rowStride)
        }
    }
}
