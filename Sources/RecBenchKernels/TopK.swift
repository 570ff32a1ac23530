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
    ///
    /// Each entry is one `UInt64` whose order is the ranking order: the score's bits mapped to
    /// an order-preserving unsigned integer in the high half, the complement of the index in
    /// the low half. One integer comparison decides "worse", and a swap moves one word.
    public struct Heap: Sendable {
        private var keys: [UInt64] = []

        /// Creates an empty heap.
        public init(capacity: Int = 0) { keys.reserveCapacity(capacity) }

        /// The number of entries.
        public var count: Int { keys.count }

        /// Creates an empty heap for a new selection of up to `k` entries.
        public mutating func clear(capacity k: Int) { reset(capacity: k) }

        @inline(__always)
        static func key(score: Float, index: Int32) -> UInt64 {
            let bits = (score == 0 ? 0 : score).bitPattern      // −0 ranks as +0, as == says
            let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            return UInt64(ordered) << 32 | UInt64(~UInt32(bitPattern: index))
        }

        @inline(__always)
        static func score(of key: UInt64) -> Float {
            let ordered = UInt32(truncatingIfNeeded: key >> 32)
            return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered)
        }

        @inline(__always)
        static func index(of key: UInt64) -> Int32 { Int32(bitPattern: ~UInt32(truncatingIfNeeded: key)) }

        /// The lowest kept score.
        var minimumScore: Float { Self.score(of: keys[0]) }

        mutating func reset(capacity: Int) {
            keys.removeAll(keepingCapacity: true)
            keys.reserveCapacity(capacity)
        }

        mutating func append(score: Float, index: Int32) { keys.append(Self.key(score: score, index: index)) }

        mutating func heapify() {
            keys.withUnsafeMutableBufferPointer { heap in
                var i = heap.count / 2 - 1
                while i >= 0 { Self.siftDown(heap, from: i); i -= 1 }
            }
        }

        @inline(__always)
        mutating func replaceMinimum(score: Float, index: Int32) {
            let key = Self.key(score: score, index: index)
            keys.withUnsafeMutableBufferPointer { heap in
                heap[0] = key
                Self.siftDown(heap, from: 0)
            }
        }

        @inline(__always)
        private static func siftDown(_ heap: UnsafeMutableBufferPointer<UInt64>, from start: Int) {
            let n = heap.count
            var i = start
            let moving = heap[i]
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                var child = l
                if l + 1 < n && heap[l + 1] < heap[l] { child = l + 1 }
                if heap[child] >= moving { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = moving
        }

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

        /// Offers one (score, index) to a selection of `k`, in any order of indices: the kept set
        /// is the same as ``feed(_:offset:k:)`` would keep (higher score, then lower index).
        /// NaN and −∞ are ignored.
        @inline(__always)
        public mutating func offer(score: Float, index: Int32, k: Int) {
            guard score > -Float.infinity, k > 0 else { return }
            if keys.count < k {
                append(score: score, index: index)
                if keys.count == k { heapify() }
                return
            }
            if score < minimumScore { return }
            let key = Self.key(score: score, index: index)
            keys.withUnsafeMutableBufferPointer { heap in
                if key > heap[0] {
                    heap[0] = key
                    Self.siftDown(heap, from: 0)
                }
            }
        }

        /// The entries, best first (higher score, then lower index).
        public func sortedDescending() -> (indices: [Int32], scores: [Float]) {
            let sorted = keys.sorted(by: >)
            return (sorted.map(Self.index(of:)), sorted.map(Self.score(of:)))
        }
    }
}
