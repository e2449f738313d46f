import ArgumentParser

/// optunactl: the command-line client of optunad. Wiring only; each subcommand lives in Commands/.
@main
struct OptunaCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optunactl",
        abstract: "Control optunad: create studies, ask for parameters, tell results.",
        discussion: """
            Talks to optunad over its Unix socket (--socket, else $OPTUNAD_SOCKET, else the daemon's default). \
            Exit status: 0 success, 1 the daemon refused the request, 64 usage error, 69 daemon unreachable.
            """,
        version: "0.1.0",
        subcommands: [
            Status.self, Studies.self, CreateStudy.self, DeleteStudy.self, Ask.self, Tell.self, Report.self,
            Enqueue.self, Trials.self, BestTrial.self, BestTrials.self, Call.self, Run.self, Export.self,
        ]
    )
}
