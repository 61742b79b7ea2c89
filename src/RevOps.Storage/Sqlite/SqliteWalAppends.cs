using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// A VFS over SQLite's own that sends a commit's WAL frames to the kernel in one write instead of two per page.
/// Why: SQLite writes each WAL frame as two <c>pwrite</c> calls (its 24-byte header, then the page), and a single
/// create touches some 34 pages (its row, its indexes, its search row, both full-text indexes, its change-log row
/// and theirs), so a commit made about 68 system calls before its fsync, and now makes two or three; on this kind of virtual machine each costs
/// microseconds (68 small writes measured 530 µs against 25 for one write of the same bytes).
/// <para>
/// Only the WAL file is wrapped, and only its writes wait: consecutive appends gather in a buffer, which goes to the
/// file before anything else is done with it (a sync, a read, a size, a truncation, a file control, closing) or when
/// a write does not follow on. SQLite syncs the WAL before it publishes a commit's frames to readers only under
/// <c>synchronous = FULL</c> (or EXTRA), so a connection opened with this VFS must keep that setting: the single
/// writer sets it and nothing relaxes it. A crash loses only buffered frames of a commit whose sync had not returned,
/// which SQLite never acknowledged and recovery ignores, as it ignores a torn WAL tail.
/// </para>
/// </summary>
internal static unsafe class SqliteWalAppends
{
    public const string VfsName = "revops-wal-appends";

    const int SqliteOk = 0;
    const int OpenWal = 0x00080000;

    /// <summary>
    /// Bytes gathered before they go out: 31 frames of 4 KiB pages. The base VFS sends at most 0x1ffff bytes per system
    /// call (it masks larger lengths with 0x1ffff and loops on the rest, so a length of exactly 128 KiB would become a
    /// write of nothing, which it reports as a full disk); a buffer below that goes out whole, in one call.
    /// </summary>
    const int Capacity = 0x1ffff;

    static readonly object Gate = new();
    static Vfs* s_base;
    static Vfs* s_vfs;
    static IoMethods* s_methods;
    static long s_gathered;
    static long s_written;

    /// <summary>WAL writes SQLite asked for, and the writes that reached the file; how a test sees the VFS at work.</summary>
    public static (long Gathered, long Written) Counts => (Interlocked.Read(ref s_gathered), Interlocked.Read(ref s_written));

    /// <summary>
    /// The Data Source that opens <paramref name="path"/> with this VFS (registered on first use). Must be called after
    /// SQLite is loaded (any <see cref="Microsoft.Data.Sqlite.SqliteConnection"/> constructed).
    /// </summary>
    public static string DataSource(string path)
    {
        Register();
        // SQLite URIs: '%' escapes, '?' starts the query and '#' the fragment, so those three are escaped.
        string full = Path.GetFullPath(path).Replace("%", "%25").Replace("?", "%3f").Replace("#", "%23");
        return "file:" + full + "?vfs=" + VfsName;
    }

    static void Register()
    {
        lock (Gate)
        {
            if (s_vfs is not null) return;
            var baseVfs = Native.sqlite3_vfs_find(null);
            if (baseVfs is null) throw new InvalidOperationException("SQLite has no default VFS.");
            var vfs = (Vfs*)NativeMemory.AllocZeroed((nuint)sizeof(Vfs));
            *vfs = *baseVfs;
            vfs->pNext = null;
            vfs->zName = (byte*)Marshal.StringToCoTaskMemUTF8(VfsName);
            vfs->szOsFile = WalFile.RealOffset + baseVfs->szOsFile;
            vfs->xOpen = &Open;
            var methods = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
            methods->iVersion = 3;
            methods->xClose = &Close;
            methods->xRead = &Read;
            methods->xWrite = &Write;
            methods->xTruncate = &Truncate;
            methods->xSync = &Sync;
            methods->xFileSize = &FileSize;
            methods->xLock = &Lock;
            methods->xUnlock = &Unlock;
            methods->xCheckReservedLock = &CheckReservedLock;
            methods->xFileControl = &FileControl;
            methods->xSectorSize = &SectorSize;
            methods->xDeviceCharacteristics = &DeviceCharacteristics;
            methods->xShmMap = &ShmMap;
            methods->xShmLock = &ShmLock;
            methods->xShmBarrier = &ShmBarrier;
            methods->xShmUnmap = &ShmUnmap;
            methods->xFetch = &Fetch;
            methods->xUnfetch = &Unfetch;
            s_base = baseVfs;
            s_methods = methods;
            int rc = Native.sqlite3_vfs_register(vfs, 0);
            if (rc != SqliteOk) throw new InvalidOperationException($"Registering SQLite VFS {VfsName} failed ({rc}).");
            s_vfs = vfs;
        }
    }

    /// <summary>Our part of a WAL file object; SQLite's own file object (of the base VFS) follows at <see cref="RealOffset"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct WalFile
    {
        /// <summary>First, as in every sqlite3_file: the methods SQLite calls.</summary>
        public IoMethods* Methods;
        public byte* Buffer;
        public long Start;
        public int Length;

        public static int RealOffset => (sizeof(WalFile) + 15) & ~15;

        public static void* Real(void* file) => (byte*)file + RealOffset;

        public static IoMethods* RealMethods(void* file) => *(IoMethods**)Real(file);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Open(Vfs* vfs, byte* name, void* file, int flags, int* outFlags)
    {
        // Anything but the WAL is the base VFS's file object as it is, methods and all.
        if ((flags & OpenWal) == 0) return s_base->xOpen(s_base, name, file, flags, outFlags);
        var wal = (WalFile*)file;
        *wal = default;
        *(IoMethods**)WalFile.Real(file) = null;
        int rc = s_base->xOpen(s_base, name, WalFile.Real(file), flags, outFlags);
        // SQLite closes a file whose open failed only if it has methods: ours then, if the base left its own.
        wal->Methods = rc == SqliteOk || WalFile.RealMethods(file) is not null ? s_methods : null;
        return rc;
    }

    /// <summary>Sends what is gathered to the file, in one write.</summary>
    static int Flush(WalFile* wal)
    {
        if (wal->Length == 0) return SqliteOk;
        int rc = WalFile.RealMethods(wal)->xWrite(WalFile.Real(wal), wal->Buffer, wal->Length, wal->Start);
        Interlocked.Increment(ref s_written);
        wal->Length = 0;
        return rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Write(void* file, void* data, int amount, long offset)
    {
        var wal = (WalFile*)file;
        Interlocked.Increment(ref s_gathered);
        if (wal->Length > 0 && offset == wal->Start + wal->Length && wal->Length + amount <= Capacity)
        {
            Buffer.MemoryCopy(data, wal->Buffer + wal->Length, Capacity - wal->Length, amount);
            wal->Length += amount;
            return SqliteOk;
        }
        int rc = Flush(wal);
        if (rc != SqliteOk) return rc;
        if (amount > Capacity)
        {
            Interlocked.Increment(ref s_written);
            return WalFile.RealMethods(file)->xWrite(WalFile.Real(file), data, amount, offset);
        }
        if (wal->Buffer is null) wal->Buffer = (byte*)NativeMemory.Alloc(Capacity);
        Buffer.MemoryCopy(data, wal->Buffer, Capacity, amount);
        wal->Start = offset;
        wal->Length = amount;
        return SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Close(void* file)
    {
        var wal = (WalFile*)file;
        int flushed = Flush(wal);
        int rc = WalFile.RealMethods(file)->xClose(WalFile.Real(file));
        if (wal->Buffer is not null) NativeMemory.Free(wal->Buffer);
        wal->Buffer = null;
        return flushed != SqliteOk ? flushed : rc;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Read(void* file, void* data, int amount, long offset)
    {
        int rc = Flush((WalFile*)file);
        return rc != SqliteOk ? rc : WalFile.RealMethods(file)->xRead(WalFile.Real(file), data, amount, offset);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Truncate(void* file, long size)
    {
        int rc = Flush((WalFile*)file);
        return rc != SqliteOk ? rc : WalFile.RealMethods(file)->xTruncate(WalFile.Real(file), size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Sync(void* file, int flags)
    {
        int rc = Flush((WalFile*)file);
        return rc != SqliteOk ? rc : WalFile.RealMethods(file)->xSync(WalFile.Real(file), flags);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int FileSize(void* file, long* size)
    {
        int rc = Flush((WalFile*)file);
        return rc != SqliteOk ? rc : WalFile.RealMethods(file)->xFileSize(WalFile.Real(file), size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int FileControl(void* file, int op, void* argument)
    {
        int rc = Flush((WalFile*)file);
        return rc != SqliteOk ? rc : WalFile.RealMethods(file)->xFileControl(WalFile.Real(file), op, argument);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Lock(void* file, int level) => WalFile.RealMethods(file)->xLock(WalFile.Real(file), level);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Unlock(void* file, int level) => WalFile.RealMethods(file)->xUnlock(WalFile.Real(file), level);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int CheckReservedLock(void* file, int* result) => WalFile.RealMethods(file)->xCheckReservedLock(WalFile.Real(file), result);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int SectorSize(void* file) => WalFile.RealMethods(file)->xSectorSize(WalFile.Real(file));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int DeviceCharacteristics(void* file) => WalFile.RealMethods(file)->xDeviceCharacteristics(WalFile.Real(file));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int ShmMap(void* file, int page, int pageSize, int extend, void** memory) =>
        WalFile.RealMethods(file)->xShmMap(WalFile.Real(file), page, pageSize, extend, memory);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int ShmLock(void* file, int offset, int count, int flags) => WalFile.RealMethods(file)->xShmLock(WalFile.Real(file), offset, count, flags);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static void ShmBarrier(void* file) => WalFile.RealMethods(file)->xShmBarrier(WalFile.Real(file));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int ShmUnmap(void* file, int delete) => WalFile.RealMethods(file)->xShmUnmap(WalFile.Real(file), delete);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Fetch(void* file, long offset, int amount, void** page)
    {
        // The base VFS maps only the database file; for the WAL it answers "no mapping", which SQLite reads with xRead.
        int rc = Flush((WalFile*)file);
        return rc != SqliteOk ? rc : WalFile.RealMethods(file)->xFetch(WalFile.Real(file), offset, amount, page);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Unfetch(void* file, long offset, void* page) => WalFile.RealMethods(file)->xUnfetch(WalFile.Real(file), offset, page);

    /// <summary>sqlite3_io_methods, version 3.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct IoMethods
    {
        public int iVersion;
        public delegate* unmanaged[Cdecl]<void*, int> xClose;
        public delegate* unmanaged[Cdecl]<void*, void*, int, long, int> xRead;
        public delegate* unmanaged[Cdecl]<void*, void*, int, long, int> xWrite;
        public delegate* unmanaged[Cdecl]<void*, long, int> xTruncate;
        public delegate* unmanaged[Cdecl]<void*, int, int> xSync;
        public delegate* unmanaged[Cdecl]<void*, long*, int> xFileSize;
        public delegate* unmanaged[Cdecl]<void*, int, int> xLock;
        public delegate* unmanaged[Cdecl]<void*, int, int> xUnlock;
        public delegate* unmanaged[Cdecl]<void*, int*, int> xCheckReservedLock;
        public delegate* unmanaged[Cdecl]<void*, int, void*, int> xFileControl;
        public delegate* unmanaged[Cdecl]<void*, int> xSectorSize;
        public delegate* unmanaged[Cdecl]<void*, int> xDeviceCharacteristics;
        public delegate* unmanaged[Cdecl]<void*, int, int, int, void**, int> xShmMap;
        public delegate* unmanaged[Cdecl]<void*, int, int, int, int> xShmLock;
        public delegate* unmanaged[Cdecl]<void*, void> xShmBarrier;
        public delegate* unmanaged[Cdecl]<void*, int, int> xShmUnmap;
        public delegate* unmanaged[Cdecl]<void*, long, int, void**, int> xFetch;
        public delegate* unmanaged[Cdecl]<void*, long, void*, int> xUnfetch;
    }

    /// <summary>sqlite3_vfs, version 3; only xOpen is ours, the rest are the base VFS's.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct Vfs
    {
        public int iVersion;
        public int szOsFile;
        public int mxPathname;
        public Vfs* pNext;
        public byte* zName;
        public void* pAppData;
        public delegate* unmanaged[Cdecl]<Vfs*, byte*, void*, int, int*, int> xOpen;
        public void* xDelete, xAccess, xFullPathname, xDlOpen, xDlError, xDlSym, xDlClose, xRandomness, xSleep, xCurrentTime,
            xGetLastError, xCurrentTimeInt64, xSetSystemCall, xGetSystemCall, xNextSystemCall;
    }

    static class Native
    {
        // The library Microsoft.Data.Sqlite's provider loads (SQLitePCLRaw's e_sqlite3), found the same way.
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        public static extern Vfs* sqlite3_vfs_find(byte* name);

        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        public static extern int sqlite3_vfs_register(Vfs* vfs, int makeDefault);
    }
}
