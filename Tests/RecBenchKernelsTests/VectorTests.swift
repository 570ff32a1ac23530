import Testing
import RecBenchKernels

/// Relative closeness for float kernels that sum in a different order than the reference.
func close(_ a: Float, _ b: Float, tolerance: Float = 1e-4) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

/// A small deterministic generator for test data.
struct TestRNG {
    var state: UInt64
    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
    }
    mutating func vector(_ n: Int) -> [Float] { (0..<n).map { _ in next() } }
}

@Suite("Vector kernels")
struct VectorTests {
    static let lengths = [1, 3, 15, 16, 17, 63, 64, 65, 100, 1000, 4099]

    @Test(arguments: lengths)
    func dotMatchesReference(n: Int) {
        var rng = TestRNG(state: UInt64(n) + 1)
        let x = rng.vector(n), y = rng.vector(n)
        let fast = x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in Vector.dot(px.baseAddress!, py.baseAddress!, count: n) } }
        #expect(close(fast, Reference.dot(x, y)))
    }

    @Test(arguments: lengths)
    func axpyMatchesReference(n: Int) {
        var rng = TestRNG(state: UInt64(n) + 7)
        let x = rng.vector(n)
        var y = rng.vector(n), expected = y
        Reference.axpy(0.75, x, &expected)
        x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in Vector.axpy(0.75, px.baseAddress!, py.baseAddress!, count: n) } }
        #expect(zip(y, expected).allSatisfy { close($0, $1) })
    }

    @Test(arguments: lengths)
    func scaleMatchesReference(n: Int) {
        var rng = TestRNG(state: UInt64(n) + 11)
        var x = rng.vector(n), expected = x
        Reference.scale(-1.5, &expected)
        x.withUnsafeMutableBufferPointer { Vector.scale(-1.5, $0.baseAddress!, count: n) }
        #expect(x == expected)
    }
}
