/// A growable block of doubles owned by a ``ParzenEstimator``, reused from ask to ask.
///
/// Hot loops read ``pointer`` once and index it directly: a class's stored arrays would cost an
/// exclusivity check and a uniqueness check on every element access. The storage always extends
/// ``padding`` elements past ``count``, so a vector load of the last elements stays in bounds.
final class ParzenBuffer {
    /// Elements allocated past ``count``: a four-wide load starting at any element in use stays in bounds.
    static let padding = 4

    /// The storage; valid until the next ``resize(_:)``.
    private(set) var pointer: UnsafeMutablePointer<Double>
    /// The number of elements in use.
    private(set) var count = 0
    private var capacity: Int

    /// An empty buffer.
    init() {
        capacity = 16
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// Sets the element count to `count`, growing the storage when needed. Elements keep stale values
    /// (zero when new): the estimator writes every element it later reads, and vector loads drop the
    /// lanes past ``count``.
    func resize(_ count: Int) {
        if count + Self.padding > capacity {
            pointer.deallocate()
            capacity = max(count + Self.padding, capacity * 2)
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        self.count = count
    }

    /// Element `i` (`0 <= i < count`).
    subscript(i: Int) -> Double {
        @inline(__always) get { pointer[i] }
        @inline(__always) set { pointer[i] = newValue }
    }

    /// The elements in use, as an array (for tests and diagnostics).
    var elements: [Double] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
