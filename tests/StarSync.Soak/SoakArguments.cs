using System.Globalization;
using StarSync.EndToEnd.Soak;

namespace StarSync.Soak;

/// <summary>The soak program's command line.</summary>
internal sealed record SoakArguments(double Minutes, int Seed, double SettleMinutes, string? UnstarPolicy, string? OutputDirectory)
{
    public const string Usage =
        "usage: dotnet run --project tests/StarSync.Soak -- [--minutes 30] [--seed N] [--settle-minutes 3] [--unstar-policy Keep|Archive|Delete] [--output DIR]";

    public static bool TryParse(string[] args, out SoakArguments arguments, out string? error)
    {
        arguments = new SoakArguments(30, Random.Shared.Next(), 3, null, null);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--minutes" when double.TryParse(value, CultureInfo.InvariantCulture, out var minutes) && minutes > 0:
                    arguments = arguments with { Minutes = minutes };
                    break;
                case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var seed):
                    arguments = arguments with { Seed = seed };
                    break;
                case "--settle-minutes" when double.TryParse(value, CultureInfo.InvariantCulture, out var settle) && settle > 0:
                    arguments = arguments with { SettleMinutes = settle };
                    break;
                case "--unstar-policy" when SoakOptions.UnstarPolicies.Contains(value, StringComparer.Ordinal):
                    arguments = arguments with { UnstarPolicy = value };
                    break;
                case "--output" when !string.IsNullOrWhiteSpace(value):
                    arguments = arguments with { OutputDirectory = value };
                    break;
                default:
                    error = $"unknown or invalid argument: {args[i]} {value}";
                    return false;
            }
            i++;
        }
        return true;
    }
}
