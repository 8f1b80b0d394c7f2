import Foundation

// Helpers for work split into parts, shared by the engine (records in
// chunks) and the JSON report (results written in parts).

/// Slots for results computed on several threads, read back in order.
final class ChunkResults<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) {
        lock.lock()
        items[i] = v
        lock.unlock()
    }
    func get(_ i: Int) -> T? {
        lock.lock()
        defer { lock.unlock() }
        return items[i]
    }
    /// The item, leaving its slot empty: a part is released once merged.
    func take(_ i: Int) -> T? {
        lock.lock()
        defer { lock.unlock() }
        let v = items[i]
        items[i] = nil
        return v
    }
}

/// Hands out the numbers 0..<count once each to whichever thread asks
/// first, until they run out or the work is stopped.
final class WorkQueue: @unchecked Sendable {
    private var nextItem = 0
    private let count: Int
    private var stopped = false
    private let lock = NSLock()
    init(count: Int) { self.count = count }
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, nextItem < count else { return nil }
        nextItem += 1
        return nextItem - 1
    }
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }
}

/// Byte buffers done with, kept for the next part to write into: a large
/// file read or report written part by part then reuses a few buffers'
/// memory instead of taking fresh pages for every part.
final class SpareBuffers: @unchecked Sendable {
    private var spares: [[UInt8]] = []
    private let limit: Int
    private let lock = NSLock()
    init(limit: Int) { self.limit = limit }

    /// Keeps `buffer` (a buffer still shared elsewhere is copied before it is written again).
    func put(_ buffer: [UInt8]) {
        lock.lock()
        if spares.count < limit { spares.append(buffer) }
        lock.unlock()
    }

    /// A buffer put back (its bytes are stale), or an empty one.
    func take() -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return spares.popLast() ?? []
    }
}

/// The elements `make` gives for each of `parts` even slices of
/// 0..<count, made on every core and joined in order.
func concurrentParts<T>(count: Int, parts wanted: Int, _ make: @Sendable (Range<Int>) -> [T]) -> [T] {
    let parts = max(1, min(count, wanted))
    guard parts > 1 else { return make(0..<count) }
    let done = ChunkResults<[T]>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { p in
        done.set(p, make(p * count / parts..<(p + 1) * count / parts))
    }
    var out: [T] = []
    out.reserveCapacity(count)
    for p in 0..<parts { out += done.take(p) ?? [] }
    return out
}
