import Logging
import OptunaCore

/// Log entries for the life of studies and trials, at `info` as Optuna logs each finished trial.
///
/// Their metadata keys become journal fields (`OPTUNAD_STUDY`, `OPTUNAD_TRIAL`, `OPTUNAD_TRIAL_NUMBER`,
/// `OPTUNAD_STATE`), so `journalctl -u optunad OPTUNAD_STUDY=resnet` lists one study's life. Starting a trial is
/// logged at `debug`: it is a request-rate event.
extension Dispatcher {
    func logStudyCreated(_ name: String, created: Bool) {
        guard created else { return }
        logger.info("study \(name) created", metadata: ["study": "\(name)"])
    }

    func logStudyDeleted(_ name: String) {
        logger.info("study \(name) deleted", metadata: ["study": "\(name)"])
    }

    func logTrialStarted(_ trial: FrozenTrial, study: String) {
        logger.debug(
            "trial \(trial.number) of study \(study) started",
            metadata: ["study": "\(study)", "trial": "\(trial.id)", "trial_number": "\(trial.number)"])
    }

    func logTrialFinished(_ trial: FrozenTrial, study: String) {
        // Formatted only when the level lets the entry through (the message is an autoclosure).
        logger.info(
            "trial \(trial.number) of study \(study) finished: \(trial.state.rawValue)\(trial.values.map { " with values \($0)" } ?? "")",
            metadata: [
                "study": "\(study)", "trial": "\(trial.id)", "trial_number": "\(trial.number)",
                "state": "\(trial.state.rawValue)",
            ])
    }
}
