import Foundation
import RecBenchKernels
import RecBenchCore

/// The ranking loss LightFM's `fit` minimises.
public enum LightFMLoss: String, Codable, Hashable, Sendable, CaseIterable {
    /// Weighted approximate-rank pairwise loss (Weston, Bengio and Usunier, IJCAI 2011): negatives
    /// are drawn until one violates the margin, and the step grows with the rank the number of
    /// draws implies.
    case warp
    /// Bayesian personalised ranking (Rendle et al., UAI 2009): one negative per positive.
    case bpr
}

/// How LightFM adapts each parameter's step.
public enum LightFMSchedule: String, Codable, Hashable, Sendable, CaseIterable {
    /// Adagrad (Duchi, Hazan and Singer 2011): step `learning_rate / sqrt(G)`, G the sum of squared
    /// gradients, starting at 1 as in LightFM.
    case adagrad
    /// Adadelta (Zeiler 2012) with LightFM's `rho` and `epsilon`; `learning_rate` is not used.
    case adadelta
}

extension HyperparameterLimits {
    /// LightFM's L2 penalties `item_alpha` and `user_alpha`.
    public static let lightFMAlpha: ClosedRange<Double> = 0...1e3
    /// WARP's largest number of negatives drawn per positive.
    public static let maxSampled: ClosedRange<Int> = 1...100_000
    /// Adadelta's decay ρ.
    public static let adadeltaRho: ClosedRange<Double> = 0...1
    /// Adadelta's ε.
    public static let adadeltaEpsilon: ClosedRange<Double> = 1e-12...1
}

/// A feature-aware factor model after LightFM (Kula, "Metadata Embeddings for User and Item
/// Cold-start Recommendations", CBRecSys 2015; `lyst/lightfm`).
///
/// Every item feature (a tag, a genre, and one identity feature per item when ``itemIdentity``)
/// has an embedding e_f ∈ ℝ^factors and a bias b_f; an item's representation is the weighted sum
/// over its features, q_i = Σ_f w_if e_f and b_i = Σ_f w_if b_f, with each item's feature row
/// (identity included) normalised to sum 1 (in absolute value), as LightFM's `Dataset` does by
/// default. Users have identity features only (RecBench has no user metadata): p_u and b_u are
/// the user's own parameters. The score is p_u·q_i + b_u + b_i.
///
/// Training is LightFM's: each epoch visits the training interactions in a seeded random order;
/// WARP draws negatives uniformly from all items until one scores above the positive's score
/// minus 1 (at most ``maxSampled``), and steps with weight ln(max(1, ⌊(items − 1)/draws⌋)),
/// capped at 10; BPR draws one negative as LightFM does (the item of a uniformly drawn
/// training interaction, so in proportion to popularity, redrawn while the user has it) and steps
/// with weight 1 − σ(x̂_ui − x̂_uj). Every touched feature embedding and bias moves by its own
/// Adagrad or Adadelta step. Unlike LightFM (Hogwild threads), the fit is sequential, so the same
/// seed gives the same bits at any thread count.
///
/// **Cold items.** An item without training interactions has an identity embedding that
/// training never moved; at scoring, such an item's identity feature is dropped and its metadata
/// weights are normalised again to sum 1, so it is scored from its features alone (an item with
/// neither interactions nor features gets the zero representation: its score is b_u). The model
/// therefore scores new items whenever the training set has item features.
public struct LightFMConfiguration: BuiltInConfiguration {
    /// Latent dimensions (LightFM's `no_components`; its default, 10).
    public var factors: Int
    /// The ranking loss (LightFM's default is `logistic`, a pointwise loss RecBench does not offer;
    /// WARP is the one Kula recommends for ranking).
    public var loss: LightFMLoss
    /// Adagrad's initial step (LightFM's 0.05).
    public var learningRate: Double
    /// The per-parameter step schedule (LightFM's `adagrad`).
    public var schedule: LightFMSchedule
    /// Adadelta's ρ (LightFM's 0.95).
    public var rho: Double
    /// Adadelta's ε (LightFM's 1e-6).
    public var epsilon: Double
    /// L2 penalty on item feature parameters (LightFM's 0).
    public var itemAlpha: Double
    /// L2 penalty on user parameters (LightFM's 0).
    public var userAlpha: Double
    /// WARP's largest number of negatives drawn per positive (LightFM's 10).
    public var maxSampled: Int
    /// Passes over the training interactions (LightFM's `fit` defaults to 1; 30 here).
    public var epochs: Int
    /// Whether every item also has its own identity feature (LightFM's `Dataset` default: true).
    public var itemIdentity: Bool

    /// The defaults: LightFM's, except `loss` (WARP) and `epochs` (30).
    public init() {
        factors = 10
        loss = .warp
        learningRate = 0.05
        schedule = .adagrad
        rho = 0.95
        epsilon = 1e-6
        itemAlpha = 0
        userAlpha = 0
        maxSampled = 10
        epochs = 30
        itemIdentity = true
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, loss: LightFMLoss = Self().loss, learningRate: Double = Self().learningRate,
                schedule: LightFMSchedule = Self().schedule, rho: Double = Self().rho, epsilon: Double = Self().epsilon,
                itemAlpha: Double = Self().itemAlpha, userAlpha: Double = Self().userAlpha, maxSampled: Int = Self().maxSampled,
                epochs: Int = Self().epochs, itemIdentity: Bool = Self().itemIdentity) {
        self.factors = factors
        self.loss = loss
        self.learningRate = learningRate
        self.schedule = schedule
        self.rho = rho
        self.epsilon = epsilon
        self.itemAlpha = itemAlpha
        self.userAlpha = userAlpha
        self.maxSampled = maxSampled
        self.epochs = epochs
        self.itemIdentity = itemIdentity
    }

    public static let typeName = "lightfm"

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.factors), "Latent dimensions (LightFM's no_components)."),
        Hyperparameter("loss", .choice(LightFMLoss.allCases.map(\.rawValue)), "WARP or BPR."),
        Hyperparameter("learning_rate", .real(HyperparameterLimits.learningRate), "Adagrad's initial step."),
        Hyperparameter("schedule", .choice(LightFMSchedule.allCases.map(\.rawValue)), "Per-parameter steps: adagrad or adadelta."),
        Hyperparameter("rho", .real(HyperparameterLimits.adadeltaRho), "Adadelta's decay ρ."),
        Hyperparameter("epsilon", .real(HyperparameterLimits.adadeltaEpsilon), "Adadelta's ε."),
        Hyperparameter("item_alpha", .real(HyperparameterLimits.lightFMAlpha), "L2 penalty on item feature embeddings and biases."),
        Hyperparameter("user_alpha", .real(HyperparameterLimits.lightFMAlpha), "L2 penalty on user embeddings and biases."),
        Hyperparameter("max_sampled", .integer(HyperparameterLimits.maxSampled), "WARP's most negatives drawn per positive."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes over the training interactions."),
        Hyperparameter("item_identity", .boolean, "Whether each item has its own identity feature besides its metadata."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("factors") { factors = v }
        if let v = p.word("loss") { loss = LightFMLoss(rawValue: v)! }   // the domain lists exactly the raw values
        if let v = p.real("learning_rate") { learningRate = v }
        if let v = p.word("schedule") { schedule = LightFMSchedule(rawValue: v)! }   // likewise
        if let v = p.real("rho") { rho = v }
        if let v = p.real("epsilon") { epsilon = v }
        if let v = p.real("item_alpha") { itemAlpha = v }
        if let v = p.real("user_alpha") { userAlpha = v }
        if let v = p.integer("max_sampled") { maxSampled = v }
        if let v = p.integer("epochs") { epochs = v }
        if let v = p.boolean("item_identity") { itemIdentity = v }
    }

    public var parameters: [String: ParameterValue] {
        ["factors": .integer(factors), "loss": .string(loss.rawValue), "learning_rate": .double(learningRate),
         "schedule": .string(schedule.rawValue), "rho": .double(rho), "epsilon": .double(epsilon),
         "item_alpha": .double(itemAlpha), "user_alpha": .double(userAlpha), "max_sampled": .integer(maxSampled),
         "epochs": .integer(epochs), "item_identity": .boolean(itemIdentity)]
    }

    public var algorithm: Algorithm { .lightFM(self) }

    /// Adagrad ignores `rho` and `epsilon`; Adadelta ignores `learning_rate`; BPR ignores `max_sampled`.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        var ignored: Set<String> = []
        if values["schedule"] == .string(LightFMSchedule.adadelta.rawValue) { ignored.insert("learning_rate") } else { ignored.formUnion(["rho", "epsilon"]) }
        if values["loss"] == .string(LightFMLoss.bpr.rawValue) { ignored.insert("max_sampled") }
        return ignored
    }

    public var label: String {
        var parts = ["f=\(factors)", loss.rawValue]
        switch schedule {
        case .adagrad: parts.append("adagrad lr=\(learningRate)")
        case .adadelta: parts.append("adadelta ρ=\(rho) ε=\(epsilon)")
        }
        if itemAlpha != 0 || userAlpha != 0 { parts.append("α=\(itemAlpha)/\(userAlpha)") }
        if loss == .warp && maxSampled != Self().maxSampled { parts.append("max_sampled=\(maxSampled)") }
        parts.append("epochs=\(epochs)")
        if !itemIdentity { parts.append("no identity") }
        return "LightFM(" + parts.joined(separator: ", ") + ")"
    }

    /// Fits the feature embeddings and biases.
    ///
    /// - Parameters:
    ///   - train: the training interactions and, in `train.itemFeatures`, the items' metadata.
    ///   - seed: the seed of the initialisation, the visiting order and the negatives.
    ///   - threads: unused by the sequential fit (the scores do not depend on it).
    /// - Complexity: O(epochs · nnz · s · φ · f) time for s negatives drawn (WARP: at most
    ///   `max_sampled`; BPR: 1) and φ features per item; O((features + users) · f) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> LightFMModel {
        try validate()
        let interactions = train.interactions
        let features = LightFMFeatures(itemCount: interactions.columnCount, metadata: train.itemFeatures, identity: itemIdentity)
        var state = LightFMState(configuration: self, features: features, userCount: interactions.rowCount, seed: seed)
        for epoch in 0..<epochs {
            var rng = SeededGenerator(seed: seed, stream: UInt64(epoch) + 1)
            state.runEpoch(interactions, loss: loss, maxSampled: maxSampled, rng: &rng)
        }
        var trained = [Bool](repeating: false, count: interactions.columnCount)
        for item in interactions.columns { trained[Int(item)] = true }
        return state.model(scoringRows: features.scoringRows(trained: trained), scoresNewItems: features.metadataCount > 0)
    }
}

/// LightFM's item feature matrix: items × (identity features, then metadata features), each row
/// normalised to sum 1 in absolute value.
package struct LightFMFeatures: Sendable {
    /// Item features in total (identity and metadata).
    package let count: Int
    /// Metadata features (the columns after the identity ones).
    package let metadataCount: Int
    /// Whether columns `0..<itemCount` are the items' identity features.
    package let identity: Bool
    /// The training rows (items × `count`), normalised.
    package let rows: InteractionMatrix
    /// The metadata, as given.
    package let metadata: InteractionMatrix?

    /// Builds the rows for `itemCount` items from `metadata` (rows beyond it have none).
    ///
    /// - Complexity: O(items + metadata entries).
    package init(itemCount: Int, metadata: ItemFeatures?, identity: Bool) {
        self.identity = identity
        self.metadata = metadata?.matrix
        metadataCount = metadata?.featureCount ?? 0
        count = (identity ? itemCount : 0) + metadataCount
        rows = Self.build(itemCount: itemCount, metadata: metadata?.matrix, identityFor: { _ in identity }, columnCount: count)
    }

    /// The rows used at scoring: items that were not trained (`trained[i] == false`) lose their
    /// identity feature and have their metadata normalised again to sum 1.
    package func scoringRows(trained: [Bool]) -> InteractionMatrix {
        guard identity, trained.contains(false) else { return rows }
        return Self.build(itemCount: rows.rowCount, metadata: metadata, identityFor: { trained[$0] }, columnCount: count)
    }

    private static func build(itemCount: Int, metadata: InteractionMatrix?, identityFor: (Int) -> Bool, columnCount: Int) -> InteractionMatrix {
        let shift = columnCount - (metadata?.columnCount ?? 0)
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        offsets.reserveCapacity(itemCount + 1)
        for item in 0..<itemCount {
            let start = columns.count
            var total: Float = 0
            if identityFor(item) {
                columns.append(Int32(item))
                values.append(1)
                total += 1
            }
            if let metadata, item < metadata.rowCount {
                for p in metadata.range(ofRow: item) {
                    columns.append(Int32(shift) + metadata.columns[p])
                    values.append(metadata.values[p])
                    total += abs(metadata.values[p])
                }
            }
            if total > 0 { for p in start..<values.count { values[p] /= total } }
            offsets.append(columns.count)
        }
        return InteractionMatrix(rowCount: itemCount, columnCount: columnCount, rowOffsets: offsets, columns: columns, values: values)
    }
}

/// LightFM's parameters and their schedule state, in one contiguous buffer.
///
/// Layout (each block row-major): item feature embeddings (features × f), item feature biases
/// (features), user embeddings (users × f), user biases (users), then the same four blocks for
/// the squared-gradient accumulators G and for Adadelta's update accumulators M.
package struct LightFMState: Sendable {
    /// Latent dimensions.
    package let factors: Int
    /// Item features (identity and metadata).
    package let featureCount: Int
    /// Users.
    package let userCount: Int
    /// The training rows of the item features (items × features, normalised).
    package let itemRows: InteractionMatrix
    /// Adagrad (true) or Adadelta.
    package let adagrad: Bool
    /// Adagrad's step, Adadelta's ρ and ε, and the L2 penalties.
    package let learningRate: Float, rho: Float, epsilon: Float, itemAlpha: Float, userAlpha: Float
    /// Parameters, then G, then M (see the type's summary).
    package var storage: [Float]

    /// Floats in one of the three blocks (parameters, G or M).
    package var blockSize: Int { (featureCount + userCount) * (factors + 1) }

    /// Initialises as LightFM: embeddings uniform in [−0.5, 0.5)/f (item features first, then
    /// users, from stream 0 of `seed`), biases 0; G = 1 for Adagrad and 0 for Adadelta; M = 0.
    package init(configuration c: LightFMConfiguration, features: LightFMFeatures, userCount: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed, stream: 0)
        self.init(factors: c.factors, itemRows: features.rows, userCount: userCount, schedule: c.schedule,
                  learningRate: Float(c.learningRate), rho: Float(c.rho), epsilon: Float(c.epsilon),
                  itemAlpha: Float(c.itemAlpha), userAlpha: Float(c.userAlpha),
                  itemEmbeddings: (0..<features.count * c.factors).map { _ in Float((rng.nextUnit() - 0.5) / Double(c.factors)) },
                  userEmbeddings: (0..<userCount * c.factors).map { _ in Float((rng.nextUnit() - 0.5) / Double(c.factors)) })
    }

    /// A state with the given embeddings (features × f and users × f, row-major), zero biases and
    /// fresh schedule accumulators (for tests with fixed parameters).
    package init(factors: Int, itemRows: InteractionMatrix, userCount: Int, schedule: LightFMSchedule, learningRate: Float,
                 rho: Float = 0.95, epsilon: Float = 1e-6, itemAlpha: Float = 0, userAlpha: Float = 0,
                 itemEmbeddings: [Float], userEmbeddings: [Float]) {
        precondition(itemEmbeddings.count == itemRows.columnCount * factors && userEmbeddings.count == userCount * factors)
        self.factors = factors
        self.featureCount = itemRows.columnCount
        self.userCount = userCount
        self.itemRows = itemRows
        self.adagrad = schedule == .adagrad
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
        self.itemAlpha = itemAlpha
        self.userAlpha = userAlpha
        let block = (featureCount + userCount) * (factors + 1)
        var storage = [Float](repeating: 0, count: 3 * block)
        storage.replaceSubrange(0..<itemEmbeddings.count, with: itemEmbeddings)
        let userStart = featureCount * (factors + 1)
        storage.replaceSubrange(userStart..<userStart + userEmbeddings.count, with: userEmbeddings)
        if adagrad { for p in block..<2 * block { storage[p] = 1 } }
        self.storage = storage
    }

    /// Embedding `j` of item feature `feature`.
    package func itemEmbedding(_ feature: Int) -> ArraySlice<Float> { storage[feature * factors ..< (feature + 1) * factors] }
    /// The bias of item feature `feature`.
    package func itemBias(_ feature: Int) -> Float { storage[featureCount * factors + feature] }
    /// User `user`'s embedding.
    package func userEmbedding(_ user: Int) -> ArraySlice<Float> {
        let start = featureCount * (factors + 1) + user * factors
        return storage[start ..< start + factors]
    }
    /// User `user`'s bias.
    package func userBias(_ user: Int) -> Float { storage[featureCount * (factors + 1) + userCount * factors + user] }

    /// Runs `body` with the kernel over this state's buffers.
    package mutating func withKernel<R>(_ body: (LightFMKernel) -> R) -> R {
        let f = factors, features = featureCount, users = userCount, block = blockSize
        let adagrad = self.adagrad, lr = learningRate, rho = self.rho, eps = epsilon, itemAlpha = self.itemAlpha, userAlpha = self.userAlpha
        let rows = itemRows
        return storage.withUnsafeMutableBufferPointer { buffer in
            rows.rowOffsets.withUnsafeBufferPointer { offsets in
                rows.columns.withUnsafeBufferPointer { columns in
                    rows.values.withUnsafeBufferPointer { weights in
                        let base = buffer.baseAddress!
                        let kernel = LightFMKernel(
                            factors: f, adagrad: adagrad, learningRate: lr, rho: rho, epsilon: eps, itemAlpha: itemAlpha, userAlpha: userAlpha,
                            itemOffsets: offsets.baseAddress!, itemColumns: columns.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                            itemWeights: weights.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                            itemEmbeddings: base, itemBiases: base + features * f,
                            userEmbeddings: base + features * (f + 1), userBiases: base + features * (f + 1) + users * f,
                            gradientOffset: block, momentumOffset: 2 * block)
                        return body(kernel)
                    }
                }
            }
        }
    }

    /// One epoch of LightFM's WARP or BPR over `interactions` (entries with a value ≤ 0 are
    /// skipped, as LightFM skips them), in an order shuffled by `rng`, negatives from `rng`.
    package mutating func runEpoch(_ interactions: InteractionMatrix, loss: LightFMLoss, maxSampled: Int, rng: inout SeededGenerator) {
        let nnz = interactions.nonZeroCount, items = interactions.columnCount
        guard nnz > 0, items > 0 else { return }
        var users = [Int32](repeating: 0, count: nnz)
        for u in 0..<interactions.rowCount { for p in interactions.range(ofRow: u) { users[p] = Int32(u) } }
        // LightFM shuffles arange(nnz) with its random state each epoch.
        var order = [Int32](unsafeUninitializedCapacity: nnz) { buffer, count in
            for p in 0..<nnz { buffer[p] = Int32(p) }
            count = nnz
        }
        var p = nnz - 1
        while p > 0 {
            let q = rng.nextInt(below: p + 1)
            order.swapAt(p, q)
            p -= 1
        }
        let f = factors
        var scratch = [Float](repeating: 0, count: 3 * (f + 1))
        withKernel { k in
            interactions.rowOffsets.withUnsafeBufferPointer { rowOffsets in
            interactions.columns.withUnsafeBufferPointer { columns in
            interactions.values.withUnsafeBufferPointer { values in
            scratch.withUnsafeMutableBufferPointer { scratch in
                let userRepr = scratch.baseAddress!, positiveRepr = userRepr + (f + 1), negativeRepr = positiveRepr + (f + 1)
                /// Whether `user` has `item` (binary search of its sorted row).
                @inline(__always) func has(_ user: Int, _ item: Int32) -> Bool {
                    var low = rowOffsets[user], high = rowOffsets[user + 1]
                    while low < high {
                        let mid = (low + high) >> 1
                        if columns[mid] < item { low = mid + 1 } else { high = mid }
                    }
                    return low < rowOffsets[user + 1] && columns[low] == item
                }
                for index in order {
                    let entry = Int(index)
                    guard values[entry] > 0 else { continue }
                    let user = Int(users[entry]), positive = Int(columns[entry])
                    switch loss {
                    case .warp:
                        k.userRepresentation(user, into: userRepr)
                        k.itemRepresentation(positive, into: positiveRepr)
                        let positivePrediction = k.prediction(userRepr, positiveRepr)
                        var sampled = 0
                        while sampled < maxSampled {
                            sampled += 1
                            let negative = rng.nextInt(below: items)
                            k.itemRepresentation(negative, into: negativeRepr)
                            let negativePrediction = k.prediction(userRepr, negativeRepr)
                            guard negativePrediction > positivePrediction - 1 else { continue }
                            if has(user, Int32(negative)) { continue }
                            let weight = min(10, logf(Float(max(1, (items - 1) / sampled))))
                            k.pairUpdate(loss: weight, user: user, positive: positive, negative: negative,
                                         userRepr: userRepr, positiveRepr: positiveRepr, negativeRepr: negativeRepr)
                            break
                        }
                    case .bpr:
                        // LightFM draws the item of a uniformly drawn interaction, again while the
                        // user has it; after 32 draws the step is skipped (LightFM tries nnz times).
                        var negative = Int(columns[rng.nextInt(below: nnz)])
                        var tries = 1
                        while has(user, Int32(negative)) && tries < 32 {
                            negative = Int(columns[rng.nextInt(below: nnz)])
                            tries += 1
                        }
                        if has(user, Int32(negative)) { continue }
                        k.bprStep(user: user, positive: positive, negative: negative,
                                  userRepr: userRepr, positiveRepr: positiveRepr, negativeRepr: negativeRepr)
                    }
                }
            }
            }
            }
            }
        }
    }

    /// The fitted model: item representations from `scoringRows`, users' own embeddings.
    package func model(scoringRows: InteractionMatrix, scoresNewItems: Bool) -> LightFMModel {
        let f = factors, width = f + 2, items = scoringRows.rowCount
        var itemFactors = [Float](repeating: 0, count: items * width)
        var userFactors = [Float](repeating: 0, count: userCount * width)
        var copy = self
        copy.withKernel { k in
            scoringRows.rowOffsets.withUnsafeBufferPointer { offsets in
            scoringRows.columns.withUnsafeBufferPointer { columns in
            scoringRows.values.withUnsafeBufferPointer { weights in
            itemFactors.withUnsafeMutableBufferPointer { out in
                for item in 0..<items {
                    // [q_i, b_i, 1]
                    let row = out.baseAddress! + item * width
                    for p in offsets[item]..<offsets[item + 1] {
                        let feature = Int(columns[p]), w = weights[p]
                        let e = k.itemEmbeddings + feature * f
                        for j in 0..<f { row[j] += w * e[j] }
                        row[f] += w * k.itemBiases[feature]
                    }
                    row[f + 1] = 1
                }
            }
            }
            }
            }
            userFactors.withUnsafeMutableBufferPointer { out in
                for user in 0..<userCount {
                    // [p_u, 1, b_u]
                    let row = out.baseAddress! + user * width
                    for j in 0..<f { row[j] = k.userEmbeddings[user * f + j] }
                    row[f] = 1
                    row[f + 1] = k.userBiases[user]
                }
            }
        }
        return LightFMModel(factors: FactorModel(factors: width, userFactors: userFactors, itemFactors: itemFactors),
                            scoresNewItems: scoresNewItems)
    }
}

/// LightFM's representation, prediction and update steps over raw buffers (see ``LightFMState``).
package struct LightFMKernel {
    let factors: Int
    let adagrad: Bool
    let learningRate: Float, rho: Float, epsilon: Float, itemAlpha: Float, userAlpha: Float
    let itemOffsets: UnsafePointer<Int>
    let itemColumns: UnsafePointer<Int32>
    let itemWeights: UnsafePointer<Float>
    let itemEmbeddings: UnsafeMutablePointer<Float>
    let itemBiases: UnsafeMutablePointer<Float>
    let userEmbeddings: UnsafeMutablePointer<Float>
    let userBiases: UnsafeMutablePointer<Float>
    /// Distance from a parameter to its G accumulator, and to its M accumulator.
    let gradientOffset: Int, momentumOffset: Int

    /// Writes [q_i, b_i] (f + 1 floats): the weighted sum of item `item`'s feature embeddings and biases.
    @inline(__always)
    package func itemRepresentation(_ item: Int, into r: UnsafeMutablePointer<Float>) {
        let f = factors
        r.update(repeating: 0, count: f + 1)
        for p in itemOffsets[item]..<itemOffsets[item + 1] {
            let feature = Int(itemColumns[p]), w = itemWeights[p]
            let e = itemEmbeddings + feature * f
            for j in 0..<f { r[j] += w * e[j] }
            r[f] += w * itemBiases[feature]
        }
    }

    /// Writes [p_u, b_u] (f + 1 floats).
    @inline(__always)
    package func userRepresentation(_ user: Int, into r: UnsafeMutablePointer<Float>) {
        r.update(from: userEmbeddings + user * factors, count: factors)
        r[factors] = userBiases[user]
    }

    /// p_u·q_i + b_u + b_i from two representations.
    @inline(__always)
    package func prediction(_ user: UnsafePointer<Float>, _ item: UnsafePointer<Float>) -> Float {
        user[factors] + item[factors] + Vector.dot(user, item, count: factors)
    }

    /// One schedule step of a parameter with gradient `g` (already multiplied by the feature
    /// weight), then the L2 decay p ← p·(1 − α·step).
    @inline(__always)
    func step(_ parameter: UnsafeMutablePointer<Float>, gradient g: Float, alpha: Float) {
        let accumulator = parameter + gradientOffset
        let local: Float
        if adagrad {
            local = learningRate / accumulator.pointee.squareRoot()
            parameter.pointee -= local * g
            accumulator.pointee += g * g
        } else {
            let momentum = parameter + momentumOffset
            accumulator.pointee = rho * accumulator.pointee + (1 - rho) * g * g
            local = (momentum.pointee + epsilon).squareRoot() / (accumulator.pointee + epsilon).squareRoot()
            let update = local * g
            momentum.pointee = rho * momentum.pointee + (1 - rho) * update * update
            parameter.pointee -= update
        }
        if alpha > 0 { parameter.pointee *= 1 - alpha * local }
    }

    /// Steps every feature of `item` with the item-side gradient `scale · direction` (embeddings)
    /// and `scale` (bias), each times the feature's weight.
    @inline(__always)
    func updateItem(_ item: Int, biasGradient: Float, embeddingScale: Float, direction: UnsafePointer<Float>) {
        let f = factors
        for p in itemOffsets[item]..<itemOffsets[item + 1] {
            let feature = Int(itemColumns[p]), w = itemWeights[p]
            step(itemBiases + feature, gradient: biasGradient * w, alpha: itemAlpha)
            let e = itemEmbeddings + feature * f
            for j in 0..<f { step(e + j, gradient: embeddingScale * direction[j] * w, alpha: itemAlpha) }
        }
    }

    /// LightFM's `warp_update` (used by WARP and BPR) for the triple (user, positive, negative)
    /// with step weight `loss`, from the representations computed before the step: positive
    /// features get gradient −loss·p_u (bias −loss), negative ones +loss·p_u (bias +loss), the
    /// user loss·(q_j − q_i) (bias +loss, as LightFM does; it does not change a ranking).
    package func pairUpdate(loss: Float, user: Int, positive: Int, negative: Int, userRepr: UnsafePointer<Float>,
                            positiveRepr: UnsafePointer<Float>, negativeRepr: UnsafePointer<Float>) {
        let f = factors
        updateItem(positive, biasGradient: -loss, embeddingScale: -loss, direction: userRepr)
        updateItem(negative, biasGradient: loss, embeddingScale: loss, direction: userRepr)
        step(userBiases + user, gradient: loss, alpha: userAlpha)
        let x = userEmbeddings + user * f
        for j in 0..<f { step(x + j, gradient: loss * (negativeRepr[j] - positiveRepr[j]), alpha: userAlpha) }
    }

    /// One BPR step as LightFM's `fit_bpr`: representations, then ``pairUpdate`` with weight
    /// 1 − σ(x̂_ui − x̂_uj). The scratch pointers receive the representations (f + 1 floats each).
    package func bprStep(user: Int, positive: Int, negative: Int, userRepr: UnsafeMutablePointer<Float>,
                         positiveRepr: UnsafeMutablePointer<Float>, negativeRepr: UnsafeMutablePointer<Float>) {
        userRepresentation(user, into: userRepr)
        itemRepresentation(positive, into: positiveRepr)
        itemRepresentation(negative, into: negativeRepr)
        let difference = prediction(userRepr, positiveRepr) - prediction(userRepr, negativeRepr)
        let weight = 1 - 1 / (1 + expf(-difference))
        pairUpdate(loss: weight, user: user, positive: positive, negative: negative,
                   userRepr: userRepr, positiveRepr: positiveRepr, negativeRepr: negativeRepr)
    }
}

/// A fitted LightFM: a ``FactorModel`` over users [p_u, 1, b_u] and items [q_i, b_i, 1], so a
/// score is p_u·q_i + b_i + b_u, computed with one GEMM per block of users.
public struct LightFMModel: ChunkedScoring {
    /// The factor model the representations make.
    public let factors: FactorModel
    /// Whether the training set had item features (then items without interactions are scored
    /// from their features).
    public let scoresNewItems: Bool

    /// Creates a model from its factor model.
    public init(factors: FactorModel, scoresNewItems: Bool) {
        self.factors = factors
        self.scoresNewItems = scoresNewItems
    }

    public var itemCount: Int { factors.itemCount }
    public var scoringChunkAlignment: Int { factors.scoringChunkAlignment }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) { factors.scores(for: users, into: &scores) }

    public func scores(for users: UserBatch, items itemRange: Range<Int>, into scores: inout ScoreRows) {
        factors.scores(for: users, items: itemRange, into: &scores)
    }

    public func score(user: UserIndex, item: ItemIndex) -> Float { factors.score(user: user, item: item) }
}
