import Foundation
import RecBenchKernels
import RecBenchCore

/// Which of Liang et al.'s two autoencoders.
public enum AutoencoderVariant: String, Codable, Hashable, Sendable, CaseIterable {
    /// Mult-DAE: a denoising autoencoder.
    case dae
    /// Mult-VAE: a variational autoencoder with a Gaussian latent and KL annealing.
    case vae
}

/// Picks the autoencoder of an ``AutoencoderConfiguration``: ``DAE`` or ``VAE``.
public protocol AutoencoderKind: Hashable, Sendable {
    /// The variant.
    static var variant: AutoencoderVariant { get }
    /// The ``Algorithm`` case of a configuration of this kind.
    static func algorithm(_ configuration: AutoencoderConfiguration<Self>) -> Algorithm
}

/// Mult-DAE.
public enum DAE: AutoencoderKind {
    public static let variant = AutoencoderVariant.dae
    public static func algorithm(_ configuration: AutoencoderConfiguration<DAE>) -> Algorithm { .multDAE(configuration) }
}

/// Mult-VAE.
public enum VAE: AutoencoderKind {
    public static let variant = AutoencoderVariant.vae
    public static func algorithm(_ configuration: AutoencoderConfiguration<VAE>) -> Algorithm { .multVAE(configuration) }
}

/// Mult-DAE's configuration.
public typealias MultDAEConfiguration = AutoencoderConfiguration<DAE>
/// Mult-VAE's configuration.
public typealias MultVAEConfiguration = AutoencoderConfiguration<VAE>

/// Mult-DAE and Mult-VAE (Liang, Krishnan, Hoffman and Jebara, "Variational Autoencoders for
/// Collaborative Filtering", WWW 2018), in Swift on the project's GEMM, with hand-written
/// forward and backward passes.
///
/// A user's binarised row x_u is L2-normalised, passed through dropout (kept with probability
/// 1 − ``dropout``, scaled by its inverse), then through dense layers with tanh; the decoder's
/// logits z_u feed a multinomial log-likelihood Σ_i x_ui·log softmax(z_u)_i. The loss per batch is
/// the mean over its users of −log-likelihood (+ β·KL for the VAE) plus (λ/2)·Σ‖W‖² over the
/// weight matrices; Adam minimises it. The VAE's β grows linearly from 0 to ``annealCap`` over
/// ``annealSteps`` updates (all the fit's updates when nil). Scores are the logits (the VAE
/// uses μ, without noise).
///
/// `layers` lists the encoder's widths after the input: DAE `[200]` is I → 200 → I; VAE
/// `[600, 200]` is I → 600 → (μ, logσ²: 200) → 600 → I. Every random choice (initialisation,
/// user order, dropout, ε) comes from the seed, and the GEMM gives the same bits on any
/// thread count, so the fit does too. ``MultDAEConfiguration`` and ``MultVAEConfiguration`` are the two.
public struct AutoencoderConfiguration<Kind: AutoencoderKind>: BuiltInConfiguration {
    /// Which autoencoder: the type's.
    public var variant: AutoencoderVariant { Kind.variant }
    /// Encoder widths after the input (the last one is the code, or the latent size).
    public var layers: [Int]
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// λ of the (λ/2)·‖W‖² penalty on the weight matrices.
    public var regularization: Double
    /// Probability that an input entry is dropped.
    public var dropout: Double
    /// The largest β of the VAE's KL term.
    public var annealCap: Double
    /// Updates over which β grows to its cap (nil: all of the fit's updates).
    public var annealSteps: Int?

    /// The defaults, stated once: the paper's (batch 500, lr 1e-3, dropout 0.5, β cap 0.2; layers
    /// [200] for the DAE, [600, 200] for the VAE).
    public init() {
        layers = Kind.variant == .vae ? [600, 200] : [200]
        epochs = 30
        batchSize = 500
        learningRate = 1e-3
        regularization = 0.0
        dropout = 0.5
        annealCap = 0.2
        annealSteps = nil
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(layers: [Int]? = nil, epochs: Int = Self().epochs, batchSize: Int = Self().batchSize,
                learningRate: Double = Self().learningRate, regularization: Double = Self().regularization, dropout: Double = Self().dropout,
                annealCap: Double = Self().annealCap, annealSteps: Int? = Self().annealSteps) {
        self.layers = layers ?? Self().layers
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.regularization = regularization
        self.dropout = dropout
        self.annealCap = annealCap
        self.annealSteps = annealSteps
    }

    public static var typeName: String { Kind.variant.rawValue }

    public static var hyperparameters: [Hyperparameter] {
        var list = [
            Hyperparameter("layers", .integerList(values: HyperparameterLimits.layerWidth, count: HyperparameterLimits.layerCount),
                           "Encoder widths after the input; the last is the code (DAE) or the latent size (VAE)."),
            Hyperparameter("epochs", .integer(HyperparameterLimits.epochs), "Passes over the training users."),
            Hyperparameter("batch_size", .integer(HyperparameterLimits.batchSize), "Users per Adam step."),
            Hyperparameter("learning_rate", .real(HyperparameterLimits.learningRate), "Adam's step."),
            Hyperparameter("regularization", .real(HyperparameterLimits.autoencoderRegularization), "λ of the (λ/2)·‖W‖² penalty."),
            Hyperparameter("dropout", .real(HyperparameterLimits.dropout), "Probability that an input entry is dropped."),
        ]
        if Kind.variant == .vae {
            list.append(Hyperparameter("anneal_cap", .real(HyperparameterLimits.annealCap), "The largest β of the KL term."))
            list.append(Hyperparameter("anneal_steps", .integer(HyperparameterLimits.annealSteps), "Updates over which β grows to its cap (unset: all of the fit's)."))
        }
        return list
    }

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        if let v = p.integers("layers") { layers = v }
        if let v = p.integer("epochs") { epochs = v }
        if let v = p.integer("batch_size") { batchSize = v }
        if let v = p.real("learning_rate") { learningRate = v }
        if let v = p.real("regularization") { regularization = v }
        if let v = p.real("dropout") { dropout = v }
        if let v = p.real("anneal_cap") { annealCap = v }
        if let v = p.integer("anneal_steps") { annealSteps = v }
    }

    /// The DAE has no β: `anneal_cap` and `anneal_steps` are the VAE's only (`anneal_steps` only when set).
    public var parameters: [String: ParameterValue] {
        var values: [String: ParameterValue] = [
            "layers": .integers(layers), "epochs": .integer(epochs), "batch_size": .integer(batchSize), "learning_rate": .double(learningRate),
            "regularization": .double(regularization), "dropout": .double(dropout),
        ]
        if Kind.variant == .vae {
            values["anneal_cap"] = .double(annealCap)
            if let annealSteps { values["anneal_steps"] = .integer(annealSteps) }
        }
        return values
    }

    public var algorithm: Algorithm { Kind.algorithm(self) }

    public var label: String {
        "Mult-\(variant.rawValue.uppercased())(\(layers.map(String.init).joined(separator: "→")), epochs=\(epochs), lr=\(learningRate)"
            + (regularization > 0 ? ", λ=\(regularization)" : "") + ")"
    }

    /// The widths from the input to the output, e.g. [I, 600, 400, 600, I] for the VAE (400 = 2 × latent).
    package static func widths(variant: AutoencoderVariant, items: Int, layers: [Int]) -> [Int] {
        let encoder = [items] + layers
        let decoder = Array(encoder.reversed())
        if variant == .vae { return Array(encoder.dropLast()) + [2 * layers.last!] + decoder.dropFirst() }
        return encoder + decoder.dropFirst()
    }

    /// An estimate of the fit's peak bytes on `items` items with `users` users to train on
    /// (`Int.max` when it overflows): the weights and biases four times over (the network, Adam's
    /// two moments, a step's gradients), a transposed copy of the largest matrix, and a batch's
    /// activations, logits and their gradients.
    ///
    /// Call it on a configuration whose `validate()` passed.
    public func peakBytes(items: Int, users: Int) -> Int {
        let widths = Self.widths(variant: variant, items: items, layers: layers)
        let latentInput = variant == .vae ? layers.count : nil   // the decoder's first layer reads the latent, not [μ | logσ²]
        var parameters: [Int] = [], largest = 0
        for l in 0..<(widths.count - 1) {
            let weights = Saturating.product(l == latentInput ? layers.last! : widths[l], widths[l + 1])
            parameters.append(weights)
            parameters.append(widths[l + 1])
            largest = max(largest, weights)
        }
        let rows = min(batchSize, max(users, 1))
        let batch = Saturating.product(rows, Saturating.sum(Saturating.product(3, items), Saturating.product(3, Saturating.sum(Array(widths.dropFirst().dropLast())))))
        return Saturating.product(4, Saturating.sum(Saturating.product(4, Saturating.sum(parameters)), largest, batch))
    }

    /// Trains the network.
    ///
    /// Refuses, before allocating, a network whose ``peakBytes(items:users:)`` exceed
    /// ``MemoryBudget/usableBytes`` (a layer of a million units on a few thousand items is
    /// tens of GB).
    ///
    /// - Throws: ``ConfigurationError/invalidHyperparameter(algorithm:parameter:value:allowed:)`` or
    ///   ``MemoryError/insufficient(task:bytesNeeded:bytesAvailable:advice:)``.
    /// - Complexity: O(epochs · users · (nnz_u·h₁ + Σ layer products + I·h)) time; O(I·h) memory per wide layer.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> MultVAEModel {
        try validate()
        let matrix = train.interactions
        let trainable = (0..<matrix.rowCount).filter { !matrix.range(ofRow: $0).isEmpty }
        try MemoryBudget.check("\(label) on \(train.itemCount) items", needs: peakBytes(items: train.itemCount, users: trainable.count),
                               advice: "use narrower layers, a smaller batch_size, or " + AlgorithmError.pruningAdvice)
        let threadCount = threads ?? Parallel.defaultThreads
        var rng = SeededGenerator(seed: seed)
        var network = AutoencoderNetwork(variant: variant, items: train.itemCount, layers: layers, rng: &rng)
        var order = trainable
        let batchesPerEpoch = trainable.isEmpty ? 0 : (trainable.count - 1) / batchSize + 1
        let totalAnneal = max(1, annealSteps ?? epochs * batchesPerEpoch)
        var optimiser = network.makeOptimiser()
        var step = 0
        for _ in 0..<epochs {
            order.shuffle(using: &rng)
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let users = order[start..<min(start + batchSize, order.count)]
                step += 1
                let beta = Float(annealCap * min(1, Double(step) / Double(totalAnneal)))
                let batch = network.batch(users, from: matrix, dropout: Float(dropout), rng: &rng)
                let noise = variant == .vae ? (0..<(users.count * layers.last!)).map { _ in Float(rng.nextGaussian()) } : []
                let pass = network.forward(batch.input, noise: noise, threads: threadCount)
                let gradients = network.backward(pass, targets: batch.targets, noise: noise, beta: beta, threads: threadCount)
                optimiser.update(&network, gradients: gradients, decay: Float(regularization), learningRate: Float(learningRate), step: step)
            }
        }
        return MultVAEModel(network: network, history: matrix, threads: threadCount)
    }
}

/// The weights of the autoencoder and its passes.
package struct AutoencoderNetwork: Sendable {
    package let variant: AutoencoderVariant
    package let items: Int
    /// Layer widths from the input to the output, e.g. [I, 600, 400, 600, I] for the VAE (400 = 2 × latent).
    package let widths: [Int]
    /// The index of the layer whose output is [μ | logσ²] (VAE only).
    package let latentLayer: Int?
    package var weights: [[Float]]
    package var biases: [[Float]]

    package init(variant: AutoencoderVariant, items: Int, layers: [Int], rng: inout SeededGenerator) {
        self.variant = variant
        self.items = items
        widths = MultVAEConfiguration.widths(variant: variant, items: items, layers: layers)
        latentLayer = variant == .vae ? layers.count - 1 : nil
        weights = []
        biases = []
        for l in 0..<(widths.count - 1) {
            let fanIn = l == latentLayer.map({ $0 + 1 }) ? layers.last! : widths[l]
            let fanOut = widths[l + 1]
            let limit = (6 / Double(fanIn + fanOut)).squareRoot()
            weights.append((0..<(fanIn * fanOut)).map { _ in Float((rng.nextUnit() * 2 - 1) * limit) })
            biases.append([Float](repeating: 0, count: fanOut))
        }
    }

    /// Whether layer `l` is followed by tanh.
    package func hasTanh(_ l: Int) -> Bool { l != weights.count - 1 && l != latentLayer }

    /// The normalised, dropped-out input rows and the binary targets of `users`.
    package func batch(_ users: ArraySlice<Int>, from matrix: InteractionMatrix, dropout: Float, rng: inout SeededGenerator)
        -> (input: SparseBatch, targets: SparseBatch) {
        var targets = SparseBatch(rows: users.count, offsets: [0], columns: [], values: [])
        var input = targets
        for user in users {
            let range = matrix.range(ofRow: user)
            let norm = 1 / Float(range.count).squareRoot()
            for p in range {
                targets.columns.append(matrix.columns[p]); targets.values.append(1)
                if dropout > 0, Float(rng.nextUnit()) < dropout { continue }
                input.columns.append(matrix.columns[p]); input.values.append(norm / (1 - dropout))
            }
            targets.offsets.append(targets.columns.count)
            input.offsets.append(input.columns.count)
        }
        return (input, targets)
    }

    /// What the forward pass keeps for the backward one.
    package struct Pass {
        package var input: SparseBatch
        /// The input of each dense layer after the first (activations[l] feeds layer l + 1).
        package var activations: [[Float]]
        /// [μ | logσ²] (VAE).
        package var statistics: [Float]
        package var logits: [Float]
        package var kl: Double
    }

    /// The forward pass; `noise` holds ε (rows × latent) for the VAE, or is empty to use μ.
    package func forward(_ input: SparseBatch, noise: [Float], threads: Int) -> Pass {
        let rows = input.rows
        var activations: [[Float]] = []
        var statistics: [Float] = []
        var kl = 0.0
        var current = NeuralLayers.sparseForward(input, weights: weights[0], bias: biases[0], threads: threads)
        for l in 0..<weights.count {
            if l > 0 { current = NeuralLayers.denseForward(activations[l - 1], rows: rows, weights: weights[l], bias: biases[l], threads: threads) }
            if hasTanh(l) { current = NeuralLayers.tanhForward(current) }
            if l == latentLayer {
                statistics = current
                let latent = biases[l].count / 2
                if noise.isEmpty {
                    current = (0..<rows).flatMap { r in current[(r * 2 * latent)..<(r * 2 * latent + latent)] }
                } else {
                    (current, kl) = NeuralLayers.gaussianForward(statistics, rows: rows, latent: latent, noise: noise)
                }
            }
            if l < weights.count - 1 { activations.append(current) }
        }
        return Pass(input: input, activations: activations, statistics: statistics, logits: current, kl: kl)
    }

    /// Gradients of every weight and bias.
    package struct Gradients {
        package var weights: [[Float]]
        package var biases: [[Float]]
        package var loss: Double
    }

    /// The backward pass of the loss: mean −log-likelihood (+ β·KL).
    package func backward(_ pass: Pass, targets: SparseBatch, noise: [Float], beta: Float, threads: Int) -> Gradients {
        let rows = targets.rows
        let (likelihood, logitGradient) = NeuralLayers.multinomialLoss(logits: pass.logits, targets: targets, items: items)
        var dWeights = [[Float]](repeating: [], count: weights.count), dBiases = dWeights
        var gradient = logitGradient
        var l = weights.count - 1
        while l >= 0 {
            if l == latentLayer {
                gradient = NeuralLayers.gaussianBackward(pass.statistics, rows: rows, latent: biases[l].count / 2, noise: noise,
                                                         outputGradient: gradient, beta: beta)
            }
            if hasTanh(l) {
                gradient = NeuralLayers.tanhBackward(output: pass.activations[l], outputGradient: gradient)
            }
            if l == 0 {
                (dWeights[0], dBiases[0]) = NeuralLayers.sparseBackward(pass.input, outputGradient: gradient, inputs: items, output: biases[0].count)
            } else {
                let result = NeuralLayers.denseBackward(pass.activations[l - 1], rows: rows, weights: weights[l], outputGradient: gradient,
                                                        output: biases[l].count, needInputGradient: true, threads: threads)
                (dWeights[l], dBiases[l]) = (result.weights, result.bias)
                gradient = result.input
            }
            l -= 1
        }
        return Gradients(weights: dWeights, biases: dBiases, loss: likelihood + Double(beta) * pass.kl)
    }

    /// The penalty-free loss of a batch (for gradient checks).
    package func loss(_ input: SparseBatch, targets: SparseBatch, noise: [Float], beta: Float) -> Double {
        let pass = forward(input, noise: noise, threads: 1)
        return NeuralLayers.multinomialLoss(logits: pass.logits, targets: targets, items: items).loss + Double(beta) * pass.kl
    }

    /// One Adam state per tensor.
    package func makeOptimiser() -> AutoencoderOptimiser {
        AutoencoderOptimiser(weights: weights.map { AdamState(count: $0.count) }, biases: biases.map { AdamState(count: $0.count) })
    }
}

/// Adam states of every tensor of an ``AutoencoderNetwork``.
package struct AutoencoderOptimiser {
    package var weights: [AdamState]
    package var biases: [AdamState]

    /// One Adam step over every tensor; `decay` (λ) applies to the weight matrices only.
    package mutating func update(_ network: inout AutoencoderNetwork, gradients: AutoencoderNetwork.Gradients, decay: Float, learningRate: Float, step: Int) {
        for l in network.weights.indices {
            weights[l].update(&network.weights[l], gradient: gradients.weights[l], decay: decay, learningRate: learningRate, step: step)
            biases[l].update(&network.biases[l], gradient: gradients.biases[l], decay: 0, learningRate: learningRate, step: step)
        }
    }
}

/// The model of ``MultVAEConfiguration``: scores are the decoder's logits for the user's training row.
public struct MultVAEModel: TrainedModel {
    package let network: AutoencoderNetwork
    /// The users' training rows: the network's input.
    package let history: InteractionMatrix
    package let threads: Int

    public var itemCount: Int { network.items }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        self.scores(for: users, rows: history, into: &scores)
    }

    /// Each user's decoder logits for their row of `rows` (L2-normalised, no dropout; the mean
    /// of q(z|x) for the VAE); every user must be a row of `rows`.
    ///
    /// - Complexity: one forward pass of the batch.
    func scores(for users: UserBatch, rows history: InteractionMatrix, into scores: inout ScoreRows) {
        guard !users.isEmpty, itemCount > 0 else { return }
        var unused = SeededGenerator(seed: 0)   // without dropout the batch draws nothing
        let input = network.batch(users.map { $0.int }[...], from: history, dropout: 0, rng: &unused).input
        let logits = network.forward(input, noise: [], threads: threads).logits
        logits.withUnsafeBufferPointer { all in
            for row in 0..<users.count {
                scores[row: row].baseAddress!.update(from: all.baseAddress! + row * itemCount, count: itemCount)
            }
        }
    }
}

extension MultVAEModel: FoldInModel {
    /// Scores each new user exactly as a training user is scored: one forward pass of their
    /// row of `histories` (L2-normalised, no dropout; the VAE decodes the mean of q(z|x)),
    /// the new-user protocol of Liang et al. 2018.
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        self.scores(for: users, rows: histories, into: &scores)
    }
}
