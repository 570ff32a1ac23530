/// Byte-level helpers for parsing delimited text fields quickly and with exact error reasons.
package enum FieldParsing {
    /// Whether every byte of `line` is a space or a tab (an empty line counts).
    @inline(__always)
    package static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in line where byte != 0x20 && byte != 0x09 { return false }
        return true
    }

    /// The result of reading a non-negative decimal integer.
    package enum IntegerResult: Equatable {
        case value(Int64)
        case empty
        case notANumber
        case negative
        case overflow
    }

    /// Reads `bytes` as a non-negative decimal integer (an optional leading `+` is allowed).
    @inline(__always)
    package static func parseNonNegative(_ bytes: UnsafeBufferPointer<UInt8>) -> IntegerResult {
        guard !bytes.isEmpty else { return .empty }
        var index = 0
        if bytes[0] == 0x2D {       // '-'
            if bytes.count > 1, (bytes[1] &- 0x30) < 10 {
                for byte in bytes[1...] where (byte &- 0x30) >= 10 { return .notANumber }
                return .negative
            }
            return .notANumber
        }
        if bytes[0] == 0x2B { index = 1 }   // '+'
        guard index < bytes.count else { return .notANumber }
        var value: Int64 = 0
        var overflowed = false
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return .notANumber }
            if !overflowed {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
                if o1 || o2 { overflowed = true } else { value = sum }
            }
            index += 1
        }
        return overflowed ? .overflow : .value(value)
    }

    /// Reads `bytes` as a decimal number (`-1.5`, `4`, `2e3`), or returns `nil`.
    package static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B { negative = bytes[0] == 0x2D; index = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        while index < bytes.count, (bytes[index] &- 0x30) < 10 {
            if digits < 18 { mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30); if mantissa > 0 { digits += 1 } } else { scale += 1 }
            sawDigit = true; index += 1
        }
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            while index < bytes.count, (bytes[index] &- 0x30) < 10 {
                if digits < 18 { mantissa = mantissa * 10 + UInt64(bytes[index] &- 0x30); if mantissa > 0 { digits += 1 }; scale -= 1 }
                sawDigit = true; index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < bytes.count {
            // Exponents and anything unusual: let the standard library decide.
            guard bytes[index] == 0x65 || bytes[index] == 0x45 else { return nil }
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        var result = Double(mantissa)
        if scale != 0 {
            if scale > 0 { result *= pow10(scale) } else { result /= pow10(-scale) }
        }
        return negative ? -result : result
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// Splits `line` at `delimiter` into field byte ranges, appending them to `fields`.
    ///
    /// With `quotes`, a field that starts with `"` runs to its closing quote (a doubled quote
    /// inside stands for one) and the returned range excludes the quotes; use
    /// ``unquote(_:)`` for the text. Returns `false` for an unterminated quote.
    @inline(__always)
    package static func split(_ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8, quotes: Bool,
                      into fields: inout [Range<Int>]) -> Bool {
        fields.removeAll(keepingCapacity: true)
        var start = 0
        var index = 0
        let count = line.count
        while true {
            if quotes && index < count && line[index] == 0x22 {
                var close = index + 1
                while true {
                    guard close < count else { return false }
                    if line[close] == 0x22 {
                        if close + 1 < count && line[close + 1] == 0x22 { close += 2; continue }
                        break
                    }
                    close += 1
                }
                fields.append((index + 1)..<close)
                index = close + 1
                if index == count { return true }
                guard line[index] == delimiter else { return false }
                index += 1
                start = index
                continue
            }
            while index < count && line[index] != delimiter { index += 1 }
            fields.append(start..<index)
            if index == count { return true }
            index += 1
            start = index
            if index == count { fields.append(index..<index); return true }
        }
    }

    /// The text of a field, with doubled quotes collapsed to one.
    package static func unquote(_ bytes: UnsafeBufferPointer<UInt8>, encoding: TextEncoding = .utf8) -> String {
        let text = encoding.decode(bytes)
        return text.contains("\"\"") ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// The longest quotation, in characters, that ``quote(_:limit:)`` shows before cutting.
    package static let quotationLimit = 80

    /// A short, safe quotation of file content for messages: `'text'`.
    ///
    /// Every message that shows bytes from a file goes through this one function. Control
    /// characters (C0, DEL, C1) and bidirectional overrides are written as `\n`, `\t`,
    /// `\u{1B}`…, bytes that are not UTF-8 as `\xFF`, a quote or backslash is escaped, and
    /// the text is cut after `limit` characters with `…`, so that a message stays one short
    /// line whatever the file holds.
    /// - Complexity: O(`limit`): only the start of `bytes` is read.
    package static func quote(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = quotationLimit) -> String {
        var out = "'"
        var shown = 0
        var index = 0
        while index < bytes.count {
            if shown >= limit { return out + "…'" }
            let (scalar, length) = decodeScalar(bytes, at: index)
            if let scalar {
                out += escaped(scalar)
            } else {
                out += "\\x" + hex(UInt32(bytes[index]), digits: 2)
            }
            index += length
            shown += 1
        }
        return out + "'"
    }

    /// A safe quotation of text that came from a file (a header name, a decoded field).
    package static func quote(_ text: String, limit: Int = quotationLimit) -> String {
        // `limit` scalars take at most 4·limit bytes: one byte more shows whether there is more.
        Array(text.utf8.prefix(limit * 4 + 1)).withUnsafeBufferPointer { quote($0, limit: limit) }
    }

    /// The scalar that starts at `index` and its length in bytes, or `nil` (length 1) for a
    /// byte that does not start a valid UTF-8 sequence.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
        guard length > 0, lead < 0xF5, index + length <= bytes.count else { return (nil, 1) }
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]).makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.utf8.count == length { return (scalar, length) }
        return (nil, 1)
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "'": return "\\'"
        case "\\": return "\\\\"
        default:
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F {
                return "\\u{" + hex(value, digits: 2) + "}"
            }
            return String(scalar)
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Whether `bytes` is a non-negative integer written the one plain way (`0`, `42`; not
    /// `042`, `+42`), so that integer identity and byte identity agree.
    @inline(__always)
    package static func isPlainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, (first &- 0x30) < 10 else { return false }
        return first != 0x30 || bytes.count == 1
    }

    /// The offset of the first "::" in `line` at or after `start`.
    package static func doubleColon(in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 1 < line.count {
            if line[index] == 0x3A && line[index + 1] == 0x3A { return index }
            index += 1
        }
        return nil
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The bytes in `range`, as a buffer over the same memory.
    @inline(__always)
    package func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: self[range])
    }
}
