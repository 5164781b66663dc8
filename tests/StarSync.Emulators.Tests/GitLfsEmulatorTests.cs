using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace StarSync.Emulators.Tests;

[Trait("Category", "Integration")]
public sealed class GitLfsEmulatorTests
{
    private const string LfsJson = "application/vnd.git-lfs+json";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneDev_UploadThenDownload_RoundTripsAndCountsObjects()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "media");
        using var http = Authorized(new HttpClient(), "Bearer", onedev.Token);
        var content = RandomNumberGenerator.GetBytes(5000);
        var oid = Convert.ToHexStringLower(SHA256.HashData(content));
        var batch = new Uri(onedev.BaseUrl, "media.git/info/lfs/objects/batch");

        var upload = await BatchAsync(http, batch, "upload", oid, content.Length);
        var uploadHref = upload["objects"]![0]!["actions"]!["upload"]!["href"]!.GetValue<string>();
        using (var put = await new HttpClient().PutAsync(uploadHref, new ByteArrayContent(content), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var again = await BatchAsync(http, batch, "upload", oid, content.Length);
        var download = await BatchAsync(http, batch, "download", oid, content.Length);
        var downloadHref = download["objects"]![0]!["actions"]!["download"]!["href"]!.GetValue<string>();

        Assert.Null(again["objects"]![0]!["actions"]);
        Assert.Equal(content, await new HttpClient().GetByteArrayAsync(downloadHref, Ct));
        Assert.Equal(1, onedev.LfsObjectCount("media"));
    }

    [Fact]
    public async Task OneDev_UploadWithWrongContent_IsRejected()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "media");
        using var http = Authorized(new HttpClient(), "Bearer", onedev.Token);
        var oid = Convert.ToHexStringLower(SHA256.HashData("expected"u8.ToArray()));

        var upload = await BatchAsync(http, new Uri(onedev.BaseUrl, "media.git/info/lfs/objects/batch"), "upload", oid, 8);
        var href = upload["objects"]![0]!["actions"]!["upload"]!["href"]!.GetValue<string>();
        using var put = await new HttpClient().PutAsync(href, new ByteArrayContent("tampered"u8.ToArray()), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, put.StatusCode);
        Assert.Equal(0, onedev.LfsObjectCount("media"));
    }

    [Fact]
    public async Task OneDev_BatchWithoutCredentials_IsChallenged()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        await OneDevClient.CreateProjectAsync(client, "media");
        using var http = new HttpClient();

        using var response = await PostBatchAsync(http, new Uri(onedev.BaseUrl, "media.git/info/lfs/objects/batch"), "download", new string('a', 64), 1);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHub_PrivateRepository_DownloadsWithTokenAndRefusesUploads()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "media", isPrivate: true);
        var content = RandomNumberGenerator.GetBytes(3000);
        var oid = github.AddLfsObject(repository.Id, content);
        var batch = new Uri(repository.CloneUrl + "/info/lfs/objects/batch");
        using var anonymous = new HttpClient();
        using var http = Authorized(new HttpClient(), "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + github.Token)));

        using var challenged = await PostBatchAsync(anonymous, batch, "download", oid, content.Length);
        var download = await BatchAsync(http, batch, "download", oid, content.Length);
        using var upload = await PostBatchAsync(http, batch, "upload", oid, content.Length);
        var missing = await BatchAsync(http, batch, "download", new string('0', 64), 1);

        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        var href = download["objects"]![0]!["actions"]!["download"]!["href"]!.GetValue<string>();
        Assert.Equal(content, await anonymous.GetByteArrayAsync(href, Ct));
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(404, missing["objects"]![0]!["error"]!["code"]!.GetValue<int>());
        Assert.Equal(1, github.LfsObjectCount(repository.Id));
    }

    [Fact]
    public async Task GitHub_UploadPackBytes_CountsWhatAFetchSends()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        var repository = github.CreateRepository("octocat", "bytes");
        using var git = new TestGit();
        var work = await git.CreateWorkRepositoryAsync("seed", "main");
        await git.RunCheckedAsync(work, "push", "--quiet", repository.BareDirectory, "refs/heads/*:refs/heads/*");
        Assert.Equal(0, github.UploadPackBytes("octocat/bytes"));

        await git.RunCheckedAsync(null, "clone", "--quiet", "--mirror", repository.CloneUrl.ToString(), Path.Combine(git.Root, "mirror.git"));

        var bytes = github.UploadPackBytes("octocat/bytes");
        Assert.True(bytes > 0, $"{bytes} bytes counted");
        Assert.Equal(bytes, github.UploadPackBytes("OctoCat/Bytes"));
    }

    private static HttpClient Authorized(HttpClient http, string scheme, string value)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, value);
        return http;
    }

    private static async Task<JsonNode> BatchAsync(HttpClient http, Uri batch, string operation, string oid, long size)
    {
        using var response = await PostBatchAsync(http, batch, operation, oid, size);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LfsJson, response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    private static Task<HttpResponseMessage> PostBatchAsync(HttpClient http, Uri batch, string operation, string oid, long size)
    {
        var body = new JsonObject
        {
            ["operation"] = operation,
            ["transfers"] = new JsonArray("basic"),
            ["objects"] = new JsonArray(new JsonObject { ["oid"] = oid, ["size"] = size }),
        };
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(LfsJson);
        return http.PostAsync(batch, content, Ct);
    }
}
