#include "CSQLiteWAL.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <string.h>

// The size of a WAL frame header (https://www.sqlite.org/fileformat2.html#walformat). Its bytes 4..7 hold,
// for the frame that commits a transaction, the database size in pages after the commit; 0 otherwise.
//
// The most gathered before writing: a commit of up to 15 pages of 4 KiB goes in one write, a larger one in
// several. The default VFS never writes more than 128 KiB in one call and does not handle more.
enum { FRAME_HEADER = 24, BUFFER_LIMIT = 64 * 1024 };

// The WAL index (https://www.sqlite.org/walformat.html) starts with two copies of a 48-byte header that every
// commit rewrites (its frame count, checksums and change counter move), the second copy first; readers take
// the header only when both copies agree. Lock slot 0 is the write lock.
enum { WAL_INDEX_HEADER = 48, WRITE_LOCK = 0 };

/// A WAL file: the default VFS's file (`real`, allocated right behind this struct) and the frames gathered.
typedef struct WalFile {
    sqlite3_file base;
    sqlite3_file *real;
    unsigned char *buffer;
    int length;
    sqlite3_int64 offset;     // file offset of buffer[0]
    int expectPage;           // the last gathered write was a frame header: its page comes next
    int commitFrame;          // ... and that header is a commit frame's
} WalFile;

/// A main database file: the default VFS's file (`real`, right behind this struct), where its WAL index
/// (shared memory region 0) is mapped, and the WAL index header as last recorded.
typedef struct DbFile {
    sqlite3_file base;
    sqlite3_file *real;
    volatile unsigned char *index;   // shared memory region 0, once SQLite has mapped it
    unsigned char known[WAL_INDEX_HEADER];
    int hasKnown;
    int armed;                       // record the header when this connection next releases the write lock
} DbFile;

// openWrapped() sets `real` through either type.
_Static_assert(offsetof(WalFile, real) == offsetof(DbFile, real), "WalFile and DbFile start alike");

static sqlite3_vfs walVFS;
static sqlite3_vfs *defaultVFS;
static sqlite3_io_methods walMethods;
static sqlite3_io_methods dbMethods;

/// Writes the gathered frames; on failure they stay gathered and the error is returned.
static int flush(WalFile *f) {
    f->expectPage = 0;
    f->commitFrame = 0;
    if (f->length == 0) return SQLITE_OK;
    int rc = f->real->pMethods->xWrite(f->real, f->buffer, f->length, f->offset);
    if (rc == SQLITE_OK) f->length = 0;
    return rc;
}

/// Appends one write to the gathered frames (the caller checked it continues them and fits).
static int gather(WalFile *f, const void *data, int amount, sqlite3_int64 offset) {
    if (f->buffer == NULL) {
        f->buffer = sqlite3_malloc(BUFFER_LIMIT);
        if (f->buffer == NULL) return SQLITE_NOMEM;
    }
    if (f->length == 0) f->offset = offset;
    memcpy(f->buffer + f->length, data, (size_t)amount);
    f->length += amount;
    return SQLITE_OK;
}

static int walWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    WalFile *f = (WalFile *)file;
    int continues = f->length == 0 || offset == f->offset + f->length;
    if (continues && f->length + amount <= BUFFER_LIMIT) {
        if (amount == FRAME_HEADER && !f->expectPage) {
            const unsigned char *h = data;
            int rc = gather(f, data, amount, offset);
            if (rc != SQLITE_OK) return rc;
            f->expectPage = 1;
            f->commitFrame = (h[4] | h[5] | h[6] | h[7]) != 0;
            return SQLITE_OK;
        }
        if (f->expectPage) {
            int commit = f->commitFrame;
            int rc = gather(f, data, amount, offset);
            if (rc != SQLITE_OK) return rc;
            f->expectPage = 0;
            f->commitFrame = 0;
            return commit ? flush(f) : SQLITE_OK;
        }
    }
    int rc = flush(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
}

static int walClose(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    int rc = flush(f);
    int closed = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    sqlite3_free(f->buffer);
    f->buffer = NULL;
    f->length = 0;
    return rc != SQLITE_OK ? rc : closed;
}

static int walRead(sqlite3_file *file, void *data, int amount, sqlite3_int64 offset) {
    WalFile *f = (WalFile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, data, amount, offset);
}

static int walTruncate(sqlite3_file *file, sqlite3_int64 size) {
    WalFile *f = (WalFile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int walSync(sqlite3_file *file, int flags) {
    WalFile *f = (WalFile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int walFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    WalFile *f = (WalFile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int walLock(sqlite3_file *file, int level) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static int walUnlock(sqlite3_file *file, int level) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int walCheckReservedLock(sqlite3_file *file, int *out) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int walFileControl(sqlite3_file *file, int op, void *arg) {
    WalFile *f = (WalFile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int walSectorSize(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int walDeviceCharacteristics(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

// MARK: Main database files: every call forwarded; the WAL index header is recorded as the write lock goes.

#define REAL(file) (((DbFile *)(file))->real)

static int dbClose(sqlite3_file *file) {
    ((DbFile *)file)->index = NULL;
    return REAL(file)->pMethods->xClose(REAL(file));
}
static int dbRead(sqlite3_file *file, void *data, int amount, sqlite3_int64 offset) {
    return REAL(file)->pMethods->xRead(REAL(file), data, amount, offset);
}
static int dbWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    return REAL(file)->pMethods->xWrite(REAL(file), data, amount, offset);
}
static int dbTruncate(sqlite3_file *file, sqlite3_int64 size) {
    return REAL(file)->pMethods->xTruncate(REAL(file), size);
}
static int dbSync(sqlite3_file *file, int flags) { return REAL(file)->pMethods->xSync(REAL(file), flags); }
static int dbFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    return REAL(file)->pMethods->xFileSize(REAL(file), size);
}
static int dbLock(sqlite3_file *file, int level) { return REAL(file)->pMethods->xLock(REAL(file), level); }
static int dbUnlock(sqlite3_file *file, int level) { return REAL(file)->pMethods->xUnlock(REAL(file), level); }
static int dbCheckReservedLock(sqlite3_file *file, int *out) {
    return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}
static int dbFileControl(sqlite3_file *file, int op, void *arg) {
    return REAL(file)->pMethods->xFileControl(REAL(file), op, arg);
}
static int dbSectorSize(sqlite3_file *file) { return REAL(file)->pMethods->xSectorSize(REAL(file)); }
static int dbDeviceCharacteristics(sqlite3_file *file) {
    return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file));
}
static int dbShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **out) {
    if (REAL(file)->pMethods->iVersion < 2) return SQLITE_IOERR;
    int rc = REAL(file)->pMethods->xShmMap(REAL(file), region, size, extend, out);
    if (rc == SQLITE_OK && region == 0 && *out != NULL) ((DbFile *)file)->index = *out;
    return rc;
}

/// Copies the WAL index header into `out`; false when it is not mapped, not initialized, or being rewritten
/// (the two copies differ).
static int readIndexHeader(DbFile *f, unsigned char out[WAL_INDEX_HEADER]) {
    volatile unsigned char *index = f->index;
    if (index == NULL) return 0;
    unsigned char second[WAL_INDEX_HEADER];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (int i = 0; i < WAL_INDEX_HEADER; i++) out[i] = index[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (int i = 0; i < WAL_INDEX_HEADER; i++) second[i] = index[WAL_INDEX_HEADER + i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    // Byte 12 is isInit: 1 once the index describes the WAL.
    return memcmp(out, second, WAL_INDEX_HEADER) == 0 && out[12] == 1;
}

static int dbShmLock(sqlite3_file *file, int offset, int count, int flags) {
    DbFile *f = (DbFile *)file;
    if (f->armed && offset <= WRITE_LOCK && WRITE_LOCK < offset + count
        && flags == (SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE)) {
        // Still holding the write lock: no other connection can have committed since this one's commit.
        f->armed = 0;
        f->hasKnown = readIndexHeader(f, f->known);
    }
    return REAL(file)->pMethods->xShmLock(REAL(file), offset, count, flags);
}
static void dbShmBarrier(sqlite3_file *file) { REAL(file)->pMethods->xShmBarrier(REAL(file)); }
static int dbShmUnmap(sqlite3_file *file, int deleteFlag) {
    DbFile *f = (DbFile *)file;
    f->index = NULL;
    f->hasKnown = 0;
    return REAL(file)->pMethods->xShmUnmap(REAL(file), deleteFlag);
}
static int dbFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out) {
    if (REAL(file)->pMethods->iVersion < 3) {
        *out = NULL;
        return SQLITE_OK;
    }
    return REAL(file)->pMethods->xFetch(REAL(file), offset, amount, out);
}
static int dbUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    if (REAL(file)->pMethods->iVersion < 3) return SQLITE_OK;
    return REAL(file)->pMethods->xUnfetch(REAL(file), offset, page);
}

/// The main database file of `db` when it was opened through this VFS.
static DbFile *mainFile(sqlite3 *db) {
    sqlite3_file *file = NULL;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK) return NULL;
    return file != NULL && file->pMethods == &dbMethods ? (DbFile *)file : NULL;
}

void optunad_wal_arm(sqlite3 *db) {
    DbFile *f = mainFile(db);
    if (f != NULL) f->armed = 1;
}

void optunad_wal_note(sqlite3 *db) {
    DbFile *f = mainFile(db);
    if (f != NULL) f->hasKnown = readIndexHeader(f, f->known);
}

int optunad_wal_unchanged(sqlite3 *db) {
    DbFile *f = mainFile(db);
    if (f == NULL || !f->hasKnown) return 0;
    unsigned char now[WAL_INDEX_HEADER];
    return readIndexHeader(f, now) && memcmp(now, f->known, WAL_INDEX_HEADER) == 0;
}

/// Opens `name` through the default VFS behind a wrapper of `size` bytes that starts with the `sqlite3_file`
/// and the `real` pointer (WalFile, DbFile): zeroes the wrapper, puts the default VFS's file right behind it
/// and, if the open left methods, installs `methods`.
static int openWrapped(sqlite3_filename name, sqlite3_file *file, size_t size, const sqlite3_io_methods *methods,
                       int flags, int *outFlags) {
    memset(file, 0, size);
    sqlite3_file *real = (sqlite3_file *)((char *)file + size);
    memset(real, 0, (size_t)defaultVFS->szOsFile);
    ((WalFile *)file)->real = real;
    int rc = defaultVFS->xOpen(defaultVFS, name, real, flags, outFlags);
    file->pMethods = real->pMethods == NULL ? NULL : methods;
    return rc;
}

/// Opens through the default VFS. A WAL file or a main database file gets a wrapper, with the default
/// VFS's file right behind it; any other file is the default VFS's own (same memory, same methods).
static int walOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    if (flags & SQLITE_OPEN_WAL) return openWrapped(name, file, sizeof(WalFile), &walMethods, flags, outFlags);
    if (flags & SQLITE_OPEN_MAIN_DB) return openWrapped(name, file, sizeof(DbFile), &dbMethods, flags, outFlags);
    return defaultVFS->xOpen(defaultVFS, name, file, flags, outFlags);
}

static int walDelete(sqlite3_vfs *vfs, const char *name, int syncDir) {
    (void)vfs;
    return defaultVFS->xDelete(defaultVFS, name, syncDir);
}

static int walAccess(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    (void)vfs;
    return defaultVFS->xAccess(defaultVFS, name, flags, out);
}

static int walFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return defaultVFS->xFullPathname(defaultVFS, name, size, out);
}

static void *walDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xDlOpen(defaultVFS, name);
}

static void walDlError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    defaultVFS->xDlError(defaultVFS, size, out);
}

static void (*walDlSym(sqlite3_vfs *vfs, void *handle, const char *symbol))(void) {
    (void)vfs;
    return defaultVFS->xDlSym(defaultVFS, handle, symbol);
}

static void walDlClose(sqlite3_vfs *vfs, void *handle) {
    (void)vfs;
    defaultVFS->xDlClose(defaultVFS, handle);
}

static int walRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return defaultVFS->xRandomness(defaultVFS, size, out);
}

static int walSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return defaultVFS->xSleep(defaultVFS, microseconds);
}

static int walCurrentTime(sqlite3_vfs *vfs, double *out) {
    (void)vfs;
    return defaultVFS->xCurrentTime(defaultVFS, out);
}

static int walGetLastError(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return defaultVFS->xGetLastError ? defaultVFS->xGetLastError(defaultVFS, size, out) : 0;
}

static int walCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
    (void)vfs;
    if (defaultVFS->iVersion >= 2 && defaultVFS->xCurrentTimeInt64) {
        return defaultVFS->xCurrentTimeInt64(defaultVFS, out);
    }
    double now = 0;
    int rc = defaultVFS->xCurrentTime(defaultVFS, &now);
    *out = (sqlite3_int64)(now * 86400000.0);
    return rc;
}

static int walSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return defaultVFS->xSetSystemCall(defaultVFS, name, call);
}

static sqlite3_syscall_ptr walGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xGetSystemCall(defaultVFS, name);
}

static const char *walNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return defaultVFS->xNextSystemCall(defaultVFS, name);
}

static const char *registeredName;

/// Runs once per process (`pthread_once`): SQLite's own registry locks take its main mutex themselves.
static void registerOnce(void) {
    static const char *const name = "optunad-wal";
    if (sqlite3_initialize() != SQLITE_OK) return;
    if (sqlite3_vfs_find(name) != NULL) {
        registeredName = name;
        return;
    }
    defaultVFS = sqlite3_vfs_find(NULL);
    if (defaultVFS == NULL || defaultVFS->iVersion < 3) return;
    walMethods = (sqlite3_io_methods){
        .iVersion = 1,
        .xClose = walClose,
        .xRead = walRead,
        .xWrite = walWrite,
        .xTruncate = walTruncate,
        .xSync = walSync,
        .xFileSize = walFileSize,
        .xLock = walLock,
        .xUnlock = walUnlock,
        .xCheckReservedLock = walCheckReservedLock,
        .xFileControl = walFileControl,
        .xSectorSize = walSectorSize,
        .xDeviceCharacteristics = walDeviceCharacteristics,
    };
    dbMethods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = dbClose,
        .xRead = dbRead,
        .xWrite = dbWrite,
        .xTruncate = dbTruncate,
        .xSync = dbSync,
        .xFileSize = dbFileSize,
        .xLock = dbLock,
        .xUnlock = dbUnlock,
        .xCheckReservedLock = dbCheckReservedLock,
        .xFileControl = dbFileControl,
        .xSectorSize = dbSectorSize,
        .xDeviceCharacteristics = dbDeviceCharacteristics,
        .xShmMap = dbShmMap,
        .xShmLock = dbShmLock,
        .xShmBarrier = dbShmBarrier,
        .xShmUnmap = dbShmUnmap,
        .xFetch = dbFetch,
        .xUnfetch = dbUnfetch,
    };
    int wrapper = (int)(sizeof(WalFile) > sizeof(DbFile) ? sizeof(WalFile) : sizeof(DbFile));
    walVFS = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = wrapper + defaultVFS->szOsFile,
        .mxPathname = defaultVFS->mxPathname,
        .zName = name,
        .xOpen = walOpen,
        .xDelete = walDelete,
        .xAccess = walAccess,
        .xFullPathname = walFullPathname,
        .xDlOpen = walDlOpen,
        .xDlError = walDlError,
        .xDlSym = walDlSym,
        .xDlClose = walDlClose,
        .xRandomness = walRandomness,
        .xSleep = walSleep,
        .xCurrentTime = walCurrentTime,
        .xGetLastError = walGetLastError,
        .xCurrentTimeInt64 = walCurrentTimeInt64,
        .xSetSystemCall = walSetSystemCall,
        .xGetSystemCall = walGetSystemCall,
        .xNextSystemCall = walNextSystemCall,
    };
    if (sqlite3_vfs_register(&walVFS, 0) == SQLITE_OK) registeredName = name;
}

const char *optunad_wal_vfs_register(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, registerOnce);
    return registeredName;
}
