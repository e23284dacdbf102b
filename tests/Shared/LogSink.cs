using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Testing;

/// <summary>
/// Every log line written through it (message, state values and exception): to check what never appears in a host's
/// logs, or to see that something was logged (and wait for it).
/// </summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, string Line)> _lines = new();

    public IReadOnlyCollection<(string Category, string Line)> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>A logger of <typeparamref name="T"/>'s category, for a class that takes an <see cref="ILogger{T}"/>.</summary>
    public ILogger<T> CreateLogger<T>() => new TypedLogger<T>(this);

    public void Dispose()
    {
    }

    private class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            sink._lines.Enqueue((category, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }

    private sealed class TypedLogger<T>(LogSink sink) : Logger(sink, typeof(T).FullName!), ILogger<T>;
}
