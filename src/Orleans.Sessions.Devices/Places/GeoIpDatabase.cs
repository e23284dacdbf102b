using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Exceptions;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Devices.Places;

/// <summary>
/// A GeoIP2 / GeoLite2 City database (<c>.mmdb</c>) read with MaxMind's <see cref="DatabaseReader"/>, memory-mapped and
/// opened once; when the file changes (an updater replaced it) the new file is opened and swapped in, and the old
/// reader is closed once lookups in flight are done with it. A file that is missing or unreadable leaves the last good
/// database in place (none at first): lookups then know nothing, they never fail. Private, loopback, link-local and
/// unknown addresses have no place.
/// </summary>
public sealed partial class GeoIpDatabase : IDisposable
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

    public GeoIpDatabase(string path, ILogger<GeoIpDatabase> logger)
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

    /// <summary>The place of <paramref name="address"/>, or null when the database does not know it (or there is none).</summary>
    public Place? Lookup(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (!IsPublic(address) || Volatile.Read(ref _reader) is not { } reader)
        {
            return null;
        }

        try
        {
            if (!reader.TryCity(address, out var city) || city is null)
            {
                return null;
            }

            var subdivision = city.MostSpecificSubdivision;
            return new Place(
                city.City.Name,
                subdivision.Name,
                city.Country.Name,
                city.Country.IsoCode,
                city.Location.Latitude,
                city.Location.Longitude);
        }
        catch (Exception exception) when (exception is InvalidDatabaseException or GeoIP2Exception or ObjectDisposedException)
        {
            LogLookupFailed(exception, _path);
            return null;
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

            DateTime writeTime;
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

                writeTime = file.LastWriteTimeUtc;
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

    /// <summary>Addresses that name no place: private (RFC 1918, ULA), loopback, link-local, CGNAT, unspecified, multicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return !(b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] == 0
            || b[0] >= 224);
    }

    /// <summary>Change events come in bursts while a file is written: reload once things are quiet.</summary>
    private void ScheduleReload() => _reloadTimer.Change(TimeSpan.FromMilliseconds(250), Timeout.InfiniteTimeSpan);

    [LoggerMessage(Level = LogLevel.Information, Message = "GeoIP database {Path} loaded ({Type}, built {BuildDate:yyyy-MM-dd})")]
    private partial void LogLoaded(string path, string type, DateTime buildDate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GeoIP database {Path} does not exist; locations carry only their IP until it appears")]
    private partial void LogMissing(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GeoIP database {Path} could not be read; the previous one (if any) stays in use")]
    private partial void LogUnreadable(Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GeoIP lookup in {Path} failed")]
    private partial void LogLookupFailed(Exception exception, string path);
}
