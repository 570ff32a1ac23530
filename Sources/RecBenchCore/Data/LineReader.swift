#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a text file's lines as raw bytes, in fixed-size chunks, never holding the file.
///
/// Lines end at LF; a CR before the LF is dropped (CRLF files read like LF files). A file
/// whose first block (the first chunk, or the whole file if smaller) has no LF but has CRs
/// uses classic Mac OS line ends: its lines end at CR. A UTF-8 byte-order mark at the start
/// of the file is skipped; a last line without a newline is still a line. Line numbers start at 1.
package struct LineReader {
    /// The file to read.
    package let path: String
    /// The number of bytes read from the file per system call.
    package var chunkSize = 1 << 22
    /// The longest line accepted, in bytes: a longer one (a binary file, a file with no line
    /// ends) is an error naming the line rather than a buffer that grows until memory runs out.
    package var maximumLineLength = 1 << 28

    /// Checks that `path` names a readable regular file and returns its size in bytes.
    package static func checkRegularFile(_ path: String) throws(DatasetError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notAFile(path: path) }
        return Int(info.st_size)
    }

    /// Calls `body` with each line's bytes (without the line ending) and its 1-based number.
    ///
    /// The buffer passed to `body` is valid only during the call.
    /// - Returns: the number of lines.
    /// - Complexity: O(file size); memory O(chunk size + longest line).
    @discardableResult
    package func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(DatasetError) -> Void) throws(DatasetError) -> Int {
        _ = try Self.checkRegularFile(path)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif

        var capacity = chunkSize
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0          // bytes in buffer
        var lineNumber = 0
        var atStart = true
        var endOfFile = false
        var terminator: UInt8?              // LF, or CR for a file with CR-only line ends

        while !endOfFile {
            if filled == capacity {             // a line longer than the buffer: grow it
                guard capacity < maximumLineLength else {
                    throw .malformedLine(file: path, line: lineNumber + 1,
                                         reason: "the line is longer than \(maximumLineLength) bytes (is this a text file with line ends?)")
                }
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let got = read(fd, buffer + filled, capacity - filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { endOfFile = true }
            filled += got

            var start = 0
            if atStart && filled >= 3 || endOfFile && atStart {
                if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
                atStart = false
            }
            if terminator == nil {
                if memchr(buffer, 0x0A, filled) != nil {
                    terminator = 0x0A
                } else if filled == capacity || endOfFile {
                    terminator = memchr(buffer, 0x0D, filled) != nil ? 0x0D : 0x0A
                }
            }
            while let terminator, start < filled {
                let remaining = filled - start
                guard let newline = memchr(buffer + start, Int32(terminator), remaining) else { break }
                let end = UnsafeMutablePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - buffer
                var lineEnd = end
                if terminator == 0x0A && lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                lineNumber += 1
                try body(UnsafeBufferPointer(start: buffer + start, count: lineEnd - start), lineNumber)
                start = end + 1
            }
            if endOfFile {
                if start < filled {                 // the last line has no newline
                    var lineEnd = filled
                    if terminator != 0x0D && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    try body(UnsafeBufferPointer(start: buffer + start, count: lineEnd - start), lineNumber)
                }
                break
            }
            // Move the incomplete tail to the front.
            let tail = filled - start
            if start > 0 && tail > 0 { memmove(buffer, buffer + start, tail) }
            filled = tail
        }
        return lineNumber
    }

    /// Creates a value from each stored property (the memberwise initialiser, visible to the package).
    package init(path: String, chunkSize: Int = 1 << 22, maximumLineLength: Int = 1 << 28) {
        self.path = path
        self.chunkSize = chunkSize
        self.maximumLineLength = maximumLineLength
    }
}
