/// Partial selection of the k largest scores, without sorting the whole array.
///
/// Ties are broken deterministically: of two equal scores, the lower index ranks first.
/// NaN and −∞ are never selected, so a caller excludes an item by setting its score to −∞.
public enum TopK {
    /// The `k` best (index, score) pairs of `scores`, best first.
    ///
    /// Scans 16 scores at a time against the current k-th best score and looks closer only at
    /// blocks that hold a better one; a binary min-heap of k entries keeps the candidates.
    /// - Parameters:
    ///   - scores: the scores; positions are the indices returned.
    ///   - k: how many to keep (fewer are returned when fewer scores are finite or above −∞).
    /// - Complexity: O(n + h·log k) where h ≤ n is the number of heap replacements
    ///   (about k·log(n/k) for random order); O(k) memory.
    public static func select(_ scores: UnsafeBufferPointer<Float>, k: Int) -> (indices: [Int32], scores: [Float]) {
        var heap = Heap(capacity: k)
        select(scores, k: k, heap: &heap)
        return heap.sortedDescending()
    }

    /// Selects into a reusable heap (cleared first), for callers that rank many users.
    public static func select(_ scores: UnsafeBufferPointer<Float>, k: Int, heap: inout Heap) {
        heap.reset(capacity: k)
        heap.feed(scores, offset: 0, k: k)
    }

    /// A min-heap of (score, index) whose root is the worst kept entry: the lowest score, and
    /// among equal scores the highest index.
    public struct Heap: Sendable {
        private var scores: [Float] = []
        private var indices: [Int32] = []

        /// Creates an empty heap.
        public init(capacity: Int = 0) {
            scores.reserveCapacity(capacity)
            indices.reserveCapacity(capacity)
        }

        /// The number of entries.
        public var count: Int { scores.count }

        /// Creates an empty heap for a new selection of up to `k` entries.
        public mutating func clear(capacity k: Int) { reset(capacity: k) }

        /// Feeds the next scores of a selection of `k`: `scores[j]` is the score of index
        /// `offset + j`. Chunks must come in increasing index order, so that of equal scores the
        /// one seen first (the lower index) is kept.
        ///
        /// Scans 16 scores at a time against the current k-th best score and looks closer only
        /// at blocks that hold a better one.
        public mutating func feed(_ chunk: UnsafeBufferPointer<Float>, offset: Int, k: Int) {
            guard k > 0, let base = chunk.baseAddress else { return }
            let n = chunk.count
            let raw = UnsafeRawPointer(base)
            var i = 0
            if count < k {
                // Fill: the first finite scores, until k are held.
                while i < n && count < k {
                    let s = base[i]
                    if s > -Float.infinity { append(score: s, index: Int32(offset + i)) }
                    i += 1
                }
                if count < k { return }
                heapify()
            }
            var threshold = minimumScore
            while i < n && i % 16 != 0 {
                if base[i] > threshold { replaceMinimum(score: base[i], index: Int32(offset + i)); threshold = minimumScore }
                i += 1
            }
            while i + 16 <= n {
                let block = raw.simd16(i)
                if any(block .> SIMD16<Float>(repeating: threshold)) {
                    for lane in 0..<16 where base[i + lane] > threshold {
                        replaceMinimum(score: base[i + lane], index: Int32(offset + i + lane))
                        threshold = minimumScore
                    }
                }
                i += 16
            }
            while i < n {
                if base[i] > threshold { replaceMinimum(score: base[i], index: Int32(offset + i)); threshold = minimumScore }
                i += 1
            }
        }

        /// The lowest kept score.
        var minimumScore: Float { scores[0] }

        mutating func reset(capacity: Int) {
            scores.removeAll(keepingCapacity: true)
            indices.removeAll(keepingCapacity: true)
            scores.reserveCapacity(capacity)
            indices.reserveCapacity(capacity)
        }

        mutating func append(score: Float, index: Int32) {
            scores.append(score)
            indices.append(index)
        }

        @inline(__always)
        private func worse(_ a: Int, _ b: Int) -> Bool {
            scores[a] < scores[b] || (scores[a] == scores[b] && indices[a] > indices[b])
        }

        mutating func heapify() {
            var i = scores.count / 2 - 1
            while i >= 0 { siftDown(i); i -= 1 }
        }

        @inline(__always)
        mutating func replaceMinimum(score: Float, index: Int32) {
            scores[0] = score
            indices[0] = index
            siftDown(0)
        }

        private mutating func siftDown(_ start: Int) {
            var i = start
            let n = scores.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < n && worse(l, smallest) { smallest = l }
                if r < n && worse(r, smallest) { smallest = r }
                if smallest == i { return }
                scores.swapAt(i, smallest)
                indices.swapAt(i, smallest)
                i = smallest
            }
        }

        /// The entries, best first (higher score, then lower index).
        public func sortedDescending() -> (indices: [Int32], scores: [Float]) {
            let order = (0..<scores.count).sorted { worse($1, $0) }
            return (order.map { indices[$0] }, order.map { scores[$0] })
        }
    }
}
