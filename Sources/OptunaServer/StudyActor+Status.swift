import OptunaCore

extension StudyActor {
    /// The number of this study's trials that are RUNNING now.
    public var runningTrialCount: Int {
        trials.reduce(0) { $0 + ($1.state == .running ? 1 : 0) }
    }

    /// The number of this study's trials that are COMPLETE, PRUNED or FAIL.
    public var finishedTrialCount: Int {
        trials.reduce(0) { $0 + ($1.state.isFinished ? 1 : 0) }
    }
}
