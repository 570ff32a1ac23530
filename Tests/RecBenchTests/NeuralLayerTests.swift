import Foundation
import Testing
@testable import RecBench

/// Central finite differences of `loss` in each entry of `parameters` (Double sums, Float parameters).
private func numericGradient(_ parameters: [Float], step: Float = 1e-2, _ loss: ([Float]) -> Double) -> [Double] {
    var gradient = [Double](repeating: 0, count: parameters.count)
    for k in parameters.indices {
        var plus = parameters, minus = parameters
        plus[k] += step; minus[k] -= step
        gradient[k] = (loss(plus) - loss(minus)) / Double(2 * step)
    }
    return gradient
}

/// Whether analytic and numeric gradients agree to a relative tolerance (with an absolute floor).
private func agree(_ analytic: [Float], _ numeric: [Double], tolerance: Double = 2e-2) -> Bool {
    guard analytic.count == numeric.count else { return false }
    let scale = max(numeric.map(abs).max() ?? 0, 1e-3)
    return zip(analytic, numeric).allSatisfy { abs(Double($0) - $1) <= tolerance * scale }
}

/// Σ y ⊙ r in Double: a loss whose gradient with respect to y is r.
private func projection(_ y: [Float], _ r: [Float]) -> Double { zip(y, r).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

private func randomValues(_ count: Int, _ rng: inout SeededGenerator, scale: Double = 1) -> [Float] {
    (0..<count).map { _ in Float((rng.nextUnit() * 2 - 1) * scale) }
}

/// A 3-user sparse batch over 7 items.
private let sparseInput = SparseBatch(rows: 3, offsets: [0, 2, 3, 6], columns: [0, 4, 2, 1, 5, 6], values: [0.7, 0.7, 1, 0.5, 0.5, 0.7])

@Suite("Neural layers (Mult-DAE / Mult-VAE)")
struct NeuralLayerTests {
    @Test func denseLayerGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 11)
        let rows = 3, input = 5, output = 4
        let x = randomValues(rows * input, &rng), w = randomValues(input * output, &rng), b = randomValues(output, &rng)
        let r = randomValues(rows * output, &rng)
        let analytic = NeuralLayers.denseBackward(x, rows: rows, weights: w, outputGradient: r, output: output, needInputGradient: true, threads: 1)
        #expect(agree(analytic.weights, numericGradient(w) { projection(NeuralLayers.denseForward(x, rows: rows, weights: $0, bias: b, threads: 1), r) }))
        #expect(agree(analytic.bias, numericGradient(b) { projection(NeuralLayers.denseForward(x, rows: rows, weights: w, bias: $0, threads: 1), r) }))
        #expect(agree(analytic.input, numericGradient(x) { projection(NeuralLayers.denseForward($0, rows: rows, weights: w, bias: b, threads: 1), r) }))
    }

    @Test func sparseInputLayerGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 12)
        let output = 4
        let w = randomValues(7 * output, &rng), b = randomValues(output, &rng), r = randomValues(3 * output, &rng)
        let analytic = NeuralLayers.sparseBackward(sparseInput, outputGradient: r, inputs: 7, output: output)
        #expect(agree(analytic.weights, numericGradient(w) { projection(NeuralLayers.sparseForward(sparseInput, weights: $0, bias: b, threads: 1), r) }))
        #expect(agree(analytic.bias, numericGradient(b) { projection(NeuralLayers.sparseForward(sparseInput, weights: w, bias: $0, threads: 1), r) }))
    }

    @Test func tanhGradientMatchesFiniteDifferences() {
        var rng = SeededGenerator(seed: 13)
        let x = randomValues(10, &rng, scale: 2), r = randomValues(10, &rng)
        let analytic = NeuralLayers.tanhBackward(output: NeuralLayers.tanhForward(x), outputGradient: r)
        #expect(agree(analytic, numericGradient(x, step: 1e-3) { projection(NeuralLayers.tanhForward($0), r) }))
    }

    @Test func multinomialLossIsHandComputedAndItsGradientMatchesFiniteDifferences() {
        // One user, logits (0, ln 2, ln 3), items 1 and 2 held: softmax = (1/6, 2/6, 3/6),
        // loss = −(ln(2/6) + ln(3/6)) = ln 3 + ln 2 = ln 6.
        let one = SparseBatch(rows: 1, offsets: [0, 2], columns: [1, 2], values: [1, 1])
        let (loss, gradient) = NeuralLayers.multinomialLoss(logits: [0, Float(log(2.0)), Float(log(3.0))], targets: one, items: 3)
        #expect(abs(loss - log(6.0)) < 1e-6)
        // Gradient: softmax · 2 − x = (1/3, 2/3 − 1, 1 − 1).
        #expect(zip(gradient, [Float(1) / 3, -Float(1) / 3, 0]).allSatisfy { abs($0 - $1) < 1e-6 })
        var rng = SeededGenerator(seed: 14)
        let logits = randomValues(3 * 7, &rng, scale: 2)
        let analytic = NeuralLayers.multinomialLoss(logits: logits, targets: sparseInput, items: 7).gradient
        #expect(agree(analytic, numericGradient(logits, step: 1e-3) { NeuralLayers.multinomialLoss(logits: $0, targets: sparseInput, items: 7).loss }))
    }

    @Test func gaussianLatentAndKLGradientsMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 15)
        let rows = 2, latent = 3
        let statistics = randomValues(rows * 2 * latent, &rng), noise = randomValues(rows * latent, &rng), r = randomValues(rows * latent, &rng)
        let beta: Float = 0.7
        func loss(_ s: [Float]) -> Double {
            let (z, kl) = NeuralLayers.gaussianForward(s, rows: rows, latent: latent, noise: noise)
            return projection(z, r) + Double(beta) * kl
        }
        let analytic = NeuralLayers.gaussianBackward(statistics, rows: rows, latent: latent, noise: noise, outputGradient: r, beta: beta)
        #expect(agree(analytic, numericGradient(statistics, step: 1e-3, loss)))
        // KL of N(0, 1) against itself is 0.
        #expect(NeuralLayers.gaussianForward([0, 0], rows: 1, latent: 1, noise: [0]).kl == 0)
    }

    @Test(arguments: AutoencoderVariant.allCases)
    func wholeNetworkGradientsMatchFiniteDifferences(variant: AutoencoderVariant) {
        var rng = SeededGenerator(seed: 16)
        let network = AutoencoderNetwork(variant: variant, items: 7, layers: variant == .vae ? [5, 2] : [4], rng: &rng)
        let noise = variant == .vae ? randomValues(3 * 2, &rng) : []
        let beta: Float = 0.3
        let pass = network.forward(sparseInput, noise: noise, threads: 1)
        let gradients = network.backward(pass, targets: sparseInput, noise: noise, beta: beta, threads: 1)
        #expect(abs(gradients.loss - network.loss(sparseInput, targets: sparseInput, noise: noise, beta: beta)) < 1e-9)
        for l in network.weights.indices {
            let numericW = numericGradient(network.weights[l], step: 1e-2) { w in
                var copy = network; copy.weights[l] = w
                return copy.loss(sparseInput, targets: sparseInput, noise: noise, beta: beta)
            }
            let numericB = numericGradient(network.biases[l], step: 1e-2) { b in
                var copy = network; copy.biases[l] = b
                return copy.loss(sparseInput, targets: sparseInput, noise: noise, beta: beta)
            }
            #expect(agree(gradients.weights[l], numericW), "\(variant) layer \(l) weights")
            #expect(agree(gradients.biases[l], numericB), "\(variant) layer \(l) biases")
        }
    }

    @Test func adamMovesAgainstTheGradientByTheLearningRateAtFirst() {
        var state = AdamState(count: 2)
        var theta: [Float] = [1, 1]
        state.update(&theta, gradient: [3, -0.5], decay: 0, learningRate: 0.1, step: 1)
        // m̂ = g and v̂ = g² at step 1, so each coordinate moves by lr·sign(g).
        #expect(abs(theta[0] - 0.9) < 1e-5 && abs(theta[1] - 1.1) < 1e-5)
    }
}
