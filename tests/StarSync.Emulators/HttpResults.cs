using System.Text;

using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>Small response writers shared by the emulators.</summary>
internal static class HttpResults
{
    public static Task TextAsync(HttpContext http, int status, string body, string contentType = "text/plain; charset=utf-8")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        return http.Response.WriteAsync(body, Encoding.UTF8, http.RequestAborted);
    }

    public static Task EmptyAsync(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static async Task<string> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    /// <summary>Holds the request until the client gives up or <paramref name="stopping"/> fires, then drops the connection.</summary>
    public static async Task HangAsync(HttpContext http, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
            http.Abort();
        }
    }
}
