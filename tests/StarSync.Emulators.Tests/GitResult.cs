namespace StarSync.Emulators.Tests;

internal sealed record GitResult(int ExitCode, string Output, string Error);
