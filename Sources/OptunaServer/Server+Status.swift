extension Server {
    /// What the server is doing now: loaded studies, RUNNING trials, requests answered, open connections.
    ///
    /// Visits each loaded study's actor once, so it waits behind whatever that actor is doing at that moment; call
    /// it from a background task (a status reporter), not from a request.
    public func status() async -> ServerStatus {
        let actors = dispatcher.registry.loadedActors
        var running = 0
        for actor in actors {
            running += await actor.runningTrialCount
        }
        return ServerStatus(
            studiesOpen: actors.count, trialsRunning: running, requestsServed: requestsServed,
            connections: connectionCount)
    }
}
