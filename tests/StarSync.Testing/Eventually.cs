namespace StarSync.Testing;

/// <summary>
/// Polls a condition until it holds or a deadline passes. This is the only kind of waiting tests should do:
/// a deadline on an observable condition, never a fixed sleep.
/// </summary>
public static class Eventually
{
    /// <summary>How long to wait between two checks of the condition.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Checks <paramref name="condition"/> every 100 ms until it returns true. Exceptions thrown by the condition
    /// count as "not yet" (the last one becomes the inner exception of the <see cref="TimeoutException"/>).
    /// </summary>
    public static async Task UntilAsync(
        Func<Task<bool>> condition, TimeSpan timeout, string description, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
                last = null;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                last = e;
            }
            if (DateTime.UtcNow >= deadline)
            {
                var message = $"Timed out after {timeout.TotalSeconds:0.#} s waiting until {description}.";
                throw last is null
                    ? new TimeoutException(message)
                    : new TimeoutException($"{message} Last error: {last.GetType().Name}: {last.Message}", last);
            }
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, CancellationToken)"/>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string description, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), timeout, description, ct);
    }
}
