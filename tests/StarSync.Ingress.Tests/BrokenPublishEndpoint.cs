using System.Reflection;

using MassTransit;

namespace StarSync.Ingress.Tests;

/// <summary>
/// An <see cref="IPublishEndpoint"/> whose publishes never complete (and ignore their token), or fail: what a
/// transport stuck reconnecting, or one that lost its channel, looks like to the endpoint.
/// </summary>
public class BrokenPublishEndpoint : DispatchProxy
{
    private Exception? failure;

    public static IPublishEndpoint Stuck() => Create(null);

    public static IPublishEndpoint Failing(Exception failure) => Create(failure);

    private static IPublishEndpoint Create(Exception? failure)
    {
        var proxy = Create<IPublishEndpoint, BrokenPublishEndpoint>();
        ((BrokenPublishEndpoint)(object)proxy).failure = failure;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.ReturnType != typeof(Task))
        {
            throw new NotSupportedException(targetMethod?.Name);
        }
        return failure is null ? new TaskCompletionSource().Task : Task.FromException(failure);
    }
}
