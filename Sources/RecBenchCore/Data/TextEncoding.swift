import Foundation

/// The character encoding of a text file's names and ids.
public enum TextEncoding: String, Codable, Sendable, CaseIterable {
    /// UTF-8 (a byte-order mark at the start of a file is skipped).
    case utf8 = "utf-8"
    /// ISO-8859-1 (Latin-1), where each byte is one character.
    case latin1 = "iso-8859-1"

    /// Decodes `bytes` to a string.
    package func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        }
    }

    /// The bytes of `text` in this encoding, or `nil` when the encoding cannot spell it.
    package func encode(_ text: String) -> [UInt8]? {
        switch self {
        case .utf8:
            return Array(text.utf8)
        case .latin1:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                guard scalar.value < 0x100 else { return nil }
                bytes.append(UInt8(scalar.value))
            }
            return bytes
        }
    }
}
