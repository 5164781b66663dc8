namespace StarSync.Testing;

/// <summary>Reads every exception a failure carries, for tests that check what a start-up error names.</summary>
public static class ExceptionChain
{
    /// <summary>The exception, then its inner exceptions depth first (all of an <see cref="AggregateException"/>'s).</summary>
    public static IEnumerable<Exception> Flatten(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        yield return ex;
        var inners = ex is AggregateException aggregate ? aggregate.InnerExceptions
            : ex.InnerException is { } inner ? [inner] : (IEnumerable<Exception>)[];
        foreach (var nested in inners.SelectMany(Flatten))
        {
            yield return nested;
        }
    }
}
