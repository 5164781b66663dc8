namespace StarSync.ServiceDefaults;

/// <summary>One receive endpoint's health as the bus reports it.</summary>
public readonly record struct EndpointHealth(string Name, bool Healthy, string? Description);

/// <summary>An endpoint that has not consumed for <see cref="For"/> while another endpoint of the bus did.</summary>
public readonly record struct StalledEndpoint(string Name, TimeSpan For, string? Description);

/// <summary>
/// Finds receive endpoints that stay down while the broker demonstrably works. An endpoint's clock runs only while
/// it is unhealthy and at least one other endpoint of the same bus is healthy: a broker outage (every endpoint down)
/// never counts, and recovering from one starts every clock again. Pure: the caller brings the observations and
/// the time.
/// </summary>
public sealed class StalledEndpointDetector(TimeSpan timeout)
{
    private readonly Dictionary<string, DateTimeOffset> _downSince = new(StringComparer.Ordinal);

    public TimeSpan Timeout { get; } = timeout > TimeSpan.Zero
        ? timeout
        : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The stall timeout must be positive.");

    /// <summary>Takes one look at every endpoint and answers those down for at least the timeout.</summary>
    public IReadOnlyList<StalledEndpoint> Observe(IReadOnlyCollection<EndpointHealth> endpoints, DateTimeOffset now)
    {
        var healthy = endpoints.Count(e => e.Healthy);
        var stalled = new List<StalledEndpoint>();
        foreach (var endpoint in endpoints)
        {
            // "Another endpoint is healthy": with this one down, any healthy endpoint is another one.
            if (endpoint.Healthy || healthy == 0)
            {
                _downSince.Remove(endpoint.Name);
                continue;
            }
            if (!_downSince.TryGetValue(endpoint.Name, out var since))
            {
                _downSince[endpoint.Name] = since = now;
            }
            var down = now - since;
            if (down >= Timeout)
            {
                stalled.Add(new StalledEndpoint(endpoint.Name, down, endpoint.Description));
            }
        }
        // Endpoints that disappeared (a temporary endpoint disconnected) leave nothing behind.
        foreach (var gone in _downSince.Keys.Where(name => endpoints.All(e => e.Name != name)).ToList())
        {
            _downSince.Remove(gone);
        }
        return stalled;
    }
}
