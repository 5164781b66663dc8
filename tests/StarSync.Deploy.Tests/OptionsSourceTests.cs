namespace StarSync.Deploy.Tests;

/// <summary>Settings.cs against the options classes in the code, so that the other checks cannot go stale.</summary>
public sealed class OptionsSourceTests
{
    public static TheoryData<string> AppServices() => [.. Settings.Projects.Keys];

    [Fact]
    public void OptionsClasses_AreFound()
    {
        Assert.Contains(OptionsSource.All, c => c.Section == "GitWorker" && c.Properties.ContainsKey("JobTimeout"));
        Assert.Contains(OptionsSource.All, c => c.Section == "GitHub" && c.Properties.ContainsKey("AppPrivateKey"));
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void KnownSettings_AreExactlyTheSettablePropertiesOfTheServicesSections(string service)
    {
        string[] expected =
        [
            .. Settings.Common, .. Settings.ConnectionStrings[service],
            .. Settings.Sections[service].SelectMany(s => OptionsSource.Section(s).Properties.Keys.Select(p => $"{s}__{p}")),
        ];
        var known = Settings.Known[service];
        Assert.True(known.Distinct(StringComparer.Ordinal).Count() == known.Length, $"{service}: Settings.Known lists a setting twice");
        var missing = expected.Except(known, StringComparer.Ordinal).ToList();
        var extra = known.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{service}: Settings.Known lacks [{string.Join(", ", missing)}] and lists [{string.Join(", ", extra)}] the code does not have");
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void EverySectionOfTheServiceProject_IsListed(string service)
    {
        var own = OptionsSource.All.Where(c => c.File.StartsWith("services/", StringComparison.Ordinal) && c.Project == Settings.Projects[service])
            .Select(c => c.Section);
        Assert.All(own, s => Assert.Contains(s, Settings.Sections[service]));
        // Sections of other services are never bound by this one.
        var others = OptionsSource.All.Where(c => c.File.StartsWith("services/", StringComparison.Ordinal) && c.Project != Settings.Projects[service])
            .Select(c => c.Section);
        Assert.All(others, s => Assert.DoesNotContain(s, Settings.Sections[service]));
    }

    [Fact]
    public void Defaults_MatchTheCode()
    {
        Assert.Equal(OptionsSource.DefaultTimeSpan("GitWorker", "JobTimeout"), Settings.DefaultJobTimeout);
        Assert.Equal(OptionsSource.DefaultTimeSpan("GitWorker", "LargeRepositoryJobTimeout"), Settings.DefaultLargeRepositoryJobTimeout);
        Assert.Equal(OptionsSource.DefaultTimeSpan("Mirroring", "MirrorDeadline"), Settings.DefaultMirrorDeadline);
    }

    [Fact]
    public void SecretNames_AreRecognised()
    {
        Assert.True(ComposeTests.IsSecretName("GitHub__AppPrivateKey"));
        Assert.True(ComposeTests.IsSecretName("Ingress__AdminToken"));
        Assert.True(ComposeTests.IsSecretName("RABBITMQ_DEFAULT_PASS"));
        Assert.False(ComposeTests.IsSecretName("GitHub__UserAccessTokenExpiresAt"));
        Assert.False(ComposeTests.IsSecretName("GitHub__AppClientId"));
        Assert.True(ComposeTests.IsSecretName("StarSync__SecretKey"));
        Assert.True(ComposeTests.IsSecretName("GitHub__UserRefreshToken"));
        // A path and a switch named after the token are not secrets.
        Assert.False(ComposeTests.IsSecretName("GitHub__UserTokenStorePath"));
        Assert.False(ComposeTests.IsSecretName("GitHub__UserTokenFromOwner"));
        Assert.False(ComposeTests.IsSecretName("GITWORKER_USER_TOKEN_FROM_ORCHESTRATOR"));
    }

    [Fact]
    public void SecretSettings_AreListedAsRequiredOrOptionalSecrets()
    {
        // Every known setting whose name says it is a secret is covered by the compose secret checks.
        var covered = Settings.RequiredSecrets.Concat(Settings.OptionalSecrets).Select(s => (s.Service, s.Setting)).Concat(Settings.NeverGiven).ToHashSet();
        foreach (var (service, known) in Settings.Known)
        {
            foreach (var setting in known.Where(ComposeTests.IsSecretName))
            {
                Assert.True(covered.Contains((service, setting)), $"{service} {setting} is a secret but not in Settings.RequiredSecrets/OptionalSecrets/NeverGiven");
            }
        }
    }
}
