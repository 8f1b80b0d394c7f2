@testable import DabiaoCore
import XCTest

final class SHA256Tests: XCTestCase {
    /// Digests computed with Python's hashlib for bytes (i·31 + 7) mod 256,
    /// at lengths around the 55/56/64-byte padding boundaries.
    func testDigestsMatchAReferenceImplementationAtEveryPaddingBoundary() {
        let expected: [(Int, String)] = [
            (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (3, "647674a296197442f518bcca323ec605dd8d098b2d4f22ee1fdcdd2bb753a189"),
            (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
            (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
            (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
            (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
            (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
            (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
            (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
            (1000, "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179"),
            (100000, "731620161155f68e1209f22bc34a726bf5a583f40acf23ae55684b674fdbebf2"),
        ]
        for (n, digest) in expected {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }
            XCTAssertEqual(SHA256.hex(bytes), digest, "length \(n)")
        }
    }

    func testKnownAnswerForABC() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// A file hashed block by block, cut anywhere, has the digest of the whole.
    func testPiecesCutAnywhereGiveTheDigestOfTheWhole() {
        let bytes = (0..<100000).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }
        var rng = SeededRNG(seed: 11)
        for _ in 0..<40 {
            var hasher = SHA256.Hasher()
            var at = 0
            while at < bytes.count {
                // Pieces of 0 to 200 bytes, sometimes a large one.
                let size = rng.next() % 5 == 0 ? Int(rng.next() % 20000) : Int(rng.next() % 201)
                let end = min(bytes.count, at + size)
                bytes.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[at..<end])) }
                at = end
            }
            XCTAssertEqual(hasher.finalize(), "731620161155f68e1209f22bc34a726bf5a583f40acf23ae55684b674fdbebf2")
        }
    }
}
