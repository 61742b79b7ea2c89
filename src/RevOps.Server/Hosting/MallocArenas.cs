using System.Runtime.InteropServices;

namespace RevOps.Server.Hosting;

/// <summary>
/// Caps glibc's malloc arenas. glibc gives each new thread that meets contention an arena of its
/// own (up to 8 per core) and keeps what native code (SQLite) left in it; a starved server whose
/// thread pool grew from 20 to 40 threads gained RSS with every thread (the soak in bench/README:
/// +4.6 MiB/min, and +1.9 MiB/min with two arenas). Same effect as MALLOC_ARENA_MAX=2, for
/// arenas made after the call, so it runs first thing in `revops serve`.
/// </summary>
public static class MallocArenas
{
    const int MaxArenasParameter = -8; // M_ARENA_MAX in malloc.h
    const int Arenas = 2;

    public static void Limit()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null) return;
        try
        {
            mallopt(MaxArenasParameter, Arenas);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl has no arenas to cap).
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}
