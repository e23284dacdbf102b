using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Sessions.Devices.Places;
using Orleans.Sessions.Devices.UserAgents;

// Usage: dotnet run -c Release --project bench/DevicesBench -- --filter '*' [BenchmarkDotNet arguments]
// GEOIP_DATABASE names a GeoIP2/GeoLite2 City .mmdb (default: tests/TestData/GeoIP2-City-Test.mmdb).
// Each operation handles every user agent of the test corpus (corpus.tsv, or uap-core's test cases: uap-*.tsv) or every
// address below once: ops/s × count = items/s. A quick run: -- --filter '*ParseUncached*' --job short.
BenchmarkSwitcher.FromAssembly(typeof(DevicesBenchmarks).Assembly).Run(args);

[MemoryDiagnoser]
[InProcess]
public class DevicesBenchmarks
{
    private static readonly IPAddress[] Addresses = new[] { "81.2.69.142", "2.125.160.216", "216.160.83.56", "89.160.20.112", "175.16.199.0", "203.0.113.7", "10.0.0.1", "::ffff:81.2.69.142" }
        .Select(IPAddress.Parse).ToArray();

    private string[] _userAgents = [];
    private string[] _uapUserAgents = [];
    private UserAgentParser _parser = null!;
    private GeoIpDatabase? _geoIp;

    [GlobalSetup]
    public void Setup()
    {
        _userAgents = [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "corpus.tsv")).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t')[5])];
        _uapUserAgents = [.. new[] { "uap-browsers.tsv", "uap-systems.tsv" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, f)))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t', 3)[2])];
        _parser = new UserAgentParser();
        foreach (var userAgent in _userAgents)
        {
            _parser.Parse(userAgent);
        }

        var database = Environment.GetEnvironmentVariable("GEOIP_DATABASE") is { Length: > 0 } path ? path : TestDatabase();
        _geoIp = new GeoIpDatabase(database, NullLogger<GeoIpDatabase>.Instance);
        if (!_geoIp.IsLoaded)
        {
            throw new InvalidOperationException($"No GeoIP database at {database}.");
        }
    }

    private static string TestDatabase()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orleans.Sessions.sln")))
        {
            dir = dir.Parent;
        }

        return Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "tests", "TestData", "GeoIP2-City-Test.mmdb"));
    }

    [GlobalCleanup]
    public void Cleanup() => _geoIp?.Dispose();

    [Benchmark(Description = "parse, uncached (whole corpus)")]
    public int ParseUncached()
    {
        var n = 0;
        foreach (var userAgent in _userAgents)
        {
            n += UserAgentParser.ParseUncached(userAgent).Type.Length;
        }

        return n;
    }

    [Benchmark(Description = "parse, uncached (uap-core test cases)")]
    public int ParseUncachedUap()
    {
        var n = 0;
        foreach (var userAgent in _uapUserAgents)
        {
            n += UserAgentParser.ParseUncached(userAgent).Type.Length;
        }

        return n;
    }

    [Benchmark(Description = "parse, cached (whole corpus)", Baseline = true)]
    public int ParseCached()
    {
        var n = 0;
        foreach (var userAgent in _userAgents)
        {
            n += _parser.Parse(userAgent).Type.Length;
        }

        return n;
    }

    [Benchmark(Description = "GeoIP lookup (8 addresses)")]
    public int Lookup()
    {
        var n = 0;
        foreach (var address in Addresses)
        {
            n += _geoIp!.Lookup(address) is null ? 0 : 1;
        }

        return n;
    }
}
