import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
/// Checks the table headers of TOML text before it reaches the TOML parser.
///
/// The bundled toml++ parser asserts (and so aborts the process) on a table header whose first
/// character is neither a key character nor a quote, such as `[,x]`, `[[,]]` or `[.a]`, where
/// it should report a syntax error. This scan finds such headers first and reports them as
/// ``ExperimentError/syntax(file:line:column:reason:)``. It follows strings (basic, literal and
/// multi-line), comments and brackets, so that a `[` that opens a line inside a multi-line array
/// is not taken for a header.
package enum TOMLHeaderCheck {
    /// Throws a syntax error at the first table header that does not start with a key.
    ///
    /// - Complexity: O(length of `text`).
    package static func check(_ text: String, file: String) throws(ExperimentError) {
        let bytes = Array(text.utf8)
        var i = 0, line = 1, lineStart = 0, depth = 0
        func at(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }
        func isKeyStart(_ b: UInt8) -> Bool {
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D || b == 0x22 || b == 0x27 || b == 0x5D
        }
        var atLineStart = true
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1; lineStart = i + 1; atLineStart = true; i += 1; continue }
            if atLineStart && (b == 0x20 || b == 0x09 || b == 0x0D) { i += 1; continue }
            if atLineStart && depth == 0 && b == 0x5B {            // a table header: [key] or [[key]]
                var k = i + 1
                if at(k) == 0x5B { k += 1 }
                while let c = at(k), c == 0x20 || c == 0x09 { k += 1 }
                if let c = at(k), !isKeyStart(c) {
                    throw .syntax(file: file, line: line, column: k - lineStart + 1,
                                  reason: "a table header must start with a key (a letter, digit, '_', '-' or a quoted key)")
                }
                // The rest of the header line holds no value: skip to its end.
                while let c = at(i), c != 0x0A { i += 1 }
                continue
            }
            atLineStart = false
            switch b {
            case 0x23:                                               // a comment runs to the end of the line
                while let c = at(i), c != 0x0A { i += 1 }
                continue
            case 0x22, 0x27:                                         // strings
                let multi = at(i + 1) == b && at(i + 2) == b
                i += multi ? 3 : 1
                while let c = at(i) {
                    if c == 0x5C && b == 0x22 { i += 2; continue }   // an escape in a basic string
                    if multi {
                        if c == b && at(i + 1) == b && at(i + 2) == b { i += 3; break }
                        if c == 0x0A { line += 1; lineStart = i + 1 }
                    } else if c == b || c == 0x0A {
                        if c == b { i += 1 }
                        break
                    }
                    i += 1
                }
                continue
            case 0x5B, 0x7B: depth += 1
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
            i += 1
        }
    }
}
