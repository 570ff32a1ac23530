import Foundation
import RecBenchKernels
import RecBenchCore

/// The layers of the Mult-DAE / Mult-VAE networks, forward and backward, written by hand on the
/// project's GEMM. Batches are row-major: one row per user.
///
/// Every backward pass is checked against finite differences in the tests.
package enum NeuralLayers {
    /// C = op(A)·op(B) + β·C, with op the transpose where asked (transposes are copied first).
    ///
    /// - Complexity: 2·m·n·k flops, plus a copy of each transposed operand.
    package static func multiply(_ a: [Float], rows m: Int, inner k: Int, transposeA: Bool = false,
                         _ b: [Float], columns n: Int, transposeB: Bool = false,
                         beta: Float = 0, into c: inout [Float], threads: Int) {
        let left = transposeA ? transpose(a, rows: k, columns: m) : a
        let right = transposeB ? transpose(b, rows: n, columns: k) : b
        left.withUnsafeBufferPointer { pa in
            right.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                                  beta: beta, c: pc.baseAddress!, ldc: n, threads: threads)
                }
            }
        }
    }

    /// The transpose of a rows × columns matrix, in 32 × 32 tiles (both sides stay in cache).
    package static func transpose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for r0 in stride(from: 0, to: rows, by: 32) {
                    for c0 in stride(from: 0, to: columns, by: 32) {
                        for r in r0..<min(r0 + 32, rows) {
                            for c in c0..<min(c0 + 32, columns) { target[c * rows + r] = source[r * columns + c] }
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: Dense

    /// y = x·W + b for x (rows × input), W (input × output), b (output).
    package static func denseForward(_ x: [Float], rows: Int, weights: [Float], bias: [Float], threads: Int) -> [Float] {
        let output = bias.count, input = weights.count / output
        var y = [Float](repeating: 0, count: rows * output)
        for r in 0..<rows { for j in 0..<output { y[r * output + j] = bias[j] } }
        multiply(x, rows: rows, inner: input, weights, columns: output, beta: 1, into: &y, threads: threads)
        return y
    }

    /// Gradients of a dense layer: dW = xᵀ·dy, db = Σ_rows dy, and dx = dy·Wᵀ when asked.
    package static func denseBackward(_ x: [Float], rows: Int, weights: [Float], outputGradient dy: [Float], output: Int,
                              needInputGradient: Bool, threads: Int) -> (weights: [Float], bias: [Float], input: [Float]) {
        let input = weights.count / output
        var dw = [Float](repeating: 0, count: weights.count)
        multiply(x, rows: input, inner: rows, transposeA: true, dy, columns: output, into: &dw, threads: threads)
        var db = [Float](repeating: 0, count: output)
        for r in 0..<rows { for j in 0..<output { db[j] += dy[r * output + j] } }
        var dx: [Float] = []
        if needInputGradient {
            dx = [Float](repeating: 0, count: rows * input)
            multiply(dy, rows: rows, inner: output, weights, columns: input, transposeB: true, into: &dx, threads: threads)
        }
        return (dw, db, dx)
    }

    // MARK: Sparse input

    /// y = x·W + b for a sparse batch x (CSR rows over W's rows).
    package static func sparseForward(_ x: SparseBatch, weights: [Float], bias: [Float], threads: Int) -> [Float] {
        let output = bias.count
        var y = [Float](repeating: 0, count: x.rows * output)
        x.offsets.withUnsafeBufferPointer { o in
            x.columns.withUnsafeBufferPointer { c in
                x.values.withUnsafeBufferPointer { v in
                    weights.withUnsafeBufferPointer { w in
                        y.withUnsafeMutableBufferPointer { out in
                            SparseDense.multiply(rows: x.rows, rowOffsets: o.baseAddress!, columns: c.baseAddress!, values: v.baseAddress!,
                                                 f: output, b: w.baseAddress!, ldb: output, c: out.baseAddress!, ldc: output, threads: threads)
                        }
                    }
                }
            }
        }
        for r in 0..<x.rows { for j in 0..<output { y[r * output + j] += bias[j] } }
        return y
    }

    /// Gradients of the sparse input layer: dW = xᵀ·dy (only the rows of items in the batch are
    /// non-zero), db = Σ_rows dy.
    package static func sparseBackward(_ x: SparseBatch, outputGradient dy: [Float], inputs: Int, output: Int) -> (weights: [Float], bias: [Float]) {
        var dw = [Float](repeating: 0, count: inputs * output)
        var db = [Float](repeating: 0, count: output)
        dw.withUnsafeMutableBufferPointer { w in
            dy.withUnsafeBufferPointer { g in
                for r in 0..<x.rows {
                    for p in x.offsets[r]..<x.offsets[r + 1] {
                        Vector.axpy(x.values[p], g.baseAddress! + r * output, w.baseAddress! + Int(x.columns[p]) * output, count: output)
                    }
                }
            }
        }
        for r in 0..<x.rows { for j in 0..<output { db[j] += dy[r * output + j] } }
        return (dw, db)
    }

    // MARK: tanh

    /// tanh, element-wise.
    package static func tanhForward(_ x: [Float]) -> [Float] { x.map { tanhf($0) } }

    /// dx = dy·(1 − y²), y the forward output.
    package static func tanhBackward(output y: [Float], outputGradient dy: [Float]) -> [Float] {
        zip(y, dy).map { $1 * (1 - $0 * $0) }
    }

    // MARK: Multinomial likelihood

    /// The batch mean of −Σ_i x_ui·log softmax(z_u)_i, and its gradient (softmax(z_u)·Σ_i x_ui − x_u)/rows.
    package static func multinomialLoss(logits z: [Float], targets x: SparseBatch, items: Int) -> (loss: Double, gradient: [Float]) {
        var gradient = [Float](repeating: 0, count: z.count)
        var total = 0.0
        for r in 0..<x.rows {
            let row = r * items
            var maximum = -Float.infinity
            for i in 0..<items { maximum = max(maximum, z[row + i]) }
            // exp(z − max) once into the gradient row, then scaled to softmax · mass / rows.
            var sum = 0.0
            for i in 0..<items {
                let e = expf(z[row + i] - maximum)
                gradient[row + i] = e
                sum += Double(e)
            }
            let logSum = Double(maximum) + log(sum)
            var mass = 0.0
            for p in x.offsets[r]..<x.offsets[r + 1] {
                total -= Double(x.values[p]) * (Double(z[row + Int(x.columns[p])]) - logSum)
                mass += Double(x.values[p])
            }
            let scale = Float(mass / sum) / Float(x.rows)
            for i in 0..<items { gradient[row + i] *= scale }
            for p in x.offsets[r]..<x.offsets[r + 1] { gradient[row + Int(x.columns[p])] -= x.values[p] / Float(x.rows) }
        }
        return (total / Double(x.rows), gradient)
    }

    // MARK: Gaussian latent

    /// The reparameterised sample z = μ + exp(½·logσ²)·ε from rows of [μ | logσ²], and the batch
    /// mean of KL(N(μ, σ²) ‖ N(0, I)) = ½·Σ(−logσ² + σ² + μ² − 1).
    package static func gaussianForward(_ statistics: [Float], rows: Int, latent: Int, noise: [Float]) -> (z: [Float], kl: Double) {
        var z = [Float](repeating: 0, count: rows * latent)
        var kl = 0.0
        for r in 0..<rows {
            for j in 0..<latent {
                let mu = statistics[r * 2 * latent + j], logVariance = statistics[r * 2 * latent + latent + j]
                z[r * latent + j] = mu + expf(0.5 * logVariance) * noise[r * latent + j]
                kl += 0.5 * Double(-logVariance + expf(logVariance) + mu * mu - 1)
            }
        }
        return (z, kl / Double(rows))
    }

    /// The gradient with respect to [μ | logσ²] of a loss L(z) + β·KL, given dL/dz.
    package static func gaussianBackward(_ statistics: [Float], rows: Int, latent: Int, noise: [Float], outputGradient dz: [Float],
                                 beta: Float) -> [Float] {
        var gradient = [Float](repeating: 0, count: statistics.count)
        let klScale = beta / Float(rows)
        for r in 0..<rows {
            for j in 0..<latent {
                let mu = statistics[r * 2 * latent + j], logVariance = statistics[r * 2 * latent + latent + j]
                let sigma = expf(0.5 * logVariance)
                let g = dz[r * latent + j]
                gradient[r * 2 * latent + j] = g + klScale * mu
                gradient[r * 2 * latent + latent + j] = g * noise[r * latent + j] * 0.5 * sigma + klScale * 0.5 * (expf(logVariance) - 1)
            }
        }
        return gradient
    }
}

/// A batch of sparse input rows (CSR).
package struct SparseBatch {
    package var rows: Int
    package var offsets: [Int]
    package var columns: [Int32]
    package var values: [Float]

    /// Creates a value from each stored property (the memberwise initialiser, visible to the package).
    package init(rows: Int, offsets: [Int], columns: [Int32], values: [Float]) {
        self.rows = rows
        self.offsets = offsets
        self.columns = columns
        self.values = values
    }
}

/// Adam (Kingma and Ba, ICLR 2015) over one parameter tensor.
package struct AdamState {
    package var m: [Float]
    package var v: [Float]

    package init(count: Int) {
        m = [Float](repeating: 0, count: count)
        v = m
    }

    /// θ ← θ − lr·m̂/(√v̂ + ε) after folding in gradient g (+ `decay`·θ) at step `t` (from 1).
    package mutating func update(_ theta: inout [Float], gradient g: [Float], decay: Float, learningRate: Float, step t: Int) {
        let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        let rate = learningRate * c2.squareRoot() / c1, floor = epsilon * c2.squareRoot()
        precondition(g.count == theta.count && m.count == theta.count)
        theta.withUnsafeMutableBufferPointer { theta in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { g in
                        for k in 0..<theta.count {
                            let gk = g[k] + decay * theta[k]
                            m[k] = beta1 * m[k] + (1 - beta1) * gk
                            v[k] = beta2 * v[k] + (1 - beta2) * gk * gk
                            theta[k] -= rate * m[k] / (v[k].squareRoot() + floor)
                        }
                    }
                }
            }
        }
    }
}
