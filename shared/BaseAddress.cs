namespace StarSync;

/// <summary>
/// The one rule for a configured root URL (compiled into each client library that needs it): an absolute URL with a
/// trailing slash, so that relative request paths resolve under it, also when the server lives under a sub-path
/// (<c>https://ghes.example.com/api/v3/</c>, <c>https://example.com/onedev/</c>).
/// </summary>
internal static class BaseAddress
{
    public static Uri Of(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }
}
