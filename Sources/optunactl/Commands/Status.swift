import ArgumentParser
import OptunaCore

/// `optunactl status`: the daemon's `hello`.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's version, storage, samplers and pruners.")

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.call("hello")
        if connection.format == .json { return Output.json(r) }
        Output.fields([
            ("server", Output.cell(r["server"]) + " " + Output.cell(r["version"])),
            ("protocol", Output.cell(r["protocol"])), ("socket", connection.socketPath),
            ("storage", Output.cell(r["storage"])), ("samplers", Output.cell(r["samplers"])),
            ("pruners", Output.cell(r["pruners"])),
        ])
    }
}
