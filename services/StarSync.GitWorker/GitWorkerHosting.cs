namespace StarSync.GitWorker;

internal static class GitWorkerHosting
{
    public static IHostApplicationBuilder AddGitWorker(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
