namespace StarSync.Emulators;

/// <summary>A project query OneDev rejects: 406 <c>Invalid query</c> for syntax, 500 for unknown fields.</summary>
internal sealed class OneDevQueryException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
