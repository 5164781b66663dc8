using System.Collections.Frozen;
using System.Diagnostics;

using StarSync.Otlp;

namespace StarSync.Testing.Tests;

public sealed class SpanTreeTests
{
    private const string TraceA = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceB = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static readonly ReceivedSpan Webhook = Span(TraceA, "00f067aa0ba902b7", null, "POST /webhook");
    private static readonly ReceivedSpan Consume = Span(TraceA, "b7ad6b7169203331", Webhook.SpanId, "consume");
    private static readonly ReceivedSpan Push = Span(TraceA, "c9f7e9a3b1d2e4f6", Consume.SpanId, "push");
    private static readonly ReceivedSpan Orphan = Span(TraceA, "d1e2f3a4b5c6d7e8", "ffffffffffffffff", "orphan");
    private static readonly ReceivedSpan OtherRoot = Span(TraceB, "a1b2c3d4e5f60718", null, "other");

    private readonly SpanTree _tree = new([Push, Webhook, OtherRoot, Consume, Orphan, Push]);

    [Fact]
    public void Spans_DuplicateExport_CountsOnce()
    {
        Assert.Equal([Push, Webhook, OtherRoot, Consume, Orphan], _tree.Spans);
        Assert.Equal([TraceA, TraceB], _tree.TraceIds);
    }

    [Fact]
    public void RootsOf_Trace_ReturnsSpansWithoutParentOfThatTraceOnly()
    {
        Assert.Equal([Webhook], _tree.RootsOf(TraceA));
        Assert.Equal([OtherRoot], _tree.RootsOf(TraceB));
        Assert.Equal([Webhook, Orphan], _tree.TopLevelOf(TraceA));
    }

    [Fact]
    public void ChildrenOf_ReturnsDirectChildrenOnly()
    {
        Assert.Equal([Consume], _tree.ChildrenOf(Webhook));
        Assert.Equal([Push], _tree.ChildrenOf(Consume));
        Assert.Empty(_tree.ChildrenOf(Push));
        Assert.Same(Consume, _tree.ParentOf(Push));
        Assert.Null(_tree.ParentOf(Webhook));
        Assert.Null(_tree.ParentOf(Orphan));
    }

    [Fact]
    public void IsDescendantOf_FollowsParentsAtAnyDepthWithinTheTrace()
    {
        Assert.True(_tree.IsDescendantOf(Push, Consume));
        Assert.True(_tree.IsDescendantOf(Push, Webhook));
        Assert.False(_tree.IsDescendantOf(Webhook, Push));
        Assert.False(_tree.IsDescendantOf(Push, Push));
        Assert.False(_tree.IsDescendantOf(Orphan, Webhook));
        Assert.False(_tree.IsDescendantOf(Push, OtherRoot));
        Assert.Equal([Consume, Push], _tree.DescendantsOf(Webhook));
    }

    private static ReceivedSpan Span(string traceId, string spanId, string? parentSpanId, string name) => new(
        "test", "scope", traceId, spanId, parentSpanId, name, ActivityKind.Internal,
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, FrozenDictionary<string, object?>.Empty, [],
        ActivityStatusCode.Unset, null, []);
}
