using System.Diagnostics;

namespace Orleans.Sessions.Testing;

/// <summary>
/// The one way a test waits for something that happens in its own time (a directory shard catching up, a span
/// exported, a process becoming healthy): the condition is polled with a short, growing delay, and when
/// <c>timeout</c> passes the test fails with an exception that names the step it was waiting for. It never
/// returns without the condition having held. Every test project imports it statically (tests/Directory.Build.props).
/// </summary>
public static class Waiting
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="description"/> when it has not within <paramref name="timeout"/>.</summary>
    public static Task WaitForAsync(string description, Func<bool> condition, TimeSpan timeout) =>
        WaitForAsync(description, () => Task.FromResult(condition()), timeout);

    /// <inheritdoc cref="WaitForAsync(string, Func{bool}, TimeSpan)"/>
    public static async Task WaitForAsync(string description, Func<Task<bool>> condition, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        var delay = FirstDelay;
        while (!await condition())
        {
            if (elapsed.Elapsed >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {description}.");
            }

            await Task.Delay(delay, TestContext.Current.CancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
        }
    }
}
