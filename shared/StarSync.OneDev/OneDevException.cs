using System.Net;

namespace StarSync.OneDev;

/// <summary>
/// A OneDev REST call failed. The message names the operation and OneDev's answer, never the token.
/// </summary>
public sealed class OneDevException : Exception
{
    public OneDevException(string message, HttpStatusCode? statusCode, bool isTransient, bool isNameConflict = false, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        IsNameConflict = isNameConflict;
    }

    public OneDevException()
        : this("OneDev request failed.", null, isTransient: false)
    {
    }

    public OneDevException(string message)
        : this(message, null, isTransient: false)
    {
    }

    public OneDevException(string message, Exception innerException)
        : this(message, null, isTransient: false, innerException: innerException)
    {
    }

    /// <summary>The HTTP status OneDev answered with; null for network errors and timeouts.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True for network errors, timeouts and 5xx answers (other than recognised request errors): worth retrying later.</summary>
    public bool IsTransient { get; }

    /// <summary>
    /// OneDev's 500 <c>Name '...' is already used by another ...</c>: a project of that name (case-insensitive)
    /// already exists under the same parent. Look the project up again instead of retrying the create.
    /// </summary>
    public bool IsNameConflict { get; }
}
