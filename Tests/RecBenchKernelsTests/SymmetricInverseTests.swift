import Testing
@testable import RecBenchKernels

@Suite("Symmetric inverse")
struct SymmetricInverseTests {
    @Test(arguments: [1, 5, 191, 192, 193, 450])
    func productWithTheInverseIsTheIdentity(n: Int) throws {
        let a = spd(n, seed: UInt64(n))
        var work = a
        let inverse = try SymmetricInverse.invert(&work, n: n, threads: 2)
        var worst: Float = 0
        for i in 0..<n { for j in 0..<n {
            var s: Float = 0
            for k in 0..<n { s += a[i * n + k] * inverse[k * n + j] }
            worst = max(worst, abs(s - (i == j ? 1 : 0)))
        } }
        #expect(worst < 1e-4, "n = \(n): max |A·A⁻¹ − I| = \(worst)")
    }

    @Test func inverseIsTheSameOnOneAndTwoThreads() throws {
        let a = spd(400, seed: 3)
        var one = a, two = a
        #expect(try SymmetricInverse.invert(&one, n: 400, threads: 1) == SymmetricInverse.invert(&two, n: 400, threads: 2))
    }

    @Test func indefiniteMatrixReportsTheFailingColumn() {
        var a = spd(300, seed: 4)
        a[250 * 300 + 250] = -1000
        #expect(throws: KernelError.self) { try SymmetricInverse.invert(&a, n: 300) }
        var b = spd(300, seed: 4)
        b[250 * 300 + 250] = -1000
        do { _ = try SymmetricInverse.invert(&b, n: 300); Issue.record("no error") } catch {
            if case .notPositiveDefinite(let column, _) = error { #expect(column == 250) }
        }
    }
}
