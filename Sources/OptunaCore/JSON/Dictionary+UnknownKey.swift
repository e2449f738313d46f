extension Dictionary where Key == String {
    /// The first key, in sorted order, that `known` does not list; nil when every key is known.
    ///
    /// Request objects carry a handful of keys: comparing them with a short list costs less than building and
    /// probing a hash set, and only an object with an unknown key pays for sorting (so the error names the
    /// same key whatever the dictionary's order). Inlinable, so callers in other modules get it specialized.
    @inlinable
    public func firstUnknownKey(known: [String]) -> String? {
        guard keys.contains(where: { !known.contains($0) }) else { return nil }
        return keys.sorted().first { !known.contains($0) }
    }
}
