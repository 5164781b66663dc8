namespace StarSync.Otlp;

/// <summary>
/// Parent/child relations over a snapshot of received spans (e.g. <see cref="OtlpReceiver.Spans"/>), for assertions
/// such as "the webhook span is the root" or "the push span is under the consume span". Spans are identified by
/// trace id and span id; a span exported twice counts once (the first copy).
/// </summary>
public sealed class SpanTree
{
    private readonly Dictionary<(string TraceId, string SpanId), ReceivedSpan> _byId = [];
    private readonly Dictionary<(string TraceId, string SpanId), List<ReceivedSpan>> _children = [];

    /// <summary>Builds the relations of <paramref name="spans"/>.</summary>
    public SpanTree(IEnumerable<ReceivedSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var distinct = new List<ReceivedSpan>();
        foreach (var span in spans)
        {
            if (_byId.TryAdd((span.TraceId, span.SpanId), span))
            {
                distinct.Add(span);
            }
        }
        foreach (var span in distinct.Where(static s => s.ParentSpanId is not null))
        {
            var parent = (span.TraceId, span.ParentSpanId!);
            if (!_children.TryGetValue(parent, out var children))
            {
                children = [];
                _children.Add(parent, children);
            }
            children.Add(span);
        }
        Spans = distinct;
        TraceIds = distinct.Select(static s => s.TraceId).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The spans, without duplicates, in their original order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans { get; }

    /// <summary>The distinct trace ids, in order of first appearance.</summary>
    public IReadOnlyList<string> TraceIds { get; }

    /// <summary>The spans of one trace.</summary>
    public IReadOnlyList<ReceivedSpan> InTrace(string traceId) =>
        Spans.Where(s => string.Equals(s.TraceId, traceId, StringComparison.Ordinal)).ToArray();

    /// <summary>The spans of one trace that have no parent span id (normally exactly one).</summary>
    public IReadOnlyList<ReceivedSpan> RootsOf(string traceId) => InTrace(traceId).Where(static s => s.IsRoot).ToArray();

    /// <summary>The spans of one trace whose parent was not received: roots and spans under a missing parent.</summary>
    public IReadOnlyList<ReceivedSpan> TopLevelOf(string traceId) => InTrace(traceId).Where(s => ParentOf(s) is null).ToArray();

    /// <summary>The received parent of <paramref name="span"/>, null for a root or when the parent was not received.</summary>
    public ReceivedSpan? ParentOf(ReceivedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.ParentSpanId is not null && _byId.TryGetValue((span.TraceId, span.ParentSpanId), out var parent) ? parent : null;
    }

    /// <summary>The direct children of <paramref name="span"/>.</summary>
    public IReadOnlyList<ReceivedSpan> ChildrenOf(ReceivedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return _children.TryGetValue((span.TraceId, span.SpanId), out var children) ? children.ToArray() : [];
    }

    /// <summary>All spans under <paramref name="span"/>, at any depth, breadth first.</summary>
    public IReadOnlyList<ReceivedSpan> DescendantsOf(ReceivedSpan span)
    {
        var found = new List<ReceivedSpan>();
        var seen = new HashSet<(string, string)> { (span.TraceId, span.SpanId) };
        var pending = new Queue<ReceivedSpan>(ChildrenOf(span));
        while (pending.TryDequeue(out var next))
        {
            if (!seen.Add((next.TraceId, next.SpanId)))
            {
                continue;
            }
            found.Add(next);
            foreach (var child in ChildrenOf(next))
            {
                pending.Enqueue(child);
            }
        }
        return found;
    }

    /// <summary>
    /// True when <paramref name="ancestor"/> is the parent of <paramref name="span"/>, or its parent's parent, and so
    /// on, through received spans of the same trace. A span is not its own descendant.
    /// </summary>
    public bool IsDescendantOf(ReceivedSpan span, ReceivedSpan ancestor)
    {
        ArgumentNullException.ThrowIfNull(span);
        ArgumentNullException.ThrowIfNull(ancestor);
        if (!string.Equals(span.TraceId, ancestor.TraceId, StringComparison.Ordinal))
        {
            return false;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal) { span.SpanId };
        var parentId = span.ParentSpanId;
        while (parentId is not null && seen.Add(parentId))
        {
            if (string.Equals(parentId, ancestor.SpanId, StringComparison.Ordinal))
            {
                return true;
            }
            parentId = _byId.TryGetValue((span.TraceId, parentId), out var parent) ? parent.ParentSpanId : null;
        }
        return false;
    }
}
