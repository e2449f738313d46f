#ifndef CSQLITEWAL_H
#define CSQLITEWAL_H

/// Registers (once; later calls do nothing) the SQLite VFS "optunad-wal" and returns its name, or NULL when
/// SQLite has no default VFS to wrap.
///
/// It is the default VFS with two differences. First, the frames a transaction appends to a WAL file are
/// gathered in memory and written with one `pwrite` when its commit frame arrives, instead of two `pwrite`s
/// per frame (SQLite writes each frame's 24-byte header and its page separately). Every other call passes straight
/// through, and pending frames are written before any read, sync, truncate, size query, file control or
/// close of that WAL file, so nothing SQLite or another process can observe changes: a commit's frames are
/// in the file before its commit call returns, and before the WAL index (which readers follow) names them.
/// Only writes in the exact header-then-page pattern are gathered; any other write goes through at once.
///
/// Second, it tells whether any connection has committed since a moment this connection recorded, by
/// comparing the WAL index header in shared memory (every commit rewrites it), without the file locks that
/// asking SQLite (`PRAGMA data_version`, a read transaction) takes: see the functions below.
const char *optunad_wal_vfs_register(void);

struct sqlite3;

/// For a connection opened through "optunad-wal": record the WAL index header when this connection next
/// releases its write lock, that is, after its transaction has committed (or rolled back) and before any other
/// connection can commit. Call it inside a write transaction, once the caller has taken note of what other
/// connections committed before it (`PRAGMA data_version`).
void optunad_wal_arm(struct sqlite3 *db);

/// Records the WAL index header as it is now. Call it *before* asking SQLite what changed (`PRAGMA
/// data_version`): a commit after this call then shows as a changed header, whether or not the question saw it.
void optunad_wal_note(struct sqlite3 *db);

/// 1 when the WAL index header is byte for byte the one last recorded (``optunad_wal_arm``,
/// ``optunad_wal_note``): no connection, in any process, has committed since. 0 when one may have, when
/// nothing is recorded, or when the connection is not on this VFS: then ask SQLite.
int optunad_wal_unchanged(struct sqlite3 *db);

#endif
