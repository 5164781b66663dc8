using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace StarSync.Emulators.Tests;

public sealed class OneDevEmulatorRestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateProject_WithParent_ReturnsBareIdAndChildPath()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);

        using var response = await client.PostAsync("~api/projects", OneDevClient.JsonBody(OneDevClient.MinimalProject.Replace("NAME", "github", StringComparison.Ordinal)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rootId = long.Parse(await response.Content.ReadAsStringAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
        var childId = await OneDevClient.CreateProjectAsync(client, "fastapi", rootId);

        var child = Assert.Single(onedev.Projects, p => p.Id == childId);
        Assert.Equal("github/fastapi", child.Path);
        Assert.Equal(rootId, child.ParentId);
        Assert.Equal(2, onedev.CreateProjectCalls);
        Assert.True(Directory.Exists(onedev.RepositoryPath("GitHub/FastAPI")));
        var head = await File.ReadAllTextAsync(Path.Combine(onedev.RepositoryPath("github/fastapi"), "HEAD"), Ct);
        Assert.Equal("ref: refs/heads/main", head.Trim());
    }

    [Fact]
    public async Task CreateProject_DuplicateNameDifferentCase_Returns500Text()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var rootId = await OneDevClient.CreateProjectAsync(client, "github");
        await OneDevClient.CreateProjectAsync(client, "fastapi", rootId);

        using var rootDuplicate = await client.PostAsync("~api/projects", OneDevClient.JsonBody(OneDevClient.MinimalProject.Replace("NAME", "GitHub", StringComparison.Ordinal)), Ct);
        using var childDuplicate = await client.PostAsync(
            "~api/projects", OneDevClient.JsonBody("{\"parentId\":" + rootId + ",\"name\":\"FastAPI\",\"gitPackConfig\":{},\"codeAnalysisSetting\":{}}"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, rootDuplicate.StatusCode);
        Assert.Equal("text/plain", rootDuplicate.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Name 'GitHub' is already used by another root project", await rootDuplicate.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.InternalServerError, childDuplicate.StatusCode);
        Assert.Equal("Name 'FastAPI' is already used by another project under 'github'", await childDuplicate.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("""{"gitPackConfig":{},"codeAnalysisSetting":{}}""", "name: must not be empty")]
    [InlineData("""{"name":"  ","gitPackConfig":{},"codeAnalysisSetting":{}}""", "name: must not be empty")]
    [InlineData("""{"name":"x","codeAnalysisSetting":{}}""", "gitPackConfig: must not be null")]
    [InlineData("""{"name":"x","gitPackConfig":{}}""", "codeAnalysisSetting: must not be null")]
    [InlineData("""{"name":"x","gitPackConfig":{},"codeAnalysisSetting":{},"mirror":true}""", "Unrecognized field \"mirror\"")]
    [InlineData("", "must not be null")]
    public async Task CreateProject_InvalidBody_Returns400(string body, string expectedText)
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);

        using var response = await client.PostAsync("~api/projects", OneDevClient.JsonBody(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expectedText, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(onedev.Projects);
    }

    [Fact]
    public async Task CreateProject_NonJsonContentType_Returns415()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);

        using var response = await client.PostAsync("~api/projects", new StringContent("""{"name":"x","gitPackConfig":{},"codeAnalysisSetting":{}}""", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Rest_Anonymous_Returns401NotAuthenticatedWithoutChallenge()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev);

        using var write = await client.PostAsync("~api/projects", OneDevClient.JsonBody(OneDevClient.MinimalProject.Replace("NAME", "x", StringComparison.Ordinal)), Ct);
        using var read = await client.GetAsync("~api/users/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal("Not authenticated", await write.Content.ReadAsStringAsync(Ct));
        Assert.Empty(write.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
    }

    [Fact]
    public async Task Rest_RevokedBearerToken_Returns401InvalidCredentials()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        var token = onedev.AddToken();
        onedev.RevokeToken(token);
        using var client = OneDevClient.Create(onedev, token);

        using var response = await client.GetAsync("~api/users/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid account or incorrect credentials", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("Authorization", "token {0}")]
    [InlineData("OneDevAuthorization", "Bearer {0}")]
    [InlineData("Authorization", "Basic xyz:{0}")]
    [InlineData("Authorization", "Basic {0}:")]
    public async Task UsersMe_AcceptedCredentialForms_ReturnsAdmin(string header, string format)
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev);
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, onedev.Token);
        if (value.StartsWith("Basic ", StringComparison.Ordinal))
        {
            value = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(value[6..]));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "~api/users/me");
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("admin", json.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ProjectIds_UnknownPath_Returns404Text()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var id = await OneDevClient.CreateProjectAsync(client, "github");

        using var found = await client.GetAsync("~api/projects/ids/GITHUB", Ct);
        using var missing = await client.GetAsync("~api/projects/ids/github/fastapi/fastapi", Ct);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), await found.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Project not found or inaccessible: github/fastapi/fastapi", await missing.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("~api/projects", 406, "Missing query params: [offset, count]")]
    [InlineData("~api/projects?offset=0", 406, "Missing query params: [count]")]
    [InlineData("~api/projects?offset=0&count=10&foo=1", 406, "Unexpected query params: [foo]")]
    [InlineData("~api/projects?offset=0&count=101", 406, "Count should not be greater than 100")]
    [InlineData("~api/projects?offset=0&count=10&query=%22Path%22+is", 406, "Invalid query")]
    [InlineData("~api/projects?offset=0&count=10&query=%22Foo%22+is+%22x%22", 500, "Field not found: Foo")]
    public async Task ListProjects_BadParameters_ReturnsDocumentedError(string url, int status, string body)
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);

        using var response = await client.GetAsync(url, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("\"Path\" is \"github/fast_api\"", "github/fast_api")]
    [InlineData("\"Name\" is \"fast_api\" and children of \"github\"", "github/fastXapi,github/fast_api")]
    [InlineData("\"Name\" is \"fast*\"", "github/fastXapi,github/fast_api,other/fastapi")]
    [InlineData("children of \"other\"", "other/fastapi")]
    [InlineData("roots", "github,other")]
    [InlineData("not(roots) and \"Path\" is \"*/fastapi\"", "other/fastapi")]
    public async Task ListProjects_Query_ReturnsMatchingProjects(string query, string expectedPaths)
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var github = await OneDevClient.CreateProjectAsync(client, "github");
        var other = await OneDevClient.CreateProjectAsync(client, "other");
        await OneDevClient.CreateProjectAsync(client, "fast_api", github);
        await OneDevClient.CreateProjectAsync(client, "fastXapi", github);
        await OneDevClient.CreateProjectAsync(client, "fastapi", other);

        using var response = await client.GetAsync("~api/projects?offset=0&count=100&query=" + Uri.EscapeDataString(query), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = json.RootElement.EnumerateArray().Select(p => p.GetProperty("path").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(expectedPaths, string.Join(',', paths));
    }

    [Fact]
    public async Task GetProject_Existing_ReturnsPrettyProjectDataWithNulls()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var id = await OneDevClient.CreateProjectAsync(client, "github");

        var body = await client.GetStringAsync($"~api/projects/{id}", Ct);
        using var missing = await client.GetAsync("~api/projects/999", Ct);

        Assert.Contains($"\"id\" : {id},", body, StringComparison.Ordinal);
        Assert.Contains("\"description\" : null", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("github", json.RootElement.GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("parentId").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task UpdateProject_FullReplace_ChangesDescriptionAndClearsOmittedFields()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var parent = await OneDevClient.CreateProjectAsync(client, "github");
        var id = await OneDevClient.CreateProjectAsync(client, "fastapi", parent);

        using var response = await client.PostAsync(
            $"~api/projects/{id}", OneDevClient.JsonBody("""{"name":"fastapi","description":"Mirror of x","gitPackConfig":{},"codeAnalysisSetting":{}}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(Ct));
        var project = Assert.Single(onedev.Projects, p => p.Id == id);
        Assert.Equal("Mirror of x", project.Description);
        Assert.Null(project.ParentId); // omitted parentId moves the project to root
        Assert.Equal("fastapi", project.Path);
    }

    [Fact]
    public async Task DeleteProject_WithChildren_RemovesAllAndTheirRepositories()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var parent = await OneDevClient.CreateProjectAsync(client, "github");
        await OneDevClient.CreateProjectAsync(client, "fastapi", parent);
        var repository = onedev.RepositoryPath("github/fastapi");

        using var response = await client.DeleteAsync($"~api/projects/{parent}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(onedev.Projects);
        Assert.False(Directory.Exists(repository));
    }

    [Fact]
    public async Task CloneUrl_Project_ReturnsHttpUrlWithGitSuffix()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var parent = await OneDevClient.CreateProjectAsync(client, "github");
        var id = await OneDevClient.CreateProjectAsync(client, "fastapi", parent);

        using var json = JsonDocument.Parse(await client.GetStringAsync($"~api/projects/{id}/clone-url", Ct));

        Assert.Equal(onedev.BaseUrl + "github/fastapi.git", json.RootElement.GetProperty("http").GetString());
    }

    [Fact]
    public async Task ServerVersionAndDefaultBranch_EmptyProject_ReturnVersionAnd204()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        var id = await OneDevClient.CreateProjectAsync(client, "empty");

        var version = await client.GetStringAsync("~api/version/server", Ct);
        using var branch = await client.GetAsync($"~api/repositories/{id}/default-branch", Ct);
        var branches = await client.GetStringAsync($"~api/repositories/{id}/branches", Ct);

        Assert.Equal(OneDevEmulator.ServerVersion, version);
        Assert.Equal(HttpStatusCode.NoContent, branch.StatusCode);
        Assert.Equal("[ ]", branches);
    }

    [Fact]
    public async Task Token_WithoutOwnerPermissions_CannotCreateRootProjectOrReadMe()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.AddToken(ownerPermissions: false));

        using var create = await client.PostAsync("~api/projects", OneDevClient.JsonBody(OneDevClient.MinimalProject.Replace("NAME", "x", StringComparison.Ordinal)), Ct);
        using var me = await client.GetAsync("~api/users/me", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("Not authorized to create root project", await create.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, me.StatusCode);
    }

    [Fact]
    public async Task FailNextRestRequests_Count_FailsThenRecovers()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        onedev.FailNextRestRequests(2, 503);

        using var first = await client.GetAsync("~api/users/me", Ct);
        using var second = await client.GetAsync("~api/users/me", Ct);
        using var third = await client.GetAsync("~api/users/me", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("text/plain", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task HangNextRestRequests_ClientTimeout_ClientGivesUpAndNextRequestWorks()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        onedev.HangNextRestRequests(1);

        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("~api/users/me", timeout.Token));
        }

        using var next = await client.GetAsync("~api/users/me", Ct);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task HangNextRestRequests_Dispose_ReleasesHangingRequest()
    {
        var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev, onedev.Token);
        onedev.HangNextRestRequests(1);
        var hanging = client.GetAsync("~api/users/me", Ct);

        await onedev.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => hanging);
    }

    [Fact]
    public async Task Rest_BasicWithUserAndWrongPassword_Returns401()
    {
        await using var onedev = await OneDevEmulator.StartAsync(Ct);
        using var client = OneDevClient.Create(onedev);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:wrong")));

        using var response = await client.GetAsync("~api/users/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid account or incorrect credentials", await response.Content.ReadAsStringAsync(Ct));
    }
}
