import ArgumentParser
import Logging
import OptunaSystemd

#if canImport(Glibc)
    import Glibc
#endif

extension Optunad {
    /// The listening socket passed by systemd: the one named `optunad` (`FileDescriptorName=`), else the first;
    /// `nil` when the process was not socket-activated.
    ///
    /// - Throws: `ExitCode(ExitStatus.config)` when the passed descriptors are malformed or not listening Unix stream sockets.
    static func takeActivatedSocket(logger: Logger, notifier: Notifier) throws -> ActivatedSocket? {
        let sockets: [ActivatedSocket]
        do {
            sockets = try SocketActivation.takeListeningSockets()
        } catch {
            fail("socket activation: \(error)", logger: logger, notifier: notifier)
            throw ExitCode(ExitStatus.config)
        }
        let chosen = sockets.first { $0.name == "optunad" } ?? sockets.first
        if let chosen, sockets.count > 1 {
            logger.notice(
                "systemd passed \(sockets.count) sockets; serving on \(chosen.name) (fd \(chosen.fileDescriptor)) only")
        }
        return chosen
    }

    /// Logs a fatal error and puts it in the status line, before the process exits non-zero.
    static func fail(_ message: String, logger: Logger, notifier: Notifier) {
        logger.critical("\(message)")
        notifier.status("failed: \(message)")
    }

    /// Waits (briefly) until the last notifications and journal entries are sent, so they are not lost with the
    /// process.
    static func flush(notifier: Notifier, target: LogTarget) {
        notifier.flush(timeout: .seconds(2))
        if target == .journal {
            JournalWriter.shared.flush(timeout: .seconds(2))
        }
    }
}

/// Writes whole lines to standard output or standard error, unbuffered.
enum Console {
    static func output(_ text: String) { write(1, text) }
    static func error(_ text: String) { write(2, text) }

    private static func write(_ fd: Int32, _ text: String) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
