using System.Collections.Concurrent;
using System.Reflection;

using MassTransit;

using Microsoft.Extensions.Logging;

namespace StarSync.ServiceDefaults;

/// <summary>
/// Every line a consumer logs names the mirror it works on: a log scope with <c>MirrorId</c> and, where the message
/// carries it, <c>GitHubId</c> (a <c>GitHubId</c> property or the <c>Id</c> of its <c>Repository</c>), read from the
/// message's public properties (or, for a <c>Fault&lt;T&gt;</c>, from the faulted message). Messages without a
/// mirror id get no scope.
/// </summary>
public sealed class MirrorLogScopeFilter<T>(ILoggerFactory loggers) : IFilter<ConsumeContext<T>> where T : class
{
    private readonly ILogger _logger = loggers.CreateLogger("StarSync.ServiceDefaults.MirrorLogScope");

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var ids = MirrorLogScope.Read(context.Message, typeof(T));
        if (ids is null)
        {
            await next.Send(context);
            return;
        }
        using (_logger.BeginScope(ids))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("mirrorLogScope");
}

/// <summary>Reads the ids of <see cref="MirrorLogScopeFilter{T}"/>, with the properties looked up once per message type.</summary>
public static class MirrorLogScope
{
    private static readonly ConcurrentDictionary<Type, Func<object, KeyValuePair<string, object?>[]?>> Readers = new();

    /// <summary>The ids of <paramref name="message"/>, read as a <paramref name="type"/> (the consumed type: a fault is an interface).</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>>? Read(object message, Type type) =>
        Readers.GetOrAdd(type, CreateReader)(message);

    private static Func<object, KeyValuePair<string, object?>[]?> CreateReader(Type type)
    {
        var fault = new[] { type }.Concat(type.GetInterfaces())
            .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Fault<>));
        if (fault is not null)
        {
            var inner = fault.GetProperty(nameof(Fault<object>.Message))!;
            var faultedType = fault.GetGenericArguments()[0];
            return m => inner.GetValue(m) is { } faulted ? Read(faulted, faultedType)?.ToArray() : null;
        }
        var mirrorId = Property(type, "MirrorId", typeof(Guid));
        if (mirrorId is null)
        {
            return _ => null;
        }
        var gitHubId = Property(type, "GitHubId", typeof(long));
        var repository = type.GetProperty("Repository", BindingFlags.Public | BindingFlags.Instance);
        var repositoryId = repository is null ? null : Property(repository.PropertyType, "Id", typeof(long));
        return m =>
        {
            var id = gitHubId?.GetValue(m)
                     ?? (repositoryId is not null && repository!.GetValue(m) is { } r ? repositoryId.GetValue(r) : null);
            return id is null
                ? [new("MirrorId", mirrorId.GetValue(m))]
                : [new("MirrorId", mirrorId.GetValue(m)), new("GitHubId", id)];
        };
    }

    private static PropertyInfo? Property(Type type, string name, Type propertyType) =>
        type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { } p && p.PropertyType == propertyType ? p : null;
}
