extension Array where Element == FrozenTrial {
    /// The positions of the trials for which `include` holds, in trial number order, found by reading the
    /// trials in place (copying each one would cost more than what the pruners do with them). A snapshot's
    /// trials are in number order already, and then nothing is sorted.
    func positionsInNumberOrder(where include: (FrozenTrial) -> Bool = { _ in true }) -> [Int] {
        var order = indices.filter { include(self[$0]) }
        if !zip(order, order.dropFirst()).allSatisfy({ self[$0].number < self[$1].number }) {
            order.sort { self[$0].number < self[$1].number }
        }
        return order
    }
}
