using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StarSync.Otlp;

/// <summary>What the receiver got so far; every export wakes the waiters, which re-check their condition.</summary>
internal sealed class OtlpStore
{
    private const int MaxNamesPerService = 20;

    private readonly Lock _gate = new();
    private ImmutableList<ReceivedSpan> _spans = [];
    private ImmutableList<ReceivedLog> _logs = [];
    private int _metricExports;
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_gate)
            {
                return _spans;
            }
        }
    }

    public IReadOnlyList<ReceivedLog> Logs
    {
        get
        {
            lock (_gate)
            {
                return _logs;
            }
        }
    }

    public int MetricExports
    {
        get
        {
            lock (_gate)
            {
                return _metricExports;
            }
        }
    }

    public void AddSpans(IEnumerable<ReceivedSpan> spans) => Change(() => _spans = _spans.AddRange(spans));

    public void AddLogs(IEnumerable<ReceivedLog> logs) => Change(() => _logs = _logs.AddRange(logs));

    public void AddMetricExport() => Change(() => _metricExports++);

    public async Task<IReadOnlyList<T>> WaitAsync<T>(
        Func<IReadOnlyList<T>> snapshot, Func<IReadOnlyList<T>, bool> until, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(until);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Task changed;
            IReadOnlyList<T> items;
            lock (_gate)
            {
                changed = _changed.Task;
                items = snapshot();
            }
            if (until(items))
            {
                return items;
            }
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(DescribeTimeout(timeout, what));
            }
            try
            {
                await changed.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Nothing arrived in time; the last snapshot did not satisfy the condition.
                throw new TimeoutException(DescribeTimeout(timeout, what));
            }
        }
    }

    private void Change(Action change)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            change();
            woken = _changed;
            _changed = NewSignal();
        }
        woken.TrySetResult();
    }

    private string DescribeTimeout(TimeSpan timeout, string what)
    {
        IReadOnlyList<ReceivedSpan> spans;
        IReadOnlyList<ReceivedLog> logs;
        int metricExports;
        lock (_gate)
        {
            (spans, logs, metricExports) = (_spans, _logs, _metricExports);
        }
        var message = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"The OTLP receiver's {what} did not meet the condition within {timeout.TotalSeconds:0.###} s. ");
        message.Append(CultureInfo.InvariantCulture,
            $"Received {spans.Count} span(s) in {spans.Select(static s => s.TraceId).Distinct().Count()} trace(s)");
        foreach (var service in spans.GroupBy(static s => s.ServiceName ?? "(no service.name)"))
        {
            message.Append("; ").Append(service.Key).Append(": ");
            message.AppendJoin(", ", service.GroupBy(static s => s.Name).Take(MaxNamesPerService)
                .Select(static n => n.Count() == 1 ? n.Key : $"{n.Key} x{n.Count()}"));
            if (service.Select(static s => s.Name).Distinct().Count() > MaxNamesPerService)
            {
                message.Append(", ...");
            }
        }
        message.Append(CultureInfo.InvariantCulture, $". {logs.Count} log record(s)");
        foreach (var service in logs.GroupBy(static l => l.ServiceName ?? "(no service.name)"))
        {
            message.Append(CultureInfo.InvariantCulture, $"; {service.Key}: {service.Count()}");
        }
        message.Append(CultureInfo.InvariantCulture, $". {metricExports} metric export(s).");
        return message.ToString();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
