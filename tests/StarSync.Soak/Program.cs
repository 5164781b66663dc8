using StarSync.EndToEnd.Soak;
using StarSync.Soak;
using StarSync.Testing;

if (!SoakArguments.TryParse(args, out var arguments, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(SoakArguments.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Console.WriteLine($"Starting PostgreSQL and RabbitMQ for a soak of {arguments.Minutes} minute(s), seed {arguments.Seed} (replay with --seed {arguments.Seed})");
await using var servers = await TestServers.StartAsync(cancel.Token);
var report = await SoakRun.RunAsync(servers, new SoakOptions
{
    Seed = arguments.Seed,
    ChaosDuration = TimeSpan.FromMinutes(arguments.Minutes),
    SettleTimeout = TimeSpan.FromMinutes(arguments.SettleMinutes),
    UnstarPolicy = arguments.UnstarPolicy,
    OutputDirectory = arguments.OutputDirectory,
    Log = Console.WriteLine,
}, cancel.Token);
Console.WriteLine();
Console.WriteLine(report);
return report.Violations.Count == 0 ? 0 : 1;
