using System.ComponentModel.DataAnnotations;

namespace StarSync.OneDev;

/// <summary>
/// Where OneDev is and how to authenticate (section <c>OneDev</c>). The token must belong to a user who may
/// create root projects (or the configured parent) and must have "owner permissions"; it comes from the
/// environment (<c>OneDev__Token</c>), never from a committed file.
/// </summary>
public sealed class OneDevOptions
{
    public const string Section = "OneDev";

    /// <summary>OneDev's root URL, e.g. <c>https://onedev.example.com/</c>. OneDev 12.0.1 or later.</summary>
    [Required(ErrorMessage = "OneDev:Url (environment variable OneDev__Url) is required: the root URL of your OneDev server.")]
    [Url(ErrorMessage = "OneDev:Url must be an absolute http(s) URL.")]
    public string Url { get; set; } = "";

    /// <summary>An access token with owner permissions.</summary>
    [Required(ErrorMessage = "OneDev:Token (environment variable OneDev__Token) is required: a OneDev access token with owner permissions.")]
    public string Token { get; set; } = "";

    /// <summary>Timeout of one REST call.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
