using System.Net.Http.Headers;
using System.Text;

namespace StarSync.Emulators.Tests;

/// <summary>HttpClient helpers for talking to <see cref="OneDevEmulator"/> in tests.</summary>
internal static class OneDevClient
{
    public const string MinimalProject = """{"name":"NAME","gitPackConfig":{},"codeAnalysisSetting":{}}""";

    public static HttpClient Create(OneDevEmulator onedev, string? token = null)
    {
        var client = new HttpClient { BaseAddress = onedev.BaseUrl };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<long> CreateProjectAsync(HttpClient client, string name, long? parentId = null)
    {
        var parent = parentId is null ? string.Empty : $"\"parentId\":{parentId},";
        using var response = await client.PostAsync(
            "~api/projects",
            JsonBody("{" + parent + "\"name\":\"" + name + "\",\"codeManagement\":true,\"gitPackConfig\":{},\"codeAnalysisSetting\":{}}"),
            TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"create {name}: {(int)response.StatusCode} {body}");
        return long.Parse(body, System.Globalization.CultureInfo.InvariantCulture);
    }
}
