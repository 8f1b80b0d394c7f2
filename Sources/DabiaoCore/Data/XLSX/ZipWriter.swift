/// Writes a ZIP archive of stored (uncompressed) entries: the container of the
/// .xlsx templates. Stored entries are enough for a template of a few kB, and
/// keep the writer small enough to check by eye. Every byte depends only on
/// the entries given: the time stamp is fixed (1980-01-01 00:00, the earliest
/// a DOS date can hold), there are no extra fields, and the order is the
/// order of `add`, so two runs write the same file.
struct ZipWriter {
    private var output: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    private var names = Set<String>()

    /// Entries beyond 4 GiB or 65,535 of them need ZIP64, which a template
    /// never does; they are refused rather than written wrong.
    enum Failure: Error, Equatable {
        case tooLarge
        case duplicateName(String)
    }

    /// DOS time 00:00:00 and date 1980-01-01 (year 0 from 1980, month 1, day 1).
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = 0x0021

    mutating func add(_ name: String, _ content: [UInt8]) throws {
        guard names.insert(name).inserted else { throw Failure.duplicateName(name) }
        let nameBytes = Array(name.utf8)
        guard count < 0xFFFF, content.count < 0xFFFF_FFFF, nameBytes.count <= 0xFFFF,
              output.count + 30 + nameBytes.count + content.count < 0xFFFF_FFFF else { throw Failure.tooLarge }
        let crc = zipCRC32(content)
        let offset = UInt32(output.count)
        let size = UInt32(content.count)
        // Bit 11: the name is UTF-8, so a non-ASCII part name reads back as written.
        let flags: UInt16 = nameBytes.contains(where: { $0 >= 0x80 }) ? 0x0800 : 0

        output.appendLE(UInt32(0x0403_4B50))
        output.appendLE(UInt16(10))  // version needed: 1.0, stored entries
        output.appendLE(flags)
        output.appendLE(UInt16(0))   // method: stored
        output.appendLE(ZipWriter.dosTime)
        output.appendLE(ZipWriter.dosDate)
        output.appendLE(crc)
        output.appendLE(size)
        output.appendLE(size)
        output.appendLE(UInt16(nameBytes.count))
        output.appendLE(UInt16(0))   // no extra field
        output.append(contentsOf: nameBytes)
        output.append(contentsOf: content)

        directory.appendLE(UInt32(0x0201_4B50))
        directory.appendLE(UInt16(20))  // made by: MS-DOS, spec 2.0
        directory.appendLE(UInt16(10))
        directory.appendLE(flags)
        directory.appendLE(UInt16(0))
        directory.appendLE(ZipWriter.dosTime)
        directory.appendLE(ZipWriter.dosDate)
        directory.appendLE(crc)
        directory.appendLE(size)
        directory.appendLE(size)
        directory.appendLE(UInt16(nameBytes.count))
        directory.appendLE(UInt16(0))   // extra
        directory.appendLE(UInt16(0))   // comment
        directory.appendLE(UInt16(0))   // disk
        directory.appendLE(UInt16(0))   // internal attributes
        directory.appendLE(UInt32(0))   // external attributes
        directory.appendLE(offset)
        directory.append(contentsOf: nameBytes)
        count += 1
    }

    /// The archive: the entries, the central directory, its end record.
    func finish() throws -> [UInt8] {
        guard output.count + directory.count < 0xFFFF_FFFF else { throw Failure.tooLarge }
        var bytes = output
        bytes.append(contentsOf: directory)
        bytes.appendLE(UInt32(0x0605_4B50))
        bytes.appendLE(UInt16(0))  // this disk
        bytes.appendLE(UInt16(0))  // disk of the central directory
        bytes.appendLE(UInt16(count))
        bytes.appendLE(UInt16(count))
        bytes.appendLE(UInt32(directory.count))
        bytes.appendLE(UInt32(output.count))
        bytes.appendLE(UInt16(0))  // no comment
        return bytes
    }
}

private extension Array where Element == UInt8 {
    mutating func appendLE(_ v: UInt16) {
        append(UInt8(v & 0xFF))
        append(UInt8(v >> 8))
    }

    mutating func appendLE(_ v: UInt32) {
        append(UInt8(v & 0xFF))
        append(UInt8((v >> 8) & 0xFF))
        append(UInt8((v >> 16) & 0xFF))
        append(UInt8(v >> 24))
    }
}
