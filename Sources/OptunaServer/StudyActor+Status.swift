import OptunaCore

extension StudyActor {
    /// The number of this study's trials that are RUNNING now.
    public var runningTrialCount: Int {
        trials.reduce(0) { $0 + ($1.state == .running ? 1 : 0) }
    }
}
