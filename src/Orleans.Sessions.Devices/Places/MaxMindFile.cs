using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Exceptions;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Devices.Places;

/// <summary>
/// A MaxMind database file (<c>.mmdb</c>) read with MaxMind's <see cref="DatabaseReader"/>, memory-mapped and opened
/// once; when the file changes (an updater replaced it) the new file is opened and swapped in, and the old reader is
/// closed once lookups in flight are done with it. A file that is missing or unreadable leaves the last good database
/// in place (none at first): lookups then know nothing, they never fail (docs/devices-and-places.md, "Places").
/// </summary>
internal sealed partial class MaxMindFile : IDisposable
{
    /// <summary>How long a replaced reader stays open for lookups that started on it.</summary>
    private static readonly TimeSpan RetireDelay = TimeSpan.FromSeconds(5);

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _reloadTimer;
    private readonly Lock _reloadLock = new();
    private DatabaseReader? _reader;
    private DateTime _loadedWriteTime;
    private bool _disposed;

    public MaxMindFile(string path, ILogger logger)
    {
        _path = Path.GetFullPath(path);
        _logger = logger;
        _reloadTimer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        Reload();
        var directory = Path.GetDirectoryName(_path);
        if (directory is not null && Directory.Exists(directory))
        {
            _watcher = new FileSystemWatcher(directory, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => ScheduleReload();
            _watcher.Created += (_, _) => ScheduleReload();
            _watcher.Renamed += (_, _) => ScheduleReload();
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>Whether a database is loaded.</summary>
    public bool IsLoaded => Volatile.Read(ref _reader) is not null;

    /// <summary>
    /// What <paramref name="lookup"/> finds in the loaded database; <paramref name="unloaded"/> when none is loaded, and
    /// <paramref name="failed"/> (logged) when the lookup fails.
    /// </summary>
    public T Lookup<T>(Func<DatabaseReader, T> lookup, T unloaded, T failed)
    {
        if (Volatile.Read(ref _reader) is not { } reader)
        {
            return unloaded;
        }

        try
        {
            return lookup(reader);
        }
        catch (Exception exception) when (exception is InvalidDatabaseException or GeoIP2Exception or ObjectDisposedException or InvalidOperationException)
        {
            LogLookupFailed(exception, _path);
            return failed;
        }
    }

    /// <summary>Checks the file now (the watcher does this on its own when the file changes).</summary>
    public void Reload()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                var file = new FileInfo(_path);
                if (!file.Exists)
                {
                    if (_reader is null)
                    {
                        LogMissing(_path);
                    }

                    return;
                }

                var writeTime = file.LastWriteTimeUtc;
                if (_reader is not null && writeTime == _loadedWriteTime)
                {
                    return;
                }

                var fresh = new DatabaseReader(_path, FileAccessMode.MemoryMapped);
                var old = Interlocked.Exchange(ref _reader, fresh);
                _loadedWriteTime = writeTime;
                LogLoaded(_path, fresh.Metadata.DatabaseType, fresh.Metadata.BuildDate);
                if (old is not null)
                {
                    _ = Task.Delay(RetireDelay).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
                }
            }
            catch (Exception exception) when (exception is IOException or InvalidDatabaseException or UnauthorizedAccessException)
            {
                // Often the updater is still writing the file: the next change event tries again.
                LogUnreadable(exception, _path);
            }
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
            _watcher?.Dispose();
            _reloadTimer.Dispose();
            Interlocked.Exchange(ref _reader, null)?.Dispose();
        }
    }

    /// <summary>Change events come in bursts while a file is written: reload once things are quiet.</summary>
    private void ScheduleReload() => _reloadTimer.Change(TimeSpan.FromMilliseconds(250), Timeout.InfiniteTimeSpan);

    [LoggerMessage(Level = LogLevel.Information, Message = "MaxMind database {Path} loaded ({Type}, built {BuildDate:yyyy-MM-dd})")]
    private partial void LogLoaded(string path, string type, DateTime buildDate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MaxMind database {Path} does not exist; lookups in it find nothing until it appears")]
    private partial void LogMissing(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MaxMind database {Path} could not be read; the previous one (if any) stays in use")]
    private partial void LogUnreadable(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lookup in MaxMind database {Path} failed")]
    private partial void LogLookupFailed(Exception exception, string path);
}
