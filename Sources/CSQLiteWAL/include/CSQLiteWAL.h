#ifndef CSQLITEWAL_H
#define CSQLITEWAL_H

/// Registers (once; later calls do nothing) the SQLite VFS "optunad-wal" and returns its name, or NULL when
/// SQLite has no default VFS to wrap.
///
/// It is the default VFS with one difference: the frames a transaction appends to a WAL file are gathered in
/// memory and written with one `pwrite` when its commit frame arrives, instead of two `pwrite`s per frame
/// (SQLite writes each frame's 24-byte header and its page separately). Every other call passes straight
/// through, and pending frames are written before any read, sync, truncate, size query, file control or
/// close of that WAL file, so nothing SQLite or another process can observe changes: a commit's frames are
/// in the file before its commit call returns, and before the WAL index (which readers follow) names them.
/// Only writes in the exact header-then-page pattern are gathered; any other write goes through at once.
const char *optunad_wal_vfs_register(void);

#endif
