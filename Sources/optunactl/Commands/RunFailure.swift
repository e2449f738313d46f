/// A failure of `optunactl run` itself (not of a trial), with a message for people.
struct RunFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    init(_ description: String) { self.description = description }
}
