import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
/// A query or document id of a TREC run or qrels file, kept as its exact bytes.
///
/// Two ids are the same only when their bytes are the same: "café" written in NFC and in NFD
/// are two ids, and invalid UTF-8 is kept as it is (Swift `String` equality would merge the
/// first pair and decoding would turn the second into U+FFFD). Ids order as trec_eval's
/// `strcmp` orders them: byte by byte, as unsigned values, a prefix first.
public struct TrecID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id's bytes, as they stand in the file.
    public let bytes: [UInt8]

    /// Creates an id from its bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Creates an id from text (its UTF-8 bytes).
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The id decoded for people (invalid UTF-8 shows as U+FFFD); never used to compare ids.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Byte-wise comparison, as C's `strcmp` on unsigned bytes.
    public static func < (lhs: TrecID, rhs: TrecID) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
