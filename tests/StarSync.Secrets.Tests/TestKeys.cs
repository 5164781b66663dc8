using System.Security.Cryptography;

using Microsoft.Extensions.Options;

namespace StarSync.Secrets.Tests;

internal static class TestKeys
{
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static StarSyncSecrets Secrets(string? key) => new(Options.Create(new SecretKeyOptions { SecretKey = key }));

    public static SecretBox Box(string key, string purpose = "test data") => Secrets(key).Require(purpose, "for the test");
}
