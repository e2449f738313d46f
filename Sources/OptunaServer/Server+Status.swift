extension Server {
    /// What the server is doing now: loaded studies, RUNNING and finished trials, requests answered, open
    /// connections.
    ///
    /// Visits each loaded study's actor once, so it waits behind whatever that actor is doing at that moment; call
    /// it from a background task (a status reporter), not from a request.
    public func status() async -> ServerStatus {
        let actors = dispatcher.registry.loadedActors
        var running = 0
        var finished = 0
        for actor in actors {
            running += await actor.runningTrialCount
            finished += await actor.finishedTrialCount
        }
        return ServerStatus(
            studiesOpen: actors.count, trialsRunning: running, trialsFinished: finished,
            requestsServed: requestsServed, connections: connectionCount)
    }
}
