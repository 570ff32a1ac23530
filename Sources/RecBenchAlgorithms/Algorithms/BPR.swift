import Foundation
import RecBenchKernels
import RecBenchCore

/// How BPR draws the negative item of a (user, positive, negative) triple.
public enum BPRNegativeSampling: String, Codable, Hashable, Sendable, CaseIterable {
    /// Uniform over the items, drawn again while the user has the item (Rendle et al. 2009).
    case uniform
    /// In proportion to each item's training interactions; a draw the user has is skipped, not
    /// drawn again (what `implicit`'s `BayesianPersonalizedRanking` does).
    case popularity
}

/// Bayesian personalised ranking with matrix factorisation (Rendle, Freudenthaler, Gantner and
/// Schmidt-Thieme, "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009).
///
/// Stochastic gradient ascent on Σ ln σ(x̂_ui − x̂_uj) − λ‖Θ‖² over triples of a user u, an item i
/// it has and an item j it has not, with x̂_ui = x_u·y_i + b_i (an item bias, as `implicit`).
/// An epoch draws as many triples as there are training interactions, the positive pair
/// uniformly among them. Factors start uniform in [−0.5, 0.5)/f from the seed, biases at 0.
///
/// **Parallel and deterministic.** The fit is a stratified SGD (Gemulla, Nijkamp, Haas and
/// Sismanis, KDD 2011): users and items are dealt into ``blocks`` groups each (index modulo
/// `blocks`), which cuts the matrix into `blocks × blocks` cells. An epoch runs `blocks` rounds;
/// round r runs the cells (b, (b + r) mod blocks) for every b, which share no user and no item,
/// so they run on any number of threads without touching the same factors. Each cell draws
/// its positives among its own interactions and its negatives among its own item group, from
/// its own random stream seeded by (seed, epoch, cell). The result is therefore the same, bit
/// for bit, whatever the thread count.
public struct BPRConfiguration: BuiltInConfiguration {
    /// Latent factors (an item bias comes on top).
    public var factors: Int
    /// The SGD step.
    public var learningRate: Double
    /// λ, the L2 penalty on the factors and biases touched by a step.
    public var regularization: Double
    /// Passes, each of as many triples as there are training interactions.
    public var epochs: Int
    /// How negatives are drawn.
    public var negatives: BPRNegativeSampling
    /// User and item groups of the stratified schedule (cells = blocks²).
    public var blocks: Int

    /// The defaults, stated once: they follow `implicit` (100 epochs, lr 0.01, λ 0.01) with 64 factors.
    public init() {
        factors = 64
        learningRate = 0.01
        regularization = 0.01
        epochs = 100
        negatives = .uniform
        blocks = 8
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(factors: Int = Self().factors, learningRate: Double = Self().learningRate, regularization: Double = Self().regularization,
                epochs: Int = Self().epochs, negatives: BPRNegativeSampling = Self().negatives, blocks: Int = Self().blocks) {
        self.factors = factors
        self.learningRate = learningRate
        self.regularization = regularization
        self.epochs = epochs
        self.negatives = negatives
        self.blocks = blocks
    }

    public static let typeName = "bpr"

    public static let hyperparameters = [
        Hyperparameter("factors", .integer(HyperparameterLimits.factors), "Latent factors (an item bias comes on top)."),
        Hyperparameter("learning_rate", .real(HyperparameterLimits.learningRate), "The SGD step."),
        Hyperparameter("regularization", .real(HyperparameterLimits.bprRegularization), "λ, the L2 penalty on the factors and biases a step touches."),
        Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes, each of as many triples as training interactions."),
        Hyperparameter("negatives", .choice(BPRNegativeSampling.allCases.map(\.rawValue)), "Negatives drawn uniformly, or by popularity as implicit does."),
        Hyperparameter("blocks", .integer(HyperparameterLimits.bprBlocks), "User and item groups of the parallel schedule (blocks² cells); changes the result."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integer("factors") { factors = v }
        if let v = p.real("learning_rate") { learningRate = v }
        if let v = p.real("regularization") { regularization = v }
        if let v = p.integer("epochs") { epochs = v }
        if let v = p.word("negatives") { negatives = BPRNegativeSampling(rawValue: v)! }   // the domain lists exactly the raw values
        if let v = p.integer("blocks") { blocks = v }
    }

    public var parameters: [String: ParameterValue] {
        ["factors": .integer(factors), "learning_rate": .double(learningRate), "regularization": .double(regularization),
         "epochs": .integer(epochs), "negatives": .string(negatives.rawValue), "blocks": .integer(blocks)]
    }

    public var algorithm: Algorithm { .bpr(self) }

    public var label: String {
        "BPR(f=\(factors), lr=\(learningRate), λ=\(regularization), epochs=\(epochs)\(negatives == .popularity ? ", popularity negatives" : ""))"
    }

    /// Fits the factors.
    ///
    /// - Complexity: O(epochs · nnz · f) time; O((users + items) · f + nnz) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> FactorModel {
        try fit(train, seed: seed, threads: threads, epochsCallback: nil)
    }

    /// Fits the factors, calling `epochsCallback` after every epoch (for timing per epoch).
    public func fit(_ train: Dataset, seed: UInt64, threads: Int? = nil, epochsCallback: ((Int) -> Void)?) throws -> FactorModel {
        try validate()
        let matrix = train.interactions
        let users = matrix.rowCount, items = matrix.columnCount
        let width = factors + 1          // item rows hold [y_i, b_i]; user rows [x_u, 1]
        var rng = SeededGenerator(seed: seed)
        var userFactors = [Float](repeating: 0, count: users * width)
        var itemFactors = [Float](repeating: 0, count: items * width)
        for u in 0..<users {
            for j in 0..<factors { userFactors[u * width + j] = Float((rng.nextUnit() - 0.5) / Double(factors)) }
            userFactors[u * width + factors] = 1
        }
        for i in 0..<items {
            for j in 0..<factors { itemFactors[i * width + j] = Float((rng.nextUnit() - 0.5) / Double(factors)) }
        }
        let cells = BPRCells(matrix, blocks: blocks)
        let threadCount = threads ?? Parallel.defaultThreads
        let step = SGDStep(factors: factors, learningRate: Float(learningRate), regularization: Float(regularization))
        let negatives = self.negatives, blocks = self.blocks
        userFactors.withUnsafeMutableBufferPointer { userBuffer in
            itemFactors.withUnsafeMutableBufferPointer { itemBuffer in
                let x = SendableMutablePointer(userBuffer.baseAddress!), y = SendableMutablePointer(itemBuffer.baseAddress!)
                for epoch in 0..<epochs {
                    for round in 0..<blocks {
                        // One piece per cell, claimed as threads free up (cells differ in size).
                        Parallel.forEachRange(count: blocks, pieces: blocks, threads: threadCount) { userBlocks in
                          for userBlock in userBlocks {
                            let itemBlock = (userBlock + round) % blocks
                            let cell = userBlock * blocks + itemBlock
                            var cellRNG = SeededGenerator(seed: seed, stream: UInt64(epoch) << 32 | UInt64(cell) + 1)
                            cells.run(cell: cell, itemBlock: itemBlock, negatives: negatives, matrix: matrix, step: step,
                                      x: x.pointer, y: y.pointer, width: width, rng: &cellRNG)
                          }
                        }
                    }
                    epochsCallback?(epoch)
                }
            }
        }
        return FactorModel(factors: width, userFactors: userFactors, itemFactors: itemFactors)
    }
}

/// One SGD step of BPR on a triple.
package struct SGDStep: Sendable {
    package let factors: Int
    package let learningRate: Float
    package let regularization: Float

    /// Updates x_u, y_i, y_j and the two biases (stored after the factors, at index `factors`).
    @inline(__always)
    package func apply(x: UnsafeMutablePointer<Float>, yi: UnsafeMutablePointer<Float>, yj: UnsafeMutablePointer<Float>) {
        let f = factors
        var difference: Float = yi[f] - yj[f]
        var j = 0
        var acc = SIMD16<Float>()
        while j + 16 <= f {
            let xu = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            let a = UnsafeRawPointer(yi + j).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(yj + j).loadUnaligned(as: SIMD16<Float>.self)
            acc += xu * (a - b)
            j += 16
        }
        difference += Vector.horizontalSum(acc)
        while j < f { difference += x[j] * (yi[j] - yj[j]); j += 1 }
        // d/dθ ln σ(d) = σ(−d) · ∂d/∂θ.
        let z = 1 / (1 + expf(difference))
        let lr = learningRate, reg = regularization
        let keep = 1 - lr * reg
        let gz = lr * z
        j = 0
        let keepV = SIMD16<Float>(repeating: keep), gzV = SIMD16<Float>(repeating: gz)
        while j + 16 <= f {
            let xu = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
            let a = UnsafeRawPointer(yi + j).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(yj + j).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(x + j).storeBytes(of: keepV * xu + gzV * (a - b), as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(yi + j).storeBytes(of: keepV * a + gzV * xu, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(yj + j).storeBytes(of: keepV * b - gzV * xu, as: SIMD16<Float>.self)
            j += 16
        }
        while j < f {
            let xu = x[j], a = yi[j], b = yj[j]
            x[j] = keep * xu + gz * (a - b)
            yi[j] = keep * a + gz * xu
            yj[j] = keep * b - gz * xu
            j += 1
        }
        yi[f] = keep * yi[f] + gz
        yj[f] = keep * yj[f] - gz
    }
}

/// The interactions dealt into the cells of the stratified schedule.
package struct BPRCells: Sendable {
    package let blocks: Int
    /// Cell c's (user, item) pairs are `pairs[offsets[c]..<offsets[c+1]]`.
    package let offsets: [Int]
    package let users: [Int32]
    package let items: [Int32]
    /// The items of each item group, for uniform negatives.
    package let groupItems: [[Int32]]
    /// One entry per interaction of an item of the group, for popularity negatives.
    package let groupDraws: [[Int32]]

    package init(_ matrix: InteractionMatrix, blocks: Int) {
        self.blocks = blocks
        let cellCount = blocks * blocks
        var counts = [Int](repeating: 0, count: cellCount + 1)
        for u in 0..<matrix.rowCount {
            for p in matrix.range(ofRow: u) { counts[(u % blocks) * blocks + Int(matrix.columns[p]) % blocks + 1] += 1 }
        }
        for c in 0..<cellCount { counts[c + 1] += counts[c] }
        offsets = counts
        var next = counts
        var users = [Int32](repeating: 0, count: matrix.nonZeroCount), items = users
        var draws = [[Int32]](repeating: [], count: blocks)
        for u in 0..<matrix.rowCount {
            for p in matrix.range(ofRow: u) {
                let item = matrix.columns[p]
                let cell = (u % blocks) * blocks + Int(item) % blocks
                users[next[cell]] = Int32(u); items[next[cell]] = item
                next[cell] += 1
                draws[Int(item) % blocks].append(item)
            }
        }
        self.users = users
        self.items = items
        groupItems = (0..<blocks).map { g in stride(from: g, to: matrix.columnCount, by: blocks).map { Int32($0) } }
        groupDraws = draws
    }

    /// Runs one cell's share of an epoch: as many triples as the cell has interactions.
    package func run(cell: Int, itemBlock: Int, negatives: BPRNegativeSampling, matrix: InteractionMatrix, step: SGDStep,
             x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, width: Int, rng: inout SeededGenerator) {
        let start = offsets[cell], count = offsets[cell + 1] - start
        guard count > 0 else { return }
        let candidateList = negatives == .uniform ? groupItems[itemBlock] : groupDraws[itemBlock]
        guard candidateList.count > 1 else { return }
        candidateList.withUnsafeBufferPointer { candidates in
        users.withUnsafeBufferPointer { users in
        items.withUnsafeBufferPointer { items in
        matrix.rowOffsets.withUnsafeBufferPointer { rowOffsets in
        matrix.columns.withUnsafeBufferPointer { columns in
            /// Whether `user` has `item` (binary search of its sorted row).
            @inline(__always) func has(_ user: Int, _ item: Int32) -> Bool {
                var low = rowOffsets[user], high = rowOffsets[user + 1]
                while low < high {
                    let mid = (low + high) >> 1
                    if columns[mid] < item { low = mid + 1 } else { high = mid }
                }
                return low < rowOffsets[user + 1] && columns[low] == item
            }
            for _ in 0..<count {
                let pick = start + rng.nextInt(below: count)
                let user = Int(users[pick]), positive = items[pick]
                var negative = candidates[rng.nextInt(below: candidates.count)]
                switch negatives {
                case .uniform:
                    // Drawn again while the user has it; after 32 tries the step is skipped.
                    var tries = 0
                    while has(user, negative) && tries < 32 {
                        tries += 1
                        negative = candidates[rng.nextInt(below: candidates.count)]
                    }
                    if tries == 32 { continue }
                case .popularity:
                    if negative == positive || has(user, negative) { continue }
                }
                step.apply(x: x + user * width, yi: y + Int(positive) * width, yj: y + Int(negative) * width)
            }
        }
        }
        }
        }
        }
    }
}
